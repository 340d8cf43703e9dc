"""Disciplinary measures (kỷ luật) and rewards (khen thưởng) recorded for an official.

Quy định 377-QĐ/TW makes a disciplined cadre wait before a higher post; the rotation
rule ``check_discipline_waiting`` reads the discipline records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet

from .text import format_day


class DisciplineKind(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Khai trừ, buộc thôi việc")


class DecisionLevel(models.TextChoices):
    """The level of the body that decided a reward or a discipline (cấp quyết định)."""

    STATE = "state", _("Nhà nước")
    CENTRAL = "central", _("Trung ương, bộ, ngành")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    GRASSROOTS = "grassroots", _("Cơ sở")


class RewardKind(models.TextChoices):
    ORDER = "order", _("Huân chương")
    MEDAL = "medal", _("Huy chương")
    TITLE = "title", _("Danh hiệu thi đua")
    CERTIFICATE_OF_MERIT = "merit", _("Bằng khen")
    CERTIFICATE = "certificate", _("Giấy khen")
    BADGE = "badge", _("Kỷ niệm chương")
    OTHER = "other", _("Hình thức khác")


class DisciplineQuerySet(ScopedQuerySet):
    scope_path_lookups = ("official__current_unit__path",)


class Discipline(models.Model):
    """A disciplinary decision against an official (kỷ luật), by kind and decision date."""

    official = models.ForeignKey(
        "personnel.Official",
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="disciplines",
    )
    kind = models.CharField(_("hình thức kỷ luật"), max_length=16, choices=DisciplineKind.choices)
    level = models.CharField(
        _("cấp quyết định"), max_length=16, choices=DecisionLevel.choices, blank=True
    )
    decided_on = models.DateField(
        _("ngày quyết định"),
        help_text=_("Thời hạn chờ bổ nhiệm chức vụ cao hơn tính từ ngày này."),
    )
    basis = models.CharField(
        _("số quyết định"), max_length=200, help_text=_("Số, ký hiệu quyết định kỷ luật.")
    )
    issued_by = models.CharField(
        _("cơ quan ra quyết định"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Ủy ban Kiểm tra Tỉnh ủy Hà Tĩnh."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("thời hạn (tháng)"),
        null=True,
        blank=True,
        help_text=_("Thời gian chịu kỷ luật theo quyết định, nếu có."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DisciplineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["official_id", "-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({format_day(self.decided_on)})"


class Reward(models.Model):
    """A reward (khen thưởng): an order, a medal, an emulation title, a certificate."""

    official = models.ForeignKey(
        "personnel.Official",
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="rewards",
    )
    kind = models.CharField(_("hình thức khen thưởng"), max_length=16, choices=RewardKind.choices)
    name = models.CharField(
        _("tên khen thưởng"),
        max_length=255,
        help_text=_("Ví dụ: Huân chương Lao động hạng Ba; Chiến sĩ thi đua cấp tỉnh."),
    )
    level = models.CharField(_("cấp khen thưởng"), max_length=16, choices=DecisionLevel.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    basis = models.CharField(
        _("số quyết định"), max_length=200, blank=True, help_text=_("Số, ký hiệu quyết định.")
    )
    issued_by = models.CharField(_("cơ quan ra quyết định"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DisciplineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["official_id", "-decided_on", "-id"]

    def __str__(self):
        return f"{self.name} ({format_day(self.decided_on)})"
