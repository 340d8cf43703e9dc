"""Files that cannot be read as the template are refused whole, with a Vietnamese message."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from personnel.imports.book import OLE_SIGNATURE
from personnel.imports.services import check_data
from personnel.imports.template import template_bytes
from tests.personnel.imports.conftest import fill, official_row, posting_row

pytestmark = pytest.mark.django_db


def rejected(world, data) -> str:
    outcome = check_data(data, user=world.officer)
    assert outcome.rejected is not None, outcome.messages()
    return " ".join(outcome.rejected.messages)


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_that_is_not_a_workbook_is_refused(world):
    assert "không phải sổ làm việc Excel" in rejected(world, b"Ho ten,Ngay sinh\nAn,1/1/1980\n")


def test_a_zip_that_is_not_a_workbook_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "không phải sổ làm việc Excel" in rejected(world, buffer.getvalue())


def test_a_password_protected_workbook_is_refused(world):
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    data = OLE_SIGNATURE + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    assert "đặt mật khẩu" in rejected(world, data)


def test_an_old_xls_file_is_refused_with_the_way_out(world):
    assert ".xls" in rejected(world, OLE_SIGNATURE + b"\x00" * 1024)


def test_an_empty_file_is_refused(world):
    assert "Tệp rỗng" in rejected(world, b"")


def test_a_template_without_rows_is_refused(world):
    assert "không có dòng dữ liệu" in rejected(world, template_bytes())


def test_an_oversized_file_is_refused(world, monkeypatch):
    from personnel.imports import book

    monkeypatch.setattr(book, "MAX_FILE_BYTES", 1000)
    assert "vượt quá" in rejected(world, template_bytes())


def test_a_workbook_without_any_sheet_of_the_template_is_refused_naming_them(world):
    book = Workbook()
    book.active.title = "Danh sách"
    book.active.append(["Họ tên", "Ngày sinh"])
    book.active.append(["An", "01/01/1980"])
    message = rejected(world, save(book))
    assert "không có trang nào của mẫu nhập" in message and "Quá trình công tác" in message


def test_wrong_headers_are_refused_naming_the_column(world):
    book = load_workbook(io.BytesIO(fill({"officials": [official_row("W1")]})))
    book["Cán bộ"]["C1"] = "Họ tên khai sinh đầy đủ"
    message = rejected(world, save(book))
    assert "cột C" in message and "Họ tên khai sinh đầy đủ" in message
    assert "thiếu cột bắt buộc: Họ và tên" in message


def test_merged_header_cells_are_refused(world):
    book = load_workbook(io.BytesIO(fill({"officials": [official_row("M1")]})))
    book["Cán bộ"].merge_cells("C1:D1")
    assert "ô gộp (C1:D1)" in rejected(world, save(book))


def test_formulas_in_cells_are_errors_on_those_cells(world):
    book = load_workbook(
        io.BytesIO(fill({"officials": [official_row("F1")], "postings": [posting_row("F1")]}))
    )
    book["Cán bộ"]["C2"] = '=CONCATENATE("Trần ","Văn")'
    outcome = check_data(save(book), user=world.officer)
    assert [(e.sheet, e.row, e.column) for e in outcome.plan.errors] == [("Cán bộ", 2, "Họ và tên")]
    assert "công thức" in outcome.plan.errors[0].message


def test_text_beginning_with_an_equals_sign_is_text_not_a_formula(world):
    book = load_workbook(
        io.BytesIO(fill({"officials": [official_row("F2")], "postings": [posting_row("F2")]}))
    )
    cell = book["Cán bộ"]["K2"]  # home address
    cell.value = "=Số 5 Trần Phú"
    cell.data_type = "s"
    assert check_data(save(book), user=world.officer).plan.ok


def test_the_error_column_of_a_returned_workbook_is_ignored(world):
    book = load_workbook(
        io.BytesIO(fill({"officials": [official_row("L1")], "postings": [posting_row("L1")]}))
    )
    sheet = book["Cán bộ"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Lỗi")
    sheet.cell(row=2, column=sheet.max_column, value="Ngày sinh: ...")
    assert check_data(save(book), user=world.officer).plan.ok


def test_the_template_has_every_sheet_instructions_and_drop_down_lists():
    book = load_workbook(io.BytesIO(template_bytes()))
    assert book.sheetnames[:1] == ["Hướng dẫn"]
    for name in (
        "Đơn vị",
        "Chức vụ",
        "Cán bộ",
        "Quá trình công tác",
        "Đào tạo, bồi dưỡng",
        "Đánh giá, xếp loại",
        "Quy hoạch",
        "Kỷ luật",
        "Khen thưởng",
    ):
        assert name in book.sheetnames
    officials = book["Cán bộ"]
    assert [c.value for c in officials[1]][:3] == [
        "Số hiệu hồ sơ",
        "Số định danh cá nhân",
        "Họ và tên",
    ]
    lists = [dv.formula1 for dv in officials.data_validations.dataValidation]
    assert any("Danh mục" in formula for formula in lists)
    instructions = [c.value for row in book["Hướng dẫn"].iter_rows() for c in row if c.value]
    assert "Giới tính" in instructions and "Nam; Nữ" in instructions


def test_files_are_vietnamese_whatever_the_page_language(world):
    from django.utils import translation

    data = fill({"officials": [official_row("EN1")], "postings": [posting_row("EN1")]})
    with translation.override("en"):
        assert "Cán bộ" in load_workbook(io.BytesIO(template_bytes())).sheetnames
        assert check_data(data, user=world.officer).plan.ok
