"""Celery tasks of reports: thin, they take ids and call services.

Both acknowledge late and are re-delivered if the worker is lost mid-task; the
services make a repeat safe (a finished run or a sent period is left alone).
"""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task

from . import delivery, services


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def run_report(run_id: int) -> str:
    return services.report_run_execute(run_id=run_id).status


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=900,
    time_limit=960,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def send_subscription(subscription_id: int, today: str | None = None) -> str:
    day = dt.date.fromisoformat(today) if today else None
    sent = delivery.subscription_deliver(subscription_id=subscription_id, today=day)
    return sent.status if sent else "already claimed"
