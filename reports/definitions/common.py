"""Small helpers shared by report definitions."""

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from personnel.months import whole_months  # noqa: F401 - re-exported for the definitions
from personnel.text import format_day  # noqa: F401 - re-exported for the definitions


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def pct_text(value: float) -> str:
    return f"{number_format(value, 1)}%"


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}"


def term_param():
    """The planning term a report reads ("" = the term of the period's last day)."""
    from ..registry import Param

    return Param(
        "term",
        gettext_lazy("Nhiệm kỳ quy hoạch"),
        default="",
        choices=(
            ("", gettext_lazy("Nhiệm kỳ của ngày cuối kỳ")),
            *((name, name) for name, *_dates in settings.TERMS),
        ),
    )


def term_of(ctx) -> str:
    """The term a report asked for, or the term of the period's last day."""
    from .. import periods

    return ctx.params.get("term") or periods.term_on(ctx.date_to).name
