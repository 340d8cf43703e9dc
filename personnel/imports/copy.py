"""The import's inserts on PostgreSQL: COPY, with the rows' history, instead of INSERTs.

``bulk_create_with_history`` builds one large INSERT per batch (for the rows, then again
for their history): at 100,000 officials most of an import's time went into compiling
those statements. COPY streams the same values. The ids are taken from the table's own
sequence first, so that the rows written later in the same import (postings of a new
official) point at them, exactly as ``bulk_create`` would have set them. Elsewhere (SQLite)
``bulk_create_with_history`` does the work.
"""

from django.db import connection, connections, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

BATCH = 1000


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def take_ids(objs: list, model) -> None:
    """Gives the unsaved ``objs`` ids from the table's own sequence (PostgreSQL), so that
    rows written before them can point at them."""
    objs = [obj for obj in objs if obj.pk is None]
    if not objs:
        return
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def copy_rows(table: str, columns: list[str], rows) -> None:
    """Rows (tuples in the order of ``columns``) streamed into ``table`` with COPY."""
    names = ", ".join(_quoted(column) for column in columns)
    sql = f"COPY {_quoted(table)} ({names}) FROM STDIN"  # noqa: S608 - model tables, quoted
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


#: Fields whose Python value is what PostgreSQL takes (psycopg adapts it); the others
#: (files, decimals, moments, JSON…) go through ``get_db_prep_save``.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def _converter(field):
    """None when the value is taken as it is (a plain date too), else its conversion."""
    if isinstance(field, PLAIN) or (
        type(field) is models.DateField and not isinstance(field, models.DateTimeField)
    ):
        return None
    wrapper = connections[connection.alias]  # not the proxy: it costs a lookup per value
    return lambda value: field.get_db_prep_save(value, wrapper)


def create_with_history(records: list, model, *, user, reason: str) -> None:
    """Inserts ``records`` (``Pending`` records of ``model``) and one history row each
    ("+", by ``user``, with ``reason``); the records get their ids."""
    if not records:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            [record.build() for record in records],
            model,
            batch_size=BATCH,
            default_user=user,
            default_change_reason=reason,
        )
        return
    take_ids(records, model)
    fields = list(model._meta.concrete_fields)
    converters = [(index, _converter(f)) for index, f in enumerate(fields)]
    converters = [(index, convert) for index, convert in converters if convert is not None]
    rows = []
    for record in records:
        row = record.values(fields)
        for index, convert in converters:
            row[index] = convert(row[index])
        rows.append(row)
    copy_rows(model._meta.db_table, [f.column for f in fields], rows)

    history = get_history_manager_for_model(model).model
    # The history keeps the tracked fields of the model under the same names (a file as its
    # name), converted as the model's own fields convert them: taken from the rows above.
    position = {f.name: index for index, f in enumerate(fields)}
    tracked = [position[f.name] for f in history.tracked_fields]
    by_name = {field.name: field for field in history._meta.concrete_fields}
    extra = [by_name[name] for name in ("history_date", "history_change_reason", "history_type")]
    now, user_id = timezone.now(), getattr(user, "pk", None)
    columns = [history._meta.get_field(f.name).column for f in history.tracked_fields]
    columns += [f.column for f in extra] + [by_name["history_user"].column]
    copy_rows(
        history._meta.db_table,
        columns,
        ([*(row[index] for index in tracked), now, reason, "+", user_id] for row in rows),
    )
