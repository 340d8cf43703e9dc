"""A browser set to English still gets the site in Vietnamese; the menu switches it."""

import pytest

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def english_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_an_english_browser_gets_vietnamese_until_the_user_chooses(
    english_page, live_server, world
):
    page = english_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Tên đăng nhập").fill(world.officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_text("Các chỉ số chính").count() >= 1

    page.locator("select[name=language]").select_option("en")
    page.wait_for_load_state()
    page.get_by_text("Key indicators").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    world.officer.refresh_from_db()
    assert world.officer.language == "en"
