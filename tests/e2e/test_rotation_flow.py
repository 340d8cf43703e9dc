"""The day's work in a real browser: find a cadre, move two secretaries, report on it."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory


def choose(page, field_id: str, typed: str, option_text: str) -> None:
    """Pick an option of a Tom Select autocomplete by typing, as a user does."""
    page.locator(f"#{field_id}-ts-control").fill(typed)
    page.locator(".ts-dropdown .option", has_text=option_text).first.click()


def accept_dialogs(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_find_move_approve_apply_and_report(page, live_server, world, make_official, screenshot):
    today = timezone.localdate()
    on = today.strftime("%d/%m/%Y")
    make_official(
        position=world.positions.a_secretary, full_name="Nguyễn Văn An", since=dt.date(2019, 1, 1)
    )
    make_official(
        position=world.positions.b_secretary, full_name="Lê Thị Bình", since=dt.date(2019, 6, 1)
    )
    accept_dialogs(page)

    # Log in.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(world.approver.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    term_number = page.locator(".stat-card .display-6").first
    before = int(term_number.inner_text())

    # Find an official by a name typed without accents, open the detail.
    page.get_by_role("link", name="Cán bộ", exact=True).click()
    page.locator("input[name=q]").first.fill("nguyen van an")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Nguyễn Văn An").first.click()
    page.get_by_role("heading", name=re.compile("Nguyễn Văn An")).first.wait_for()
    assert "Bí thư Huyện ủy A" in page.content()
    screenshot("official")

    # Create a decision with two movements; a rule finding appears while filling the form.
    page.goto(f"{live_server.url}/decisions/new/")
    page.get_by_label("Số, ký hiệu").fill("15-QĐ/TU")
    choose(page, "id_issued_by", "tinh uy", "Tỉnh ủy P")
    page.get_by_label("Trích yếu").fill("Về việc luân chuyển bí thư huyện ủy")
    page.get_by_label("Ngày ký").fill(on)
    page.get_by_role("button", name=re.compile("Lưu|Tạo")).first.click()
    page.get_by_role("link", name=re.compile("Thêm lượt")).first.click()

    choose(page, "id_official", "nguyen van an", "Nguyễn Văn An")
    page.get_by_label("Hình thức").select_option("rotation")
    choose(page, "id_to_position", "bi thu huyen uy b", "Bí thư Huyện ủy B")
    page.get_by_label("Ngày có hiệu lực").fill(on)
    page.get_by_label("Thời hạn (tháng)").fill("24")
    page.get_by_label("Thời hạn (tháng)").dispatch_event("change")
    page.locator("#movement-check .finding", has_text="ít hơn 36 tháng").wait_for()
    page.get_by_role("button", name="Thêm và nhập lượt khác").click()

    choose(page, "id_official", "le thi binh", "Lê Thị Bình")
    page.get_by_label("Hình thức").select_option("rotation")
    choose(page, "id_to_position", "bi thu huyen uy a", "Bí thư Huyện ủy A")
    page.get_by_label("Ngày có hiệu lực").fill(on)
    page.get_by_label("Thời hạn (tháng)").fill("60")
    page.get_by_role("button", name="Thêm vào quyết định").click()
    page.locator("text=Lê Thị Bình").first.wait_for()

    # Consult, approve, apply.
    page.get_by_role("button", name="Gửi xin ý kiến").click()
    page.locator(".alert-success").first.wait_for()
    page.get_by_role("link", name="Ban hành").first.click()
    page.get_by_role("button", name="Ban hành quyết định").click()
    page.locator(".alert", has_text="15-QĐ/TU").first.wait_for()
    page.get_by_role("button", name=re.compile(r"Thi hành \(2 lượt\)")).click()
    page.locator(".alert", has_text="Đã thi hành 2 lượt").first.wait_for()

    # The dashboard's term figure went up by the two cadres.
    page.goto(f"{live_server.url}/")
    assert int(page.locator(".stat-card .display-6").first.inner_text()) == before + 2
    screenshot("dashboard")

    # Run the rotation summary and download the Excel file.
    page.goto(f"{live_server.url}/reports/rotation_summary/?period=this_term")
    page.get_by_role("button", name="Chạy báo cáo").click()
    page.locator(".report-sentence").wait_for()
    assert "2 cán bộ" in page.locator(".report-sentence").inner_text()
    screenshot("report")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải Excel (XLSX)").click()
    content = info.value.path().read_bytes()
    assert load_workbook(io.BytesIO(content)).active["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"

    # What inline code used to do works from static/js under the Content-Security-Policy
    # (the page fixture fails the test on any violation): the custom period shows its
    # dates, the language switch submits itself.
    page.goto(f"{live_server.url}/reports/rotation_summary/")
    assert page.locator("#custom-period").is_hidden()
    page.locator("#id_period").select_option("custom")
    page.locator("#custom-period").wait_for(state="visible")
    page.locator("#lang").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.get_by_role("link", name="Dashboard").first.is_visible()
