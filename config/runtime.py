"""The run-time folders under ``VAR_DIR``, made when a process starts.

Importing the settings creates nothing (a read-only checkout, a test, a `check`
command stay read-only); the processes that write there make their folders first:
``manage.py``, the WSGI/ASGI application, and the Celery worker and beat.
"""

from pathlib import Path


def folders() -> list[Path]:
    """The folders this configuration writes to: the SQLite database's, the file mail
    backend's and the filesystem broker's."""
    from django.conf import settings

    found = [Path(settings.VAR_DIR)]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
        found.append(Path(database["NAME"]).parent)
    if getattr(settings, "EMAIL_FILE_PATH", None):
        found.append(Path(settings.EMAIL_FILE_PATH))
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "data_folder_processed", "control_folder"):
        if options.get(key):
            found.append(Path(options[key]))
    return found


def ensure_folders() -> None:
    for folder in folders():
        folder.mkdir(parents=True, exist_ok=True)
