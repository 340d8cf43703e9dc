"""Renderings of a stored result: XLSX (with a header block), CSV and HTML."""

import csv
import io

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from personnel.exports import spreadsheet_safe

THIN = Side(style="thin", color="999999")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def header_lines(result: dict) -> list[tuple[str, str]]:
    return [
        (_("Phạm vi"), f"{result['scope']} ({result['scope_code']})"),
        (
            _("Kỳ báo cáo"),
            f"{result['period']} ({_d(result['date_from'])} – {_d(result['date_to'])})",
        ),
        (_("Lập lúc"), result["generated_at"]),
    ]


def _d(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def filename(result: dict, extension: str) -> str:
    return f"{slugify(result['report'])}_{result['scope_code']}_{result['date_from']}_{result['date_to']}.{extension}"


def to_xlsx(result: dict, people: list | None = None) -> bytes:
    """The result's sheet; ``people`` (``drill.Section``s) adds the "Danh sách" sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Báo cáo")[:31]
    sheet.append([result["title"].upper()])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in header_lines(result):
        sheet.append([label, spreadsheet_safe(value)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append([])
    sheet.append([spreadsheet_safe(result["sentence"])])
    sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    width = max((len(t["columns"]) for t in result["tables"]), default=1)
    sheet.merge_cells(
        start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=max(width, 2)
    )
    sheet.row_dimensions[sheet.max_row].height = 15 * (1 + len(result["sentence"]) // 100)
    widths: dict[int, int] = {}
    for table in result["tables"]:
        sheet.append([])
        sheet.append([table["title"]])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append([c["label"] for c in table["columns"]])
        for col in range(1, len(table["columns"]) + 1):
            cell = sheet.cell(sheet.max_row, col)
            cell.font, cell.fill, cell.border = (
                Font(bold=True),
                HEADER_FILL,
                Border(THIN, THIN, THIN, THIN),
            )
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table["rows"] or [[_("(không có số liệu)")]]:
            row = [spreadsheet_safe(value) for value in row]
            sheet.append(row)
            for col, value in enumerate(row, start=1):
                sheet.cell(sheet.max_row, col).border = Border(THIN, THIN, THIN, THIN)
                widths[col] = max(widths.get(col, 0), len(str(value)))
    _fit_columns(sheet, widths)
    if people:
        _people_sheet(book, result, people)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fit_columns(sheet, widths: dict[int, int]) -> None:
    for col, chars in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = min(max(chars + 2, 12), 60)


def _people_sheet(book, result: dict, sections: list) -> None:
    """The people behind each figure: a heading per figure, then its list."""
    sheet = book.create_sheet(_("Danh sách")[:31])
    sheet.append([_("Danh sách cán bộ theo từng số liệu của báo cáo").upper()])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([spreadsheet_safe(result["title"])])
    sheet.append([_("Lập theo dữ liệu tại thời điểm tải về.")])
    widths: dict[int, int] = {}
    for section in sections:
        sheet.append([])
        sheet.append([spreadsheet_safe(section.title)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append([_("STT"), *section.columns])
        for col in range(1, len(section.columns) + 2):
            cell = sheet.cell(sheet.max_row, col)
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.border = Border(THIN, THIN, THIN, THIN)
        for number, row in enumerate(section.rows, start=1):
            cells = [number, *(spreadsheet_safe(value) for value in row)]
            sheet.append(cells)
            for col, value in enumerate(cells, start=1):
                sheet.cell(sheet.max_row, col).border = Border(THIN, THIN, THIN, THIN)
                widths[col] = max(widths.get(col, 0), len(str(value)))
        if not section.rows:
            sheet.append([_("(không có cán bộ nào theo dữ liệu hiện tại)")])
        if section.more:
            sheet.append(
                [_("… và %(n)d cán bộ nữa: xem đầy đủ trên trang báo cáo.") % {"n": section.more}]
            )
    widths[1] = 6
    _fit_columns(sheet, widths)


def run_xlsx(run) -> bytes:
    """A finished run as XLSX, with the "Danh sách" sheet of the people behind its figures."""
    from . import drill

    return to_xlsx(run.result, drill.sections(run))


def to_csv(result: dict) -> str:
    """Every table one after another, a title row before each; UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([result["title"]])
    for label, value in header_lines(result):
        writer.writerow([label, spreadsheet_safe(value)])
    writer.writerow([spreadsheet_safe(result["sentence"])])
    for table in result["tables"]:
        writer.writerow([])
        writer.writerow([table["title"]])
        writer.writerow([c["label"] for c in table["columns"]])
        writer.writerows([spreadsheet_safe(value) for value in row] for row in table["rows"])
    return buffer.getvalue()


def to_html(result: dict, *, first_table_only: bool = False, chart_src: str | None = None) -> str:
    tables = result["tables"][:1] if first_table_only else result["tables"]
    return render_to_string(
        "reports/result.html",
        {
            "result": result,
            "tables": tables,
            "header": header_lines(result),
            "chart_src": chart_src,
        },
    )
