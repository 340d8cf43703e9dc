"""Request checks at the edge, and response headers that depend on who is asking."""

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control

# C0 control characters other than tab, line feed and carriage return (which a textarea
# sends): no form field takes them, and PostgreSQL refuses NUL in any text value.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class RefuseControlCharactersMiddleware:
    """A 400 page for a request whose path or GET/POST parameters carry control characters.

    Checked once here, before any view, form, filter or admin page reads them, so that a
    NUL byte never reaches a query (PostgreSQL answers ``DataError``) or a stored value.
    Names count as well as values. Uploaded files are not read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path) or _has_control(request.GET):
            raise BadRequest("Control character in the path or query string.")
        if request.method == "POST" and _has_control(request.POST):
            raise BadRequest("Control character in the submitted form.")
        return self.get_response(request)


#: a whole number longer than any id or code (a bigint has 19 digits)
HUGE_NUMBER = re.compile(r"[+-]?\d{19,}")


class RefuseHugeNumbersMiddleware:
    """A 400 page for a query string carrying a number longer than any id (19+ digits).

    Lists, filters and admin lists take ids, years and codes from the query string; a
    number past a bigint overflows the database driver (SQLite) or the query (a filter
    Django builds from a parameter it does not know). Refused here, once, for every page
    and admin list, including the packages'.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            HUGE_NUMBER.fullmatch(v.strip())
            for _name, values in request.GET.lists()
            for v in values
        ):
            raise BadRequest("A number too large in the query string.")
        return self.get_response(request)


def _has_control(params) -> bool:
    return any(
        CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for name, values in params.lists()
    )


#: the words of a search box that are searched; a name, a unit or a number needs far fewer
MAX_SEARCH_WORDS = 12
SEARCH_PARAMETER = "q"


class BoundedSearchMiddleware:
    """Searches (``?q=``: staff lists, autocompletes, every admin list) read at most
    ``MAX_SEARCH_WORDS`` words.

    Each word of a search is one more condition of the query: thousands of words make a
    query no database should plan (SQLite refuses an expression tree that deep). The
    extra words are dropped here, once, for every page and every admin list (the
    packages' included); an admin page says so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        words = request.GET.get(SEARCH_PARAMETER, "").split()
        if len(words) > MAX_SEARCH_WORDS:
            params = request.GET.copy()
            params[SEARCH_PARAMETER] = " ".join(words[:MAX_SEARCH_WORDS])
            request.GET = params
            if request.path.startswith("/admin/") and hasattr(request, "_messages"):
                from django.contrib import messages
                from django.utils.translation import gettext as _

                messages.warning(
                    request,
                    _("Chỉ tìm theo %(n)d từ đầu tiên của ô tìm kiếm.") % {"n": MAX_SEARCH_WORDS},
                )
        return self.get_response(request)


class NoStoreForUsersMiddleware:
    """``Cache-Control: no-store, private`` on every response to a logged-in user.

    Pages, partials, exports and downloads seen by a user carry personal records:
    neither the browser's cache nor a shared proxy may keep a copy (a later user of
    the same computer could read it back). Static files carry none and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.static_prefix)
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


def client_ip(request) -> str | None:
    """The address a login comes from, for django-axes' lockout by address.

    X-Forwarded-For is believed only behind ``TRUSTED_PROXY_COUNT`` proxies, each of
    which appends the address it received the request from: the client is then the
    N-th address from the right (anything to its left the client may have written).
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [address for address in chain if address]
    return chain[-count] if len(chain) >= count else remote
