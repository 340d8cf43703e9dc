"""Reporting periods: terms, named period rules, and how staff phrase a period."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.terms import Term, term_on, terms
from personnel.text import format_day

__all__ = ["PeriodRule", "Term", "phrase", "resolve", "term_on", "terms"]


class PeriodRule(models.TextChoices):
    THIS_TERM_TO_DATE = "this_term_to_date", gettext_lazy("Từ đầu nhiệm kỳ đến nay")
    LAST_MONTH = "last_month", gettext_lazy("Tháng trước")
    LAST_QUARTER = "last_quarter", gettext_lazy("Quý trước")
    THIS_YEAR_TO_DATE = "this_year_to_date", gettext_lazy("Từ đầu năm đến nay")
    LAST_YEAR = "last_year", gettext_lazy("Năm trước")
    THIS_QUARTER_TO_DATE = "this_quarter_to_date", gettext_lazy("Từ đầu quý đến nay")


def resolve(rule: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The (from, to) dates, both inclusive, that ``rule`` means on ``today``."""
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if rule == PeriodRule.THIS_TERM_TO_DATE:
        return term_on(today).start, today
    if rule == PeriodRule.LAST_MONTH:
        first = today.replace(day=1) - relativedelta(months=1)
        return first, today.replace(day=1) - dt.timedelta(days=1)
    if rule == PeriodRule.LAST_QUARTER:
        return quarter_start - relativedelta(months=3), quarter_start - dt.timedelta(days=1)
    if rule == PeriodRule.THIS_QUARTER_TO_DATE:
        return quarter_start, today
    if rule == PeriodRule.THIS_YEAR_TO_DATE:
        return dt.date(today.year, 1, 1), today
    if rule == PeriodRule.LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    raise ValueError(f"unknown period rule {rule!r}")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def phrase(date_from: dt.date, date_to: dt.date, today: dt.date | None = None) -> str:
    """The period as staff write it: "Từ đầu nhiệm kỳ đến hết năm 2022", "Quý I năm 2024"…"""
    if any(t.start == date_from for t in terms()):
        if today is not None and date_to == today:
            return _("Từ đầu nhiệm kỳ đến nay")
        if (date_to.month, date_to.day) == (12, 31):
            return _("Từ đầu nhiệm kỳ đến hết năm %(y)d") % {"y": date_to.year}
        return _("Từ đầu nhiệm kỳ đến ngày %(d)s") % {"d": format_day(date_to)}
    if date_from == dt.date(date_from.year, 1, 1) and date_to == dt.date(date_from.year, 12, 31):
        return _("Năm %(y)d") % {"y": date_from.year}
    end_of_quarter = date_from + relativedelta(months=3) - dt.timedelta(days=1)
    if date_from.day == 1 and date_from.month in (1, 4, 7, 10) and date_to == end_of_quarter:
        return _("Quý %(q)s năm %(y)d") % {
            "q": ROMAN[(date_from.month + 2) // 3],
            "y": date_from.year,
        }
    end_of_month = date_from + relativedelta(months=1) - dt.timedelta(days=1)
    if date_from.day == 1 and date_to == end_of_month:
        return _("Tháng %(m)d năm %(y)d") % {"m": date_from.month, "y": date_from.year}
    return _("Từ ngày %(a)s đến ngày %(b)s") % {
        "a": format_day(date_from),
        "b": format_day(date_to),
    }
