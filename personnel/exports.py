"""The officials list as a file: XLSX (title block, bold header) or CSV (UTF-8 with BOM).

Rows are read with one query, in chunks, whatever their number; ``is_rotated`` is
read when the queryset carries that annotation (the web layer adds it).

Every workbook writer writes to a target (a path or a binary file object) and returns
the number of officials; ``progress(rows)`` is called every ``PROGRESS_EVERY`` rows. The
web request writes small lists to memory; ``personnel.export_jobs`` writes large ones to a
file, in a worker. CSV is produced piece by piece (``csv_pieces``) and streamed.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .choices import Gender, ManagementTier, OfficialStatus
from .masking import personal_values
from .text import format_day, format_moment

#: more rows than this and a workbook is built by a worker (``ExportJob``), not in the request
ASYNC_EXPORT_ROWS = 10_000
#: the most rows one export job writes; past it, the user narrows the filters
MAX_EXPORT_ROWS = 1_000_000
#: the template layout holds the officials and their postings in memory to order its sheets
#: (about 7 KB an official: 745 MB at 100,000), so it stops sooner
MAX_TEMPLATE_ROWS = 100_000
#: a writer reports its progress every so many rows
PROGRESS_EVERY = 2000
#: the CSV stream sends pieces of about this many characters (not one write per row)
CSV_PIECE_CHARS = 64 * 1024

Progress = Callable[[int], None] | None

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
        # An unticked checkbox filter (False) filters nothing.
        if name == "sort" or value is False or value in (None, "", [], ()):
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
    """Text that a spreadsheet would run as a formula (``=HYPERLINK(…)``) is written as text;
    characters no workbook can hold (control characters) are left out."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _text(value) -> str | int:
    if isinstance(value, dt.date):
        return format_day(value)
    return spreadsheet_safe(value)


def write_xlsx(
    queryset: QuerySet,
    header: ExportHeader,
    target,
    *,
    masked: bool = True,
    progress: Progress = None,
) -> int:
    """The list as a workbook written to ``target`` (write-only: memory stays flat);
    returns the number of officials in it."""
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
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    book.save(target)
    if progress is not None:
        progress(count)
    return count


def in_memory(writer, queryset: QuerySet, header: ExportHeader, *, masked: bool = True):
    """(bytes, count) of a workbook writer, for small lists and for tests."""
    buffer = io.BytesIO()
    count = writer(queryset, header, buffer, masked=masked)
    return buffer.getvalue(), count


def to_xlsx(queryset: QuerySet, header: ExportHeader, *, masked: bool = True) -> tuple[bytes, int]:
    """The workbook and the number of officials in it."""
    return in_memory(write_xlsx, queryset, header, masked=masked)


def csv_pieces(
    queryset: QuerySet, header: ExportHeader, *, masked: bool = True, progress: Progress = None
) -> Iterator[str]:
    """CSV for Excel (UTF-8 with BOM): the title block, a blank line, then the table, as
    pieces of about ``CSV_PIECE_CHARS`` characters. Before each piece is given out,
    ``progress(rows)`` is told how many officials it and the earlier pieces hold."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([_("DANH SÁCH CÁN BỘ")])
    writer.writerows([label, spreadsheet_safe(value)] for label, value in header_lines(header))
    writer.writerow([])
    writer.writerow(columns())
    count = 0
    for row in rows(queryset, masked=masked):
        count += 1
        writer.writerow([_text(value) for value in row])
        if buffer.tell() >= CSV_PIECE_CHARS:
            if progress is not None:
                progress(count)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if progress is not None:
        progress(count)
    yield buffer.getvalue()


def to_csv(queryset: QuerySet, header: ExportHeader, *, masked: bool = True) -> tuple[str, int]:
    """The whole CSV as one text, with the number of officials in it."""
    counted = [0]

    def progress(rows: int) -> None:
        counted[0] = rows

    text = "".join(csv_pieces(queryset, header, masked=masked, progress=progress))
    return text, counted[0]


def filename(extension: str, at: dt.datetime) -> str:
    return f"danh-sach-can-bo_{timezone.localtime(at):%Y%m%d-%H%M}.{extension}"


# --- the template layout (round trip with the import) ----------------------------------


def write_template_layout(
    queryset: QuerySet, header: ExportHeader, target, *, masked: bool = True, progress=None
) -> int:
    """The filtered officials with their whole records, in the import template's sheets:
    imported back, the file changes nothing."""
    from .imports.export import write_template_layout as write

    return write(queryset, target, masked=masked, progress=progress)


def write_national_records(
    queryset: QuerySet, header: ExportHeader, target, *, masked: bool = True, progress=None
) -> int:
    """The filtered officials' national records (Decree 27/2026): ``national.write_xlsx``."""
    from .national import write_xlsx

    return write_xlsx(queryset, header, target, masked=masked, progress=progress)


