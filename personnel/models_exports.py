"""Large exports of the officials list, built by a worker into a private file."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ExportJobFormat, ExportJobStatus


def export_files_dir() -> Path:
    """Where finished export files are kept: under VAR_DIR, never served by the web server
    (neither MEDIA_ROOT nor static); the download view reads them for their requester."""
    return Path(settings.EXPORT_FILES_DIR)


class ExportJob(models.Model):
    """One export of the officials list too large for a web request: the filters as the
    requester typed them, re-applied by the worker with the requester's scope and masking;
    the file is theirs alone and is deleted ``EXPORT_FILE_HOURS`` after it is made."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    format = models.CharField(_("định dạng"), max_length=16, choices=ExportJobFormat.choices)
    query = models.TextField(
        _("bộ lọc"), blank=True, help_text=_("Chuỗi tham số của danh sách, như trên địa chỉ.")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=ExportJobStatus.choices,
        default=ExportJobStatus.QUEUED,
    )
    rows_total = models.PositiveIntegerField(_("số dòng (ước tính)"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    file_name = models.CharField(
        _("tên tệp lưu"),
        max_length=64,
        blank=True,
        help_text=_("Trong thư mục riêng của máy chủ; để trống khi chưa có hoặc đã xóa."),
    )
    file_size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    error_message = models.TextField(_("thông báo lỗi"), blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(
        _("lần báo tiến độ gần nhất"),
        null=True,
        blank=True,
        help_text=_("Quá lâu không cập nhật thì lần xuất được coi là đã dừng."),
    )
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần xuất tệp lớn")
        verbose_name_plural = _("các lần xuất tệp lớn")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_job_by_requester"),
            models.Index(fields=["status", "finished_at"], name="export_job_status_finished"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportJobStatus.values),
                name="export_job_status_valid",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_format_display()}"

    def get_absolute_url(self):
        return reverse("official_export_job", args=[self.pk])

    @property
    def busy(self) -> bool:
        return self.status in (ExportJobStatus.QUEUED, ExportJobStatus.RUNNING)

    @property
    def expires_at(self) -> dt.datetime | None:
        if self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(hours=settings.EXPORT_FILE_HOURS)

    @property
    def downloadable(self) -> bool:
        """Done, its file still kept, and not past its expiry."""
        return (
            self.status == ExportJobStatus.DONE
            and bool(self.file_name)
            and self.expires_at is not None
            and timezone.now() < self.expires_at
        )

    @property
    def expired(self) -> bool:
        return self.status == ExportJobStatus.DONE and not self.downloadable

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def path(self) -> Path | None:
        return export_files_dir() / self.file_name if self.file_name else None
