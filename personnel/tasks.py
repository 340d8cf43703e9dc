"""Celery tasks of personnel: thin, they take ids and call the import and export services.

Large files are checked and applied here, away from the web request, and large exports
are written; the services guard their own state (a task delivered twice finds the import
previewed or applied already, the export job taken or done).
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model

from . import export_jobs
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


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.EXPORT_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_JOB_TIME_LIMIT,
)
def build_export(export_job_id: int) -> str | None:
    job = export_jobs.export_job_run(job_id=export_job_id)
    return job.status if job is not None else None


@shared_task(acks_late=True, soft_time_limit=300, time_limit=330)
def delete_expired_exports() -> dict:
    return export_jobs.export_files_cleanup()
