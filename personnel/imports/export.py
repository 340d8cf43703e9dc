"""The officials with their whole records, written in the template's sheets and columns.

Imported back, such a file changes nothing ("0 thêm mới, 0 cập nhật"): every value is
written the way the parser reads it (codes, Vietnamese labels, dates), and text that
begins with "=" is written as text, not as a formula.
"""

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

from ..exports import PROGRESS_EVERY
from ..masking import MASKERS
from ..models import Evaluation, OrgUnit, PlanningEntry, Position, Posting, TrainingRecord
from ..models_discipline import Discipline, Reward
from .catalog import chunks, title_key
from .cells import display
from .columns import BOOL, CHOICE, DATE, FILE_LANGUAGE, SHEETS_BY_KEY, SheetSpec
from .template import WIDTHS

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

#: how a column's value is read from a record, where it is not the attribute of its name
READERS = {
    "units": {
        "sector": lambda u, ctx: u.sector.code,
        "locality": lambda u, ctx: u.locality.code if u.locality_id else "",
        "parent": lambda u, ctx: u.parent.code if u.parent_id else "",
    },
    "positions": {
        "unit": lambda p, ctx: ctx["units"][p.org_unit_id].code,
        "post_type": lambda p, ctx: p.post_type.code,
    },
    "officials": {
        "birthplace": lambda o, ctx: o.birthplace.code if o.birthplace_id else "",
        "hometown": lambda o, ctx: o.hometown.code if o.hometown_id else "",
    },
    "postings": {
        "unit": lambda p, ctx: ctx["units"][p.org_unit_id].code,
        "position": lambda p, ctx: ctx["positions"][p.position_id].title if p.position_id else "",
    },
    "planning": {
        "unit": lambda e, ctx: ctx["units"][ctx["positions"][e.position_id].org_unit_id].code,
        "position": lambda e, ctx: ctx["positions"][e.position_id].title,
    },
}


def _value(spec: SheetSpec, column, record, ctx):
    reader = READERS.get(spec.key, {}).get(column.field)
    if reader is not None:
        return reader(record, ctx)
    if column.field == "official":
        return ctx["codes"][record.official_id]
    if ctx.get("masked") and column.field in MASKERS:
        return MASKERS[column.field](getattr(record, column.field)) or None
    value = getattr(record, column.field)
    if value is None or value == "":
        return None
    if column.kind in (CHOICE, BOOL):
        return display(value, column)
    return value


def _cell(sheet, column, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters: no workbook holds them
    cell = WriteOnlyCell(sheet, value=value)
    if column.kind == DATE and value is not None:
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, str):
        cell.data_type = "s"  # "=…" stays text: never a formula
    return cell


def _write_sheet(book, spec: SheetSpec, records, ctx, progress=None) -> int:
    sheet = book.create_sheet(spec.name)
    for index, column in enumerate(spec.columns):
        letter = chr(ord("A") + index) if index < 26 else None
        if letter:
            sheet.column_dimensions[letter].width = WIDTHS.get(column.kind, 18)
    bold = Font(bold=True)
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header_text)
        cell.font = bold
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    count = 0
    for record in records:
        sheet.append([_cell(sheet, c, _value(spec, c, record, ctx)) for c in spec.columns])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    return count


def _children(model, ids, *related):
    for batch in chunks(ids):
        queryset = model.objects.filter(official_id__in=batch).order_by("official_id", "id")
        if related:
            queryset = queryset.select_related(*related)
        yield from queryset


def template_layout_workbook(officials, *, masked: bool = False) -> tuple[bytes, int]:
    """``write_template_layout`` in memory: the file and the number of officials."""
    buffer = io.BytesIO()
    count = write_template_layout(officials, buffer, masked=masked)
    return buffer.getvalue(), count


def write_template_layout(officials, target, *, masked: bool = False, progress=None) -> int:
    """The officials of ``officials`` (a queryset, already scoped and filtered) with their
    records, in the template layout, written to ``target`` (a path or a binary file);
    returns the number of officials. The workbook is write-only, but the officials and
    their postings and planning entries are held in memory to order the sheets and name
    the units and positions they refer to."""
    with translation.override(FILE_LANGUAGE):
        return _workbook(officials, target, masked=masked, progress=progress)


def _workbook(officials, target, *, masked: bool, progress) -> int:
    officials = list(
        officials.select_related("birthplace", "hometown")
        .order_by("code")
        .iterator(chunk_size=2000)
    )
    ids = [o.pk for o in officials]
    ctx = {"codes": {o.pk: o.code for o in officials}, "masked": masked}
    postings = list(_children(Posting, ids))
    planning = list(_children(PlanningEntry, ids))
    position_ids = {p.position_id for p in postings if p.position_id} | {
        e.position_id for e in planning
    }
    positions = {}
    for batch in chunks(sorted(position_ids)):
        positions.update(Position.objects.select_related("post_type").in_bulk(batch))
    unit_ids = {p.org_unit_id for p in postings} | {p.org_unit_id for p in positions.values()}
    units = {}
    for batch in chunks(sorted(unit_ids)):
        units.update(OrgUnit.objects.select_related("parent", "sector", "locality").in_bulk(batch))
    ctx.update(units=units, positions=positions)
    book = Workbook(write_only=True)
    _write_sheet(book, SHEETS_BY_KEY["units"], sorted(units.values(), key=lambda u: u.path), ctx)
    _write_sheet(
        book,
        SHEETS_BY_KEY["positions"],
        sorted(
            _one_per_title(positions.values()),
            key=lambda p: (units[p.org_unit_id].path, p.title, p.pk),
        ),
        ctx,
    )
    _write_sheet(book, SHEETS_BY_KEY["officials"], officials, ctx, progress)
    _write_sheet(
        book, SHEETS_BY_KEY["postings"], sorted(postings, key=_by_official_start(ctx)), ctx
    )
    for key, model in (
        ("training", TrainingRecord),
        ("evaluations", Evaluation),
    ):
        _write_sheet(book, SHEETS_BY_KEY[key], _children(model, ids), ctx)
    _write_sheet(book, SHEETS_BY_KEY["planning"], planning, ctx)
    _write_sheet(book, SHEETS_BY_KEY["discipline"], _children(Discipline, ids), ctx)
    _write_sheet(book, SHEETS_BY_KEY["rewards"], _children(Reward, ids), ctx)
    book.save(target)
    if progress is not None:
        progress(len(officials))
    return len(officials)


def _one_per_title(positions) -> list[Position]:
    """A file names a position by its unit and title, so several seats with one title (two
    deputy posts) are one row: the seat the import reads that title as (the first by id
    of the unit's positions with that title, ``Catalog``)."""
    wanted = {(p.org_unit_id, title_key(p.title)) for p in positions}
    first: dict[tuple, Position] = {}
    for batch in chunks(sorted({unit_id for unit_id, _title in wanted})):
        for position in (
            Position.objects.filter(org_unit_id__in=batch)
            .select_related("post_type")
            .order_by("id")
        ):
            key = (position.org_unit_id, title_key(position.title))
            if key in wanted:
                first.setdefault(key, position)
    return list(first.values())


def _by_official_start(ctx):
    return lambda posting: (ctx["codes"][posting.official_id], posting.start_date, posting.pk)
