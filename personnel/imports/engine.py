"""Checking every row of a file in memory, with the rules of the services.

``build_plan`` reads each cell (``cells``), resolves codes against the preloaded
``Catalog``, applies the same rule functions as the services (``record_rules``,
``services.official_validate``, ``services.posting_check``) and
decides, per row, create / update / unchanged. Nothing is written here.
"""

import copy
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Official, OrgUnit, Position
from ..services import normalise_personal_id
from .catalog import Catalog, code_key
from .cells import READERS, CellError, display, read_cell
from .children import ChildSheets
from .columns import CODE, SheetSpec
from .plan import UNCHANGED, UPDATE, Change, Plan, RowError
from .reader import ReadResult, SheetData
from .sheets_officials import OfficialChecks
from .sheets_units import UnitChecks

PROGRESS_EVERY = 1000


class RowValues(dict):
    """The read values of one row, with the row number and its sheet."""

    row: int
    sheet: SheetData


class Engine(UnitChecks, OfficialChecks):
    def __init__(self, result: ReadResult, *, user, today: dt.date | None = None, progress=None):
        self.result = result
        self.user = user
        self.today = today or timezone.localdate()
        self.plan = Plan(sheet_titles={s.spec.key: s.spec.name for s in result.sheets})
        self.progress = progress
        self.done = 0
        #: the units and positions of the file and the catalog, by code and (unit, title)
        self.units: dict[str, OrgUnit] = {}
        self.new_positions: dict[tuple[str, str], Position] = {}
        #: officials by code: (state after the import, stored instance or None, row)
        self.officials: dict[str, tuple[Official, Official | None, int]] = {}
        #: codes of the officials whose rows were refused: their other rows are not judged
        #: again (one error per cause, not a cascade)
        self.refused_officials: set[str] = set()
        self.refused_postings: set[str] = set()

    # --- reading ------------------------------------------------------------------------

    def error(self, sheet: SheetData, row, message, field_name: str | None = None) -> None:
        col = sheet.column_index(field_name) if field_name else None
        column = sheet.headers[col].strip() if col is not None else ""
        self.plan.errors.append(RowError(sheet.source, row, str(message), column, col))

    def field_errors(self, sheet: SheetData, row: int, errors: dict, aliases=None) -> None:
        aliases = aliases or {}
        for name, message in errors.items():
            name = aliases.get(name, name)
            present = name if name in sheet.present else None
            self.error(sheet, row, message, present)

    def rows(self, sheet: SheetData):
        """Each row's values by field; rows with a cell error are reported and skipped."""
        spec = sheet.spec
        columns = [
            (index, name, spec.by_field[name], READERS[spec.by_field[name].kind])
            for index, name in enumerate(sheet.fields)
            if name
        ]
        required = [c for c in spec.columns if c.required and c.field in sheet.present]
        for number, raw in sheet.rows:
            values = RowValues()
            values.row = number
            failed = False
            for index, name, column, reader in columns:
                value = raw[index]
                # The common cases inline (blank, plain text or number); the rest, and
                # every refusal, through ``read_cell``.
                try:
                    if value is None:
                        values[name] = None
                    elif type(value) is str and value.strip():
                        values[name] = reader(value, column)
                    else:
                        values[name] = read_cell(value, column)
                except CellError as error:
                    self.plan.errors.append(
                        RowError(
                            sheet.source, number, str(error), sheet.headers[index].strip(), index
                        )
                    )
                    failed = True
            for column in required:
                if column.field not in values:
                    continue  # its cell is in error already
                if values.get(column.field) in (None, ""):
                    self.error(
                        sheet,
                        number,
                        _("Chưa nhập “%(header)s”.") % {"header": column.header_text},
                        column.field,
                    )
                    failed = True
            self.done += 1
            if self.progress is not None and self.done % PROGRESS_EVERY == 0:
                self.progress(self.done)
            if not failed:
                yield values
            elif spec.key == "officials" and values.get("code"):
                self.refused_officials.add(code_key(values["code"]))
            elif spec.key == "postings" and values.get("official"):
                self.refused_postings.add(code_key(values["official"]))

    # --- the whole file ---------------------------------------------------------------

    def build(self) -> Plan:
        sheets = {sheet.spec.key: sheet for sheet in self.result.sheets}
        read = {key: list(self.rows(sheet)) for key, sheet in sheets.items()}
        self.catalog = Catalog(user=self.user, **_referenced(read))
        self.units = dict(self.catalog.units)
        if "units" in read:
            self.check_units(sheets["units"], read["units"])
        if "positions" in read:
            self.check_positions(sheets["positions"], read["positions"])
        if "officials" in read:
            self.check_officials(sheets["officials"], read["officials"])
        ChildSheets(self).check(sheets, read)
        if self.progress is not None:
            self.progress(self.done)
        return self.plan

    # --- comparing ------------------------------------------------------------------------

    def diff(
        self, key, sheet, values, stored, fields: dict, label: str, *, state=None, in_scope=True
    ):
        """Update when a field differs from the stored record, else unchanged; returns the
        record as it will be (None when the row is refused)."""
        model = type(stored)
        changes = {}
        changed = []
        for name, value in fields.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                old_id = getattr(stored, field.attname)
                new_id = value.pk if value is not None else None
                if old_id == new_id and (value is None or new_id is not None):
                    continue
                old = self.related_label(field.related_model, old_id)
            else:
                old = getattr(stored, name)
                if (old if old is not None else "") == (value if value is not None else ""):
                    continue
            changed.append(name)
            column = sheet.spec.by_field.get(_column_of(sheet.spec, name))
            header = column.header_text if column else str(field.verbose_name)
            changes[header] = (_shown(old, column), _shown(value, column))
        if not changed:
            self.plan.add(key, Change(UNCHANGED, values.row, label))
            return stored
        if not in_scope:
            self.error(
                sheet,
                values.row,
                _("Bản ghi thuộc đơn vị ngoài phạm vi quản lý của bạn, không sửa được."),
            )
            return None
        if state is None:
            state = copy.copy(stored)
            for name in changed:
                setattr(state, name, fields[name])
        if model is Official and {"full_name", "other_names"} & set(changed):
            changed.append("search_key")
        self.plan.add(key, Change(UPDATE, values.row, label, state, changes, tuple(changed)))
        return state

    def related_label(self, model, pk) -> str:
        """The code (or name) of a related record by id, from what is loaded: no query."""
        if pk is None:
            return ""
        if not hasattr(self, "_by_pk"):
            self._by_pk = {}
            for collection in (
                self.catalog.units.values(),
                self.catalog.localities.values(),
                self.catalog.post_types.values(),
                self.catalog.sectors.values(),
                self.catalog.positions.values(),
            ):
                for item in collection:
                    self._by_pk[(type(item), item.pk)] = item
        item = self._by_pk.get((model, pk))
        if item is None:
            return f"#{pk}"
        return getattr(item, "code", None) or str(getattr(item, "title", item))


