"""The people behind a stored run's figures: the drill-down page and the "Danh sách" sheet.

A run's result keeps, per table row that counts people, a drill-down key
(``registry.Table.drill``); the report's ``people(ctx, key)`` turns it back into those
people, from the database as it is now, with the run's own scope, period and
parameters. Both the page (``report_run_people``) and every XLSX of a run (download,
command line, email, admin) read them through here.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import registry
from .models import ReportRun

#: rows listed per figure in the "Danh sách" sheet; the page lists them all, paginated
SHEET_ROWS_PER_FIGURE = 5000


def context_of(run: ReportRun) -> registry.Context:
    """The run's context: its scope, period and parameters, and the day it was computed."""
    day = timezone.localdate(run.finished_at) if run.finished_at else timezone.localdate()
    return registry.Context(
        scope=run.scope,
        date_from=run.date_from,
        date_to=run.date_to,
        params=run.params or {},
        today=day,
    )


def definition_of(run: ReportRun) -> registry.ReportDefinition | None:
    try:
        return registry.get(run.report)
    except ValidationError:
        return None


def people_at(run: ReportRun, drill: registry.Drill) -> registry.People | None:
    """The people that one drillable row (or cell) of the run counts."""
    definition = definition_of(run)
    if definition is None or definition.people is None:
        return None
    return definition.people(context_of(run), drill.key)


def figure_index(drill: registry.Drill) -> int | None:
    """The cell holding the number a row (or cell) shows: the cell's own column, the
    column the key names as its ``figure``, or else the row's first count."""
    row = drill.table["rows"][drill.row]
    column = drill.column or drill.key.get("figure")
    if column:
        keys = [c["key"] for c in drill.table["columns"]]
        index = keys.index(column) if column in keys else None
    else:
        index = next((i for i, v in enumerate(row[1:], start=1) if _is_count(v)), None)
    return index if index is not None and index < len(row) and _is_count(row[index]) else None


def figure(drill: registry.Drill) -> int | None:
    """The number the row (or cell) shows: the count its list should match."""
    index = figure_index(drill)
    return None if index is None else drill.table["rows"][drill.row][index]


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Section:
    """One figure's people, as the "Danh sách" sheet shows them."""

    heading: str
    columns: list[str]
    rows: list[list]
    more: int  # rows left out beyond SHEET_ROWS_PER_FIGURE
    headcount: int  # different people (a person moved twice is two rows of a movement list)

    @property
    def title(self) -> str:
        """ "Theo hình thức – Điều động (2 cán bộ, 3 lượt)"."""
        lines = len(self.rows) + self.more
        if lines == self.headcount:
            count = _("%(n)d cán bộ") % {"n": self.headcount}
        else:
            count = _("%(n)d cán bộ, %(lines)d lượt") % {"n": self.headcount, "lines": lines}
        return f"{self.heading} ({count})"


def sections(run: ReportRun, *, limit: int = SHEET_ROWS_PER_FIGURE) -> list[Section]:
    """Every drillable row of the run's result with its people, table by table."""
    definition = definition_of(run)
    if definition is None or definition.people is None or not run.result:
        return []
    ctx = context_of(run)
    found = []
    for drill in registry.row_drills(run.result):
        people = definition.people(ctx, drill.key)
        items = list(people.items[: limit + 1])
        more = 0
        if len(items) > limit:
            everyone = people.items
            more = (everyone.count() if isinstance(everyone, QuerySet) else len(everyone)) - limit
        heading = _("%(table)s – %(row)s") % {"table": drill.table["title"], "row": drill.label}
        found.append(
            Section(
                heading=heading,
                columns=[str(label) for _key, label in people.columns],
                rows=people.rows(items[:limit]),
                more=more,
                headcount=people.people_count(),
            )
        )
    return found
