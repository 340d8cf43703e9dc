"""The API's documentation page works in a real browser under our Content-Security-Policy,
from the vendored Swagger UI (no CDN): an officer logged in on the site sees every
operation and tries one with their session."""

import pytest

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_reads_the_api_docs_and_tries_a_list(page, live_server, world):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(world.officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 40
    assert all(url.startswith(live_server.url) for url in requests), "a file from elsewhere"
    block = page.locator(".opblock-get", has_text="/api/v1/decisions/").first
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
