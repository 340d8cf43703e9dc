"""Disciplinary measures recorded against an official (kỷ luật).

Quy định 377-QĐ/TW makes a disciplined cadre wait before a higher post; the rotation
rule ``check_discipline_waiting`` reads these records.
"""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import ScopedQuerySet

from .text import format_day


class DisciplineKind(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    REMOVAL = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Khai trừ, buộc thôi việc")


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
    note = models.TextField(_("ghi chú"), blank=True)

    objects = DisciplineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["official_id", "-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({format_day(self.decided_on)})"

    def clean(self):
        """The decision is dated no later than today and from the official's adulthood,
        like the Party dates of the profile (``services.official_validate``)."""
        from .services import MIN_AGE  # services import the models

        super().clean()
        if not self.decided_on:
            return
        if self.decided_on > timezone.localdate():
            raise ValidationError(
                {"decided_on": _("Ngày quyết định kỷ luật không được sau ngày hôm nay.")}
            )
        try:
            born = self.official.date_of_birth  # in an admin inline, the parent form's value
        except ObjectDoesNotExist:
            born = None
        adult_on = born + relativedelta(years=MIN_AGE) if born else None
        if adult_on and self.decided_on < adult_on:
            raise ValidationError(
                {
                    "decided_on": _(
                        "Ngày quyết định kỷ luật phải từ khi cán bộ đủ %(min)d tuổi (%(date)s) "
                        "trở đi."
                    )
                    % {"min": MIN_AGE, "date": format_day(adult_on)}
                }
            )
