"""The downloadable template workbook: one sheet per kind of record, an instructions
sheet, and drop-down lists of the Vietnamese labels in the cells of every enumeration."""

import functools
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import choice_labels
from .columns import (
    BOOL,
    CHOICE,
    CODE,
    DATE,
    FILE_LANGUAGE,
    INSTRUCTIONS_SHEET,
    KIND_LABELS,
    LISTS_SHEET,
    SHEETS,
    TEXT,
    Column,
    SheetSpec,
)

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
#: rows of the template that carry the drop-down lists and the date format
VALIDATED_ROWS = 5000
WIDTHS = {TEXT: 28, CODE: 16, DATE: 13, CHOICE: 30, BOOL: 12}


def allowed_values(column: Column) -> str:
    if column.kind == CHOICE:
        return "; ".join(choice_labels(column.choices))
    if column.kind == BOOL:
        return _("Có; Không")
    if column.kind == DATE:
        return _("dd/mm/yyyy, từ 01/01/1900 đến 31/12/2100")
    if column.max_length:
        return _("tối đa %(n)d ký tự") % {"n": column.max_length}
    if column.minimum is not None and column.maximum is not None:
        return _("từ %(low)s đến %(high)s") % {"low": column.minimum, "high": column.maximum}
    return ""


def write_headers(sheet, spec: SheetSpec) -> None:
    """The header row of a sheet of the template (also used by the export)."""
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header_text)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        note = column.help or ""
        if column.required:
            note = _("Bắt buộc. ") + str(note)
        if note:
            cell.comment = Comment(str(note), "Mẫu nhập")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.kind, 18)
        if column.kind in (CODE, TEXT):
            sheet.column_dimensions[letter].number_format = "@"
        elif column.kind == DATE:
            sheet.column_dimensions[letter].number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"


def _lists_sheet(book) -> dict:
    """A hidden sheet with each enumeration's labels, the source of the drop-down lists."""
    lists = book.create_sheet(str(LISTS_SHEET))
    lists.sheet_state = "hidden"
    ranges = {}
    enumerations = [(_("Có / Không"), None)]
    seen = set()
    for spec in SHEETS:
        for column in spec.columns:
            if column.kind == CHOICE and column.choices not in seen:
                seen.add(column.choices)
                enumerations.append((column.header_text, column.choices))
    for position, (title, choices) in enumerate(enumerations, start=1):
        letter = get_column_letter(position)
        labels = [_("Có"), _("Không")] if choices is None else choice_labels(choices)
        lists.cell(row=1, column=position, value=str(title))
        for row, label in enumerate(labels, start=2):
            lists.cell(row=row, column=position, value=label)
        reference = f"{quote_sheetname(str(LISTS_SHEET))}!${letter}$2:${letter}${len(labels) + 1}"
        ranges[choices] = reference
    return ranges


def _validations(sheet, spec: SheetSpec, ranges: dict) -> None:
    for index, column in enumerate(spec.columns, start=1):
        if column.kind not in (CHOICE, BOOL):
            continue
        source = ranges[column.choices if column.kind == CHOICE else None]
        validation = DataValidation(
            type="list",
            formula1=f"={source}",
            allow_blank=not column.required,
            showErrorMessage=True,
            errorTitle=_("Giá trị không hợp lệ"),
            error=_("Hãy chọn một giá trị trong danh sách."),
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
        sheet.add_data_validation(validation)


def _instructions(book) -> None:
    sheet = book.create_sheet(str(INSTRUCTIONS_SHEET), 0)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 26
    sheet.column_dimensions["E"].width = 60
    sheet.column_dimensions["F"].width = 60
    sheet.append([_("MẪU NHẬP HỒ SƠ CÁN BỘ")])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        _(
            "Mỗi trang là một loại hồ sơ; dòng 1 là tiêu đề (không sửa, không gộp ô), dữ liệu từ dòng 2."
        ),
        _(
            "Cột tiêu đề màu đỏ là bắt buộc. Ngày ghi dạng dd/mm/yyyy. Các cột có danh sách chọn ghi đúng nhãn tiếng Việt."
        ),
        _("Không dùng công thức: hãy dán giá trị. Có thể bỏ trống cả trang không dùng đến."),
        _(
            "Nhập lại cùng một tệp sẽ cập nhật hồ sơ, không tạo bản trùng: mỗi dòng được nhận ra theo khóa ghi ở cột “Nhận ra theo”."
        ),
        _(
            "Tệp có bất kỳ lỗi nào thì không có gì được ghi; hệ thống trả lại tệp đánh dấu lỗi ở cột “Lỗi”."
        ),
    ):
        sheet.append([line])
    sheet.append([])
    header = [
        _("Trang"),
        _("Cột"),
        _("Bắt buộc"),
        _("Kiểu dữ liệu"),
        _("Giá trị cho phép"),
        _("Hướng dẫn"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for spec in SHEETS:
        sheet.append(
            [
                spec.name,
                "",
                "",
                "",
                _("Nhận ra theo: %(key)s") % {"key": spec.matched_by},
                str(spec.notes),
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).font = HEADER_FONT
        for column in spec.columns:
            sheet.append(
                [
                    spec.name,
                    column.header_text,
                    _("Có") if column.required else _("Không"),
                    str(KIND_LABELS[column.kind]),
                    allowed_values(column),
                    str(column.help),
                ]
            )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def build_template() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    sheets = [(book.create_sheet(spec.name), spec) for spec in SHEETS]
    ranges = _lists_sheet(book)
    for sheet, spec in sheets:
        write_headers(sheet, spec)
        _validations(sheet, spec, ranges)
    _instructions(book)
    book.active = 0
    return book


@functools.lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The template file: the same bytes for every download (it holds no records, and
    its language is always the files' language), so built once per process."""
    buffer = io.BytesIO()
    with translation.override(FILE_LANGUAGE):
        build_template().save(buffer)
    return buffer.getvalue()
