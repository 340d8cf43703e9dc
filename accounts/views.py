from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views import i18n
from django.views.decorators.http import require_POST

from .access import RoleRequired
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return gettext(
        "Đăng nhập sai quá %(limit)d lần nên tạm thời bị khóa. Hãy thử lại sau %(minutes)d "
        "phút, hoặc nhờ quản trị hệ thống mở khóa."
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


def _safe_next(request) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page: the login form again, with the reason, and status 429.

    The staff login and the admin login each show their own page, so a locked-out user
    is told what happened where they tried, instead of a bare error page.
    """
    message = lockout_message()
    if request.path.startswith(reverse("admin:login")):
        messages.error(request, message)
        context = {
            **admin.site.each_context(request),
            "title": gettext("Đăng nhập"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "form": AdminAuthenticationForm(request),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: _safe_next(request),
        }
        return render(request, "admin/login.html", context, status=429)
    context = {
        "form": LoginForm(request),
        "lockout_message": message,
        REDIRECT_FIELD_NAME: _safe_next(request),
    }
    return render(request, "accounts/login.html", context, status=429)


def permission_denied(request, exception=None):
    """403 in the site's layout; names the role needed when a role check refused."""
    role = exception.role.label if isinstance(exception, RoleRequired) else None
    return render(request, "403.html", {"required_role": role}, status=403)


@require_POST
def set_language(request):
    """Django's language switch, remembered on the user's account when logged in, so the
    choice follows them to another browser."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)
    return response
