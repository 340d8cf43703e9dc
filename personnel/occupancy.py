"""Reads of who holds which post: unit counts, current holders, vacancies, timelines.

A position is *vacant* on a day when it is active and no primary posting at it is
active that day; a concurrent (kiêm nhiệm) holder does not fill it. Every read here
costs a fixed number of queries however many units, positions or postings there are.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import OfficialStatus, PlanningStatus
from .models import Official, OrgUnit, PlanningEntry, Position, Posting
from .validity import valid_on_q

ONE_DAY = dt.timedelta(days=1)


def _count_subquery(queryset: QuerySet, group_field: str) -> Coalesce:
    """COUNT(*) of ``queryset`` rows correlated to the outer row, 0 when there are none."""
    # order_by() drops the model's default ordering, which would join the GROUP BY.
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def held_on(day: dt.date) -> QuerySet[Posting]:
    """Primary postings active on ``day``: the holders that fill a position."""
    return Posting.objects.primary().active_on(day)


def annotate_unit_counts(queryset: QuerySet[OrgUnit], *, on: dt.date) -> QuerySet[OrgUnit]:
    """Adds ``child_count``, ``position_count`` (active), ``filled_count`` and ``vacancy_count``.

    Each count is one correlated subquery, so a list of units costs one query.
    """
    active_positions = Position.objects.filter(org_unit=OuterRef("pk"), is_active=True)
    filled = active_positions.filter(Exists(held_on(on).filter(position=OuterRef("pk"))))
    return (
        queryset.select_related("sector")
        .annotate(
            child_count=_count_subquery(
                OrgUnit.objects.filter(parent=OuterRef("pk")).valid_on(on), "parent"
            ),
            position_count=_count_subquery(active_positions, "org_unit"),
            filled_count=_count_subquery(filled, "org_unit"),
        )
        .annotate(vacancy_count=F("position_count") - F("filled_count"))
    )


def tree_roots(user, *, on: dt.date) -> QuerySet[OrgUnit]:
    """The top of the user's tree: their scope unit, or every root unit for a superuser."""
    units = OrgUnit.objects.for_user(user)
    if user.is_superuser:
        units = units.filter(parent__isnull=True)
    else:
        units = units.filter(pk=user.scope_id)
    return annotate_unit_counts(units, on=on).order_by("path")


def unit_children(user, parent_ids, *, on: dt.date) -> QuerySet[OrgUnit]:
    """The children of ``parent_ids`` inside the user's scope that exist on ``on``."""
    children = OrgUnit.objects.for_user(user).filter(parent_id__in=list(parent_ids)).valid_on(on)
    return annotate_unit_counts(children, on=on).order_by(
        F("valid_to").desc(nulls_first=True), "path"
    )


def ancestors_in_scope(user, units) -> dict[int, list[OrgUnit]]:
    """For each unit, its ancestors the user may see, root first (one query for all units)."""
    units = list(units)
    wanted = {pk for unit in units for pk in unit.ancestor_ids()}
    if not wanted:
        return {unit.pk: [] for unit in units}
    found = OrgUnit.objects.for_user(user).filter(pk__in=wanted).only("pk", "name", "path")
    by_id = {unit.pk: unit for unit in found}
    return {unit.pk: [by_id[pk] for pk in unit.ancestor_ids() if pk in by_id] for unit in units}


@dataclass
class Occupancy:
    """How many of a unit's active positions are filled today."""

    positions: int
    filled: int

    @property
    def vacant(self) -> int:
        return self.positions - self.filled


def unit_positions(unit: OrgUnit, *, on: dt.date) -> list[Position]:
    """The unit's positions (active first) with ``holders`` and ``concurrent_holders`` on ``on``.

    ``holders`` are the primary postings active on the day (newest first),
    ``concurrent_holders`` the concurrent ones; both with their official joined.
    """
    active = Posting.objects.active_on(on).select_related("official").order_by("-start_date", "-id")
    return list(
        Position.objects.filter(org_unit=unit)
        .order_by("-is_active", "display_order", "title", "id")
        .prefetch_related(
            Prefetch("postings", queryset=active.filter(is_primary=True), to_attr="holders"),
            Prefetch(
                "postings", queryset=active.filter(is_primary=False), to_attr="concurrent_holders"
            ),
        )
    )


def occupancy_of(positions: list[Position]) -> Occupancy:
    active = [position for position in positions if position.is_active]
    return Occupancy(
        positions=len(active), filled=sum(1 for position in active if position.holders)
    )


def officials_in_unit(user, unit: OrgUnit) -> dict[str, int]:
    """Officials in service whose current unit is ``unit`` (``here``) or in its subtree (``subtree``)."""
    in_service = Official.objects.for_user(user).filter(status=OfficialStatus.ACTIVE)
    return {
        "here": in_service.filter(current_unit=unit).count(),
        "subtree": in_service.filter(current_unit__path__startswith=unit.path).count(),
    }


# Position timelines ------------------------------------------------------------------


