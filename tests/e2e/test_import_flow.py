"""An officer brings a committee's records in from Excel, in a real browser: download the
template, fill 20 officials with their postings, upload, preview, import, find them."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from personnel.imports.columns import SHEETS_BY_KEY
from personnel.models import Official

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory


def fill_sheet(book, key: str, rows: list[dict]) -> None:
    spec = SHEETS_BY_KEY[key]
    sheet = book[spec.name]
    fields = [column.field for column in spec.columns]
    for offset, values in enumerate(rows):
        for name, value in values.items():
            sheet.cell(row=2 + offset, column=fields.index(name) + 1, value=value)


def test_download_fill_upload_preview_import_and_find(
    page, live_server, world, tmp_path, screenshot, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded workbook is kept there
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(world.officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("link", name="Nhập từ Excel").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Tải mẫu nhập")).click()
    template = Path(info.value.path()).read_bytes()

    book = load_workbook(io.BytesIO(template))
    fill_sheet(
        book,
        "officials",
        [
            {
                "code": f"E2E{n:02d}",
                "full_name": f"Phạm Nhập Thử {n:02d}",
                "gender": "Nữ" if n % 2 else "Nam",
                "date_of_birth": f"{(n % 27) + 1:02d}/0{(n % 9) + 1}/198{n % 10}",
                "education_level": "Đại học",
            }
            for n in range(20)
        ],
    )
    fill_sheet(
        book,
        "postings",
        [
            {
                "official": f"E2E{n:02d}",
                "unit": "HUA" if n % 2 else "UBA",
                "title": "Chuyên viên",
                "start_date": "01/03/2016",
            }
            for n in range(20)
        ],
    )
    filled = tmp_path / "ho-so-20-can-bo.xlsx"
    book.save(filled)

    page.locator("input[type=file]").set_input_files(str(filled))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    counts = page.locator("#import-counts")
    counts.wait_for()
    assert re.search(r"Cán bộ\s+20\s+0\s+0", counts.inner_text())
    assert re.search(r"Quá trình công tác\s+20\s+0\s+0", counts.inner_text())
    assert not Official.objects.filter(code__startswith="E2E").exists()
    screenshot("import-preview")

    page.get_by_role("button", name="Nhập", exact=True).click()
    page.locator(".alert-success", has_text="Đã nhập hồ sơ").first.wait_for()
    assert Official.objects.filter(code__startswith="E2E", current_unit__isnull=False).count() == 20

    page.get_by_role("link", name="Cán bộ", exact=True).click()
    page.locator("input[name=q]").first.fill("pham nhap thu 07")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Phạm Nhập Thử 07").wait_for()
    assert "Huyện ủy A" in page.content()
