"""The maintained summary of counted movements that reports and the dashboard read.

One row counts the movements of one scope (a unit and its subtree, as the units were),
one month or one day of effect, one kind, management tier and direction ("*" in any of
the three: all of them together), whose official's previous movement of the same
group in the same scope took effect on ``previous_on`` (``NO_PREVIOUS`` for none).

Counting cadres, not movements, over any period [F, T] then needs no per-person row:
an official is counted once, by the first of their movements of the period, the only
one whose previous movement is before F. Months fully inside a period are read from
month rows, its ragged ends from day rows (``rotation.summary``).
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from personnel.models import OrgUnit

#: the previous movement of a row's group, when there is none (before any period)
NO_PREVIOUS = dt.date(1, 1, 1)
#: kind, tier or direction taken together
ANY = "*"


class MovementSummary(models.Model):
    class Grain(models.TextChoices):
        MONTH = "M", _("tháng")
        DAY = "D", _("ngày")

    scope = models.ForeignKey(
        OrgUnit, verbose_name=_("phạm vi"), on_delete=models.CASCADE, related_name="+"
    )
    grain = models.CharField(_("đơn vị thời gian"), max_length=1, choices=Grain.choices)
    period_start = models.DateField(_("ngày (đầu tháng) có hiệu lực"))
    kind = models.CharField(_("hình thức"), max_length=16)
    management_tier = models.CharField(_("diện quản lý"), max_length=32)
    direction = models.CharField(_("hướng luân chuyển"), max_length=32)
    previous_on = models.DateField(_("ngày hiệu lực của lượt trước"))
    movements = models.IntegerField(_("số lượt"))

    class Meta:
        verbose_name = _("tổng hợp lượt điều chuyển")
        verbose_name_plural = _("tổng hợp lượt điều chuyển")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope",
                    "grain",
                    "period_start",
                    "kind",
                    "management_tier",
                    "direction",
                    "previous_on",
                ],
                name="movement_summary_key",
            )
        ]

    def __str__(self):
        return f"{self.scope_id} {self.grain} {self.period_start}: {self.movements}"


class MovementSummaryStatus(models.Model):
    """One row: whether the summary can be read, and what the last check found."""

    stale_since = models.DateTimeField(
        _("cần dựng lại từ"),
        null=True,
        blank=True,
        help_text=_("Trong khi cần dựng lại, báo cáo tính trực tiếp từ các lượt điều chuyển."),
    )
    checked_at = models.DateTimeField(_("lần kiểm tra gần nhất"), null=True, blank=True)
    drift = models.PositiveIntegerField(
        _("số dòng sai lệch phát hiện"),
        default=0,
        help_text=_("Số dòng tổng hợp khác với tính trực tiếp ở lần kiểm tra gần nhất."),
    )
    detail = models.TextField(_("chi tiết"), blank=True)

    class Meta:
        verbose_name = _("trạng thái bảng tổng hợp")
        verbose_name_plural = _("trạng thái bảng tổng hợp")

    def __str__(self):
        return str(self._meta.verbose_name)


class ServingSnapshot(models.Model):
    """The dashboard's figures that depend on the day, for one scope, as the daily job
    found them: cadres serving a rotation (working in the scope now), those ending soon,
    overdue, and those missing a yearly review."""

    scope = models.ForeignKey(
        OrgUnit, verbose_name=_("phạm vi"), on_delete=models.CASCADE, related_name="+"
    )
    taken_on = models.DateField(_("ngày"))
    taken_at = models.DateTimeField(_("thời điểm tính"))
    ending_soon_days = models.PositiveSmallIntegerField(_("số ngày cảnh báo sắp hết hạn"))
    serving = models.PositiveIntegerField(_("đang luân chuyển"))
    ending_soon = models.PositiveIntegerField(_("sắp hết thời hạn"))
    overdue = models.PositiveIntegerField(_("quá hạn"))
    missing_reviews = models.PositiveIntegerField(_("thiếu đánh giá hằng năm"))

    class Meta:
        verbose_name = _("số liệu luân chuyển trong ngày")
        verbose_name_plural = _("số liệu luân chuyển trong ngày")
        constraints = [
            models.UniqueConstraint(fields=["scope", "taken_on"], name="serving_snapshot_once")
        ]

    def __str__(self):
        return f"{self.scope_id} {self.taken_on}"


class DecisionScope(models.Model):
    """A decision and one unit whose scope holds it: every ancestor (and self) of its
    issuer, of its movements' destinations and origins, and of the units consulted on it.
    The decisions list of a scope is then one index lookup (``rotation.decision_scopes``)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(
        "rotation.Decision", on_delete=models.CASCADE, related_name="scope_rows"
    )

    class Meta:
        verbose_name = _("phạm vi của quyết định")
        verbose_name_plural = _("phạm vi của quyết định")
        constraints = [
            models.UniqueConstraint(fields=["unit", "decision"], name="decision_scope_once")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.decision_id}"
