"""The range of dates the system accepts, and the one check that enforces it.

A cadre's record starts in the twentieth century and no plan reaches past this one: a
date outside 01/01/1900 – 31/12/2100 is a typing slip or hostile input. Refusing it
where it enters keeps it out of the database and keeps date arithmetic (the day
before an effective date, a term's last day, the day after a posting) far from the
edges of Python's calendar (years 1–9999), where it would overflow.

The policy, in one place:

- ``validate_sane_date`` is the check, with a Vietnamese message;
- every form date field is a ``SaneDateField``: declared fields, the date fields of
  the project's model forms (``field_classes``), and django-filter's date filters
  (``SaneDateFilter``);
- ``install`` (run when the personnel app is ready) gives every model ``DateField``
  the same validator, so the forms the project does not declare (the admin's) and the
  services' ``full_clean`` refuse the same dates;
- the admin's date filters and date hierarchy go through ``BoundedDateFieldListFilter``;
- the services check the dates they compute with before computing (``require_sane``).
"""

import datetime as dt

import django_filters
from django import forms
from django.contrib import admin
from django.core.exceptions import BadRequest, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .text import format_day

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def is_sane(day: dt.date | None) -> bool:
    """True for a date (or datetime) inside ``EARLIEST`` – ``LATEST``."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return isinstance(day, dt.date) and EARLIEST <= day <= LATEST


def out_of_range_message() -> str:
    return _("Ngày phải trong khoảng từ %(start)s đến %(end)s.") % {
        "start": format_day(EARLIEST),
        "end": format_day(LATEST),
    }


def validate_sane_date(value) -> None:
    """Django validator: refuses a date outside the accepted range (empty values pass)."""
    if value is None:
        return
    if not is_sane(value):
        raise ValidationError(out_of_range_message(), code="date_out_of_range")


def require_sane(**days) -> None:
    """For services: raises ValidationError on the named dates that are out of range.

    ``require_sane(start_date=..., end_date=...)``; None (not given) passes.
    """
    wrong = [name for name, day in days.items() if day is not None and not is_sane(day)]
    if wrong:
        raise ValidationError({name: out_of_range_message() for name in wrong})


class SaneDateField(forms.DateField):
    """A form date field that refuses dates outside the accepted range."""

    default_validators = [validate_sane_date]


class SaneDateFilter(django_filters.DateFilter):
    """django-filter's date filter with the same range."""

    field_class = SaneDateField


def install() -> None:
    """Applies the policy to what the project does not declare itself.

    Every model date (and date-time) field validates the range in ``full_clean``: set on
    the class, not on each field, so that migrations do not see it. Every admin
    ``list_filter`` on a date field is a ``BoundedDateFieldListFilter``.
    """
    if models.DateField.default_validators == [validate_sane_date]:
        return  # installed already
    models.DateField.default_validators = [validate_sane_date]
    admin.FieldListFilter.register(
        lambda field: isinstance(field, models.DateField),
        BoundedDateFieldListFilter,
        take_priority=True,
    )


# --- admin ---------------------------------------------------------------------------

HIERARCHY_PARTS = {"year": (EARLIEST.year, LATEST.year), "month": (1, 12), "day": (1, 31)}


def _bounded_int(text: str, low: int, high: int) -> bool:
    text = (text or "").strip()
    return text.isascii() and text.isdigit() and len(text) <= 4 and low <= int(text) <= high


class BoundedDateFieldListFilter(admin.DateFieldListFilter):
    """The admin's date filter, which also guards the admin's date hierarchy.

    Its own ``__gte``/``__lt`` values and the date hierarchy's ``__year``/``__month``/
    ``__day`` values of the same field must be dates (numbers) in the accepted range;
    anything else is a 400 page rather than the admin's arithmetic on year 10,000
    (list filters are read before the date hierarchy, so the check comes first).
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        self._check(params, field_path, model_admin)
        super().__init__(field, request, params, model, model_admin, field_path)

    @staticmethod
    def _check(params, field_path: str, model_admin) -> None:
        for part, (low, high) in HIERARCHY_PARTS.items():
            for value in params.get(f"{field_path}__{part}", []):
                if not _bounded_int(value, low, high):
                    raise BadRequest(f"{field_path}__{part} out of range")
        if getattr(model_admin, "date_hierarchy", None) not in (None, field_path):
            BoundedDateFieldListFilter._check(params, model_admin.date_hierarchy, None)
        for lookup in ("gte", "lt"):
            for value in params.get(f"{field_path}__{lookup}", []):
                day = _parse_day(value)
                if day is None or not is_sane(day):
                    raise BadRequest(f"{field_path}__{lookup} out of range")


def _parse_day(value: str) -> dt.date | None:
    """The date an admin date filter link carries ("2024-05-01" or "2024-05-01 00:00:00+07:00")."""
    text = (value or "").strip()[:10]
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
