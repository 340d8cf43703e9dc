"""Response headers that depend on who is asking."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
