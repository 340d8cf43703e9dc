"""Applying approved movements and ending rotations through rotation.services: who may,
which movements are due on a day, what a report counts, what a retry logs, and which
rotations a later move ends."""

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection

from accounts.choices import Role
from personnel import services as personnel_services
from rotation import services, services_apply
from rotation.choices import MovementKind, MovementOutcome
from rotation.models import Movement
from tests.factories import UserFactory

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="31-QĐ/TU",
        issued_by=world.units.province,
        title="Luân chuyển cán bộ",
        created_by=world.officer,
    )


@pytest.fixture
def secretary_a(world, make_official):
    return make_official(position=world.positions.a_secretary, since=D(2020, 1, 1))


@pytest.fixture
def secretary_b(world, make_official):
    return make_official(position=world.positions.b_secretary, since=D(2019, 6, 1))


@pytest.fixture
def outsider(world):
    return UserFactory(scope=world.units.hu_b, role=Role.OFFICER)


@pytest.fixture
def viewer(world):
    return UserFactory(scope=world.units.province, role=Role.VIEWER)


def add(decision, official, position, kind=MovementKind.ROTATION, on=D(2022, 1, 1), term=36):
    return services.movement_add(
        decision=decision,
        official=official,
        kind=kind,
        to_position=position,
        effective_on=on,
        term_months=term,
    )


def approve(decision, signed_on=D(2021, 12, 1)):
    services.decision_approve(decision=decision, signed_on=signed_on, notify=False)


@pytest.fixture
def approved(world, decision, secretary_a):
    """An approved rotation of A's secretary to B's deputy post, effective 01/01/2022."""
    movement = add(decision, secretary_a, world.positions.b_deputy)
    approve(decision)
    return movement


def fresh(movement):
    return Movement.objects.get(pk=movement.pk)


class TestWhoApplies:
    def test_a_viewer_cannot_apply(self, approved, viewer):
        with pytest.raises(PermissionDenied):
            services.movement_apply(movement=approved, today=D(2022, 1, 1), by=viewer)
        assert fresh(approved).applied_at is None

    def test_an_outsider_cannot_apply(self, approved, outsider):
        with pytest.raises(PermissionDenied):
            services.movement_apply(movement=approved, today=D(2022, 1, 1), by=outsider)
        assert fresh(approved).applied_at is None

    def test_a_viewer_cannot_apply_a_decision(self, decision, approved, viewer):
        for today in (D(2021, 12, 31), D(2022, 1, 1)):  # nothing due yet, then due
            with pytest.raises(PermissionDenied):
                services.decision_apply_due(decision=decision, today=today, by=viewer)
        assert fresh(approved).applied_at is None

    def test_an_outsider_cannot_apply_a_decision(self, decision, approved, outsider):
        for today in (D(2021, 12, 31), D(2022, 1, 1)):  # nothing due yet, then due
            with pytest.raises(PermissionDenied):
                services.decision_apply_due(decision=decision, today=today, by=outsider)
        assert fresh(approved).applied_at is None


class TestApplyOutcome:
    def test_a_second_apply_is_reported_as_already_applied(self, approved):
        first = services.movement_apply_retrying(movement=approved, today=D(2022, 1, 1))
        second = services.movement_apply_retrying(movement=approved, today=D(2022, 1, 1))
        assert (first.status, second.status) == (
            services.ApplyStatus.APPLIED,
            services.ApplyStatus.ALREADY_APPLIED,
        )
        assert first.applied and not first.not_applied
        assert not second.applied and not second.not_applied

    def test_a_refused_movement_is_not_applied(self, approved):
        outcome = services.movement_apply_retrying(movement=approved, today=D(2021, 12, 31))
        assert outcome.status == services.ApplyStatus.REFUSED
        assert outcome.not_applied and not outcome.applied


class TestRetries:
    @pytest.fixture
    def log(self):
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(record)

        logger = logging.getLogger(services_apply.__name__)
        handler = Keep(level=logging.DEBUG)
        old_level = logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        yield records
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    def failing(self, monkeypatch, error):
        calls = []

        def apply(**kwargs):
            calls.append(kwargs)
            raise error

        monkeypatch.setattr(services_apply, "_movement_apply", apply)
        return calls

    def test_each_dropped_connection_is_logged_and_reset(self, approved, monkeypatch, log):
        calls = self.failing(monkeypatch, OperationalError("server closed the connection"))
        resets = []
        monkeypatch.setattr(services_apply, "reset_broken_connection", lambda: resets.append(1))
        outcome = services.movement_apply_retrying(movement=approved, today=D(2022, 1, 1))
        assert outcome.status == services.ApplyStatus.FAILED
        assert len(calls) == len(resets) == services.APPLY_ATTEMPTS
        warnings = [r for r in log if r.levelno == logging.WARNING]
        assert len(warnings) == services.APPLY_ATTEMPTS

    def test_a_data_error_is_logged_with_its_traceback_and_not_retried(
        self, approved, monkeypatch, log
    ):
        calls = self.failing(monkeypatch, IntegrityError("duplicate key"))
        outcome = services.movement_apply_retrying(movement=approved, today=D(2022, 1, 1))
        assert outcome.status == services.ApplyStatus.FAILED
        assert len(calls) == 1
        errors = [r for r in log if r.levelno == logging.ERROR]
        assert len(errors) == 1 and errors[0].exc_info


