"""Opening an uploaded workbook and reading its sheets into rows of raw cell values.

A file that cannot be read as the template (or as a mapped layout) is refused whole with
Vietnamese messages (``WorkbookRejected``): not a workbook, a password-protected one,
empty, too large, no sheet of the template, wrong or merged headers. Cell values are
read later, column by column (``cells``).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .book import (  # noqa: F401 - MAX_FILE_BYTES and OLE_SIGNATURE are read from here
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OLE_SIGNATURE,
    Book,
    WorkbookRejected,
    open_book,
)
from .columns import (
    ERROR_HEADER,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    SHEETS_BY_KEY,
    SheetSpec,
    normalise_header,
    sheet_by_name,
)


@dataclass
class SheetData:
    """One sheet to import: its spec, the file's sheet name, headers and rows as read."""

    spec: SheetSpec
    source: str
    headers: list[str]
    #: for each column of the file: the field it feeds, or None (ignored)
    fields: list[str | None]
    rows: list[tuple[int, tuple]] = field(default_factory=list)

    def column_index(self, field_name: str) -> int | None:
        try:
            return self.fields.index(field_name)
        except ValueError:
            return None

    @property
    def present(self) -> set[str]:
        return {name for name in self.fields if name}


@dataclass
class ReadResult:
    sheets: list[SheetData]

    @property
    def rows_total(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets)

    def sheet(self, key: str) -> SheetData | None:
        return next((sheet for sheet in self.sheets if sheet.spec.key == key), None)


def _template_fields(spec: SheetSpec, headers: list[str], source: str) -> list[str | None]:
    """Each header of a template sheet to its field; wrong or missing headers refused."""
    by_header = {normalise_header(column.header): column.field for column in spec.columns}
    fields: list[str | None] = []
    problems = []
    seen = set()
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if not key or key == normalise_header(ERROR_HEADER):
            fields.append(None)  # a blank header, or the error column of an error workbook
            continue
        name = by_header.get(key)
        if name is None:
            problems.append(
                _("Trang “%(sheet)s”, cột %(col)s: tiêu đề “%(header)s” không có trong mẫu.")
                % {"sheet": source, "col": _letter(index), "header": header.strip()[:60]}
            )
        elif name in seen:
            problems.append(
                _("Trang “%(sheet)s”: cột “%(header)s” xuất hiện hai lần.")
                % {"sheet": source, "header": header.strip()[:60]}
            )
        seen.add(name)
        fields.append(name)
    problems += _missing_required(spec, fields, source)
    if problems:
        problems.append(
            _("Các cột của trang “%(sheet)s” trong mẫu: %(headers)s.")
            % {"sheet": spec.name, "headers": "; ".join(c.header_text for c in spec.columns)}
        )
        raise WorkbookRejected(problems)
    return fields


def _missing_required(spec: SheetSpec, fields, source: str) -> list[str]:
    missing = [
        column.header_text
        for column in spec.columns
        if column.required and column.field not in fields and column.field != "code"
    ]
    if not missing:
        return []
    return [
        _("Trang “%(sheet)s” thiếu cột bắt buộc: %(headers)s.")
        % {"sheet": source, "headers": "; ".join(missing)}
    ]


def _mapped_fields(spec: SheetSpec, headers: list[str], columns: dict, source: str):
    wanted = {normalise_header(header): name for header, name in columns.items() if name}
    fields = [wanted.get(normalise_header(header)) for header in headers]
    unknown = sorted({name for name in fields if name and name not in spec.by_field})
    if unknown:
        raise WorkbookRejected(
            [
                _("Cách ghép cột có trường không thuộc trang mẫu: %(names)s.")
                % {"names": ", ".join(unknown)}
            ]
        )
    problems = _missing_required(spec, fields, source)
    if problems:
        raise WorkbookRejected(problems)
    return fields


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_workbook(data: bytes, *, mapping=None) -> ReadResult:
    """The sheets to import, with their rows; ``mapping`` (a ColumnMapping) reads a
    committee's own layout as the template sheet it names."""
    book = open_book(data)
    try:
        return _read(book, mapping)
    finally:
        book.close()


def _read(book, mapping) -> ReadResult:
    ignored = {normalise_header(INSTRUCTIONS_SHEET), normalise_header(LISTS_SHEET)}
    sheets: list[SheetData] = []
    problems: list[str] = []
    foreign = []
    remaining = MAX_ROWS
    for sheet in book.sheets:
        if normalise_header(sheet.title) in ignored:
            continue
        headers = book.headers(sheet)
        spec = sheet_by_name(sheet.title)
        if mapping is not None:
            spec = None
            if SHEETS_BY_KEY.get(mapping.sheet) and _has_headers(headers, mapping.columns):
                if any(s.spec.key == mapping.sheet for s in sheets):
                    continue
                spec = SHEETS_BY_KEY[mapping.sheet]
        if spec is None:
            if headers:
                foreign.append((sheet.title, headers))
            continue
        merged = book.merged_header_ranges(sheet)
        if merged:
            problems.append(
                _(
                    "Trang “%(sheet)s”: dòng tiêu đề có ô gộp (%(ranges)s); hãy bỏ gộp ô để mỗi "
                    "cột có một tiêu đề riêng."
                )
                % {"sheet": sheet.title, "ranges": ", ".join(merged)}
            )
            continue
        if not headers:
            continue  # an empty sheet of the template: nothing to import from it
        try:
            if mapping is not None:
                fields = _mapped_fields(spec, headers, mapping.columns, sheet.title)
            else:
                fields = _template_fields(spec, headers, sheet.title)
        except WorkbookRejected as rejected:
            problems += rejected.messages
            continue
        rows = book.data_rows(sheet, len(headers), remaining)
        remaining -= len(rows)
        sheets.append(SheetData(spec, sheet.title, headers, fields, rows))
    if problems:
        raise WorkbookRejected(problems)
    if mapping is not None and not sheets:
        raise WorkbookRejected(
            [
                _("Không có trang nào của tệp có đủ các cột của cách ghép “%(name)s”.")
                % {"name": mapping.name}
            ],
            foreign=foreign,
        )
    if not sheets:
        raise WorkbookRejected(
            [
                _("Tệp không có trang nào của mẫu nhập (%(names)s).")
                % {"names": ", ".join(spec.name for spec in SHEETS)}
            ],
            foreign=foreign,
        )
    sheets.sort(key=lambda sheet: SHEETS.index(sheet.spec))
    if not any(sheet.rows for sheet in sheets):
        raise WorkbookRejected([_("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề).")])
    return ReadResult(sheets)


def _has_headers(headers: list[str], columns: dict) -> bool:
    present = {normalise_header(header) for header in headers}
    return all(normalise_header(header) in present for header, name in columns.items() if name)


def foreign_sheets(data: bytes) -> list[tuple[str, list[str]]]:
    """(sheet name, headers) of every sheet, for the column-mapping page."""
    book = open_book(data)
    try:
        ignored = {normalise_header(INSTRUCTIONS_SHEET), normalise_header(LISTS_SHEET)}
        return [
            (sheet.title, book.headers(sheet))
            for sheet in book.sheets
            if normalise_header(sheet.title) not in ignored
        ]
    finally:
        book.close()


def count_rows(data: bytes) -> int:
    """The rows after the headers (blank rows that Excel keeps included): for the progress
    bar and the choice of a background worker."""
    book = open_book(data)
    try:
        return book.count_rows()
    finally:
        book.close()
