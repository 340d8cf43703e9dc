"""Screenshots of a running instance for docs/screenshots/ (the README shows them).

Usage, with `make run` serving the demo on port 8000 in another terminal:
    .venv/bin/python scripts/docs_screenshots.py http://127.0.0.1:8000
Drives Debian's Chromium (/usr/bin/chromium) with Playwright; downloads no browser.
"""

import os
import sys
from pathlib import Path

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


def main(base: str) -> None:
    # The demo admin that `make run` creates (see DEMO_ADMIN_* in .env.example).
    username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "luanchuyen-demo")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{base}/")
        page.screenshot(path=str(OUT / "dashboard.png"), full_page=True)

        page.goto(f"{base}/officials/?rotated=1")
        page.locator("table a[href^='/officials/']").first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(OUT / "official.png"), full_page=True)

        page.goto(f"{base}/reports/rotation_summary/?period=last_term")
        page.get_by_role("button", name="Chạy báo cáo").click()
        page.locator(".report-sentence").wait_for(timeout=60_000)
        page.screenshot(path=str(OUT / "report.png"), full_page=True)
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
