"""Imports of records from Excel workbooks (nhập hồ sơ từ Excel) and the column mappings
saved for a committee's own layouts."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    PREVIEWED = "previewed", _("Đã xem trước")
    REJECTED = "rejected", _("Có lỗi, không nhập")
    APPLIED = "applied", _("Đã nhập")
    FAILED = "failed", _("Lỗi hệ thống")


def import_file_path(record_import, filename: str) -> str:
    """Uploaded workbooks are kept under MEDIA_ROOT (never served) by a random name."""
    return f"imports/{uuid.uuid4().hex}.xlsx"


class RecordImportQuerySet(ScopedQuerySet):
    scope_path_lookups = ("org_unit__path",)


class RecordImport(models.Model):
    """One uploaded workbook: previewed, then applied in one transaction or rejected whole."""

    org_unit = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("đơn vị nhập"),
        on_delete=models.PROTECT,
        related_name="record_imports",
        help_text=_("Phạm vi của người nhập: mọi hồ sơ trong tệp phải thuộc đơn vị này."),
    )
    file = models.FileField(_("tệp"), upload_to=import_file_path)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    mapping = models.ForeignKey(
        "personnel.ColumnMapping",
        verbose_name=_("cách ghép cột"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    counts = models.JSONField(
        _("kết quả theo trang"),
        default=dict,
        blank=True,
        help_text=_("Theo từng trang: số bản ghi thêm mới, cập nhật, không đổi."),
    )
    preview = models.JSONField(_("xem trước"), default=dict, blank=True)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    error_message = models.TextField(_("thông báo lỗi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        on_delete=models.PROTECT,
        related_name="record_imports",
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(
        _("lần báo tiến độ gần nhất"),
        null=True,
        blank=True,
        help_text=_(
            "Bộ xử lý nền cập nhật khi đang đọc hoặc ghi tệp; quá lâu không cập nhật thì lần "
            "xử lý được coi là đã dừng và đưa về bước trước."
        ),
    )
    applied_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)

    objects = RecordImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập hồ sơ")
        verbose_name_plural = _("các lần nhập hồ sơ")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("record_import_detail", args=[self.pk])


class ColumnMappingQuerySet(ScopedQuerySet):
    scope_path_lookups = ("org_unit__path",)


class ColumnMapping(models.Model):
    """How a committee's own workbook maps to the template: per sheet, its header → field."""

    org_unit = models.ForeignKey(
        "personnel.OrgUnit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="column_mappings",
    )
    name = models.CharField(_("tên cách ghép cột"), max_length=150)
    sheet = models.CharField(
        _("trang mẫu"), max_length=32, help_text=_("Trang của mẫu nhập mà tệp này cung cấp.")
    )
    columns = models.JSONField(
        _("ghép cột"), default=dict, help_text=_("Tiêu đề cột trong tệp → trường của mẫu.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ColumnMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("cách ghép cột")
        verbose_name_plural = _("các cách ghép cột")
        ordering = ["org_unit_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "name"],
                name="column_mapping_name_per_unit",
                violation_error_message=_("Đơn vị đã có cách ghép cột cùng tên."),
            )
        ]

    def __str__(self):
        return self.name
