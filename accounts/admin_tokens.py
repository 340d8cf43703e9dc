"""API tokens in Django admin: an administrator issues a user of their scope a key (shown
once, never stored: knox keeps its digest), sees who has one and until when, and revokes
it by deleting it. knox's own admin is replaced by this one."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS

from .admin_mixins import NotFoundAdminMixin
from .models import ApiToken, User

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


def users_managed_by(user):
    """The users an administrator manages: their scope's (superusers: everyone)."""
    users = User.objects.filter(is_active=True)
    if user.is_superuser:
        return users
    if user.scope_id is None:
        return users.none()
    return users.filter(is_superuser=False, scope__path__startswith=user.scope.path)


class TokenIssueForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("Hiệu lực (ngày)"),
        min_value=1,
        max_value=366,
        help_text=_("Khóa hết hiệu lực sau số ngày này; cấp khóa mới khi cần dùng tiếp."),
    )

    class Meta:
        model = ApiToken
        fields = ["user"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users_managed_by(acting_user).order_by("username")
        self.fields["days"].initial = settings.API_TOKEN_DAYS
        self.key = None

    def save(self, commit=True):
        # The key exists only here: the row keeps its digest and its first characters.
        digest, self.key = get_digest_token()
        token = self.instance
        token.digest = digest
        token.token_key = self.key[: CONSTANTS.TOKEN_KEY_LENGTH]
        token.expiry = timezone.now() + dt.timedelta(days=self.cleaned_data["days"])
        if commit:
            token.save()
        return token

    def save_m2m(self):
        pass


@admin.register(ApiToken)
class ApiTokenAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    list_display = ("owner", "key_start", "issued_on", "expires_on", "state")
    list_select_related = ("user",)
    search_fields = ("user__username", "token_key")
    ordering = ("-created",)
    readonly_fields = ("owner", "key_start", "issued_on", "expires_on", "state")
    fields = readonly_fields

    @admin.display(description=_("người dùng"), ordering="user__username")
    def owner(self, token):
        return token.user

    @admin.display(description=_("đầu khóa"))
    def key_start(self, token):
        return f"{token.token_key}…"

    @admin.display(description=_("ngày cấp"), ordering="created")
    def issued_on(self, token):
        return timezone.localtime(token.created).strftime("%H:%M %d/%m/%Y")

    @admin.display(description=_("hết hiệu lực"), ordering="expiry")
    def expires_on(self, token):
        if token.expiry is None:
            return gettext("Không hết hạn")
        return timezone.localtime(token.expiry).strftime("%H:%M %d/%m/%Y")

    @admin.display(description=_("tình trạng"))
    def state(self, token):
        if token.is_expired:
            return gettext("Hết hiệu lực")
        return gettext("Còn hiệu lực")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user__in=users_managed_by(request.user))

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, **kwargs)
        acting = request.user

        class Form(TokenIssueForm):
            def __init__(self, *args, **kw):
                super().__init__(*args, acting_user=acting, **kw)

        return Form

    def get_fields(self, request, obj=None):
        return ("user", "days") if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a key is issued or revoked, never edited

    def save_model(self, request, obj, form, change):
        obj.save()
        self.message_user(
            request,
            gettext(
                "Khóa truy cập API của %(user)s (hết hiệu lực %(expiry)s): %(key)s — hãy sao "
                "chép ngay, khóa không hiển thị lại."
            )
            % {
                "user": form.instance.user,
                "expiry": timezone.localtime(form.instance.expiry).strftime("%d/%m/%Y"),
                "key": form.key,
            },
            messages.WARNING,
        )
