"""400, 403, 404 and 500 pages: the site's layout, the user's language, a way back."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD_LINK = f'href="{reverse("dashboard")}"'


def in_layout(html: str) -> bool:
    """base.html: its style sheets and footer (the menu bar only for a logged-in user)."""
    return "/static/css/app.css" in html and '<footer class="container-fluid' in html


def test_a_missing_page_is_a_vietnamese_404_in_the_layout(login, users):
    response = login(users.officer).get("/no-such-page/")
    assert response.status_code == 404
    html = response.text
    assert in_layout(html) and 'class="navbar-brand' in html and '<html lang="vi">' in html
    assert "Không tìm thấy" in html and DASHBOARD_LINK in html
    assert "The requested resource" not in html  # Django's bare English page


def test_a_404_does_not_tell_an_out_of_scope_record_from_a_missing_one(
    login, users, world, make_official
):
    other_district = make_official(unit=world.units.hu_b, full_name="Trần Văn Khác")
    client = login(users.officer_a)
    hidden = client.get(reverse("official_detail", args=[other_district.pk]))
    missing = client.get(reverse("official_detail", args=[other_district.pk + 10_000]))
    assert hidden.status_code == missing.status_code == 404

    def page(response):  # CSRF tokens differ between any two responses; "next" is the path
        html = response.text.replace(response.wsgi_request.path, "PATH")
        html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert page(hidden) == page(missing)
    assert "Trần Văn Khác" not in hidden.text


def test_a_403_names_the_role_needed(login, users):
    response = login(users.viewer).get(reverse("official_create"))
    assert response.status_code == 403
    html = response.text
    assert in_layout(html)
    assert "Bạn không có quyền thực hiện thao tác này." in html
    assert "Cần vai trò: Chuyên viên (chuẩn bị hồ sơ)" in html
    assert DASHBOARD_LINK in html


def test_error_pages_are_in_english_for_a_user_who_chose_english(login, users):
    client = login(users.viewer)
    client.cookies["django_language"] = "en"
    forbidden = client.get(reverse("official_create"))
    assert forbidden.status_code == 403
    assert '<html lang="en">' in forbidden.text
    assert "You do not have permission to perform this action." in forbidden.text
    assert "Specialist (prepares records)" in forbidden.text
    assert ">Dashboard</a>" in " ".join(forbidden.text.split())
    missing = client.get("/no-such-page/")
    assert '<html lang="en">' in missing.text and "Not found" in missing.text


def test_a_bad_request_is_a_400_page_in_the_layout(client):
    response = client.get(reverse("login"), HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 400
    html = response.text
    assert in_layout(html) and "Yêu cầu không hợp lệ" in html and DASHBOARD_LINK in html


@pytest.mark.urls("tests.security.urls_failing")
def test_a_server_error_is_a_standalone_500_page():
    user = UserFactory(username="someone", is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/failing/")
    assert response.status_code == 500
    html = response.text
    assert "Lỗi hệ thống" in html and 'href="/"' in html
    assert "a bug" not in html and user.username not in html


def test_the_500_page_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en">' in html
