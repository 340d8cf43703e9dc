"""Celery tasks of reports: thin, they take ids and call services.

Both acknowledge late and are re-delivered if the worker is lost mid-task; the
services make a repeat safe (a finished run or a sent period is left alone). Their time
limits come from settings and stay below the leases and the broker's visibility
timeout (config/settings.py, README "Celery: time limits and leases").
"""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone

from . import delivery, services

RETRYABLE = (SMTPException, ConnectionError, TimeoutError)
#: the longest wait before a retry: a message waiting longer than the broker's
#: visibility timeout would be delivered again meanwhile
MAX_RETRY_COUNTDOWN = 1800


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_RUN_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_RUN_TIME_LIMIT,
)
def run_report(run_id: int) -> str:
    return services.report_run_execute(run_id=run_id).status


@shared_task(acks_late=True, soft_time_limit=120, time_limit=150)
def sweep_report_runs() -> dict:
    """Take over runs and emails whose lease ended (their worker or message was lost)."""
    runs = services.report_runs_sweep()
    return {**runs, "deliveries_failed": delivery.deliveries_sweep()}


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_DELIVERY_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_DELIVERY_TIME_LIMIT,
    max_retries=6,
)
def send_subscription(self, subscription_id: int, today: str | None = None) -> str:
    # The period is fixed when the task first runs: a retry after midnight, or in the
    # next month, still sends the period that was due.
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    try:
        sent = delivery.subscription_deliver(subscription_id=subscription_id, today=day)
    except RETRYABLE as error:
        countdown = get_exponential_backoff_interval(
            factor=60, retries=self.request.retries, maximum=MAX_RETRY_COUNTDOWN, full_jitter=True
        )
        raise self.retry(
            args=[subscription_id, day.isoformat()], exc=error, countdown=countdown
        ) from error
    return sent.status if sent else "already claimed"
