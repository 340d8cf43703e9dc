"""Writing a clean plan: one transaction, bulk writes in batches, history with a reason.

Units are few and form a tree (their path needs their id): they are saved one by one,
parents first. Everything else is written with ``bulk_create`` / ``bulk_update`` (with
history where the model keeps one), and the officials' derived current posting and unit
are refreshed for all of them at once afterwards.
"""

from collections import defaultdict, namedtuple

from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql
from simple_history.utils import bulk_update_with_history

from ..models import Official, Position, Posting
from .catalog import chunks
from .copy import create_with_history, take_ids
from .current import current_of
from .plan import CREATE, UPDATE, Plan

BATCH = 1000
HISTORY_SHEETS = (
    "officials",
    "postings",
    "training",
    "evaluations",
    "planning",
    "discipline",
    "rewards",
)


def _save_units(plan: Plan) -> int:
    pending = [change.obj for change in plan.of("units", CREATE)]
    saved = 0
    while pending:
        ready = [unit for unit in pending if unit.parent is None or unit.parent.pk is not None]
        for unit in ready:
            unit.parent = unit.parent  # sets parent_id from the saved parent
            unit.save()
            saved += 1
        pending = [unit for unit in pending if unit.pk is None]
        if not ready:  # a cycle cannot be built from codes, but never loop for ever
            break
    return saved


def _relink(objects, *names) -> None:
    """Foreign keys to records created earlier in this transaction get their ids (read
    from the related object held in memory: never a query)."""
    for obj in objects:
        cache = obj._state.fields_cache
        for name in names:
            related = cache.get(name)
            if related is not None and getattr(obj, f"{name}_id") is None:
                setattr(obj, name, related)


def apply_plan(plan: Plan, *, user, reason: str) -> set[int]:
    """Writes the plan; returns the ids of the officials whose records changed."""
    assert plan.ok, "a plan with errors is never applied"  # noqa: S101
    touched: set[int] = set()
    with transaction.atomic():
        _save_units(plan)
        positions = [change.obj for change in plan.of("positions", CREATE)]
        _relink(positions, "org_unit")
        Position.objects.bulk_create(positions, batch_size=BATCH)
        _bulk_update(Position, plan.of("positions", UPDATE), history=False)
        current_known = _current_of_new(plan)
        for key in HISTORY_SHEETS:
            created = [change.obj for change in plan.of(key, CREATE)]
            if created:
                create_with_history(created, created[0]._model, user=user, reason=reason)
            updates = plan.of(key, UPDATE)
            _bulk_update(None, updates, history=True, user=user, reason=reason)
            for obj in created + [change.obj for change in updates]:
                touched.add(obj.pk if key == "officials" else obj.official_id)
        refresh_current(touched - current_known)
    return touched


def _current_of_new(plan: Plan) -> set[int]:
    """On PostgreSQL, the new officials' current posting and unit set before they are
    written (every posting of a new official is in the plan; ids come from the sequences
    first, and the foreign keys are checked at commit): refreshing them afterwards would
    rewrite every new row once more. Returns their ids."""
    if connection.vendor != "postgresql":
        return set()
    officials = [change.obj for change in plan.of("officials", CREATE)]
    if not officials:
        return set()
    take_ids(officials, Official)
    postings = [change.obj for change in plan.of("postings", CREATE)]
    take_ids(postings, Posting)
    by_official = defaultdict(list)
    for posting in postings:
        by_official[posting.official_id].append(posting)
    today = timezone.localdate()
    for official in officials:
        posting = current_of(by_official.get(official.pk, []), today)
        official.current_posting_id = posting.pk if posting else None
        official.current_unit_id = posting.org_unit_id if posting else None
    return {official.pk for official in officials}


def _bulk_update(model, updates, *, history, user=None, reason=None) -> None:
    if not updates:
        return
    model = model or type(updates[0].obj)
    by_fields = defaultdict(list)
    for change in updates:
        by_fields[tuple(sorted(change.fields))].append(change.obj)
    for fields, objects in by_fields.items():
        _relink(objects, *(name for name in ("org_unit", "position") if name in fields))
        if history:
            bulk_update_with_history(
                objects,
                model,
                list(fields),
                batch_size=BATCH,
                default_user=user,
                default_change_reason=reason,
            )
        else:
            model.objects.bulk_update(objects, list(fields), batch_size=BATCH)


_ROW = namedtuple("_ROW", "pk official_id org_unit_id start_date end_date is_primary")


def refresh_current(official_ids) -> int:
    """Recompute the derived current posting and unit of many officials at once
    (``services.official_refresh_current`` for one); returns how many changed."""
    today = timezone.localdate()
    changed = []
    for batch in chunks(sorted(official_ids)):
        postings = defaultdict(list)
        # Plain rows, not model instances: this reads every posting of every official.
        for row in Posting.objects.filter(official_id__in=batch).values_list(*_ROW._fields):
            posting = _ROW(*row)
            postings[posting.official_id].append(posting)
        stored = {
            pk: (posting_id, unit_id)
            for pk, posting_id, unit_id in Official.objects.filter(pk__in=batch).values_list(
                "pk", "current_posting_id", "current_unit_id"
            )
        }
        for official_id in batch:
            posting = current_of(postings.get(official_id, []), today)
            posting_id = posting.pk if posting else None
            unit_id = posting.org_unit_id if posting else None
            if stored.get(official_id) != (posting_id, unit_id):
                changed.append((official_id, posting_id, unit_id))
    _write_current(changed)
    return len(changed)


def _write_current(changed: list[tuple[int, int | None, int | None]]) -> None:
    """(official id, current posting id, current unit id) written. On PostgreSQL one
    ``UPDATE … FROM (VALUES …)`` per batch (Django's bulk_update builds a CASE per row,
    several times slower); elsewhere ``bulk_update``."""
    if connection.vendor != "postgresql":
        officials = [
            Official(pk=pk, current_posting_id=posting_id, current_unit_id=unit_id)
            for pk, posting_id, unit_id in changed
        ]
        Official.objects.bulk_update(
            officials, ["current_posting", "current_unit"], batch_size=BATCH
        )
        return
    statement = sql.SQL(
        "UPDATE {table} AS o SET current_posting_id = v.posting, current_unit_id = v.unit "
        "FROM (VALUES {rows}) AS v(id, posting, unit) WHERE o.id = v.id"
    )
    placeholder = sql.SQL("(%s::bigint, %s::bigint, %s::bigint)")
    for batch in chunks(changed, BATCH):
        query = statement.format(
            table=sql.Identifier(Official._meta.db_table),
            rows=sql.SQL(", ").join([placeholder] * len(batch)),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                query.as_string(cursor.connection), [value for line in batch for value in line]
            )
