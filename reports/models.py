"""Report runs, subscriptions and their deliveries."""

import hashlib
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.scoping import ScopedQuerySet
from personnel.models import OrgUnit
from personnel.text import format_day, format_moment

from .choices import IN_FLIGHT, AttemptKind, DeliveryStatus, RunStatus
from .periods import PeriodRule


def request_key(report: str, scope_id: int, date_from, date_to, params: dict) -> str:
    """Identifies identical requests: same report, scope, period and parameters."""
    payload = json.dumps(
        [report, scope_id, str(date_from), str(date_to), params], sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ReportRunQuerySet(ScopedQuerySet):
    scope_path_lookups = ("scope__path",)


class ReportRun(models.Model):
    """One computation of a report; identical requests in flight share one run."""

    report = models.CharField(_("báo cáo"), max_length=50)
    scope = models.ForeignKey(
        OrgUnit, verbose_name=_("phạm vi"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    request_key = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    result = models.JSONField(_("kết quả"), null=True, blank=True, editable=False)
    error = models.TextField(_("lỗi"), blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0, editable=False)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    # Until when the run belongs to the worker that claimed it (or, queued, until its
    # message is presumed lost); after it anyone may take the run over.
    lease_expires_at = models.DateTimeField(
        _("giữ lượt chạy đến"), null=True, blank=True, editable=False
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True, editable=False)
    duration_ms = models.PositiveIntegerField(
        _("thời gian tính (ms)"), null=True, blank=True, editable=False
    )

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt chạy báo cáo")
        verbose_name_plural = _("lượt chạy báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_key"],
                condition=Q(status__in=IN_FLIGHT),
                name="report_run_one_in_flight_per_request",
            ),
        ]
        indexes = [
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status__in=IN_FLIGHT),
                name="report_run_in_flight_lease",
            ),
        ]

    def __str__(self):
        return (
            f"{self.title} – {self.scope} ({format_day(self.date_from)}–{format_day(self.date_to)})"
        )

    def get_absolute_url(self):
        return reverse("admin:reports_reportrun_change", args=[self.pk])

    def lease_expired(self, now=None) -> bool:
        """In flight, and nobody holds it any more (a lost worker, a lost message)."""
        if self.status not in IN_FLIGHT:
            return False
        return self.lease_expires_at is None or self.lease_expires_at <= (now or timezone.now())

    @property
    def title(self) -> str:
        from .registry import REGISTRY, all_reports

        all_reports()
        definition = REGISTRY.get(self.report)
        return str(definition.title) if definition else self.report


class SubscriptionQuerySet(ScopedQuerySet):
    scope_path_lookups = ("scope__path",)


class Subscription(models.Model):
    """A report emailed on a schedule (edited in admin as a django-celery-beat crontab)."""

    name = models.CharField(_("tên"), max_length=200)
    report = models.CharField(_("báo cáo"), max_length=50)
    scope = models.ForeignKey(
        OrgUnit, verbose_name=_("phạm vi"), on_delete=models.PROTECT, related_name="+"
    )
    period_rule = models.CharField(
        _("kỳ báo cáo"), max_length=32, choices=PeriodRule.choices, default=PeriodRule.LAST_MONTH
    )
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        blank=True,
        related_name="report_subscriptions",
    )
    extra_emails = models.TextField(
        _("địa chỉ nhận khác"), blank=True, help_text=_("Mỗi dòng một địa chỉ thư điện tử.")
    )
    attach_xlsx = models.BooleanField(_("đính kèm Excel"), default=True)
    attach_csv = models.BooleanField(_("đính kèm CSV"), default=False)
    skip_if_empty = models.BooleanField(
        _("không gửi khi báo cáo trống"),
        default=False,
        help_text=_("Khi báo cáo không có số liệu, chỉ ghi nhận, không gửi thư."),
    )
    schedule = models.ForeignKey(
        CrontabSchedule,
        verbose_name=_("lịch gửi"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Theo cú pháp crontab; ví dụ 7 giờ sáng ngày 1 hằng tháng: phút 0, giờ 7, ngày 1."
        ),
    )
    periodic_task = models.OneToOneField(
        PeriodicTask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký nhận báo cáo")
        verbose_name_plural = _("đăng ký nhận báo cáo")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:reports_subscription_change", args=[self.pk])


class Delivery(models.Model):
    """One (subscription, period) email; the unique row is the claim that makes it go out once."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("đăng ký"), on_delete=models.CASCADE, related_name="deliveries"
    )
    date_from = models.DateField(_("từ ngày"))
    date_to = models.DateField(_("đến ngày"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    run = models.ForeignKey(
        ReportRun,
        verbose_name=_("lượt chạy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.TextField(_("đã gửi tới"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt gửi báo cáo")
        verbose_name_plural = _("lượt gửi báo cáo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "date_from", "date_to"], name="delivery_once_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.subscription} ({format_day(self.date_from)}–{format_day(self.date_to)})"


class DeliveryAttempt(models.Model):
    """One attempt to send a delivery, kept after later attempts: when, who asked, outcome."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("lượt gửi"), on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(
        _("hình thức"), max_length=16, choices=AttemptKind.choices, default=AttemptKind.AUTO
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    status = models.CharField(
        _("kết quả"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    recipients = models.TextField(_("đã gửi tới"), blank=True)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("lần gửi")
        verbose_name_plural = _("các lần gửi")
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.delivery} – {self.get_kind_display()} {format_moment(self.requested_at)}"


class NonLocalTarget(models.Model):
    """A target for posts held by non-local cadres, with its deadline and basis, e.g.
    Conclusion 201-KL/TW: 100% of provincial people's committee chairs non-local by
    15/12/2025. The non-local compliance report shows it met, not met or overdue."""

    post_type = models.ForeignKey(
        "personnel.PostType",
        verbose_name=_("loại chức danh"),
        on_delete=models.PROTECT,
        related_name="non_local_targets",
    )
    share = models.PositiveSmallIntegerField(
        _("tỷ lệ phải đạt (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Phần trăm số chức danh đã bố trí do cán bộ không phải người địa phương giữ."),
    )
    deadline = models.DateField(_("thời hạn"))
    basis = models.CharField(_("căn cứ"), max_length=255)

    class Meta:
        verbose_name = _("chỉ tiêu bố trí cán bộ không phải người địa phương")
        verbose_name_plural = _("chỉ tiêu bố trí cán bộ không phải người địa phương")
        ordering = ["deadline", "post_type__display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post_type", "deadline"], name="non_local_target_once_per_deadline"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100), name="non_local_target_share_range"
            ),
        ]

    def __str__(self):
        return f"{self.post_type}: {self.share}% – {format_day(self.deadline)}"
