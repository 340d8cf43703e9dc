"""Shared reads of personnel records."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Official, Posting

FAR_FUTURE = dt.date(9999, 12, 31)


def overlapping_primary_postings(
    *,
    official_id: int,
    start_date: dt.date,
    end_date: dt.date | None,
    exclude_pk: int | None = None,
) -> QuerySet[Posting]:
    """Primary postings of the official sharing at least one day with [start_date, end_date]."""
    qs = Posting.objects.filter(
        official_id=official_id,
        is_primary=True,
        start_date__lte=end_date or FAR_FUTURE,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def current_primary_posting(official_id: int, on: dt.date | None = None) -> Posting | None:
    """The primary posting held on ``on`` (today by default), else the latest one begun before."""
    on = on or timezone.localdate()
    base = Posting.objects.filter(official_id=official_id, is_primary=True, start_date__lte=on)
    return (
        base.active_on(on).order_by("-start_date", "-id").first()
        or base.order_by("-start_date", "-id").first()
        or Posting.objects.filter(official_id=official_id).order_by("-start_date", "-id").first()
    )


def official_list(*, user) -> QuerySet[Official]:
    """Officials the user may see, with what a list shows already joined."""
    return Official.objects.for_user(user).select_related(
        "current_unit", "current_posting", "hometown"
    )


def continuous_tenure_start(*, official_id: int, position_id: int, on: dt.date) -> dt.date | None:
    """When the official began holding ``position_id`` without a break up to ``on``, or None.

    Consecutive postings at the same position (one ending the day before the next
    begins, e.g. an appointment and its reappointment) count as one tenure.
    """
    postings = list(
        Posting.objects.filter(
            official_id=official_id, position_id=position_id, start_date__lte=on
        ).order_by("-start_date")
    )
    if not postings or (postings[0].end_date is not None and postings[0].end_date < on):
        return None
    start = postings[0].start_date
    for earlier in postings[1:]:
        if earlier.end_date is None or earlier.end_date < start - dt.timedelta(days=1):
            break
        start = earlier.start_date
    return start
