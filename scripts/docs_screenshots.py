"""Screenshots of a running instance for docs/screenshots/ (the README shows them).

Usage, with `make run` serving the demo on port 8000 in another terminal:
    .venv/bin/python scripts/docs_screenshots.py http://127.0.0.1:8000
Drives Debian's Chromium (/usr/bin/chromium) with Playwright; downloads no browser.
Desktop pages are taken at 1366 px and phone ones at 390 × 844 (the officials list as
the phone's screen shows it, a decision whole). One CSS pixel is one image pixel, and
each image is saved with a palette of 256 colours (no visible difference on these flat
pages, under a third of the size), which keeps every file well under 300 KB.
"""

import io
import os
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, name: str, *, full_page: bool) -> None:
    image = Image.open(io.BytesIO(page.screenshot(full_page=full_page))).convert("RGB")
    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(OUT / name, optimize=True)


def log_in(page, base: str) -> None:
    # The demo admin that `make run` creates (see DEMO_ADMIN_* in .env.example).
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(os.environ.get("DEMO_ADMIN_USERNAME", "admin"))
    page.get_by_label("Mật khẩu").fill(os.environ.get("DEMO_ADMIN_PASSWORD", "luanchuyen-demo"))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")


def open_first(page, list_url: str, link: str) -> None:
    page.goto(list_url)
    page.locator(link).first.click()
    page.wait_for_load_state("networkidle")


def desktop(browser, base: str) -> None:
    page = browser.new_page(viewport=DESKTOP, device_scale_factor=1, locale="vi-VN")
    log_in(page, base)
    shot(page, "dashboard.png", full_page=True)

    open_first(page, f"{base}/officials/?rotated=1", "table a[href^='/officials/']")
    shot(page, "official.png", full_page=True)

    page.goto(f"{base}/reports/rotation_summary/?period=last_term")
    page.get_by_role("button", name="Chạy báo cáo").click()
    page.locator(".report-sentence").wait_for(timeout=60_000)
    shot(page, "report.png", full_page=True)

    page.close()


def reorganisations(browser, base: str) -> None:
    page = browser.new_page(viewport=DESKTOP, device_scale_factor=1, locale="vi-VN")
    log_in(page, base)
    # A reorganisation being prepared: the preview of everything applying would do.
    page.goto(f"{base}/reorganisations/")
    page.get_by_role("link", name="Dự kiến hợp nhất").first.click()
    page.wait_for_load_state("networkidle")
    shot(page, "reorganisation-preview.png", full_page=False)

    # A commune formed on 1/7/2025: its predecessors, with the basis.
    page.goto(f"{base}/reorganisations/")
    page.get_by_role("link", name="Sắp xếp đơn vị hành chính cấp xã").first.click()
    page.locator("section[aria-labelledby=outcome] li:nth-child(2) a").first.click()
    page.wait_for_load_state("networkidle")
    shot(page, "reorganisation-unit.png", full_page=False)
    page.close()


def imports(browser, base: str) -> None:
    """The preview of an import: the template filled with three new officials and their
    postings in the Tỉnh ủy, uploaded."""
    from openpyxl import load_workbook

    page = browser.new_page(viewport=DESKTOP, device_scale_factor=1, locale="vi-VN")
    log_in(page, base)
    book = load_workbook(io.BytesIO(page.request.get(f"{base}/imports/template/").body()))
    people = [
        ("CB-NHAP-01", "Nguyễn Thị Thu Hà", "Nữ", "12/04/1986", "Chuyên viên", "01/03/2016"),
        ("CB-NHAP-02", "Trần Quốc Bảo", "Nam", "03/09/1982", "Chuyên viên chính", "15/07/2012"),
        ("CB-NHAP-03", "Lê Minh Đức", "Nam", "27/01/1990", "Chuyên viên", "01/10/2019"),
    ]

    def fill(sheet_name, rows):
        sheet = book[sheet_name]
        headers = [str(cell.value or "").rstrip(" *") for cell in sheet[1]]
        for offset, row in enumerate(rows, start=2):
            for start, value in row.items():
                index = next(i for i, h in enumerate(headers, start=1) if h.startswith(start))
                sheet.cell(row=offset, column=index, value=value)

    fill(
        "Cán bộ",
        [
            {"Số hiệu hồ sơ": code, "Họ và tên": name, "Giới tính": gender, "Ngày sinh": born,
             "Trình độ chuyên môn": "Đại học"}
            for code, name, gender, born, _title, _start in people
        ],
    )  # fmt: skip
    fill(
        "Quá trình công tác",
        [
            {"Số hiệu hồ sơ": code, "Mã đơn vị": "TU", "Chức danh": title, "Từ ngày": start}
            for code, _name, _gender, _born, title, start in people
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    page.goto(f"{base}/imports/")
    page.set_input_files(
        "input[type=file]",
        {
            "name": "ho-so-ban-to-chuc.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": buffer.getvalue(),
        },
    )
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_load_state("networkidle")
    page.locator("details").evaluate_all("(all) => all.forEach((d) => { d.open = true; })")
    shot(page, "import-preview.png", full_page=True)


def phone(browser, base: str) -> None:
    page = browser.new_page(viewport=PHONE, device_scale_factor=1, locale="vi-VN", is_mobile=True)
    log_in(page, base)
    page.goto(f"{base}/officials/")
    shot(page, "phone-officials.png", full_page=False)

    # A decision still being consulted on, whole: its movements and the consulted units.
    open_first(page, f"{base}/decisions/?status=consulting", "table a[href^='/decisions/']")
    shot(page, "phone-decision.png", full_page=True)
    page.close()


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        desktop(browser, base)
        reorganisations(browser, base)
        imports(browser, base)
        phone(browser, base)
        browser.close()
    for path in sorted(OUT.glob("*.png")):
        print(f"{path.relative_to(OUT.parent.parent)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
