from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config import admin_display

from .admin_mixins import NotFoundAdminMixin
from .choices import ROLE_RANK, Role
from .models import AuditEvent, User

# The packages' objects (crontabs, one-off schedules, login lockouts) and admin's yes/no
# icons named in words wherever admin shows them.
admin_display.use_words_in_packages()

PRIVILEGED_FIELDS = frozenset({"is_superuser", "groups", "user_permissions"})
SELF_LOCKED_FIELDS = ("role", "scope", "is_staff", "is_active", "is_superuser")


def roles_grantable_by(user) -> list[tuple[str, str]]:
    """The roles ``user`` may give: their own rank and below (every role for superusers)."""
    if user.is_superuser:
        return list(Role.choices)
    rank = ROLE_RANK[Role(user.role)]
    return [(value, label) for value, label in Role.choices if ROLE_RANK[Role(value)] <= rank]


class ScopedUserFormMixin:
    """What a scoped administrator may set on a user: a scope inside their own subtree,
    a role no higher than their own; never superuser status, groups or permissions."""

    acting_user = None  # set by UserAdmin.get_form

    def clean(self):
        data = super().clean()
        by = self.acting_user
        if by is None or by.is_superuser:
            return data
        if "scope" in self.fields:
            scope = data.get("scope")
            if scope is None:
                self.add_error("scope", _("Chọn phạm vi quản lý của người dùng."))
            elif by.scope is None or not scope.path.startswith(by.scope.path):
                self.add_error("scope", _("Chỉ được chọn đơn vị trong phạm vi quản lý của bạn."))
        if "role" in self.fields and data.get("role"):
            allowed = {value for value, _label in roles_grantable_by(by)}
            if data["role"] not in allowed:
                self.add_error("role", _("Không được giao vai trò cao hơn vai trò của bạn."))
        return data


class PermissionsInWordsMixin:
    """Permissions listed as "Hồ sơ cán bộ | Cán bộ | Thêm cán bộ": their stored names are
    English ("Can add …") whatever the language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        is_permissions = db_field.name in ("permissions", "user_permissions")
        if is_permissions:
            queryset = kwargs.get("queryset", db_field.remote_field.model.objects)
            kwargs["queryset"] = queryset.select_related("content_type")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and is_permissions:
            field.label_from_instance = admin_display.permission_text
        return field


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form; its warning that the password will be lost is English text glued to
    the translated help at import time, so both are put together here at display time."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("Nếu tắt, mật khẩu hiện tại của người dùng sẽ bị mất."),
    )


class EndedScopeFilter(admin.SimpleListFilter):
    """Users whose scope unit ended in a reorganisation: they see nothing until an
    administrator gives them the successor unit (or another scope)."""

    title = _("phạm vi")
    parameter_name = "scope_state"

    def lookups(self, request, model_admin):
        return [
            ("ended", _("Đơn vị đã kết thúc: cần giao phạm vi mới")),
            ("none", _("Chưa được giao phạm vi")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "ended":
            return queryset.filter(scope__valid_to__lt=timezone.localdate())
        if self.value() == "none":
            return queryset.filter(scope__isnull=True)
        return queryset


@admin.register(User)
class UserAdmin(PermissionsInWordsMixin, NotFoundAdminMixin, DjangoUserAdmin):
    """Superusers manage everyone; a scoped administrator manages the users of their
    subtree only and can never raise their own role, scope or flags."""

    change_password_form = PasswordChangeForm
    list_display = (
        "username",
        "get_full_name",
        "email",
        "scope",
        "scope_state",
        "role",
        "is_staff",
        "is_active",
    )
    list_filter = ("role", EndedScopeFilter, "is_staff", "is_superuser", "is_active")
    list_select_related = ("scope",)
    autocomplete_fields = ("scope",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Phạm vi và vai trò"), {"fields": ("scope", "role")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Phạm vi và vai trò"), {"fields": ("scope", "role", "is_staff")}),
    )

    @admin.display(description=_("họ tên"))
    def get_full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("tình trạng phạm vi"))
    def scope_state(self, obj):
        if obj.scope is not None and obj.scope.has_ended:
            # The unit's own label of its period (dd/mm/yyyy by personnel's format_day).
            return _("Đơn vị đã kết thúc (%(period)s): cần giao phạm vi mới") % {
                "period": obj.scope.validity_label
            }
        return "—"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        if user.scope_id is None:
            return qs.none()
        return qs.filter(is_superuser=False, scope__path__startswith=user.scope.path)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return tuple(f for f in self.list_filter if f != "is_superuser")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return tuple(
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in PRIVILEGED_FIELDS]},
            )
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["last_login", "date_joined"]
            if obj is not None and obj.pk == request.user.pk:
                readonly += [f for f in SELF_LOCKED_FIELDS if f not in readonly]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (ScopedUserFormMixin, form), {"acting_user": request.user})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scope" and not request.user.is_superuser:
            # The scope's model (an org unit) by the field, not by import: accounts is below
            # personnel in the dependency order.
            units = db_field.remote_field.model.objects
            kwargs["queryset"] = units.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = roles_grantable_by(request.user)
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        by = request.user
        if not by.is_superuser:
            # Belt and braces: the form never offers these, and no request may set them.
            obj.is_superuser = False
            if change and obj.pk == by.pk:
                current = User.objects.get(pk=obj.pk)
                for field in SELF_LOCKED_FIELDS:
                    setattr(obj, field, getattr(current, field))
        super().save_model(request, obj, form, change)


class RecordTypeFilter(admin.SimpleListFilter):
    """The audit rows' record types by name ("Cán bộ"), not by model label."""

    title = _("loại hồ sơ")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        labels = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("object_type", flat=True)
            .distinct()
        )
        named = [(label, admin_display.model_text(label)) for label in labels if label]
        return sorted(named, key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_type=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    """Read audit rows: administrators filter by user, action, record type and time."""

    list_display = (
        "at",
        "user",
        "action",
        "record_type",
        "object_id",
        "request_id",
        "detail_text",
    )
    list_filter = ("action", RecordTypeFilter, "at")
    search_fields = ("user__username", "object_id", "request_id")
    list_select_related = ("user",)
    date_hierarchy = "at"
    show_full_result_count = False
    fields = ("at", "user", "action", "record_type", "object_id", "detail_text", "request_id")
    readonly_fields = ("record_type", "detail_text")

    @admin.display(description=_("loại hồ sơ"), ordering="object_type")
    def record_type(self, obj):
        return admin_display.model_text(obj.object_type)

    @admin.display(description=_("chi tiết"))
    def detail_text(self, obj):
        return admin_display.audit_detail_text(obj.detail)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        if user.scope_id is None:
            return qs.none()
        return qs.filter(user__scope__path__startswith=user.scope.path)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionsInWordsMixin, DjangoGroupAdmin):
    pass


