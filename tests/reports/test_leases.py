"""Runs survive lost workers: leases, take-over by requests, pages and the sweep, and time
limits that agree with the leases and the broker."""

import datetime as dt
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from reports import registry, services, tasks
from reports.choices import RunStatus
from reports.models import ReportRun
from tests.conftest import postgres_only

D = dt.date
PERIOD = {"date_from": D(2020, 10, 1), "date_to": D(2022, 12, 31)}


@pytest.fixture
def one_rotation(world, make_official, move):
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    return world


@pytest.fixture
def computations(monkeypatch):
    """Counts how many times the rotation summary is computed (slowly, to overlap threads)."""
    definition = registry.get("rotation_summary")
    calls = []
    lock = threading.Lock()

    def counted(ctx):
        with lock:
            calls.append(ctx.scope.pk)
        time.sleep(0.3)
        return definition.compute(ctx)

    monkeypatch.setitem(
        registry.REGISTRY,
        "rotation_summary",
        type(definition)(**{**definition.__dict__, "compute": counted}),
    )
    return calls


def ask(world, **extra):
    return services.report_request(
        report="rotation_summary", scope=world.units.province, **PERIOD, **extra
    )


def lose_worker(run, *, attempts=1, status=RunStatus.RUNNING, ago=dt.timedelta(seconds=1)):
    """The run as a worker that died left it: claimed, its lease ended ``ago``."""
    ReportRun.objects.filter(pk=run.pk).update(
        status=status,
        claim_token="lost-worker" if status == RunStatus.RUNNING else "",
        attempts=attempts,
        started_at=timezone.now() - dt.timedelta(minutes=10),
        lease_expires_at=timezone.now() - ago,
    )
    run.refresh_from_db()
    return run


def test_an_identical_request_never_returns_an_expired_run(
    one_rotation, django_capture_on_commit_callbacks
):
    stuck = lose_worker(ask(one_rotation, enqueue=False))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = ask(one_rotation)
    assert again.pk == stuck.pk
    assert not again.lease_expired()
    assert again.status == RunStatus.QUEUED and again.lease_expires_at > timezone.now()
    assert again.claim_token == ""  # the lost worker may no longer write its result
    assert len(queued) == 1  # sent to the workers again
    queued[0]()
    again.refresh_from_db()
    assert again.status == RunStatus.SUCCEEDED and again.attempts == 2
    assert again.result["total_cadres"] == 1


