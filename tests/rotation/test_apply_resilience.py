"""Applying movements when the database fails midway: the daily job, and a decision by hand.

Each movement is applied in its own transaction with its own retries; one that fails
is recorded (an alert for administrators) and the others go on; a decision applied by
hand says what was applied and what was not, and pressing again completes the rest.
"""

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from accounts.choices import Role
from personnel import services as personnel_services
from personnel.models import Posting
from rotation import jobs, services, tasks
from rotation.choices import AlertKind, MovementKind
from rotation.models import Alert, Movement
from tests.conftest import postgres_only
from tests.factories import PositionFactory, UserFactory

D = dt.date
TODAY = D(2025, 9, 1)
NAMES = ("Nguyễn Văn An", "Trần Văn Bảo", "Lê Văn Cường")


def approved_decision(world, make_official, names=NAMES, number="5-QĐ/TU", on=D(2025, 8, 1)):
    """A decision moving each named official (a provincial clerk) to a post of district A."""
    decision = services.decision_create(
        number=number, issued_by=world.units.province, title="Điều động cán bộ"
    )
    for name in names:
        official = make_official(full_name=name, since=D(2020, 1, 1), planned=False)
        services.movement_add(
            decision=decision,
            official=official,
            kind=MovementKind.TRANSFER,
            to_position=PositionFactory(org_unit=world.units.hu_a, title=f"Chuyên viên {name}"),
            effective_on=on,
        )
    services.decision_approve(decision=decision, signed_on=D(2025, 7, 1), notify=False)
    return decision


def movement_of(decision, name) -> Movement:
    return decision.movements.get(official__full_name=name)


@pytest.fixture
def drop_connection_for(monkeypatch):
    """Make opening the new posting of the named official fail as a dropped connection.

    ``times`` failures, then it works again. The previous posting has already been
    closed in that transaction when it fails: the rollback must undo it.
    """
    real = personnel_services.posting_create
    calls: dict[str, int] = {}

    def arm(name, times=10**6):
        def posting_create(*, official, **kwargs):
            if official.full_name == name:
                calls[name] = calls.get(name, 0) + 1
                if calls[name] <= times:
                    raise OperationalError("server closed the connection unexpectedly")
            return real(official=official, **kwargs)

        monkeypatch.setattr(personnel_services, "posting_create", posting_create)
        return calls

    arm.disarm = lambda: monkeypatch.setattr(personnel_services, "posting_create", real)
    return arm


def open_postings(official_id) -> int:
    return Posting.objects.filter(official_id=official_id, end_date__isnull=True).count()


# --- the daily job -----------------------------------------------------------------


def test_one_failing_movement_does_not_stop_the_others(world, make_official, drop_connection_for):
    decision = approved_decision(world, make_official)
    calls = drop_connection_for("Trần Văn Bảo")
    result = jobs.apply_due_movements(TODAY)

    assert (result.applied, result.failed) == (2, 1)
    assert calls["Trần Văn Bảo"] == services.APPLY_ATTEMPTS  # retried, then given up
    failed = movement_of(decision, "Trần Văn Bảo")
    assert failed.applied_at is None
    # Its transaction rolled back: the clerk's posting is still open, nothing new opened.
    assert open_postings(failed.official_id) == 1
    assert failed.official.postings.get().end_date is None
    for name in ("Nguyễn Văn An", "Lê Văn Cường"):
        assert movement_of(decision, name).applied_at is not None
    assert result.failures == [{"movement": failed.pk, "reason": result.failures[0]["reason"]}]
    assert "mất kết nối cơ sở dữ liệu" in result.failures[0]["reason"]

    alert = Alert.objects.get(kind=AlertKind.APPLY_FAILED)
    assert alert.movement == failed and alert.resolved_at is None
    assert "5-QĐ/TU" in alert.message and "mất kết nối" in alert.message
    assert result.alerts[AlertKind.APPLY_FAILED] == 1
    administrator = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
    assert Alert.objects.for_user(administrator).filter(pk=alert.pk).exists()

    # The next run applies it and closes the alert; the others are not applied twice.
    drop_connection_for.disarm()
    again = jobs.apply_due_movements(TODAY)
    assert (again.applied, again.failed) == (1, 0)
    assert movement_of(decision, "Trần Văn Bảo").applied_at is not None
    assert Alert.objects.get(pk=alert.pk).resolved_at is not None
    assert Posting.objects.filter(basis="5-QĐ/TU").count() == 3


def test_a_connection_that_drops_once_is_retried_within_the_run(
    world, make_official, drop_connection_for
):
    decision = approved_decision(world, make_official)
    calls = drop_connection_for("Trần Văn Bảo", times=1)
    result = jobs.apply_due_movements(TODAY)
    assert (result.applied, result.failed) == (3, 0)
    assert calls["Trần Văn Bảo"] == 2
    assert not decision.movements.filter(applied_at__isnull=True).exists()
    assert not Alert.objects.filter(kind=AlertKind.APPLY_FAILED).exists()


