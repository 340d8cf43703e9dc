"""The error workbook: the uploaded file given back with its errors marked.

Every sheet keeps its rows as uploaded; a column "Lỗi" is added with the row's messages,
and each bad cell is filled and carries its message as a comment. The officer fixes the
cells and uploads the same file again (the "Lỗi" column is ignored on reading).
"""

import io
from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .columns import ERROR_HEADER, FILE_LANGUAGE, normalise_header

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(bold=True, color="9C0006")
MAX_COMMENTS = 20_000


def error_workbook(data: bytes, errors: list[dict]) -> bytes:
    with translation.override(FILE_LANGUAGE):
        return _marked(data, errors)


def _marked(data: bytes, errors: list[dict]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    by_sheet = defaultdict(list)
    for error in errors:
        by_sheet[error["sheet"]].append(error)
    comments = 0
    for sheet in book.worksheets:
        found = by_sheet.get(sheet.title)
        if not found:
            continue
        error_col = _error_column(sheet)
        rows = defaultdict(list)
        cells = defaultdict(list)
        for error in found:
            row = error.get("row")
            if row is None:
                continue  # a sheet-wide message: listed on the page, not in a row
            label = (
                f"{error['column']}: {error['message']}"
                if error.get("column")
                else error["message"]
            )
            rows[row].append(label)
            if error.get("col") is not None:
                cells[(row, error["col"] + 1)].append(error["message"])
        for (row, col), messages in cells.items():
            cell = sheet.cell(row=row, column=col)
            cell.fill = ERROR_FILL
            if comments < MAX_COMMENTS:
                cell.comment = Comment("\n".join(messages), str(_("Kiểm tra tệp nhập")))
                comments += 1
        for row, messages in rows.items():
            cell = sheet.cell(row=row, column=error_col, value="\n".join(messages))
            cell.font = ERROR_FONT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _error_column(sheet) -> int:
    """The "Lỗi" column: the existing one (a file given back before), else a new last one."""
    last = 0
    for cell in sheet[1]:
        if normalise_header(cell.value) == normalise_header(ERROR_HEADER):
            for row in sheet.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column):
                row[0].value = None
            return cell.column
        if cell.value not in (None, ""):
            last = cell.column
    column = last + 1
    header = sheet.cell(row=1, column=column, value=str(ERROR_HEADER))
    header.font = ERROR_FONT
    header.fill = ERROR_FILL
    sheet.column_dimensions[header.column_letter].width = 60
    return column
