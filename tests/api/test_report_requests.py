"""Asking for a report through the API: the report pages' request (``report_request``),
answered at once with the run; the workers compute it and the run is read back with its
result. Any staff role may ask (as on the pages), for a unit of its scope only; bad
requests are 400 with the field named and leave no run behind."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from config.api_urls import router
from reports.choices import RunStatus
from reports.models import ReportRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "api:report-run-list"


def body(world, **changes):
    return {
        "report": "tenure_watchlist",
        "scope": world.units.hu_a.pk,
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "params": {"months": 6},
        **changes,
    }


def test_a_viewer_asks_for_a_report_and_reads_it_back_computed(
    api, world, make_official, django_capture_on_commit_callbacks
):
    make_official(position=world.positions.a_deputy, full_name="Trần Văn An")
    viewer = UserFactory(username="viewer_a", scope=world.units.hu_a, role=Role.VIEWER)
    client = api(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(LIST), body(world), format="json")
    assert response.status_code == 202, response.content
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("api:report-run-detail", args=[run.pk])
    assert (run.report, run.scope_id, run.requested_by_id) == (
        "tenure_watchlist",
        world.units.hu_a.pk,
        viewer.pk,
    )
    assert run.params["months"] == 6 and run.params["long_tenure_years"] == 5
    detail = client.get(response["Location"]).json()
    assert detail["status"] == RunStatus.SUCCEEDED
    assert detail["result"] == ReportRun.objects.get().result and detail["result"]


def test_the_same_request_in_flight_is_answered_with_that_run(api, users, world):
    first = api(users.officer_a).post(reverse(LIST), body(world), format="json")
    again = api(users.officer).post(reverse(LIST), body(world), format="json")
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert ReportRun.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"report": "no_such_report"}, "report"),
        ({"date_from": "2026-01-01"}, "date_from"),  # after date_to
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "2025-02-30"}, "date_to"),
        ({"params": {"months": 10**30}}, "months"),
        ({"params": {"months": "mười"}}, "months"),
        ({"params": {"unknown": 1}}, "non_field_errors"),
        ({"params": ["months"]}, "params"),
        ({"report": "x" * 10_000}, "report"),
        ({"report": "tenure\x00watchlist"}, "report"),
    ],
)
def test_a_bad_request_is_refused_with_its_field_and_leaves_no_run(
    api, users, world, changes, field
):
    response = api(users.officer_a).post(reverse(LIST), body(world, **changes), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not ReportRun.objects.exists()


def test_a_unit_outside_the_scope_does_not_exist_for_the_asker(api, users, world):
    response = api(users.officer_a).post(
        reverse(LIST), body(world, scope=world.units.hu_b.pk), format="json"
    )
    assert response.status_code == 400 and "scope" in response.json()
    assert not ReportRun.objects.exists()


def test_runs_are_asked_for_not_changed():
    """Report runs are created only (no PATCH/PUT); every other writable resource has
    its create and update in tests/api/test_every_resource.py."""
    create_only = {
        basename
        for _prefix, viewset, basename in router.registry
        if hasattr(viewset, "create") and not hasattr(viewset, "update")
    }
    assert create_only == {"report-run"}


@pytest.mark.parametrize("months", [1e400, float("-inf"), 6.5, True], ids=repr)
def test_parameters_that_are_not_whole_numbers_are_refused(api, users, world, months):
    import json

    payload = (
        json.dumps(body(world, params={"months": 1}))
        .replace('"months": 1', f'"months": {json.dumps(months) if months is not True else "true"}')
        .replace("Infinity", "1e400")
    )
    response = api(users.officer_a).generic(
        "POST", reverse(LIST), payload, content_type="application/json"
    )
    assert response.status_code == 400 and "months" in response.json(), response.content
    assert not ReportRun.objects.exists()
