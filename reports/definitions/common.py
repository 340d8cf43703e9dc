"""Small helpers shared by report definitions."""

import datetime as dt

from django.utils.formats import number_format

from personnel.text import format_day as d  # noqa: F401 - re-exported for the definitions


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def pct_text(value: float) -> str:
    return f"{number_format(value, 1)}%"


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole}"


def months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months
