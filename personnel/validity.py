"""Validity periods of units and localities: "active on D" means valid on D.

A unit or locality is valid from ``valid_from`` (null: since before the records begin) to
``valid_to`` (its last day; null: in force). Nothing ends by being deleted or unticked:
a reorganisation ends the old units on the eve of its effective date and points them to
their successors, so every posting keeps the unit it was held in.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .text import format_day


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    """Rows (or, with ``prefix``, the related rows) valid on ``day``."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def ended_by_q(day: dt.date, prefix: str = "") -> Q:
    """Rows whose validity ended before ``day``."""
    return Q(**{f"{prefix}valid_to__lt": day})


class ValidityQuerySetMixin:
    def valid_on(self, day: dt.date | None = None):
        return self.filter(valid_on_q(day or timezone.localdate()))

    def current(self):
        return self.valid_on(timezone.localdate())

    def ended_by(self, day: dt.date | None = None):
        return self.filter(ended_by_q(day or timezone.localdate()))


class Validity(models.Model):
    """Abstract: a validity period with its checks and labels."""

    valid_from = models.DateField(
        _("có hiệu lực từ"),
        null=True,
        blank=True,
        help_text=_("Ngày bắt đầu tồn tại; để trống nếu đã có từ trước khi có hồ sơ."),
    )
    valid_to = models.DateField(
        _("hiệu lực đến hết ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Ngày cuối cùng tồn tại (trước ngày sắp xếp, sáp nhập, giải thể có hiệu lực); "
            "để trống khi đang hoạt động. Không xóa đơn vị đã kết thúc: lịch sử vẫn giữ."
        ),
    )

    class Meta:
        abstract = True

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    @property
    def has_ended(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()

    @property
    def validity_label(self) -> str:
        if self.valid_from and self.valid_to:
            return _("%(start)s – %(end)s") % {
                "start": format_day(self.valid_from),
                "end": format_day(self.valid_to),
            }
        if self.valid_to:
            return _("đến %(end)s") % {"end": format_day(self.valid_to)}
        if self.valid_from:
            return _("từ %(start)s") % {"start": format_day(self.valid_from)}
        return ""

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"valid_to": _("Ngày hết hiệu lực không được trước ngày bắt đầu có hiệu lực.")}
            )


def validity_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(valid_from__isnull=True)
            | Q(valid_to__isnull=True)
            | Q(valid_to__gte=models.F("valid_from")),
            name=f"{prefix}_valid_to_after_valid_from",
        )
    ]


def not_valid_message(unit, day: dt.date) -> str:
    """Why ``unit`` cannot be used on ``day`` (for forms and services)."""
    if unit.valid_to is not None and unit.valid_to < day:
        return _(
            "“%(unit)s” đã kết thúc hoạt động từ sau ngày %(end)s (sắp xếp tổ chức bộ máy); "
            "hãy chọn đơn vị kế thừa."
        ) % {"unit": unit.name, "end": format_day(unit.valid_to)}
    return _("“%(unit)s” chỉ bắt đầu hoạt động từ ngày %(start)s.") % {
        "unit": unit.name,
        "start": format_day(unit.valid_from),
    }
