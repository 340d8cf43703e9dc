"""Shared reads of the rotation workflow (reports, alerts, pages)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear

from accounts.scoping import scope_condition
from personnel.models import OrgUnit, Posting

from .choices import DecisionStatus, MovementKind
from .models import Decision, Movement


def scope_q(scope: OrgUnit | None, *lookups: str, today_units: bool = False) -> Q:
    """Rows whose unit (any of ``lookups``, each ending at an OrgUnit) lies in ``scope``'s
    subtree: the units as they were (default), or with ``today_units`` also the units the
    subtree's units continue (old units counted under their successors)."""
    if scope is None:
        return Q()
    return scope_condition(
        scope.path, [f"{lookup}__path" for lookup in lookups], with_predecessors=today_units
    )


MOVEMENT_UNITS = ("decision__issued_by", "to_unit", "from_unit")


def counted_movements(
    *,
    scope: OrgUnit | None,
    date_from: dt.date,
    date_to: dt.date,
    kind: str | None = MovementKind.ROTATION,
    today_units: bool = False,
) -> QuerySet[Movement]:
    """Movements of approved decisions effective in [date_from, date_to] (both inclusive).

    A movement is in the scope when the issuer, the destination or the origin lies in
    the scope's subtree. ``kind`` None counts every kind decided about people: the
    placements of a reorganisation are not among them (ask for that kind by name).
    """
    qs = Movement.objects.counted().filter(effective_on__gte=date_from, effective_on__lte=date_to)
    qs = qs.filter(kind=kind) if kind else qs.exclude(kind=MovementKind.REORGANISATION)
    return qs.filter(scope_q(scope, *MOVEMENT_UNITS, today_units=today_units))


def serving_on(*, scope: OrgUnit | None, on: dt.date) -> QuerySet[Movement]:
    """Rotations applied and still being served on ``on``."""
    return (
        Movement.objects.counted()
        .filter(kind=MovementKind.ROTATION, applied_at__isnull=False, effective_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .filter(scope_q(scope, *MOVEMENT_UNITS))
    )


def approved_decisions(
    *, scope: OrgUnit | None, date_from: dt.date, date_to: dt.date
) -> QuerySet[Decision]:
    in_scope = scope_q(scope, "issued_by", "movements__to_unit", "movements__from_unit")
    ids = Decision.objects.filter(in_scope).values("pk")
    return Decision.objects.filter(
        pk__in=ids, status=DecisionStatus.APPROVED, signed_on__gte=date_from, signed_on__lte=date_to
    )


@dataclass(frozen=True)
class Tenure:
    official_id: int
    official_name: str
    position_id: int
    title: str
    unit_name: str
    since: dt.date


def continuous_tenures(
    *,
    on: dt.date,
    min_years: int,
    kinds: tuple[str, ...] | None = None,
    two_term_limited: bool = False,
    scope: OrgUnit | None = None,
) -> list[Tenure]:
    """Officials holding the same position, without a break, for ``min_years`` or more on ``on``:
    positions of ``kinds``, or with ``two_term_limited`` those whose post type is subject to
    the two-term limit (rule 5).

    Consecutive postings at one position (appointment, then reappointment) are one tenure.
    """
    posts = {"position__kind__in": kinds} if kinds is not None else {}
    if two_term_limited:
        posts["position__post_type__two_term_limited"] = True
    postings = (
        Posting.objects.filter(is_primary=True, start_date__lte=on, **posts)
        .filter(scope_q(scope, "org_unit"))
        .values_list(
            "official_id",
            "official__full_name",
            "position_id",
            "position__title",
            "org_unit__name",
            "start_date",
            "end_date",
        )
    )
    chains: dict[tuple[int, int], list] = defaultdict(list)
    info = {}
    for official_id, name, position_id, title, unit, start, end in postings:
        chains[(official_id, position_id)].append((start, end))
        info[(official_id, position_id)] = (name, title, unit)
    limit = on - relativedelta(years=min_years)
    found = []
    for key, spans in chains.items():
        spans.sort(reverse=True)
        start, end = spans[0]
        if end is not None and end < on:
            continue
        for earlier_start, earlier_end in spans[1:]:
            if earlier_end is None or earlier_end < start - dt.timedelta(days=1):
                break
            start = earlier_start
        if start <= limit:
            name, title, unit = info[key]
            found.append(Tenure(key[0], name, key[1], title, unit, start))
    return sorted(found, key=lambda t: (t.since, t.official_name))


# --- rotations that need attention (alerts, dashboard, officials list) ----------------------


def _serving(serving: QuerySet[Movement] | None) -> QuerySet[Movement]:
    return Movement.objects.serving() if serving is None else serving


def ending_soon_rotations(
    today: dt.date, *, days: int | None = None, serving: QuerySet[Movement] | None = None
) -> QuerySet[Movement]:
    """Rotations being served whose expected end falls within ``days`` (the rule's warning
    horizon by default) from today."""
    if days is None:
        from .rules import parameters

        days = parameters().ending_soon_days
    return _serving(serving).filter(
        expected_end_on__gte=today, expected_end_on__lte=today + dt.timedelta(days=days)
    )


def overdue_rotations(
    today: dt.date, *, serving: QuerySet[Movement] | None = None
) -> QuerySet[Movement]:
    """Rotations being served past their expected end (no return or retention decision)."""
    return _serving(serving).filter(expected_end_on__lt=today)


def missing_review_rotations(
    today: dt.date, *, serving: QuerySet[Movement] | None = None
) -> QuerySet[Movement]:
    """Rotations being served with a yearly review missing (DOMAIN.md rule 8).

    A yearly review is due for each finished year the rotation was in effect on 31
    December: from the effective year to last year. Annotates ``reviews_done`` and
    ``reviews_due``; one query.
    """
    from .choices import ReviewPeriod
    from .models import RotationReview

    done = (
        RotationReview.objects.filter(
            movement=OuterRef("pk"),
            period=ReviewPeriod.ANNUAL,
            year__gte=ExtractYear(OuterRef("effective_on")),
            year__lt=today.year,
        )
        .order_by()
        .values("movement")
        .annotate(n=Count("year", distinct=True))
        .values("n")
    )
    return (
        _serving(serving)
        .filter(effective_on__lt=dt.date(today.year, 1, 1))
        .annotate(
            reviews_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
            reviews_due=Value(today.year) - ExtractYear("effective_on"),
        )
        .filter(reviews_done__lt=F("reviews_due"))
    )