class TestResetConnection:
    @pytest.fixture
    def closes(self, monkeypatch):
        calls = []
        monkeypatch.setattr(connection, "close", lambda: calls.append(1))
        return calls

    def test_the_connection_of_a_callers_transaction_is_kept(self, db, closes):
        assert connection.in_atomic_block  # the test's transaction
        services.reset_broken_connection()
        assert closes == []

    def test_a_connection_outside_a_transaction_is_closed(self, db, closes):
        saved = connection.in_atomic_block
        connection.in_atomic_block = False  # as in the daily job, outside any atomic block
        try:
            services.reset_broken_connection()
        finally:
            connection.in_atomic_block = saved
        assert closes == [1]


class TestApplyDue:
    def test_only_an_approved_decision_is_applied(self, world, decision, secretary_a):
        movement = add(decision, secretary_a, world.positions.b_deputy)
        with pytest.raises(ValidationError, match="đã ban hành"):
            services.decision_apply_due(decision=decision, today=D(2022, 1, 1))
        assert fresh(movement).applied_at is None

    def test_the_decision_given_is_the_one_applied(self, world, approved, make_official):
        other = services.decision_create(
            number="32-QĐ/TU", issued_by=world.units.province, title="Điều động"
        )
        clerk = make_official(since=D(2020, 1, 1), planned=False)
        elsewhere = add(other, clerk, world.positions.a1_secretary, kind=MovementKind.TRANSFER)
        approve(other)
        report = services.decision_apply_due(decision=other, today=D(2022, 1, 1))
        assert [o.movement.pk for o in report.applied] == [elsewhere.pk]
        assert fresh(approved).applied_at is None

    def test_a_movement_is_due_on_its_effective_date_and_later_ones_wait(
        self, world, decision, secretary_a, secretary_b
    ):
        today = add(decision, secretary_a, world.positions.b_deputy, on=D(2022, 1, 1))
        later = add(decision, secretary_b, world.positions.a_deputy, on=D(2022, 1, 2))
        approve(decision)
        report = services.decision_apply_due(decision=decision, today=D(2022, 1, 1))
        assert [o.movement.pk for o in report.applied] == [today.pk]
        assert report.not_yet_due == 1
        assert fresh(later).applied_at is None

    def test_the_day_given_decides_what_is_due(self, world, decision, secretary_a):
        future = add(decision, secretary_a, world.positions.b_deputy, on=D(2099, 1, 1), term=None)
        approve(decision)
        report = services.decision_apply_due(decision=decision, today=D(2099, 1, 1))
        assert [o.movement.pk for o in report.applied] == [future.pk]
        assert report.not_yet_due == 0


class TestLaterMoves:
    def test_a_return_ends_only_the_returning_cadres_rotation(
        self, world, decision, secretary_a, secretary_b
    ):
        staying = add(decision, secretary_a, world.positions.b_deputy)
        returning = add(decision, secretary_b, world.positions.a_deputy)
        approve(decision)
        services.decision_apply_due(decision=decision, today=D(2022, 1, 1))
        back = services.decision_create(
            number="40-QĐ/TU", issued_by=world.units.province, title="Trở về"
        )
        add(
            back,
            secretary_b,
            world.positions.b_secretary,
            kind=MovementKind.RETURN,
            on=D(2024, 1, 1),
        )
        approve(back, signed_on=D(2023, 12, 1))
        services.decision_apply_due(decision=back, today=D(2024, 1, 1))
        returning = fresh(returning)
        assert (returning.outcome, returning.ended_on) == (
            MovementOutcome.RETURNED,
            D(2023, 12, 31),
        )
        staying = fresh(staying)
        assert (staying.outcome, staying.ended_on) == ("", None)

    def test_a_move_dated_before_a_rotation_does_not_end_it(self, world, decision, secretary_a):
        rotation = add(decision, secretary_a, world.positions.b_deputy, on=D(2023, 6, 1))
        approve(decision)
        rotation = services.movement_apply(movement=rotation, today=D(2023, 6, 1))
        # Entered late: a transfer dated before the rotation, whose posting was removed.
        personnel_services.posting_delete(posting=rotation.new_posting)
        late = services.decision_create(
            number="41-QĐ/TU", issued_by=world.units.province, title="Điều động"
        )
        transfer = add(
            late,
            secretary_a,
            world.positions.a_deputy,
            kind=MovementKind.TRANSFER,
            on=D(2023, 3, 1),
        )
        approve(late)
        services.movement_apply(movement=transfer, today=D(2023, 3, 1))
        rotation = fresh(rotation)
        assert (rotation.outcome, rotation.ended_on) == ("", None)


class TestEnd:
    def end(self, movement, outcome=MovementOutcome.RETAINED, ended_on=D(2024, 12, 31), **kw):
        return services.movement_end(movement=movement, outcome=outcome, ended_on=ended_on, **kw)

    def test_a_viewer_cannot_end_a_rotation(self, approved, viewer):
        services.movement_apply(movement=approved, today=D(2022, 1, 1))
        with pytest.raises(PermissionDenied):
            self.end(approved, by=viewer)
        assert fresh(approved).ended_on is None

    def test_a_rotation_not_applied_cannot_end(self, approved):
        with pytest.raises(ValidationError, match="chưa được thi hành"):
            self.end(approved)
        assert fresh(approved).ended_on is None

    def test_an_unknown_outcome_is_refused(self, approved):
        services.movement_apply(movement=approved, today=D(2022, 1, 1))
        with pytest.raises(ValidationError) as caught:
            self.end(approved, outcome="vanished")
        assert "outcome" in caught.value.message_dict
        assert fresh(approved).ended_on is None

    def test_a_rotation_may_end_on_its_first_day(self, approved):
        services.movement_apply(movement=approved, today=D(2022, 1, 1))
        ended = self.end(approved, ended_on=D(2022, 1, 1))
        assert fresh(ended).ended_on == D(2022, 1, 1)
        assert fresh(ended).outcome == MovementOutcome.RETAINED