def _column_of(spec: SheetSpec, model_field: str) -> str:
    return {"org_unit": "unit"}.get(model_field, model_field)


def _shown(value, column) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "code"):
        return value.code
    if hasattr(value, "_meta"):
        return str(value)
    if column is None or column.kind == CODE:
        return str(value)
    return display(value, column)


def _referenced(read: dict) -> dict:
    """The codes a file mentions, to load them in a few queries."""
    units, localities, officials, numbers = set(), set(), set(), set()
    for key, rows in read.items():
        for values in rows:
            for name in ("unit", "parent"):
                if values.get(name):
                    units.add(values[name])
            if key == "units" and values.get("code"):
                units.add(values["code"])
            for name in ("locality", "birthplace", "hometown"):
                if values.get(name):
                    localities.add(values[name])
            if values.get("official"):
                officials.add(values["official"])
            if key == "officials":
                if values.get("code"):
                    officials.add(values["code"])
                number = normalise_personal_id(values.get("personal_id"))
                if number:
                    numbers.add(number)
    return {
        "unit_codes": units,
        "locality_codes": localities,
        "official_codes": officials,
        "personal_ids": numbers,
    }


def build_plan(result: ReadResult, *, user, today=None, progress=None) -> Plan:
    return Engine(result, user=user, today=today, progress=progress).build()
