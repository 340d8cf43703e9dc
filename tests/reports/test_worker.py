"""End to end through a real broker and a real Celery worker (PostgreSQL + Redis in CI)."""

import datetime as dt
import io
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django_celery_beat.models import CrontabSchedule
from openpyxl import load_workbook

from config.celery import app
from reports import delivery, services
from reports.choices import DeliveryStatus, RunStatus
from reports.models import Delivery, ReportRun, Subscription

D = dt.date

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as running:
        yield running


@pytest.fixture
def rotated(world, make_official, move):
    official = make_official(position=world.positions.a_deputy, full_name="Nguyễn Văn An")
    move(official, world.positions.province_deputy, D(2021, 3, 1))
    mail.outbox.clear()
    return world


def test_a_report_runs_through_the_broker(rotated, worker):
    run = services.report_request(
        report="rotation_summary",
        scope=rotated.units.province,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 31),
    )
    finished = wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]
        ).first()
    )
    assert finished.status == RunStatus.SUCCEEDED, finished.error
    assert finished.result["total_cadres"] == 1 and finished.attempts == 1


def test_a_subscription_is_delivered_by_the_worker(rotated, worker):
    subscription = delivery.subscription_save(
        subscription=Subscription(
            name="Hằng tháng",
            report="rotation_summary",
            scope=rotated.units.province,
            period_rule="this_term_to_date",
            schedule=CrontabSchedule.objects.create(minute="0", hour="7"),
        ),
        recipients=[rotated.officer],
    )
    from reports.tasks import send_subscription

    send_subscription.delay(subscription.pk, "2022-12-31")
    send_subscription.delay(subscription.pk, "2022-12-31")  # beat firing twice
    wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).exists())
    time.sleep(1)  # let the second message be consumed too
    assert len(mail.outbox) == 1
    name, content, _mimetype = next(a for a in mail.outbox[0].attachments if isinstance(a, tuple))
    assert load_workbook(io.BytesIO(content)).active["A1"].value == "TỔNG HỢP LUÂN CHUYỂN CÁN BỘ"


def test_the_sweep_has_the_worker_finish_a_run_left_by_a_lost_worker(rotated, worker):
    from django.utils import timezone

    from reports.tasks import sweep_report_runs

    run = services.report_request(
        report="rotation_summary",
        scope=rotated.units.province,
        date_from=D(2020, 10, 1),
        date_to=D(2022, 12, 31),
        enqueue=False,
    )
    ReportRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        claim_token="lost-worker",
        attempts=1,
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    sweep_report_runs.delay()
    finished = wait_for(
        lambda: ReportRun.objects.filter(
            pk=run.pk, status__in=[RunStatus.SUCCEEDED, RunStatus.FAILED]
        ).first()
    )
    assert finished.status == RunStatus.SUCCEEDED, finished.error
    assert finished.attempts == 2 and finished.result["total_cadres"] == 1
