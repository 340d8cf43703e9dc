"""Celery tasks of the rotation workflow: thin, they take ids and call services."""

from smtplib import SMTPException

from celery import shared_task

from . import jobs, notifications


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def notify_decision(decision_id: int, event: str, by_id: int | None = None) -> int:
    """``by_id``: the user who acted, for the audit row of each email (optional)."""
    if event == "consultations":
        return notifications.send_consultation_requests(decision_id, by_id=by_id)
    if event == "approved":
        return notifications.send_approval_notices(decision_id, by_id=by_id)
    raise ValueError(f"unknown event {event!r}")


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=2000)
def apply_due_movements() -> dict:
    return jobs.apply_due_movements().as_dict()
