"""The maintained movement summary: equal to the live computation after every change that
the services make, read by rotation_summary in a fixed number of queries, stale (and
computed live) after the unit tree changed, and checked nightly for drift."""

import datetime as dt
import itertools

import pytest

from personnel import services_units
from personnel.models import OrgUnit
from reports import registry
from reports.definitions.rotation_summary import live_figures, summary_figures
from rotation import services, summary
from rotation.choices import MovementKind
from rotation.models import MovementSummary, MovementSummaryStatus
from rotation.reorganisations import reorganisation_apply
from rotation.summary import (
    _stored,
    is_readable,
    scope_rows,
    summarised_units,
    summary_rebuild,
)
from tests.conftest import postgres_only
from tests.reports.test_rotation_summary import term  # noqa: F401 - shared fixture
from tests.rotation.test_concurrency import run_in_threads
from tests.rotation.test_reorganisations import TODAY, communes, merge_communes  # noqa: F401

D = dt.date
PERIODS = [
    (D(2020, 10, 1), D(2022, 12, 31)),  # whole months only
    (D(2020, 10, 1), D(2025, 11, 21)),  # ends mid-month: the last days from day rows
    (D(2021, 2, 1), D(2021, 2, 1)),  # one day
    (D(2021, 1, 15), D(2022, 6, 15)),  # ragged at both ends
    (D(2021, 2, 2), D(2022, 5, 31)),  # starts the day after movements
    (D(2022, 6, 1), D(2022, 6, 30)),  # the second movement of a cadre alone
    (D(2021, 3, 1), D(2021, 3, 31)),
]
PARAMS = [
    {},
    {"kind": "all"},
    {"kind": "transfer"},
    {"kind": "reorganisation"},
    {"tier": "provincial_standing"},
    {"tier": "district_standing"},
    {"kind": "all", "tier": "provincial_standing"},
]


def context(scope, date_from, date_to, **params):
    definition = registry.get("rotation_summary")
    return registry.Context(
        scope, date_from, date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )


def assert_summary_equals_live(scopes, periods=PERIODS, params=PARAMS):
    for scope, (date_from, date_to), extra in itertools.product(scopes, periods, params):
        ctx = context(scope, date_from, date_to, **extra)
        read = summary_figures(ctx)
        assert read is not None, scope
        assert read == live_figures(ctx), (scope, date_from, date_to, extra)


def assert_rows_current():
    """Every summarised scope's stored rows equal those computed from the movements."""
    for scope in summarised_units():
        assert _stored(scope.pk) == +scope_rows(scope), scope


def summary_scopes(world):
    return [
        world.units.province,
        world.units.hu_a,
        world.units.hu_b,
        world.units.ubnd_a,
        world.units.finance,
    ]


def test_the_summary_gives_the_live_figures_for_every_scope_period_and_parameter(term):  # noqa: F811
    assert_rows_current()
    assert_summary_equals_live(summary_scopes(term))


def test_units_below_the_district_level_and_todays_units_are_computed_live(term):  # noqa: F811
    assert summary_figures(context(term.units.xa_a1, *PERIODS[0])) is None
    assert summary_figures(context(term.units.province, *PERIODS[0], geography="today")) is None
    assert summary_figures(context(term.units.province, D(2022, 1, 2), D(2022, 1, 1))) is None


def test_the_report_reads_the_summary_in_two_queries(term, django_assert_num_queries):  # noqa: F811
    definition = registry.get("rotation_summary")
    ctx = context(term.units.province, *PERIODS[1], kind="all")
    with django_assert_num_queries(2):  # readable? + the rows
        result = definition.compute(ctx).as_dict()
    assert result["total_cadres"] == 7


def test_approve_and_cancel_keep_the_summary_current(term, make_official, move):  # noqa: F811
    p = term.positions
    late = make_official(position=p.b_deputy, full_name="Mười một")
    movement = move(late, p.a_deputy, D(2021, 2, 20), status="draft")
    assert_rows_current()
    services.decision_approve(decision=movement.decision, signed_on=D(2021, 2, 10))
    assert_rows_current()
    assert_summary_equals_live(summary_scopes(term), PERIODS[:2], PARAMS[:2])
    services.decision_cancel(decision=movement.decision, reason="Ban hành nhầm")
    assert_rows_current()
    assert_summary_equals_live(summary_scopes(term), PERIODS[:2], PARAMS[:2])


