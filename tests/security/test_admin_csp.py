"""Django admin under the Content-Security-Policy: no page needs inline script or style."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from reports import services as reports_services
from tests.security.test_headers import inline_code

pytestmark = pytest.mark.django_db

# django-celery-beat's periodic task form carries an inline script that only turns the
# crontab's help into words; blocked, the form works the same.
KNOWN_OPTIONAL = {("django_celery_beat", "periodictask", "add")}


def admin_pages():
    for model in admin.site._registry:
        meta = model._meta
        for page in ("changelist", "add"):
            if (meta.app_label, meta.model_name, page) in KNOWN_OPTIONAL:
                continue
            try:
                yield reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}")
            except NoReverseMatch:
                continue


def test_every_admin_list_and_add_page_needs_no_inline_script_or_style(admin_client):
    found = {}
    for url in [reverse("admin:index"), *admin_pages()]:
        response = admin_client.get(url)
        if response.status_code == 200:
            code = inline_code(response.content.decode())
            if code:
                found[url] = sorted(set(code))
    assert found == {}


def test_a_report_run_page_in_admin_needs_no_inline_style(admin_client, world, make_official, move):
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, dt.date(2021, 3, 1))
    run = reports_services.report_request(
        report="rotation_summary",
        scope=world.units.province,
        date_from=dt.date(2020, 10, 1),
        date_to=dt.date(2022, 12, 31),
        enqueue=False,
    )
    run = reports_services.report_run_execute(run_id=run.pk, today=dt.date(2023, 1, 1))
    html = admin_client.get(reverse("admin:reports_reportrun_change", args=[run.pk])).text
    assert run.result["sentence"] in html
    assert inline_code(html) == []
