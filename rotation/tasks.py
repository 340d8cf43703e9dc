"""Celery tasks of the rotation workflow: thin, they take ids and call services."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import InterfaceError, OperationalError

from . import jobs, notifications, services

# A notification's retries: 30 s, 1 min, 2 min … capped at 30 min, 8 retries (about
# two hours in all) before the failure is left for staff to see on the decision.
NOTIFY_MAX_RETRIES = 8
NOTIFY_BACKOFF = 30
NOTIFY_BACKOFF_MAX = 1800


def notify_countdown(retries: int) -> int:
    return get_exponential_backoff_interval(
        factor=NOTIFY_BACKOFF, retries=retries, maximum=NOTIFY_BACKOFF_MAX, full_jitter=True
    )


@shared_task(
    bind=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=NOTIFY_BACKOFF,
    retry_backoff_max=NOTIFY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=NOTIFY_MAX_RETRIES,
    acks_late=True,
)
def notify_decision(
    self, decision_id: int, event: str, by_id: int | None = None, unit_ids: list | None = None
) -> int:
    """Send the emails of a decision's ``event``; returns how many were sent.

    ``by_id``: the user who acted, for the audit row of each email (optional).
    ``unit_ids``: on a retry of the approval notices, only the units not yet reached.
    A failed send is recorded on the decision (``NotificationFailure``) and retried
    with a growing delay; a later success marks it resolved.
    """
    outcome = notifications.notify(decision_id, event, by_id=by_id, unit_ids=unit_ids)
    if not outcome.failed_unit_ids:
        notifications.record_success(decision_id, event)
        return outcome.sent
    will_retry = outcome.retryable and self.request.retries < self.max_retries
    notifications.record_failure(decision_id, event, outcome, will_retry=will_retry)
    if will_retry:
        raise self.retry(
            countdown=notify_countdown(self.request.retries),
            kwargs={
                "decision_id": decision_id,
                "event": event,
                "by_id": by_id,
                "unit_ids": outcome.failed_unit_ids,
            },
        )
    return outcome.sent


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=1800,
    time_limit=2000,
    max_retries=5,
    default_retry_delay=120,
)
def apply_due_movements(self) -> dict:
    """The daily job. Each movement retries its own connection errors; should the job
    itself lose the database (listing what is due, computing alerts), the whole task is
    retried later: what was applied stays applied and alerts are keyed, so a rerun
    only does what is left."""
    try:
        return jobs.apply_due_movements().as_dict()
    except (OperationalError, InterfaceError) as error:
        services.reset_broken_connection()
        raise self.retry(exc=error) from error


@shared_task(acks_late=True, soft_time_limit=3000, time_limit=3060)
def rebuild_movement_summary() -> int:
    """Rebuild and check the movement summary (nightly, and after the unit tree changed);
    returns the drift found."""
    from .summary import summary_rebuild

    return summary_rebuild()
