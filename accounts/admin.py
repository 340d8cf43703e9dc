from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
