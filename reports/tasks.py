"""Celery tasks of reports: thin, they take ids and call services.

Both acknowledge late and are re-delivered if the worker is lost mid-task; the
services make a repeat safe (a finished run or a sent period is left alone).
"""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.utils import timezone

from . import delivery, services

RETRYABLE = (SMTPException, ConnectionError, TimeoutError)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def run_report(run_id: int) -> str:
    return services.report_run_execute(run_id=run_id).status


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=900,
    time_limit=960,
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
            factor=60, retries=self.request.retries, maximum=3600, full_jitter=True
        )
        raise self.retry(
            args=[subscription_id, day.isoformat()], exc=error, countdown=countdown
        ) from error
    return sent.status if sent else "already claimed"
