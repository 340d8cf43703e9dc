"""Reading an uploaded workbook's package and rows, and refusing a file that is not one.

openpyxl reads the package (content types, shared strings, styles, the list of sheets);
the rows are parsed here straight from each sheet's XML, several times faster than
openpyxl's cell objects, keeping what the import needs: the values, and whether a cell
holds a formula.
"""

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel

# The parser openpyxl itself reads sheets with (defusedxml's when installed); expat 2.4+
# refuses entity expansion attacks and never fetches external entities.
from openpyxl.xml.functions import iterparse

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # a zip bomb is refused before it is read
MAX_ROWS = 200_000
MAX_COLUMNS = 80
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), b"EncryptionInfo")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class WorkbookRejected(Exception):
    """The file as a whole cannot be imported; ``messages`` say why, in Vietnamese."""

    def __init__(self, messages, *, foreign=None):
        self.messages = [str(message) for message in messages]
        #: when no sheet of the template was found: [(sheet name, headers)], to map columns
        self.foreign = foreign or []
        super().__init__("; ".join(self.messages))


def check_file(data: bytes) -> None:
    """The checks before any parsing: size, emptiness, encryption, a zip at all."""
    if not data:
        raise WorkbookRejected([_("Tệp rỗng (0 byte); hãy chọn tệp Excel có dữ liệu.")])
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookRejected(
            [
                _("Tệp lớn %(size)s MB, vượt quá %(max)d MB cho phép; hãy chia thành nhiều tệp.")
                % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": MAX_FILE_BYTES // 1024 // 1024}
            ]
        )
    if data.startswith(OLE_SIGNATURE):
        if any(marker in data for marker in ENCRYPTED_MARKERS):
            raise WorkbookRejected(
                [
                    _(
                        "Tệp được đặt mật khẩu (mã hóa) nên không đọc được; hãy mở tệp trong Excel, "
                        "bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi tải lên lại."
                    )
                ]
            )
        raise WorkbookRejected(
            [_("Tệp là định dạng Excel cũ (.xls); hãy lưu lại dưới dạng .xlsx rồi tải lên lại.")]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRejected(
            [_("Tệp không phải sổ làm việc Excel (.xlsx); hãy dùng mẫu nhập tải từ hệ thống.")]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRejected([_("Tệp Excel bị hỏng, không đọc được.")]) from None
    if "xl/workbook.xml" not in names:
        raise WorkbookRejected(
            [_("Tệp không phải sổ làm việc Excel (.xlsx); hãy dùng mẫu nhập tải từ hệ thống.")]
        )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRejected([_("Tệp có dung lượng dữ liệu quá lớn; hãy chia thành nhiều tệp.")])


class Formula(str):
    """The text of a formula cell: refused by the cell readers (values only, no formulas)."""


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _FORMULA, _INLINE = f"{_NS}row", f"{_NS}v", f"{_NS}f", f"{_NS}is"
_LETTERS: dict[str, int] = {}


def _column_number(reference: str) -> int:
    letters = reference.rstrip("0123456789")
    number = _LETTERS.get(letters)
    if number is None:
        number = 0
        for letter in letters:
            number = number * 26 + ord(letter) - 64
        _LETTERS[letters] = number
    return number


def _cell_value(cell, shared, date_styles, epoch):
    """One ``<c>`` element's value, as openpyxl would read it (values only)."""
    kind = cell.get("t", "n")
    if cell.find(_FORMULA) is not None:
        return Formula(cell.findtext(_FORMULA) or "")
    if kind == "inlineStr":
        inline = cell.find(_INLINE)
        return "".join(inline.itertext()) if inline is not None else None
    text = cell.findtext(_VALUE)
    if text is None:
        return None
    if kind == "s":
        return str(shared[int(text)])
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text == "1"
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    try:
        number = float(text) if any(ch in text for ch in ".eE") else int(text)
    except ValueError:
        return text
    style = cell.get("s")
    if style is not None and int(style) in date_styles:
        try:
            return from_excel(number, epoch)
        except (OverflowError, ValueError, TypeError):
            return number  # a "date" beyond the calendar: refused by the date reader
    return number


@dataclass(frozen=True)
class SheetRef:
    title: str
    path: str


class Book:
    """A workbook read for import: its sheets and their rows, straight from the sheets' XML.

    openpyxl reads the package (content types, shared strings, styles, the sheet list);
    the rows are parsed here, one pass per sheet with the C parser, which is several times
    faster than openpyxl's cell objects and keeps what the import needs: the values, and
    whether a cell holds a formula.
    """

    def __init__(self, data: bytes):
        check_file(data)
        try:
            reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            self.sheets = [
                SheetRef(sheet.name, rel.target)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise WorkbookRejected([_("Tệp Excel bị hỏng, không đọc được.")]) from None
        self.archive = reader.archive
        self.shared = reader.shared_strings
        self.date_styles = set(reader.wb._date_formats)
        self.epoch = reader.wb.epoch

    def close(self) -> None:
        self.archive.close()

    def xml(self, sheet: SheetRef) -> bytes:
        return self.archive.read(sheet.path)

    def iter_rows(self, sheet: SheetRef, width: int = MAX_COLUMNS):
        """(row number, [values]) of every row present in the sheet's XML."""
        counter = 0
        with self.archive.open(sheet.path) as source:
            for _event, element in iterparse(source):
                if element.tag != _ROW:
                    continue
                counter = int(element.get("r") or counter + 1)
                values = [None] * width
                position = 0
                for cell in element:
                    reference = cell.get("r")
                    position = _column_number(reference) if reference else position + 1
                    if position <= width:
                        values[position - 1] = _cell_value(
                            cell, self.shared, self.date_styles, self.epoch
                        )
                element.clear()
                yield counter, values

    def headers(self, sheet: SheetRef) -> list[str]:
        for number, values in self.iter_rows(sheet):
            if number != 1:
                return []
            headers = ["" if value is None else str(value) for value in values]
            while headers and not headers[-1].strip():
                headers.pop()
            return headers
        return []

    def merged_header_ranges(self, sheet: SheetRef) -> list[str]:
        """Merged ranges touching the header row."""
        found = []
        for first_col, first_row, last_col, last_row in _MERGE.findall(self.xml(sheet)):
            if int(first_row) <= 1 <= int(last_row or first_row):
                last = f":{last_col.decode()}{last_row.decode()}" if last_col else ""
                found.append(f"{first_col.decode()}{first_row.decode()}{last}")
        return found

    def data_rows(self, sheet: SheetRef, width: int, limit: int) -> list[tuple[int, tuple]]:
        """(row number, values) of the non-blank rows after the header."""
        rows = []
        for number, values in self.iter_rows(sheet, width):
            if number < 2 or _is_blank_row(values):
                continue
            rows.append((number, tuple(values)))
            if len(rows) > limit:
                raise WorkbookRejected(
                    [
                        _("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                    ]
                )
        return rows

    def count_rows(self) -> int:
        return sum(max(len(_ROW_TAG.findall(self.xml(sheet))) - 1, 0) for sheet in self.sheets)


def open_book(data: bytes) -> Book:
    return Book(data)


def _is_blank_row(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)