def test_alerts_are_computed_after_the_movements_even_when_one_fails(
    world, make_official, drop_connection_for
):
    """A rotation applied in this run is already "serving" when the alerts are computed."""
    decision = services.decision_create(
        number="6-QĐ/TU", issued_by=world.units.province, title="Luân chuyển"
    )
    for name, position in (
        ("Nguyễn Văn An", world.positions.a1_secretary),
        ("Trần Văn Bảo", world.positions.b_deputy),
    ):
        services.movement_add(
            decision=decision,
            official=make_official(full_name=name, since=D(2019, 1, 1)),
            kind=MovementKind.ROTATION,
            to_position=position,
            effective_on=D(2022, 1, 1),
            term_months=36,
        )
    services.decision_approve(decision=decision, signed_on=D(2021, 12, 1), notify=False)
    drop_connection_for("Trần Văn Bảo")
    result = jobs.apply_due_movements(D(2024, 11, 1))
    assert (result.applied, result.failed) == (1, 1)
    applied = movement_of(decision, "Nguyễn Văn An")
    assert result.alerts[AlertKind.ENDING_SOON] == 1
    assert Alert.objects.get(kind=AlertKind.ENDING_SOON).movement == applied


def test_alert_computation_is_retried_on_a_dropped_connection(world, make_official, monkeypatch):
    approved_decision(world, make_official)
    failures = iter([OperationalError("connection lost")])
    real = jobs.overdue

    def flaky(today, params):
        error = next(failures, None)
        if error:
            raise error
        return real(today, params)

    monkeypatch.setattr(jobs, "ALERT_SOURCES", [jobs.ending_soon, flaky, jobs.two_term_limit])
    result = jobs.apply_due_movements(TODAY)
    assert result.applied == 3 and result.failed == 0


def test_the_task_retries_when_the_job_loses_the_database(monkeypatch):
    outcomes = iter([OperationalError("connection lost"), jobs.JobResult(applied=2)])

    def job():
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(jobs, "apply_due_movements", job)
    result = tasks.apply_due_movements.apply(throw=False)
    assert result.successful()
    assert result.get()["applied"] == 2
    assert tasks.apply_due_movements.max_retries >= 1


# --- a decision applied by hand ----------------------------------------------------


def test_service_reports_each_movement_and_a_second_press_completes(
    world, make_official, drop_connection_for
):
    decision = approved_decision(world, make_official)
    drop_connection_for("Trần Văn Bảo")
    report = services.decision_apply_due(decision=decision, by=world.officer, today=TODAY)
    assert [o.movement.official.full_name for o in report.applied] == [
        "Nguyễn Văn An",
        "Lê Văn Cường",
    ]
    assert [(o.movement.official.full_name, o.status) for o in report.not_applied] == [
        ("Trần Văn Bảo", services.ApplyStatus.FAILED)
    ]
    drop_connection_for.disarm()
    second = services.decision_apply_due(decision=decision, by=world.officer, today=TODAY)
    assert [o.movement.official.full_name for o in second.applied] == ["Trần Văn Bảo"]
    assert second.not_applied == [] and second.already_applied == []
    third = services.decision_apply_due(decision=decision, by=world.officer, today=TODAY)
    assert third.outcomes == []  # nothing left: nothing applied twice
    assert Posting.objects.filter(basis="5-QĐ/TU").count() == 3


def test_a_refused_movement_is_reported_with_its_reason(world, make_official):
    decision = approved_decision(world, make_official, names=NAMES[:2])
    refused = movement_of(decision, "Trần Văn Bảo")
    # Someone recorded a later posting by hand: the move can no longer apply cleanly.
    official = refused.official
    personnel_services.posting_close(posting=official.postings.get(), end_date=D(2025, 8, 9))
    personnel_services.posting_create(
        official=official, org_unit=world.units.hu_b, title="Chuyên viên", start_date=D(2025, 8, 10)
    )
    report = services.decision_apply_due(decision=decision, by=world.officer, today=TODAY)
    assert [o.movement.pk for o in report.applied] == [movement_of(decision, "Nguyễn Văn An").pk]
    (outcome,) = report.not_applied
    assert outcome.status == services.ApplyStatus.REFUSED and outcome.reason


