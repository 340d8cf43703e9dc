"""The Celery application; tasks are discovered in each app's ``tasks.py``."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _make_run_time_folders(**_kwargs) -> None:
    from .runtime import ensure_folders

    ensure_folders()