# --- django-celery-beat: schedules in words ------------------------------------------------

admin.site.unregister(PeriodicTask)
admin.site.unregister(CrontabSchedule)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    """The package's admin, with the schedule said in words in the list and the form."""

    list_display = ("name", "enabled", "schedule_text", "start_time", "last_run_at", "one_off")

    @admin.display(description=_("lịch chạy"))
    def schedule_text(self, obj):
        return admin_display.task_schedule_text(obj)

    @admin.display(description=_("lịch chạy bằng lời"))
    def crontab_translation(self, obj):
        return admin_display.crontab_text(obj.crontab)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The package's own view puts each crontab's English description here.
        readable = {c.pk: admin_display.crontab_text(c) for c in CrontabSchedule.objects.all()}
        extra_context = {**(extra_context or {}), "readable_crontabs": readable}
        return admin.ModelAdmin.changeform_view(
            self, request, object_id, form_url, extra_context=extra_context
        )


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    list_display = ("__str__", "expression")
    fields = (
        "in_words",
        "minute",
        "hour",
        "day_of_month",
        "month_of_year",
        "day_of_week",
        "timezone",
    )
    readonly_fields = ("in_words",)

    @admin.display(description=_("lịch chạy bằng lời"))
    def in_words(self, obj):
        return admin_display.crontab_text(obj) if obj.pk else "—"

    @admin.display(description=_("biểu thức crontab"))
    def expression(self, obj):
        fields = (obj.minute, obj.hour, obj.day_of_month, obj.month_of_year, obj.day_of_week)
        return f"{' '.join(fields)} ({obj.timezone})"


# --- django-axes: login lockouts ----------------------------------------------------------

if apps.is_installed("axes"):
    from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
    from axes.models import AccessAttempt

    if admin.site.is_registered(AccessAttempt):
        admin.site.unregister(AccessAttempt)

        @admin.register(AccessAttempt)
        class AccessAttemptAdmin(AxesAccessAttemptAdmin):
            """The package's admin; its computed columns get a title ("Status" otherwise)
            and its clean-up action a message in the user's language (the package builds
            it with an f-string, which no catalogue can translate)."""

            @admin.action(description=_("Dọn các lượt đăng nhập sai đã hết hạn"))
            def cleanup_expired_attempts(self, request, queryset):
                # The handler reads the time of a login attempt, which only a login request
                # carries (the package's own action fails on it); None means "now".
                request.axes_attempt_time = None
                count = self.handler.clean_expired_user_attempts(request=request)
                self.message_user(
                    request, _("Đã dọn %(n)d lượt đăng nhập sai đã hết hạn.") % {"n": count}
                )

            @admin.display(description=_("trạng thái"))
            def status(self, obj):
                return super().status(obj)

            @admin.display(description=_("hết hạn lúc"))
            def expiration(self, obj):
                return super().expiration(obj)


from . import admin_tokens  # noqa: E402,F401 - API tokens (replaces knox's admin)
