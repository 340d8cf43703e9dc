"""The daily snapshot of the dashboard's date-dependent figures (``ServingSnapshot``).

Taken by the daily job (after it has applied the day's movements and raised its alerts)
for every scope the movement summary holds, from one read of the rotations being served:
each cadre is counted in the scopes above the unit where they work now, as the live
dashboard and the officials list count them. The dashboard reads today's snapshot, or
computes live when there is none (a scope below the district level, or before the job).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import ServingSnapshot
from .rules import parameters
from .selectors import missing_review_rotations, serving_on
from .summary import summarised_units

#: snapshots kept (days); older ones are removed when a new one is taken
KEEP_DAYS = 7
FIGURES = ("serving", "ending_soon", "overdue", "missing_reviews")


def snapshot_take(today: dt.date) -> int:
    """Take today's snapshot (replacing one taken earlier today); returns the scopes."""
    days = parameters().ending_soon_days
    horizon = today + dt.timedelta(days=days)
    serving = serving_on(scope=None, on=today)
    missing = set(missing_review_rotations(today, serving=serving).values_list("pk", flat=True))
    scopes = set(summarised_units().values_list("pk", flat=True))
    cadres: dict[int, dict[str, set]] = {pk: {name: set() for name in FIGURES} for pk in scopes}
    rows = serving.values_list(
        "pk", "official_id", "official__current_unit__path", "expected_end_on"
    )
    for movement_id, official_id, path, expected_end in rows.iterator(chunk_size=5000):
        figures = ["serving"]
        if expected_end is not None and today <= expected_end <= horizon:
            figures.append("ending_soon")
        if expected_end is not None and expected_end < today:
            figures.append("overdue")
        if movement_id in missing:
            figures.append("missing_reviews")
        for part in (path or "").split("/"):
            if part and int(part) in scopes:
                for name in figures:
                    cadres[int(part)][name].add(official_id)
    now = timezone.now()
    with transaction.atomic():
        old = Q(taken_on__lt=today - dt.timedelta(days=KEEP_DAYS))
        ServingSnapshot.objects.filter(old | Q(taken_on=today) & ~Q(scope_id__in=scopes)).delete()
        # An upsert: two jobs running at once (a retry beside the scheduled run) both
        # write the day's rows, the later one's win.
        ServingSnapshot.objects.bulk_create(
            [
                ServingSnapshot(
                    scope_id=pk,
                    taken_on=today,
                    taken_at=now,
                    ending_soon_days=days,
                    **{name: len(found[name]) for name in FIGURES},
                )
                for pk, found in cadres.items()
            ],
            update_conflicts=True,
            unique_fields=["scope", "taken_on"],
            update_fields=["taken_at", "ending_soon_days", *FIGURES],
        )
    return len(cadres)


def snapshot_of(scope, today: dt.date) -> ServingSnapshot | None:
    """Today's snapshot of ``scope`` taken with today's warning horizon, if any."""
    return ServingSnapshot.objects.filter(
        scope=scope, taken_on=today, ending_soon_days=parameters().ending_soon_days
    ).first()
