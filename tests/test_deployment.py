"""The deployment files stay honest: compose services, documented variables."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_has_the_stated_services_with_one_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "mailpit"}
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert "replicas" not in str(services["beat"])  # exactly one beat
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["EMAIL_URL"].startswith("smtp://")


def test_every_setting_read_from_the_environment_is_documented():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no environment variables found in settings"
    assert read - documented == set()


# --- production settings, checked in a fresh process with a clean environment -----------

PYTHON = sys.executable


def env_example_values() -> dict[str, str]:
    """The active (uncommented) assignments of .env.example: the production values."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    return dict(pairs)


def manage(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    """manage.py with only the given variables: no .env value or developer setting leaks in."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "",
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_values_of_env_example_pass_check_deploy(tmp_path):
    production = {
        **env_example_values(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    assert production["DEBUG"] == "false"
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        "",
        "insecure-development-key-change-me-in-production",
        "change-me-to-a-long-random-string",
        "django-insecure-" + "x" * 50,
        "short-but-random-Zx81",
    ],
    ids=["missing", "old-default", "env-example-placeholder", "django-insecure", "short"],
)
def test_an_insecure_secret_key_with_debug_off_stops_the_start(tmp_path, key):
    result = manage(tmp_path, "check", DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_the_key_file_written_by_make_run_is_used(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    (var / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    result = manage(tmp_path, "check", DEBUG="false")
    assert result.returncode == 0, result.stderr


def test_debug_mode_runs_without_a_key(tmp_path):
    result = manage(tmp_path, "check", DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_the_session_idle_limit_is_configurable(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)",
        DEBUG="true",
        SESSION_IDLE_MINUTES="10",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "600"


def test_compose_turns_https_on_and_keeps_the_mail_catcher_on_localhost():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["web"]["environment"]
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_PRELOAD"):
        assert env[name].endswith(":-true}"), name
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # no default key
    assert compose["services"]["mailpit"]["ports"] == ["127.0.0.1:${MAIL_UI_PORT:-8025}:8025"]


def test_secrets_and_local_state_stay_out_of_the_docker_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", "var/", ".venv", "node_modules/", "staticfiles/"} <= ignored
    assert {"tests/artifacts/", "*.sqlite3", "**/__pycache__/"} <= ignored
