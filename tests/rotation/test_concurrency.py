"""Applying movements from many threads at once, against PostgreSQL's real locking."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from personnel.models import Posting
from rotation import services
from rotation.choices import MovementKind
from rotation.models import Movement
from tests.conftest import postgres_only

D = dt.date
THREADS = 20

pytestmark = [postgres_only(), pytest.mark.django_db(transaction=True)]


def run_in_threads(targets):
    """Run each callable in its own thread, all released at once; returns outcomes."""
    barrier = threading.Barrier(len(targets))
    outcomes = []
    lock = threading.Lock()

    def worker(target):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            target()
            result = "ok"
        except ValidationError:
            result = "refused"
        except Exception as error:  # noqa: BLE001 - reported to the test
            result = f"error: {error!r}"
        finally:
            thread_connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def approved_movement(world, official, number, position):
    decision = services.decision_create(
        number=number, issued_by=world.units.province, title="Điều động"
    )
    movement = services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.TRANSFER,
        to_position=position,
        effective_on=D(2025, 8, 1),
    )
    services.decision_approve(decision=decision, signed_on=D(2025, 7, 1))
    return movement


def assert_no_overlap():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM personnel_posting a JOIN personnel_posting b
              ON a.official_id = b.official_id AND a.id < b.id AND a.is_primary AND b.is_primary
             AND daterange(a.start_date, a.end_date, '[]') && daterange(b.start_date, b.end_date, '[]')
            """
        )
        assert cursor.fetchone()[0] == 0


def test_twenty_threads_apply_the_same_movement_once(world, make_official):
    official = make_official(position=world.positions.a_deputy, since=D(2020, 1, 1))
    movement = approved_movement(world, official, "1-QĐ/TU", world.positions.b_deputy)
    outcomes = run_in_threads(
        [lambda: services.movement_apply(movement=movement, today=D(2025, 8, 1))] * THREADS
    )
    assert outcomes == ["ok"] * THREADS  # the repeats are no-ops, not errors
    assert Posting.objects.filter(official=official, start_date=D(2025, 8, 1)).count() == 1
    assert (
        Posting.objects.filter(official=official, end_date__isnull=True, is_primary=True).count()
        == 1
    )
    assert Movement.objects.get(pk=movement.pk).new_posting is not None
    assert_no_overlap()


def test_twenty_threads_apply_two_conflicting_movements(world, make_official):
    official = make_official(position=world.positions.a_deputy, since=D(2020, 1, 1))
    first = approved_movement(world, official, "2-QĐ/TU", world.positions.b_deputy)
    second = approved_movement(world, official, "3-QĐ/TU", world.positions.province_deputy)
    targets = [
        (lambda m=m: services.movement_apply(movement=m, today=D(2025, 8, 1)))
        for m in [first, second] * (THREADS // 2)
    ]
    outcomes = run_in_threads(targets)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    new = Posting.objects.filter(official=official, start_date=D(2025, 8, 1))
    assert new.count() == 1
    applied = Movement.objects.filter(pk__in=[first.pk, second.pk], applied_at__isnull=False)
    assert applied.count() == 1
    assert outcomes.count("refused") == THREADS // 2
    assert_no_overlap()
