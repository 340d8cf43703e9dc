"""The daily job: applies what is due and raises each alert once."""

import datetime as dt

import pytest
from django.core.management import call_command

from rotation import jobs, services
from rotation.choices import AlertKind, MovementKind
from rotation.models import Alert, Movement

D = dt.date


@pytest.fixture
def approved(world, make_official):
    """A rotation effective 1/1/2022 for 36 months (ends 31/12/2024) and one due 1/8/2025."""
    decision = services.decision_create(
        number="1-QĐ/TU", issued_by=world.units.province, title="Luân chuyển"
    )
    first = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    second = make_official(
        position=world.positions.b_deputy, full_name="Trần Văn Bảo", since=D(2015, 1, 1)
    )
    early = services.movement_add(
        decision=decision,
        official=first,
        kind=MovementKind.ROTATION,
        to_position=world.positions.a1_secretary,
        effective_on=D(2022, 1, 1),
        term_months=36,
    )
    late = services.movement_add(
        decision=decision,
        official=second,
        kind=MovementKind.ROTATION,
        to_position=world.positions.a_secretary,
        effective_on=D(2025, 8, 1),
        term_months=60,
    )
    services.decision_approve(decision=decision, signed_on=D(2021, 12, 1))
    return early, late


def test_applies_due_movements_only(approved):
    early, late = approved
    result = jobs.apply_due_movements(D(2024, 6, 1))
    assert result.applied == 1
    assert Movement.objects.get(pk=early.pk).applied_at is not None
    assert Movement.objects.get(pk=late.pk).applied_at is None


def test_running_twice_raises_each_alert_once(approved):
    first = jobs.apply_due_movements(D(2024, 11, 1))
    assert first.alerts == {AlertKind.ENDING_SOON: 1, AlertKind.MISSING_REVIEW: 2}
    keys = set(Alert.objects.values_list("key", flat=True))
    second = jobs.apply_due_movements(D(2024, 11, 1))
    assert second.applied == 0
    assert second.alerts == {}
    assert set(Alert.objects.values_list("key", flat=True)) == keys


def test_overdue_and_missing_reviews(approved):
    early, _ = approved
    jobs.apply_due_movements(D(2024, 6, 1))
    services.review_record(movement=early, period="annual", year=2022, rating="good")
    result = jobs.apply_due_movements(D(2025, 3, 1))
    assert result.alerts[AlertKind.OVERDUE] == 1
    missing = (
        Alert.objects.open().filter(kind=AlertKind.MISSING_REVIEW).values_list("key", flat=True)
    )
    assert sorted(missing) == [f"missing_review:{early.pk}:2023", f"missing_review:{early.pk}:2024"]
    # The 2022 alert was raised on the first run and resolved once the review was recorded.
    assert Alert.objects.get(key=f"missing_review:{early.pk}:2022").resolved_at is not None
    message = Alert.objects.get(kind=AlertKind.OVERDUE).message
    assert "Nguyễn Văn An" in message and "31/12/2024" in message


def test_retained_rotation_is_no_longer_overdue(approved):
    early, _ = approved
    jobs.apply_due_movements(D(2024, 6, 1))
    services.movement_end(movement=early, outcome="retained", ended_on=D(2024, 12, 31))
    assert AlertKind.OVERDUE not in jobs.apply_due_movements(D(2025, 3, 1)).alerts
    assert not Alert.objects.open().filter(movement=early).exists()


def test_two_term_limit_flags_long_serving_heads(world, make_official):
    make_official(position=world.positions.b_secretary, full_name="Lâu Năm", since=D(2016, 1, 1))
    make_official(position=world.positions.a_secretary, full_name="Mới Đến", since=D(2021, 1, 1))
    result = jobs.apply_due_movements(D(2025, 3, 1))
    assert result.alerts == {AlertKind.TWO_TERM: 1}
    assert "Lâu Năm" in Alert.objects.get().message


def test_a_movement_that_cannot_apply_raises_an_alert_once(world, make_official):
    official = make_official(position=world.positions.a_deputy, since=D(2020, 1, 1))
    decision = services.decision_create(
        number="2-QĐ/TU", issued_by=world.units.province, title="Điều động"
    )
    services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.TRANSFER,
        to_position=world.positions.b_deputy,
        effective_on=D(2025, 1, 1),
    )
    services.decision_approve(decision=decision, signed_on=D(2024, 12, 1))
    # Someone recorded a later posting by hand: the move can no longer apply cleanly.
    from personnel import services as personnel_services

    personnel_services.posting_close(posting=official.current_posting, end_date=D(2025, 2, 28))
    personnel_services.posting_create(
        official=official, org_unit=world.units.hu_b, title="Chuyên viên", start_date=D(2025, 3, 1)
    )
    assert jobs.apply_due_movements(D(2025, 3, 2)).failed == 1
    assert jobs.apply_due_movements(D(2025, 3, 3)).alerts == {}
    assert Alert.objects.filter(kind=AlertKind.APPLY_FAILED).count() == 1


def test_management_command_runs_the_job(approved, capsys):
    call_command("apply_due_movements", "--date", "2024-06-01")
    assert "Đã thi hành: 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_beat_schedule_is_registered():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="rotation.tasks.apply_due_movements")
    assert task.crontab.hour == "1"