#: the workbook formats, by ``?format=``: each writes to a target (CSV is streamed instead)
WRITERS = {
    "xlsx": write_xlsx,
    "template": write_template_layout,
    "national": write_national_records,
}
FORMATS = ("xlsx", "csv", "template", "national")
CONTENT_TYPES["template"] = CONTENT_TYPES["national"] = CONTENT_TYPES["xlsx"]
EXTENSIONS = {
    "xlsx": "xlsx",
    "csv": "csv",
    "template": "xlsx",
    "national": "xlsx",
    "roster": "xlsx",
}
PREFIXES = {
    "template": "ho-so-theo-mau-nhap",
    "national": "ho-so-csdl-quoc-gia",
    "roster": "danh-sach-trich-ngang",
}
#: formats holding the personal data in full: refused to users who see it masked
UNMASKED_ONLY = {"national"}


def export_filename(fmt: str, at: dt.datetime) -> str:
    prefix = PREFIXES.get(fmt, "danh-sach-can-bo")
    return f"{prefix}_{timezone.localtime(at):%Y%m%d-%H%M}.{EXTENSIONS[fmt]}"


# --- danh sách trích ngang: a printable list with the columns the user chooses ---------

#: the most rows a printed or exported list holds; past it, the user narrows the filters
MAX_ROSTER_ROWS = 2000


@dataclass(frozen=True)
class RosterColumn:
    key: str
    label: str
    read: object  # official -> value


def _label_of(choices):
    labels = {code: str(label) for code, label in choices}
    return lambda value: labels.get(value, value or "")


def roster_columns() -> dict[str, RosterColumn]:
    from .choices import EducationLevel, PoliticalTheory, StateManagement

    gender, tier, status = (_label_of(c.choices) for c in (Gender, ManagementTier, OfficialStatus))
    education, theory, state = (
        _label_of(c.choices) for c in (EducationLevel, PoliticalTheory, StateManagement)
    )
    columns = [
        RosterColumn("code", _("Số hiệu hồ sơ"), lambda o: o.code),
        RosterColumn("name", _("Họ và tên"), lambda o: o.full_name),
        RosterColumn("gender", _("Giới tính"), lambda o: gender(o.gender)),
        RosterColumn("birth", _("Ngày sinh"), lambda o: format_day(o.date_of_birth)),
        RosterColumn("ethnicity", _("Dân tộc"), lambda o: o.ethnicity),
        RosterColumn("hometown", _("Quê quán"), lambda o: o.hometown.name if o.hometown else ""),
        RosterColumn(
            "title",
            _("Chức vụ hiện tại"),
            lambda o: o.current_posting.title if o.current_posting else "",
        ),
        RosterColumn("unit", _("Đơn vị"), lambda o: o.current_unit.name if o.current_unit else ""),
        RosterColumn("party", _("Ngày vào Đảng"), lambda o: format_day(o.party_joined_on)),
        RosterColumn("education", _("Trình độ chuyên môn"), lambda o: education(o.education_level)),
        RosterColumn("major", _("Chuyên ngành"), lambda o: o.major),
        RosterColumn("theory", _("Lý luận chính trị"), lambda o: theory(o.political_theory)),
        RosterColumn("state", _("Quản lý nhà nước"), lambda o: state(o.state_management)),
        RosterColumn("tier", _("Diện quản lý"), lambda o: tier(o.management_tier)),
        RosterColumn("status", _("Tình trạng"), lambda o: status(o.status)),
    ]
    return {column.key: column for column in columns}


DEFAULT_ROSTER_COLUMNS = (
    "name",
    "birth",
    "gender",
    "hometown",
    "title",
    "unit",
    "education",
    "theory",
)


@dataclass(frozen=True)
class RosterHeader:
    """The heading of a list as committees issue it: issuing body, title, place and date."""

    issuer: str
    title: str
    day: dt.date
    signer_title: str


def roster_rows(queryset: QuerySet, keys: list[str]):
    columns = roster_columns()
    chosen = [columns[key] for key in keys]
    for number, official in enumerate(queryset[:MAX_ROSTER_ROWS].iterator(chunk_size=2000), 1):
        yield [number, *(spreadsheet_safe(column.read(official)) for column in chosen)]


def to_roster_xlsx(queryset: QuerySet, keys: list[str], header: RosterHeader) -> tuple[bytes, int]:
    """The roster as a workbook: heading block, the table with STT, a signature block."""
    columns = roster_columns()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Trích ngang")[:31])
    bold = Font(bold=True)

    def strong(value, size=None):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True, size=size) if size else bold
        return cell

    sheet.column_dimensions["A"].width = 6
    for index in range(len(keys)):
        sheet.column_dimensions[chr(ord("B") + index)].width = 24
    sheet.append([strong(header.issuer.upper())])
    sheet.append([])
    sheet.append([strong(header.title.upper(), size=14)])
    sheet.append([_("Ngày %(day)s") % {"day": format_day(header.day)}])
    sheet.append([])
    sheet.append([strong(_("STT"))] + [strong(str(columns[key].label)) for key in keys])
    count = 0
    for row in roster_rows(queryset, keys):
        sheet.append(row)
        count += 1
    sheet.append([])
    sheet.append([""] * max(len(keys) - 1, 1) + [strong(header.signer_title)])
    sheet.append([""] * max(len(keys) - 1, 1) + [_("(Ký, ghi rõ họ tên)")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
