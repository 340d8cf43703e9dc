"""Settings honour .env for every value (VAR_DIR included) and create nothing when imported;
the processes that write under VAR_DIR make their folders when they start."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'var': str(settings.VAR_DIR),"
    " 'db': str(settings.DATABASES['default']['NAME'])}))"
)


def _environment(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VAR_DIR", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="x" * 50,
        ENV_FILE=str(tmp_path / "site.env"),
        **extra,
    )
    return env


def test_var_dir_from_env_file_is_honoured_and_nothing_is_created(tmp_path):
    target = tmp_path / "from-env-file"
    (tmp_path / "site.env").write_text(f'VAR_DIR="{target}"\n')
    out = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out.splitlines()[-1])
    assert found == {"var": str(target), "db": str(target / "db.sqlite3")}
    assert not target.exists()


def test_manage_py_makes_the_folders_it_writes_to(tmp_path):
    target = tmp_path / "var"
    subprocess.run(
        [sys.executable, "manage.py", "check", "-v", "0"],
        cwd=BASE_DIR,
        env=_environment(tmp_path, VAR_DIR=str(target)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert (target / "celery" / "out").is_dir() and (target / "mail").is_dir()
