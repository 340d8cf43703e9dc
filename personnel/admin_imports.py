"""Admin of the Excel imports: the record of each import (read-only) and the saved column
mappings. Imported from ``personnel/admin.py``; imports are made on the staff pages
(``/imports/``) or with ``manage.py import_records``, never added here."""

from django.contrib import admin

from accounts.admin_mixins import ScopedAdminMixin

from .models_imports import ColumnMapping, RecordImport


@admin.register(RecordImport)
class RecordImportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "file_name",
        "org_unit",
        "status",
        "created_by",
        "created_at",
        "applied_at",
    )
    list_filter = ("status",)
    list_select_related = ("org_unit", "created_by")
    search_fields = ("file_name",)
    readonly_fields = (
        "org_unit",
        "file_name",
        "mapping",
        "status",
        "rows_total",
        "rows_done",
        "counts",
        "errors",
        "error_message",
        "created_by",
        "created_at",
        "applied_at",
    )
    exclude = ("file", "preview")
    ordering = ("-created_at", "-id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "org_unit", "sheet", "created_by", "created_at")
    list_filter = ("sheet",)
    list_select_related = ("org_unit", "created_by")
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at")
    autocomplete_fields = ("org_unit",)

    def has_add_permission(self, request):
        return False  # a mapping is made on the import page, from the file's own headers