def test_a_request_joins_a_run_held_under_a_live_lease_without_queueing_it_again(
    one_rotation, django_capture_on_commit_callbacks
):
    first = ask(one_rotation, enqueue=False)
    ReportRun.objects.filter(pk=first.pk).update(
        status=RunStatus.RUNNING,
        claim_token="live-worker",
        attempts=1,
        lease_expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = ask(one_rotation)
    assert again.pk == first.pk and again.status == RunStatus.RUNNING
    assert again.claim_token == "live-worker" and queued == []


def test_a_queued_run_whose_message_was_lost_is_sent_again(
    one_rotation, django_capture_on_commit_callbacks
):
    lost = lose_worker(ask(one_rotation, enqueue=False), attempts=0, status=RunStatus.QUEUED)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        again = ask(one_rotation)
    assert again.pk == lost.pk and len(queued) == 1
    again.refresh_from_db()
    assert again.status == RunStatus.SUCCEEDED and again.attempts == 1


def test_a_run_lost_too_many_times_is_failed_and_the_request_gets_a_new_run(one_rotation, settings):
    stuck = lose_worker(ask(one_rotation, enqueue=False), attempts=settings.REPORT_RUN_MAX_ATTEMPTS)
    # A message delivered again does not claim it a fourth time.
    assert services.report_run_execute(run_id=stuck.pk).status == RunStatus.RUNNING
    fresh = ask(one_rotation, enqueue=False)
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED and stuck.finished_at is not None
    assert "đã dừng giữa chừng 3 lần" in stuck.error
    assert fresh.pk != stuck.pk and fresh.status == RunStatus.QUEUED


def test_the_sweep_takes_over_expired_runs_and_leaves_live_ones(
    one_rotation, django_capture_on_commit_callbacks, settings
):
    expired = lose_worker(ask(one_rotation, enqueue=False))
    live = ask(one_rotation, enqueue=False, params={"kind": "all"})
    exhausted = lose_worker(
        ask(one_rotation, enqueue=False, params={"kind": "transfer"}),
        attempts=settings.REPORT_RUN_MAX_ATTEMPTS,
    )
    done = services.report_run_now(
        report="rotation_summary",
        scope=one_rotation.units.province,
        date_from=D(2021, 1, 1),
        date_to=D(2021, 12, 31),
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.sweep_report_runs.delay().get()
    assert counts == {"requeued": 1, "failed": 1, "deliveries_failed": 0}
    for run in (expired, live, exhausted, done):
        run.refresh_from_db()
    assert expired.status == RunStatus.SUCCEEDED and expired.attempts == 2
    assert live.status == RunStatus.QUEUED and live.attempts == 0
    assert exhausted.status == RunStatus.FAILED
    assert done.status == RunStatus.SUCCEEDED and done.attempts == 1


def test_the_run_page_takes_over_the_run_it_waits_for(
    one_rotation, admin_client, django_capture_on_commit_callbacks
):
    stuck = lose_worker(ask(one_rotation, enqueue=False))
    with django_capture_on_commit_callbacks(execute=True):
        poll = admin_client.get(
            reverse("report_run_detail", args=[stuck.pk]), HTTP_HX_REQUEST="true"
        )
    assert poll.status_code == 200
    assert "báo cáo đang được tính lại" in poll.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.SUCCEEDED and stuck.attempts == 2
    assert admin_client.get(
        reverse("report_run_detail", args=[stuck.pk]), HTTP_HX_REQUEST="true"
    ).has_header("HX-Refresh")


def test_computing_now_waits_for_a_live_worker_then_takes_the_run_over(one_rotation, monkeypatch):
    held = ask(one_rotation, enqueue=False)
    ReportRun.objects.filter(pk=held.pk).update(
        status=RunStatus.RUNNING,
        claim_token="slow-worker",
        attempts=1,
        lease_expires_at=timezone.now() + dt.timedelta(seconds=0.5),
    )
    naps = []
    sleep = time.sleep
    monkeypatch.setattr(services.time, "sleep", lambda s: (naps.append(s), sleep(s)))
    run = services.report_run_now(
        report="rotation_summary", scope=one_rotation.units.province, **PERIOD
    )
    assert run.pk == held.pk and run.status == RunStatus.SUCCEEDED and run.attempts == 2
    assert naps and sum(naps) <= 1.5  # waited no longer than the lease


def test_the_sweep_is_scheduled_with_beat(db):
    from django_celery_beat.models import PeriodicTask

    from config.schedules import ensure_schedules

    ensure_schedules()
    task = PeriodicTask.objects.get(task="reports.tasks.sweep_report_runs")
    assert task.enabled and task.crontab.minute == "*/5"


def test_time_limits_leases_and_the_visibility_timeout_agree(settings):
    visibility = settings.BROKER_VISIBILITY_TIMEOUT
    run_report = app.tasks["reports.tasks.run_report"]
    send = app.tasks["reports.tasks.send_subscription"]
    assert (
        run_report.soft_time_limit
        == settings.REPORT_RUN_SOFT_TIME_LIMIT
        < run_report.time_limit
        == settings.REPORT_RUN_TIME_LIMIT
        < settings.REPORT_RUN_LEASE_SECONDS
        < visibility
    )
    assert (
        send.soft_time_limit
        == settings.REPORT_DELIVERY_SOFT_TIME_LIMIT
        < send.time_limit
        == settings.REPORT_DELIVERY_TIME_LIMIT
        < settings.REPORT_DELIVERY_LEASE_SECONDS
        < visibility
    )
    # An email may wait for a run another worker computes: its lease, then computing it.
    assert (
        settings.REPORT_RUN_LEASE_SECONDS + settings.REPORT_RUN_TIME_LIMIT
        < settings.REPORT_DELIVERY_SOFT_TIME_LIMIT
    )
    # No task acknowledged late outlives the visibility timeout (it would be delivered
    # again to a second worker while the first still runs it), nor does a retry wait.
    for name, task in app.tasks.items():
        if name.startswith("celery."):
            continue
        hard = task.time_limit or app.conf.task_time_limit
        assert hard and hard < visibility, name
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert soft and soft < hard, name
    assert visibility > tasks.MAX_RETRY_COUNTDOWN
    if django_settings.CELERY_BROKER_URL.startswith("redis"):
        assert app.conf.broker_transport_options["visibility_timeout"] == visibility


# --- against PostgreSQL's real locking ---------------------------------------------------


def in_threads(*targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [], []
    lock = threading.Lock()

    def work(target):
        from django.db import connection

        try:
            barrier.wait()
            value = target()
            with lock:
                results.append(value)
        except Exception as error:  # noqa: BLE001 - reported to the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_an_expired_run_taken_over_by_racing_workers_completes_exactly_once(
    one_rotation, computations
):
    stuck = lose_worker(ask(one_rotation, enqueue=False))
    in_threads(
        lambda: services.report_run_execute(run_id=stuck.pk),
        lambda: services.report_run_execute(run_id=stuck.pk),
        lambda: services.report_run_execute(run_id=stuck.pk),
        lambda: tasks.sweep_report_runs.delay().get(),  # eager: runs the run it queues
        lambda: ask(one_rotation),  # eager: runs it if it takes it over
    )
    stuck.refresh_from_db()
    assert computations == [one_rotation.units.province.pk]
    assert stuck.status == RunStatus.SUCCEEDED and stuck.attempts == 2
    assert stuck.result["total_cadres"] == 1
    # The lost worker, finishing late, writes nothing: its claim was taken over.
    assert (
        ReportRun.objects.filter(pk=stuck.pk, claim_token="lost-worker").update(
            status=RunStatus.FAILED
        )
        == 0
    )
    assert ReportRun.objects.count() == 1


@postgres_only()
@pytest.mark.django_db(transaction=True)
def test_identical_requests_racing_on_an_expired_run_all_join_it(one_rotation):
    stuck = lose_worker(ask(one_rotation, enqueue=False))
    runs = in_threads(*[lambda: ask(one_rotation, enqueue=False) for _ in range(6)])
    assert {run.pk for run in runs} == {stuck.pk}
    assert all(not run.lease_expired() for run in runs)
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.QUEUED and stuck.attempts == 1
    assert ReportRun.objects.count() == 1