def test_the_page_says_what_was_applied_and_a_second_press_completes(
    client, world, make_official, drop_connection_for
):
    decision = approved_decision(world, make_official, on=D(2025, 1, 1))
    client.force_login(world.officer)
    target = reverse("decision_apply", args=[decision.pk])
    drop_connection_for("Trần Văn Bảo")

    response = client.post(target, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã thi hành 2 lượt: Nguyễn Văn An, Lê Văn Cường" in page
    assert "Chưa thi hành được lượt của Trần Văn Bảo: mất kết nối cơ sở dữ liệu" in page
    assert "bấm “Thi hành” lại để thi hành 1 lượt còn lại" in page
    assert decision.movements.filter(applied_at__isnull=True).count() == 1

    drop_connection_for.disarm()
    page = client.post(target, follow=True).content.decode()
    assert "Đã thi hành 1 lượt: Trần Văn Bảo" in page
    assert "Chưa thi hành được" not in page
    assert not decision.movements.filter(applied_at__isnull=True).exists()
    page = client.post(target, follow=True).content.decode()
    assert "Không có lượt nào đã đến ngày hiệu lực mà chưa thi hành." in page
    assert Posting.objects.filter(basis="5-QĐ/TU").count() == 3


def test_the_admin_action_uses_the_same_service(client, world, make_official, drop_connection_for):
    decision = approved_decision(world, make_official, on=D(2025, 1, 1))
    world.officer.is_staff = True
    world.officer.save()
    client.force_login(world.officer)
    drop_connection_for("Trần Văn Bảo")
    changelist = reverse("admin:rotation_decision_changelist")
    data = {"action": "apply_due", "_selected_action": [decision.pk]}
    page = client.post(changelist, data, follow=True).content.decode()
    assert "5-QĐ/TU: Đã thi hành 2 lượt: Nguyễn Văn An, Lê Văn Cường" in page
    assert "5-QĐ/TU: Chưa thi hành được lượt của Trần Văn Bảo" in page
    drop_connection_for.disarm()
    page = client.post(changelist, data, follow=True).content.decode()
    assert "5-QĐ/TU: Đã thi hành 1 lượt: Trần Văn Bảo" in page
    assert not decision.movements.filter(applied_at__isnull=True).exists()


# --- PostgreSQL: real dropped connections, real concurrent jobs ---------------------


@postgres_only()
@pytest.mark.django_db(transaction=True)
class TestOnPostgres:
    def test_a_connection_killed_midway_answers_with_a_message_not_a_500(
        self, client, world, make_official, monkeypatch
    ):
        """The server ends the session while a movement is half applied (posting closed)."""
        decision = approved_decision(world, make_official, on=D(2025, 1, 1))
        real = personnel_services.posting_create
        kills = {"left": services.APPLY_ATTEMPTS}

        def posting_create(*, official, **kwargs):
            if official.full_name == "Trần Văn Bảo" and kills["left"]:
                kills["left"] -= 1
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return real(official=official, **kwargs)

        monkeypatch.setattr(personnel_services, "posting_create", posting_create)
        client.force_login(world.officer)
        target = reverse("decision_apply", args=[decision.pk])
        response = client.post(target, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Đã thi hành 2 lượt: Nguyễn Văn An, Lê Văn Cường" in page
        assert "Chưa thi hành được lượt của Trần Văn Bảo" in page
        bao = movement_of(decision, "Trần Văn Bảo")
        assert bao.applied_at is None and open_postings(bao.official_id) == 1

        page = client.post(target, follow=True).content.decode()  # the server is back
        assert "Đã thi hành 1 lượt: Trần Văn Bảo" in page
        assert Posting.objects.filter(basis="5-QĐ/TU").count() == 3

    def test_a_job_whose_connection_is_killed_once_applies_everything(
        self, world, make_official, monkeypatch
    ):
        decision = approved_decision(world, make_official)
        real = personnel_services.posting_create
        kills = {"left": 1}

        def posting_create(*, official, **kwargs):
            if official.full_name == "Trần Văn Bảo" and kills["left"]:
                kills["left"] -= 1
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
            return real(official=official, **kwargs)

        monkeypatch.setattr(personnel_services, "posting_create", posting_create)
        result = jobs.apply_due_movements(TODAY)
        assert (result.applied, result.failed) == (3, 0)
        assert not decision.movements.filter(applied_at__isnull=True).exists()

    def test_two_concurrent_jobs_count_each_movement_once(self, world, make_official):
        names = [f"Cán Bộ {i:02d}" for i in range(12)]
        decision = approved_decision(world, make_official, names=names)
        barrier = threading.Barrier(2)
        results, errors = [], []

        def run():
            from django.db import connection as thread_connection

            try:
                barrier.wait()
                results.append(jobs.apply_due_movements(TODAY))
            except Exception as error:  # noqa: BLE001 - reported to the test
                errors.append(repr(error))
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert sum(r.applied for r in results) == len(names)
        assert all(r.failed == 0 for r in results)
        assert not decision.movements.filter(applied_at__isnull=True).exists()
        assert Posting.objects.filter(basis="5-QĐ/TU").count() == len(names)
