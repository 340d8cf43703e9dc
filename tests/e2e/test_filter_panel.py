"""The officials list's advanced filters: not rendered with the page while closed, fetched
when the panel is first opened, then used as before (the unit autocomplete included)."""

import pytest

from personnel.choices import Gender

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_opening_the_panel_loads_the_filters_which_then_filter(
    page, live_server, world, make_official
):
    make_official(unit=world.units.hu_a, full_name="Nguyễn Thị Lọc", gender=Gender.FEMALE)
    make_official(unit=world.units.hu_a, full_name="Trần Văn Khác", gender=Gender.MALE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(world.officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/officials/")
    assert page.locator("select[name=gender]").count() == 0  # not rendered while closed
    page.get_by_role("button", name="Bộ lọc nâng cao").click()
    gender = page.locator("select[name=gender]")
    gender.wait_for()
    assert page.locator("#official-filters .ts-wrapper").count() >= 1  # the unit autocomplete
    gender.select_option(Gender.FEMALE)
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    page.wait_for_url("**gender=female**")
    assert page.get_by_text("Nguyễn Thị Lọc").count() == 1
    assert page.get_by_text("Trần Văn Khác").count() == 0
    # With a filter in use the panel opens with the page, its fields already there.
    assert page.locator("#official-filters.show select[name=gender]").input_value() == "female"
