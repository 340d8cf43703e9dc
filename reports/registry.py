"""The report registry: each report is a named definition with a pure ``compute``.

``compute(ctx)`` reads through selectors and returns a ``Result``: a summary
sentence, tables and the data of one chart. Results are plain JSON once
``as_dict()`` is called, so they are stored on the run and rendered as HTML, XLSX
and CSV without computing again.

Drill-down: a table row that counts people carries a *key* (a small dict of filters,
stored with the result as ``drill``, one per row; a cell may carry its own under
``drill_cells``), and the definition's ``people(ctx, key)`` returns those people. The
run page links each such row to the list (``report_run_people``) and the XLSX export
adds a "Danh sách" sheet. A new report gets both by filling ``Table.drill`` and
``ReportDefinition.people``. ``people`` is evaluated when asked (``ctx.today`` is the
day of the look-up): a key carries whatever else the look-up needs.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from personnel.models import OrgUnit

from .jsonable import plain


@dataclass(frozen=True)
class Param:
    """A report's own parameter (besides scope and period)."""

    name: str
    label: str
    kind: str = "choice"  # choice | int
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    def clean(self, raw):
        if raw in (None, ""):
            return self.default
        if self.kind == "int":
            try:
                if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                    raise ValueError(raw)
                value = int(raw)
            except (TypeError, ValueError, OverflowError) as error:
                raise ValidationError(
                    {self.name: _("%(label)s phải là số nguyên.") % {"label": self.label}}
                ) from error
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValidationError(
                    {
                        self.name: _("%(label)s phải từ %(a)s đến %(b)s.")
                        % {"label": self.label, "a": self.minimum, "b": self.maximum}
                    }
                )
            return value
        if str(raw) not in {code for code, _label in self.choices}:
            raise ValidationError(
                {
                    self.name: _("Giá trị “%(v)s” không hợp lệ cho %(label)s.")
                    % {"v": raw, "label": self.label}
                }
            )
        return str(raw)


@dataclass(frozen=True)
class Context:
    scope: OrgUnit
    date_from: dt.date
    date_to: dt.date
    params: dict
    today: dt.date


def _padded(values: list | None, length: int, filler) -> list:
    values = list(values or [])[:length]
    return values + [filler] * (length - len(values))


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list] = field(default_factory=list)
    #: per row, the drill-down key of the people the row counts (None: no list)
    drill: list[dict | None] | None = None
    #: per row, {column key: drill-down key} for cells that count a part of the row
    drill_cells: list[dict[str, dict]] | None = None

    def add(self, row: list, drill: dict | None = None, cells: dict | None = None) -> None:
        """Append a row with its drill-down key (and the keys of some of its cells)."""
        before = len(self.rows)
        self.rows.append(row)
        self.drill = _padded(self.drill, before, None) + [drill]
        if cells or self.drill_cells is not None:
            self.drill_cells = _padded(self.drill_cells, before, {}) + [cells or {}]

    def as_dict(self) -> dict:
        table = {
            "key": self.key,
            "title": plain(self.title),
            "columns": [{"key": k, "label": plain(label)} for k, label in self.columns],
            "rows": [[plain(v) for v in row] for row in self.rows],
        }
        if self.drill is not None and any(key is not None for key in self.drill):
            table["drill"] = plain(self.drill)
        if self.drill_cells is not None and any(self.drill_cells):
            table["drill_cells"] = plain(self.drill_cells)
        return table


@dataclass
class People:
    """The people behind a figure: ``items`` (ordered; a queryset is paginated in the
    database) and how each reads as a row of ``columns``."""

    columns: list[tuple[str, str]]  # (key, label)
    items: Any
    row: Callable[[Any], list]
    #: how many different people ``items`` holds, when an item is not a person (a movement)
    headcount: Callable[[], int] | None = None

    def people_count(self) -> int:
        if self.headcount is not None:
            return self.headcount()
        return self.items.count() if hasattr(self.items, "query") else len(self.items)

    def rows(self, items=None) -> list[list]:
        return [
            [plain(v) for v in self.row(item)] for item in (self.items if items is None else items)
        ]


@dataclass
class Result:
    sentence: str
    tables: list[Table]
    chart: dict | None = None  # {"title", "labels", "values", "series_label"}
    is_empty: bool = False
    data: dict = field(default_factory=dict)  # report-specific figures (totals, breakdowns)

    def as_dict(self) -> dict:
        return plain(
            {
                "sentence": self.sentence,
                "tables": [t.as_dict() for t in self.tables],
                "chart": self.chart,
                "is_empty": self.is_empty,
                **self.data,
            }
        )


@dataclass(frozen=True)
class ReportDefinition:
    code: str
    title: str
    description: str
    compute: Callable[[Context], Result]
    params: tuple[Param, ...] = ()
    #: ``people(ctx, key)``: the people a row with drill-down ``key`` counts
    people: Callable[[Context, dict], People] | None = None

    def clean_params(self, raw: dict | None) -> dict:
        raw = raw or {}
        unknown = set(raw) - {p.name for p in self.params}
        if unknown:
            raise ValidationError(
                _("Tham số không có trong báo cáo: %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            )
        return {p.name: p.clean(raw.get(p.name)) for p in self.params}


REGISTRY: dict[str, ReportDefinition] = {}


def register(definition: ReportDefinition) -> ReportDefinition:
    REGISTRY[definition.code] = definition
    return definition


def get(code: str) -> ReportDefinition:
    from . import definitions  # noqa: F401 - registers the reports

    try:
        return REGISTRY[code]
    except KeyError:
        raise ValidationError(_("Không có báo cáo “%(code)s”.") % {"code": code}) from None


def all_reports() -> list[ReportDefinition]:
    from . import definitions  # noqa: F401

    return list(REGISTRY.values())


# --- drill-down -------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """One drillable row (or cell) of a stored result."""

    table: dict
    row: int
    column: str  # "" for the whole row
    key: dict

    @property
    def label(self) -> str:
        """The row's label (its first cell), and the cell's column when it is a cell."""
        label = str(self.table["rows"][self.row][0])
        if self.column:
            names = {c["key"]: c["label"] for c in self.table["columns"]}
            label = f"{label} – {names.get(self.column, self.column)}"
        return label


def drill_at(result: dict | None, table_key: str, row: int, column: str = "") -> Drill | None:
    """The drill-down of row ``row`` (or of its cell ``column``) of table ``table_key``."""
    for table in (result or {}).get("tables", []):
        if table.get("key") != table_key:
            continue
        if not 0 <= row < len(table.get("rows", [])):
            return None
        if column:
            cells = table.get("drill_cells") or []
            key = cells[row].get(column) if row < len(cells) else None
        else:
            keys = table.get("drill") or []
            key = keys[row] if row < len(keys) else None
        return Drill(table, row, column, key) if isinstance(key, dict) else None
    return None


def row_drills(result: dict | None) -> list[Drill]:
    """Every drillable row of a result, table by table (cells are parts of their row)."""
    found = []
    for table in (result or {}).get("tables", []):
        for row, key in enumerate((table.get("drill") or [])[: len(table.get("rows", []))]):
            if isinstance(key, dict):
                found.append(Drill(table, row, "", key))
    return found


def people_for(definition: ReportDefinition, ctx: Context, key: dict) -> People | None:
    return definition.people(ctx, key) if definition.people is not None else None
