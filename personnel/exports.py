"""The officials list as a file: XLSX (title block, bold header) or CSV (UTF-8 with BOM).

Rows are read with one query, in chunks, whatever their number; ``is_rotated`` is
read when the queryset carries that annotation (the web layer adds it).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .choices import Gender, ManagementTier, OfficialStatus
from .masking import personal_values
from .text import format_day, format_moment

MAX_EXPORT_ROWS = 50_000

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class ExportHeader:
    """Who exported what, and when: the title block of the file."""

    user: str
    at: dt.datetime
    filters: list[tuple[str, str]]


def columns() -> list[str]:
    return [
        _("STT"),
        _("Số hiệu hồ sơ"),
        _("Họ và tên"),
        _("Giới tính"),
        _("Ngày sinh"),
        _("Dân tộc"),
        _("Chức danh hiện tại"),
        _("Đơn vị hiện tại"),
        _("Diện quản lý"),
        _("Tình trạng"),
        _("Đang luân chuyển"),
        _("Số định danh cá nhân"),
        _("Nơi ở hiện nay"),
        _("Số điện thoại"),
    ]


DATE_COLUMN = 4  # date of birth, in the order of columns()


def rows(queryset: QuerySet, *, masked: bool = True):
    """One list per official; ``queryset`` must select_related current_unit and current_posting.

    The personal data columns (``masking.MASKED_FIELDS``) are masked unless ``masked`` is
    False: the caller decides with ``masking.can_see_personal_data(user)``.
    """
    # Labels translated once, not once per row.
    genders, tiers, statuses = (
        {code: str(label) for code, label in choices}
        for choices in (Gender.choices, ManagementTier.choices, OfficialStatus.choices)
    )
    yes = _("Có")
    for number, official in enumerate(queryset.iterator(chunk_size=2000), start=1):
        posting, unit = official.current_posting, official.current_unit
        yield [
            number,
            official.code,
            official.full_name,
            genders.get(official.gender, official.gender),
            official.date_of_birth,
            official.ethnicity,
            posting.title if posting else "",
            unit.name if unit else "",
            tiers.get(official.management_tier, official.management_tier),
            statuses.get(official.status, official.status),
            yes if getattr(official, "is_rotated", False) else "",
            *personal_values(official, masked=masked).values(),
        ]


def describe_filters(filterset) -> list[tuple[str, str]]:
    """The filters in use, as (label, value) a person reads."""
    form = filterset.form
    described = []
    for name, value in form.cleaned_data.items():
        if name == "sort" or value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if hasattr(field, "queryset"):
            shown = field.label_from_instance(value)
        elif getattr(field, "choices", None):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        described.append((str(field.label), shown))
    return described


def header_lines(header: ExportHeader) -> list[tuple[str, str]]:
    at = timezone.localtime(header.at)
    filters = "; ".join(f"{label}: {value}" for label, value in header.filters)
    return [
        (_("Người xuất"), header.user),
        (_("Thời điểm xuất"), format_moment(at)),
        (_("Bộ lọc"), filters or _("Không lọc (toàn bộ cán bộ trong phạm vi)")),
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula (``=HYPERLINK(…)``) is written as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value) -> str | int:
    if isinstance(value, dt.date):
        return format_day(value)
    return spreadsheet_safe(value)


def to_xlsx(queryset: QuerySet, header: ExportHeader, *, masked: bool = True) -> tuple[bytes, int]:
    """The workbook and the number of officials in it (write-only: memory stays flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Danh sách cán bộ")[:31])
    bold = Font(bold=True)

    def bold_cell(value, size=None):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True, size=size) if size else bold
        return cell

    for width, letter in zip(
        (6, 14, 28, 9, 12, 10, 36, 36, 30, 20, 14, 16, 40, 14), "ABCDEFGHIJKLMN", strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.append([bold_cell(_("DANH SÁCH CÁN BỘ"), size=14)])
    for label, value in header_lines(header):
        sheet.append([bold_cell(label), spreadsheet_safe(value)])
    sheet.append([])
    sheet.append([bold_cell(label) for label in columns()])
    count = 0
    for row in rows(queryset, masked=masked):
        count += 1
        row = [spreadsheet_safe(value) for value in row]
        # Plain values are written fastest; only the date needs a cell with its format.
        born = WriteOnlyCell(sheet, value=row[DATE_COLUMN])
        born.number_format = "DD/MM/YYYY"
        row[DATE_COLUMN] = born
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def to_csv(queryset: QuerySet, header: ExportHeader, *, masked: bool = True) -> tuple[str, int]:
    """CSV for Excel (UTF-8 with BOM): the title block, a blank line, then the table."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("DANH SÁCH CÁN BỘ")])
    writer.writerows([label, spreadsheet_safe(value)] for label, value in header_lines(header))
    writer.writerow([])
    writer.writerow(columns())
    count = 0
    for row in rows(queryset, masked=masked):
        count += 1
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue(), count


WRITERS = {"xlsx": to_xlsx, "csv": to_csv}


def filename(extension: str, at: dt.datetime) -> str:
    return f"danh-sach-can-bo_{timezone.localtime(at):%Y%m%d-%H%M}.{extension}"
