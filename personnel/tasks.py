"""Celery tasks of personnel: thin, they take ids and call the import services.

Large files are checked and applied here, away from the web request; the services guard
their own state (a task delivered twice finds the import previewed or applied already).
"""

from celery import shared_task
from django.contrib.auth import get_user_model

from .imports import services


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1860)
def preview_record_import(record_import_id: int) -> str:
    return services.record_import_preview(record_import_id=record_import_id).status


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1860)
def apply_record_import(record_import_id: int, user_id: int | None = None) -> str:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return services.record_import_apply(
        record_import_id=record_import_id, user=user, queued=True
    ).status
