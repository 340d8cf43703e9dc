from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tính")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


IN_FLIGHT = (RunStatus.QUEUED, RunStatus.RUNNING)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    SKIPPED = "skipped", _("Bỏ qua (báo cáo trống)")
    FAILED = "failed", _("Gửi lỗi")


class AttemptKind(models.TextChoices):
    """Who asked for an attempt to send a delivery."""

    AUTO = "auto", _("Tự động (theo lịch, gửi lại khi lỗi)")
    MANUAL = "manual", _("Gửi ngay")
    RESEND = "resend", _("Gửi lại kỳ đã gửi")
