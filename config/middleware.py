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


def _has_control(params) -> bool:
    return any(
        CONTROL_CHARACTERS.search(name) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for name, values in params.lists()
    )


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
