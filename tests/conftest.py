import atexit
import os
import shutil
import tempfile

import pytest
from django.db import connection

from tests.factories import UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Hashing with the production hasher costs ~0.3 s a user; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded photos and workbooks go to a folder of this run, never to var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="test-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
    # Large exports' files likewise, never to var/exports.
    settings.EXPORT_FILES_DIR = tempfile.mkdtemp(prefix="test-exports-")
    atexit.register(shutil.rmtree, settings.EXPORT_FILES_DIR, ignore_errors=True)
    # The API's rate counters live in the cache: one per test process, emptied per test.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    # Under pytest-xdist every process has its own test database; it gets its own broker
    # queue too, so that a real worker started by one process never takes (or purges)
    # the tasks of another.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from config.celery import app

        app.conf.task_default_queue = f"tests-{worker}"


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def postgres_only():
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
    )


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run inline unless a test starts a real worker."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
