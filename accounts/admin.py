from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import NotFoundAdminMixin
from .choices import ROLE_RANK, Role
from .models import AuditEvent, User

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


@admin.register(User)
class UserAdmin(NotFoundAdminMixin, DjangoUserAdmin):
    """Superusers manage everyone; a scoped administrator manages the users of their
    subtree only and can never raise their own role, scope or flags."""

    list_display = ("username", "get_full_name", "email", "scope", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
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
            from personnel.models import OrgUnit

            kwargs["queryset"] = OrgUnit.objects.for_user(request.user)
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


@admin.register(AuditEvent)
class AuditEventAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    """Read audit rows: administrators filter by user, action, record type and time."""

    list_display = ("at", "user", "action", "object_type", "object_id", "request_id", "detail")
    list_filter = ("action", "object_type", "at")
    search_fields = ("user__username", "object_id", "request_id")
    list_select_related = ("user",)
    date_hierarchy = "at"
    show_full_result_count = False

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
