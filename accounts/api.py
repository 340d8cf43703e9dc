"""The REST API's access policy: the staff pages' own, at the API's door.

- Authentication: the pages' session (with its CSRF check) or a per-user token issued by
  an administrator in Django admin (``accounts/admin_tokens.py``; knox stores only its
  digest, and it expires). An inactive user's token stops working.
- Permission: a staff user with a scope reads; writing needs the role the view names
  (``write_role``, officer by default; an action may ask more). Records are fetched
  through ``for_user``: outside the scope is 404, as on the pages.
- Errors: a service's ``ValidationError`` is a 400 with its field messages, in the
  user's language; a refused role a 403 naming it; nothing else escapes as a 500 that
  the pages would not give.
- Rate limits per token (or user) and per address.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions, pagination, permissions, throttling
from rest_framework import serializers as drf_serializers
from rest_framework.authentication import SessionAuthentication as DrfSessionAuthentication

from .access import RoleRequired
from .choices import Role
from .scoping import scope_path_of


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; the request is in the token owner's language."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _use_language_of(result[0])
        return result


class SessionAuthentication(DrfSessionAuthentication):
    """The pages' own session (their scripts), with Django's CSRF check on writes."""


def _use_language_of(user) -> None:
    available = {code for code, _name in settings.LANGUAGES}
    if getattr(user, "language", "") in available:
        translation.activate(user.language)


class StaffAccess(permissions.BasePermission):
    """A logged-in user with a scope; reading for every role, writing for ``write_role``
    (officer unless the view says otherwise; an action may set its own)."""

    message = _("Cần đăng nhập bằng tài khoản cán bộ có phạm vi quản lý.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if not user.is_superuser and scope_path_of(user) is None:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        role = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        role = role or getattr(view, "write_role", Role.OFFICER)
        if not user.has_role(role):
            raise RoleRequired(role)
        return True


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class Pages(pagination.CursorPagination):
    """Cursor pages: stable under inserts and cheap at any depth (no OFFSET, no COUNT)."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        try:
            return super().get_page_size(request)
        except (OverflowError, ValueError):
            return self.page_size

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except (OverflowError, ValueError, UnicodeError) as error:
            raise exceptions.NotFound(self.invalid_cursor_message) from error
        if cursor is not None and cursor.position and CONTROL_CHARACTERS.search(cursor.position):
            raise exceptions.NotFound(self.invalid_cursor_message)  # never reaches the database
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        # A forged cursor's position that does not fit the ordering's field (text for an id,
        # an impossible date) is refused as the cursor it is, before any query runs.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, DjangoValidationError) as error:
            raise exceptions.NotFound(self.invalid_cursor_message) from error


class _RateFromSettings:
    """The rate read at each request (tests and deployments change it in settings)."""

    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]


class PerTokenThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Requests per token (a session counts per user)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        token = getattr(request.auth, "token_key", None)
        ident = f"token-{token}" if token else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PerAddressThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Requests per address, whoever sends them."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _field_errors(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc, context):
    """A service's ValidationError as a 400 with field messages; a refused role as 403."""
    # Imported here: DRF's views import this module (through the settings) as they load.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = drf_serializers.ValidationError(_field_errors(exc))
    elif isinstance(exc, RoleRequired):
        exc = exceptions.PermissionDenied(str(exc))
    return drf_exception_handler(exc, context)


def service_call(function, **kwargs):
    """Calls a write service; its ValidationError becomes the API's 400."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise drf_serializers.ValidationError(_field_errors(error)) from error
