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


def _take_ids(model, count: int) -> list[int]:
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: list[str], rows) -> None:
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


def _converters(fields):
    """(attname, convert or None) per field; a plain date is taken as it is too."""
    wrapper = connections[connection.alias]  # not the proxy: it costs a lookup per value
    converters = []
    for field in fields:
        plain = isinstance(field, PLAIN) or (
            type(field) is models.DateField and not isinstance(field, models.DateTimeField)
        )
        convert = None if plain else (lambda value, f=field: f.get_db_prep_save(value, wrapper))
        converters.append((field.attname, convert))
    return converters


def _values(obj, converters):
    return [
        getattr(obj, name) if convert is None else convert(getattr(obj, name))
        for name, convert in converters
    ]


def create_with_history(objs: list, model, *, user, reason: str) -> None:
    """Inserts ``objs`` (unsaved instances of ``model``) and one history row each ("+",
    by ``user``, with ``reason``); the objects get their ids."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            objs, model, batch_size=BATCH, default_user=user, default_change_reason=reason
        )
        return
    for obj, pk in zip(objs, _take_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = list(model._meta.concrete_fields)
    converters = _converters(fields)
    _copy(model._meta.db_table, [f.column for f in fields], (_values(o, converters) for o in objs))

    history = get_history_manager_for_model(model).model
    tracked = list(history.tracked_fields)
    by_name = {field.name: field for field in history._meta.concrete_fields}
    extra = [by_name[name] for name in ("history_date", "history_change_reason", "history_type")]
    user_field = by_name["history_user"]
    now, user_id = timezone.now(), getattr(user, "pk", None)
    columns = [history._meta.get_field(f.name).column for f in tracked]
    columns += [f.column for f in extra] + [user_field.column]
    # The history keeps the tracked fields of the model under the same names (a file as its
    # name): the values are converted as the model's own fields convert them.
    converters = _converters(tracked)

    def rows():
        for obj in objs:
            yield [*_values(obj, converters), now, reason, "+", user_id]

    _copy(history._meta.db_table, columns, rows())
