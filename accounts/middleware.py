"""Request id: every request gets one (or keeps a proxy's ``X-Request-ID``), echoed in
the response and written on the audit rows the request produces."""

import re
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .audit import set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            set_request_id(None)
        response["X-Request-ID"] = request_id
        return response


class ScopePathsCacheMiddleware:
    """The paths a scope reads (``scoping.readable_paths``) are looked up once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .scoping import scope_paths_cache

        with scope_paths_cache():
            return self.get_response(request)


class NoScopeMiddleware:
    """A staff user without a scope sees a clear message instead of empty pages.

    Such a user reaches no record anyway (``for_user`` gives nothing and the role
    backend grants no permission); this page says why and whom to ask. Admin keeps its
    own "no permission" index; logging out and choosing the language stay open.
    """

    OPEN_URL_NAMES = frozenset({"login", "logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import render

        from .scoping import scope_path_of

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        match = request.resolver_match
        if match is None or match.namespace == "admin" or match.url_name in self.OPEN_URL_NAMES:
            return None
        if scope_path_of(user) is not None:
            return None
        return render(request, "accounts/no_scope.html", status=403)


class SiteLanguageMiddleware:
    """The interface is in the site's language (``LANGUAGE_CODE``, Vietnamese) unless the
    user chose another: their saved choice when logged in, else the language cookie set
    by the menu. The browser's ``Accept-Language`` is deliberately ignored: a committee's
    machines often run an English browser. Placed after the authentication middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def chosen(self, request) -> str:
        user = getattr(request, "user", None)
        saved = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        for code in (saved, cookie):
            if code in self.available:
                return code
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        # The language holds for this request only: the thread goes back to the language
        # it had, so that work done after the response (or the next test) is not in it.
        with translation.override(self.chosen(request)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response
