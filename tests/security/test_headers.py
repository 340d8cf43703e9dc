"""Response headers: Content-Security-Policy, Permissions-Policy, no caching of personal pages."""

import datetime as dt
import re

import pytest
from django.http import HttpResponse
from django.urls import reverse

from config.middleware import NoStoreForUsersMiddleware
from reports import services as reports_services

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
STAFF_PAGES = [
    "dashboard",
    "official_list",
    "unit_tree",
    "decision_list",
    "report_catalogue",
    "subscription_list",
    "alert_list",
]


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_the_login_page_has_the_content_security_policy(client):
    response = client.get(reverse("login"))
    assert directives(response) == EXPECTED_CSP
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_every_staff_page_has_the_csp_and_is_never_cached(login, users, name):
    response = login(users.officer).get(reverse(name))
    assert response.status_code == 200
    assert directives(response) == EXPECTED_CSP
    cache_control = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_admin_pages_have_the_csp_and_are_never_cached(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert directives(response) == EXPECTED_CSP
    assert "no-store" in response["Cache-Control"]


def test_downloads_are_never_cached(login, users):
    response = login(users.officer).get(reverse("official_export") + "?format=csv")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_error_pages_have_the_csp(login, users):
    response = login(users.officer).get("/no-such-page/")
    assert response.status_code == 404
    assert directives(response) == EXPECTED_CSP


def test_permissions_policy_denies_camera_microphone_location_payment_usb(client):
    header = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"


def test_static_files_stay_cacheable_for_logged_in_users(rf, users):
    def static_file(request):
        response = HttpResponse("body { }", content_type="text/css")
        response["Cache-Control"] = "max-age=60, public"
        return response

    request = rf.get("/static/css/app.css")
    request.user = users.officer
    response = NoStoreForUsersMiddleware(static_file)(request)
    assert response["Cache-Control"] == "max-age=60, public"


def test_frames_and_sniffing_are_refused(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


# Markup the policy blocks: inline scripts (JSON data blocks are fine), style elements
# and attributes, inline event handlers, javascript: URLs.
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style[\s>]", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def inline_code(html: str) -> list[str]:
    return [m.group(0) for pattern in INLINE for m in pattern.finditer(html)]


@pytest.mark.parametrize("name", [*STAFF_PAGES, "login"])
def test_staff_pages_need_no_inline_script_or_style(client, login, users, name):
    if name != "login":
        client = login(users.officer)
    html = client.get(reverse(name)).text
    assert inline_code(html) == []


def test_report_pages_need_no_inline_script_or_style(login, users, world, make_official, move):
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, dt.date(2021, 3, 1))
    client = login(users.officer)
    assert inline_code(client.get(reverse("report_run", args=["rotation_summary"])).text) == []
    run = reports_services.report_request(
        report="rotation_summary",
        scope=world.units.province,
        date_from=dt.date(2020, 10, 1),
        date_to=dt.date(2022, 12, 31),
        requested_by=users.officer,
        enqueue=False,
    )
    page = reverse("report_run_detail", args=[run.pk])
    assert inline_code(client.get(page).text) == []  # in progress, polling
    reports_services.report_run_execute(run_id=run.pk, today=dt.date(2023, 1, 1))
    result = client.get(page).text
    assert 'data-chart="result-chart"' in result
    assert inline_code(result) == []