@dataclass(frozen=True)
class Duration:
    """A span in whole years and months, both ends counted as days of it."""

    years: int
    months: int

    @classmethod
    def between(cls, first_day: dt.date, last_day: dt.date) -> "Duration":
        # The day after the last, except at the end of the calendar (a record kept from
        # before dates were bounded), where a day less changes no whole month.
        after = last_day + ONE_DAY if last_day < dt.date.max else last_day
        span = relativedelta(after, first_day)
        return cls(years=max(span.years, 0), months=max(span.months, 0))

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(ngettext("%(n)d năm", "%(n)d năm", self.years) % {"n": self.years})
        if self.months:
            parts.append(ngettext("%(n)d tháng", "%(n)d tháng", self.months) % {"n": self.months})
        return " ".join(parts) or _("dưới 1 tháng")


@dataclass(frozen=True)
class TimelineEntry:
    """One row of a position's occupancy: a posting, or a gap with no primary holder."""

    start: dt.date
    end: dt.date | None  # last day; None = up to today
    duration: Duration
    posting: Posting | None = None

    @property
    def is_gap(self) -> bool:
        return self.posting is None

    @property
    def is_current(self) -> bool:
        return self.end is None


def span(start: dt.date, end: dt.date | None, today: dt.date) -> Duration:
    """Length of [start, end]; an open end counts up to today."""
    last = end if end is not None else today
    return Duration.between(start, last) if last >= start else Duration(0, 0)


def is_active_on(posting: Posting, day: dt.date) -> bool:
    return posting.start_date <= day and (posting.end_date is None or posting.end_date >= day)


def posting_entries(postings: list[Posting], *, today: dt.date) -> list[TimelineEntry]:
    """Postings as timeline rows (no gaps): for concurrent holders, whose posts may overlap."""
    return [
        TimelineEntry(p.start_date, p.end_date, span(p.start_date, p.end_date, today), p)
        for p in postings
    ]


def position_timeline(postings: list[Posting], *, today: dt.date) -> list[TimelineEntry]:
    """Primary postings at one position, newest first, with the gaps between them.

    Holders may overlap (several deputies share one post title, each with no end date
    yet); a gap is a stretch of days that no posting covers. Before the first posting
    nothing is known, so no gap is shown there; after the last one the post is vacant
    "until now". A holder without an end date covers every later day.
    """
    entries: list[TimelineEntry] = []
    covered_until: dt.date | None = None  # the last day covered so far
    open_ended = False  # a holder with no end date: no gap can follow
    for posting in sorted(postings, key=lambda p: (p.start_date, p.pk)):
        if (
            covered_until is not None
            and not open_ended
            and (posting.start_date - covered_until).days > 1
        ):
            gap_start, gap_end = covered_until + ONE_DAY, posting.start_date - ONE_DAY
            entries.append(TimelineEntry(gap_start, gap_end, span(gap_start, gap_end, today)))
        entries.append(
            TimelineEntry(
                posting.start_date,
                posting.end_date,
                span(posting.start_date, posting.end_date, today),
                posting,
            )
        )
        if posting.end_date is None:
            open_ended = True
        elif covered_until is None or posting.end_date > covered_until:
            covered_until = posting.end_date
    if covered_until is not None and not open_ended and covered_until < today:
        gap_start = covered_until + ONE_DAY
        entries.append(TimelineEntry(gap_start, None, span(gap_start, None, today)))
    entries.reverse()
    return entries


def position_postings(user, position: Position) -> tuple[list[Posting], list[Posting]]:
    """(primary, concurrent) postings at the position the user may see, newest first."""
    postings = list(
        Posting.objects.for_user(user)
        .filter(position=position)
        .select_related("official")
        .order_by("-start_date", "-id")
    )
    return (
        [posting for posting in postings if posting.is_primary],
        [posting for posting in postings if not posting.is_primary],
    )


def visible_official_ids(user, official_ids) -> set[int]:
    """Which of ``official_ids`` the user may open (their current unit is in scope)."""
    official_ids = set(official_ids)
    if not official_ids:
        return set()
    return set(
        Official.objects.for_user(user).filter(pk__in=official_ids).values_list("pk", flat=True)
    )


def planned_candidates(user, position: Position, *, term: str) -> list[PlanningEntry]:
    """Cadres planned for ``position`` in ``term`` (those in the user's scope), active first."""
    entries = (
        PlanningEntry.objects.for_user(user)
        .filter(position=position, term=term)
        .select_related("official__current_posting", "official__current_unit")
        .order_by("official__search_key", "official_id")
    )
    order = {PlanningStatus.ACTIVE: 0, PlanningStatus.APPOINTED: 1}
    return sorted(entries, key=lambda entry: order.get(entry.status, 2))


def vacant_positions(user, *, on: dt.date) -> QuerySet[Position]:
    """Positions in use, in units existing on ``on``, that no primary posting fills that day."""
    return (
        Position.objects.for_user(user)
        .filter(is_active=True)
        .filter(valid_on_q(on, "org_unit__"))
        .exclude(Exists(held_on(on).filter(position=OuterRef("pk"))))
    )


def vacancies_by_post_type(positions: QuerySet[Position]) -> list[dict]:
    """Counts of vacant posts per post type (one grouped query), catalogue order."""
    return list(
        positions.order_by()
        .values("post_type_id", "post_type__name", "post_type__level", "post_type__display_order")
        .annotate(n=Count("pk"))
        .order_by("post_type__display_order", "post_type__level", "post_type__name")
    )
