"""The movement summary (``MovementSummary``): kept current, checked, and read.

Kept current by the services that change what is counted (approving or cancelling a
decision, a reorganisation's placements): each wraps its change in
``summary_tracking(official_ids)``, which computes those officials' rows before and after
and adds the difference. A change of the unit tree (a unit moved or its level changed)
marks the summary stale: reports compute live until ``summary_rebuild`` (queued at once,
and nightly as a check) has rebuilt it. The nightly check recomputes every scope from the
movements and reports the rows that differed (drift).

Scopes summarised: the roots and the units of the central, province and district levels.
A report for another unit (a commune, a department) is small and computed live, as are
reports by today's units (``geography=today``).

Writes and the rebuild serialise on the status row (approvals are rare; each rebuild
step is one scope).
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from personnel.choices import Level
from personnel.models import OrgUnit

from .choices import MovementKind
from .decision_scopes import decision_scopes_rebuild
from .models import Movement
from .models_summary import ANY, NO_PREVIOUS, MovementSummary, MovementSummaryStatus

logger = logging.getLogger(__name__)

SUMMARY_LEVELS = frozenset({Level.CENTRAL, Level.PROVINCE, Level.DISTRICT})
DAY, MONTH = MovementSummary.Grain.DAY, MovementSummary.Grain.MONTH

#: (scope id, grain, period start, kind, tier, direction, previous_on)
Key = tuple[int, str, dt.date, str, str, str, dt.date]


def is_summarised(unit: OrgUnit | None) -> bool:
    return unit is not None and (unit.parent_id is None or unit.level in SUMMARY_LEVELS)


def summarised_units():
    return OrgUnit.objects.filter(Q(parent=None) | Q(level__in=SUMMARY_LEVELS))


# --- computing rows --------------------------------------------------------------------------


class _Scopes:
    """The summarised scopes a movement counts in: the summarised ancestors (and self) of
    its issuer, destination and origin. Units are read once, as needed."""

    def __init__(self, only: int | None = None):
        self.only = only
        self.paths: dict[int, str] = {}
        self.summarised: dict[int, bool] = {}

    def load(self, unit_ids: Iterable[int]) -> None:
        missing = {i for i in unit_ids if i is not None and i not in self.paths}
        if missing:
            self.paths.update(OrgUnit.objects.filter(pk__in=missing).values_list("pk", "path"))
        ancestors = {
            int(part) for i in missing for part in self.paths.get(i, "").split("/") if part
        } - set(self.summarised)
        for pk, level, parent_id in OrgUnit.objects.filter(pk__in=ancestors).values_list(
            "pk", "level", "parent_id"
        ):
            self.summarised[pk] = parent_id is None or level in SUMMARY_LEVELS

    def of(self, unit_ids: tuple) -> set[int]:
        found = {
            int(part)
            for unit_id in unit_ids
            if unit_id is not None
            for part in self.paths.get(unit_id, "").split("/")
            if part
        }
        if self.only is not None:
            return {self.only} & found
        return {pk for pk in found if self.summarised.get(pk)}


MOVEMENT_FIELDS = (
    "official_id",
    "kind",
    "management_tier",
    "direction",
    "effective_on",
    "decision__issued_by_id",
    "to_unit_id",
    "from_unit_id",
)


def _tally(movements, scopes: _Scopes) -> Counter:
    """The rows of ``movements`` (tuples of MOVEMENT_FIELDS ordered by official, then day)."""
    counts: Counter = Counter()
    last: dict = {}
    official = None
    for official_id, kind, tier, direction, day, *units in movements:
        if official_id != official:
            official, last = official_id, {}
        kinds = (kind,) if kind == MovementKind.REORGANISATION else (kind, ANY)
        month = day.replace(day=1)
        for scope in scopes.of(tuple(units)):
            for k in kinds:
                for t in (tier, ANY):
                    for d in (direction, ANY):
                        group = (scope, k, t, d)
                        previous = last.get(group, NO_PREVIOUS)
                        last[group] = day
                        counts[(scope, DAY, day, k, t, d, previous)] += 1
                        counts[(scope, MONTH, month, k, t, d, previous)] += 1
    return counts


def _rows_of(movements, scopes: _Scopes) -> Counter:
    rows = list(
        movements.order_by("official_id", "effective_on", "id").values_list(*MOVEMENT_FIELDS)
    )
    scopes.load(unit for row in rows for unit in row[5:])
    return _tally(rows, scopes)


def official_rows(official_ids) -> Counter:
    """Every summary row the counted movements of these officials make."""
    movements = Movement.objects.counted().filter(official_id__in=official_ids)
    return _rows_of(movements, _Scopes())


def scope_rows(scope: OrgUnit) -> Counter:
    """The rows of one scope, computed from the movements (what the check compares with)."""
    from .selectors import MOVEMENT_UNITS, scope_q

    movements = Movement.objects.counted().filter(scope_q(scope, *MOVEMENT_UNITS))
    return _rows_of(movements, _Scopes(only=scope.pk))


# --- writing ---------------------------------------------------------------------------------

_TABLE = MovementSummary._meta.db_table
_KEY_COLUMNS = (
    "scope_id",
    "grain",
    "period_start",
    "kind",
    "management_tier",
    "direction",
    "previous_on",
)
# The table and column names are constants: no value is formatted into the statement.
_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(_KEY_COLUMNS)}, movements) "  # noqa: S608  # nosec B608
    f"VALUES ({', '.join(['%s'] * (len(_KEY_COLUMNS) + 1))}) "
    f"ON CONFLICT ({', '.join(_KEY_COLUMNS)}) "
    f"DO UPDATE SET movements = {_TABLE}.movements + excluded.movements"
)


def _add(delta: Counter) -> None:
    """Add ``delta`` to the stored rows (one statement per row, sent as a batch); rows
    that fall to zero are removed."""
    changes = [(*key, n) for key, n in delta.items() if n]
    if not changes:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, changes)
    scopes = {key[0] for key, n in delta.items() if n < 0}
    if scopes:
        MovementSummary.objects.filter(scope_id__in=scopes, movements=0).delete()


def _write(rows: Counter) -> None:
    """New rows (no row of their scopes stored): COPY on PostgreSQL, else bulk inserts."""
    if connection.vendor == "postgresql":
        from personnel.imports.copy import copy_rows

        copy_rows(_TABLE, [*_KEY_COLUMNS, "movements"], ((*k, n) for k, n in rows.items() if n))
        return
    MovementSummary.objects.bulk_create(
        (
            MovementSummary(
                scope_id=key[0],
                grain=key[1],
                period_start=key[2],
                kind=key[3],
                management_tier=key[4],
                direction=key[5],
                previous_on=key[6],
                movements=n,
            )
            for key, n in rows.items()
            if n
        ),
        batch_size=5000,
    )


def _status(lock: bool = True) -> MovementSummaryStatus:
    queryset = (
        MovementSummaryStatus.objects.select_for_update() if lock else MovementSummaryStatus.objects
    )
    status = queryset.filter(pk=1).first()
    if status is None:
        # Never built: readable only after the first rebuild.
        status, _created = MovementSummaryStatus.objects.get_or_create(
            pk=1, defaults={"stale_since": timezone.now()}
        )
    return status


@contextmanager
def summary_tracking(official_ids: Iterable[int]):
    """Keep the summary current across a change of what these officials' counted
    movements are (inside the caller's transaction)."""
    ids = sorted(set(official_ids))
    _status()  # serialises with other writers and with the rebuild
    before = official_rows(ids)
    yield
    after = official_rows(ids)
    after.subtract(before)
    _add(after)


def mark_stale() -> None:
    """The unit tree changed: reports compute live until the rebuild (queued on commit)."""
    from .tasks import rebuild_movement_summary

    status = _status()
    if status.stale_since is None:
        status.stale_since = timezone.now()
        status.save(update_fields=["stale_since"])
    transaction.on_commit(rebuild_movement_summary.delay)


def is_readable() -> bool:
    return MovementSummaryStatus.objects.filter(pk=1, stale_since=None).exists()


def _stored(scope_id: int) -> Counter:
    rows = MovementSummary.objects.filter(scope_id=scope_id).values_list(*_KEY_COLUMNS, "movements")
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def summary_rebuild() -> int:
    """Recompute every scope from the movements, replace the rows that differ, and record
    the check. Returns the drift: rows that differed although the summary was not stale
    (each a bug or a write that bypassed the services)."""
    with transaction.atomic():
        _status()  # the row exists (stale when never built) before the rebuild starts
    started = timezone.now()
    was_stale = not is_readable()
    drift, details = 0, []
    kept = []
    for scope in summarised_units().order_by("path"):
        kept.append(scope.pk)
        with transaction.atomic():
            _status()
            expected, stored = scope_rows(scope), _stored(scope.pk)
            if expected == stored:
                continue
            differing = sum(
                1 for key in expected.keys() | stored.keys() if expected[key] != stored[key]
            )
            drift += differing
            details.append(f"{scope.code or scope.pk}: {differing}")
            MovementSummary.objects.filter(scope=scope).delete()
            _write(expected)
    with transaction.atomic():
        _status()
        scope_drift = decision_scopes_rebuild()
    if scope_drift:
        drift += scope_drift
        details.append(_("phạm vi quyết định: %(n)d") % {"n": scope_drift})
    with transaction.atomic():
        status = _status()
        MovementSummary.objects.exclude(scope_id__in=summarised_units().values("pk")).delete()
        status.checked_at = timezone.now()
        status.drift = 0 if was_stale else drift
        if was_stale:
            status.detail = _("Dựng lại sau khi cơ cấu đơn vị thay đổi (%(n)d dòng cập nhật).") % {
                "n": drift
            }
        else:
            status.detail = "; ".join(details)
        if status.stale_since is not None and status.stale_since <= started:
            status.stale_since = None
        status.save()
    if drift and not was_stale:
        logger.warning("Movement summary drift: %d rows (%s)", drift, "; ".join(details))
    return status.drift


# --- reading ---------------------------------------------------------------------------------


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _period_condition(date_from: dt.date, date_to: dt.date) -> Q:
    """Whole months inside the period from month rows, the ragged ends from day rows."""
    first = date_from if date_from.day == 1 else _month_end(date_from) + dt.timedelta(days=1)
    last = date_to.replace(day=1)
    if _month_end(last) != date_to:
        last = (last - dt.timedelta(days=1)).replace(day=1)
    if first > last:
        return Q(grain=DAY, period_start__gte=date_from, period_start__lte=date_to)
    return (
        Q(grain=MONTH, period_start__gte=first, period_start__lte=last)
        | Q(grain=DAY, period_start__gte=date_from, period_start__lt=first)
        | Q(grain=DAY, period_start__gt=_month_end(last), period_start__lte=date_to)
    )


def summary_counts(
    scope: OrgUnit | None, date_from: dt.date, date_to: dt.date
) -> dict[tuple[str, str, str], tuple[int, int]] | None:
    """(kind, tier, direction) -> (cadres, movements) of the movements counted in the
    period, any of the three being ``ANY``; None when the summary cannot answer (a scope
    not summarised, or the summary being rebuilt)."""
    if not is_summarised(scope) or date_from > date_to or not is_readable():
        return None
    rows = (
        MovementSummary.objects.filter(scope=scope)
        .filter(_period_condition(date_from, date_to))
        .order_by()
        .values("kind", "management_tier", "direction")
        .annotate(
            total=Sum("movements"),
            cadres=Coalesce(Sum("movements", filter=Q(previous_on__lt=date_from)), 0),
        )
    )
    return {
        (row["kind"], row["management_tier"], row["direction"]): (row["cadres"], row["total"])
        for row in rows
        if row["total"]
    }


def ensure_summary(using: str = "default", **kwargs) -> None:
    """After migrations: build the summary if it has never been built (or was left stale),
    so that reports read it from the first request."""
    from django.db import connections

    if _TABLE not in connections[using].introspection.table_names():
        return
    if not is_readable():
        summary_rebuild()


def on_units_restructured(unit, **kwargs) -> None:
    from .decision_scopes import decision_scopes_refresh_under

    decision_scopes_refresh_under(unit)
    mark_stale()