def test_apply_and_end_of_rotation_change_nothing_counted(term, make_official, move):  # noqa: F811
    p = term.positions
    official = make_official(position=p.b_deputy, full_name="Mười hai")
    movement = move(official, p.a_deputy, D(2021, 4, 1))
    before = MovementSummary.objects.count()
    services.movement_apply(movement=movement, today=D(2021, 4, 1))
    movement.refresh_from_db()
    services.movement_end(movement=movement, outcome="returned", ended_on=D(2022, 4, 1))
    assert MovementSummary.objects.count() == before
    assert_rows_current()


def test_a_reorganisation_keeps_the_summary_current(communes):  # noqa: F811
    reorganisation = merge_communes(communes)
    reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
    assert MovementSummary.objects.filter(kind=MovementKind.REORGANISATION).exists()
    assert_rows_current()
    world = communes.world
    assert_summary_equals_live(
        [world.units.province, world.units.hu_a],
        [(D(2025, 1, 1), D(2025, 12, 31)), (D(2025, 7, 1), D(2025, 7, 1))],
        [{"kind": "all"}, {"kind": "reorganisation"}],
    )


def test_moving_a_unit_makes_reports_live_until_the_rebuild(
    term,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    units = term.units
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services_units.org_unit_update(unit=units.hu_b, parent=units.hu_a)
    assert len(callbacks) == 1  # the rebuild, queued
    assert not is_readable()
    assert summary_figures(context(units.hu_a, *PERIODS[0])) is None
    assert summary_rebuild() == 0  # expected differences, not drift
    status = MovementSummaryStatus.objects.get()
    assert status.stale_since is None and "Dựng lại" in status.detail
    assert_rows_current()
    assert_summary_equals_live([units.province, OrgUnit.objects.get(pk=units.hu_a.pk)])


def test_the_nightly_check_reports_and_repairs_drift(term, monkeypatch):  # noqa: F811
    warnings = []
    monkeypatch.setattr(summary.logger, "warning", lambda *args: warnings.append(args))
    row = MovementSummary.objects.filter(scope=term.units.hu_a).first()
    MovementSummary.objects.filter(pk=row.pk).update(movements=row.movements + 3)
    assert summary_rebuild() == 1
    status = MovementSummaryStatus.objects.get()
    assert status.drift == 1 and status.checked_at is not None
    assert term.units.hu_a.code in status.detail
    assert warnings and "drift" in warnings[0][0]
    assert_rows_current()
    assert summary_rebuild() == 0


def test_the_check_is_scheduled_nightly():
    from config.schedules import SCHEDULES

    assert any(e["task"] == "rotation.tasks.rebuild_movement_summary" for e in SCHEDULES)


def test_the_task_rebuilds(term):  # noqa: F811
    from rotation.tasks import rebuild_movement_summary

    MovementSummary.objects.all().delete()
    MovementSummaryStatus.objects.update(stale_since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert rebuild_movement_summary.apply().get() == 0
    assert is_readable()
    assert_rows_current()


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_about_one_official_keep_the_summary_current(world, make_official):
    """Two decisions moving the same cadre, approved at once from two connections: each
    one's difference is computed after the other's has committed."""
    p = world.positions
    official = make_official(position=p.b_deputy, full_name="Song song")
    decisions = []
    for number, (position, day) in enumerate(
        [(p.a_deputy, D(2021, 3, 1)), (p.province_deputy, D(2021, 3, 20))], start=1
    ):
        decision = services.decision_create(
            number=f"{number}-QĐ/SS", issued_by=world.units.province, title="Luân chuyển"
        )
        services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.ROTATION,
            to_position=position,
            effective_on=day,
            term_months=36,
        )
        decisions.append(decision)
    outcomes = run_in_threads(
        [
            lambda d=decision: services.decision_approve(decision=d, signed_on=D(2021, 2, 1))
            for decision in decisions
        ]
    )
    assert outcomes == ["ok", "ok"]
    assert_rows_current()
    assert summary_rebuild() == 0


def test_the_status_is_shown_to_superusers_who_may_queue_a_rebuild(
    term,  # noqa: F811
    admin_client,
    client,
    monkeypatch,
):
    from django.urls import reverse

    from rotation import tasks
    from tests.factories import UserFactory

    queued = []
    monkeypatch.setattr(tasks.rebuild_movement_summary, "delay", lambda: queued.append(1))
    url = reverse("admin:rotation_movementsummarystatus_changelist")
    status = MovementSummaryStatus.objects.get()
    response = admin_client.post(
        url, {"action": "rebuild", "_selected_action": [status.pk]}, follow=True
    )
    assert response.status_code == 200 and queued == [1]
    assert "Đã xếp hàng dựng lại" in response.content.decode()
    staff = UserFactory(username="staff_admin", is_staff=True, scope=term.units.province)
    client.force_login(staff)
    assert client.get(url).status_code == 403
