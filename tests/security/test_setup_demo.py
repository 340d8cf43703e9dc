"""setup_demo creates the demo users (published password) only in demo mode (DEMO=1)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from personnel.models import Official
from tests.factories import OfficialFactory

pytestmark = pytest.mark.django_db


def setup_demo() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_without_demo_mode_no_user_and_no_data_is_created(monkeypatch):
    monkeypatch.delenv("DEMO", raising=False)
    output = setup_demo()
    assert not User.objects.exists()
    assert not Official.objects.exists()
    assert "DEMO=1" in output
    assert "python manage.py createsuperuser" in output  # how to create the first administrator
    assert "luanchuyen-demo" not in output


def test_demo_mode_creates_the_demo_admin_and_prints_it(monkeypatch, settings):
    monkeypatch.setenv("DEMO", "1")
    OfficialFactory()  # an existing database: no demo province is loaded
    output = setup_demo()
    admin = User.objects.get(username=settings.DEMO_ADMIN_USERNAME)
    assert admin.is_superuser and admin.check_password(settings.DEMO_ADMIN_PASSWORD)
    assert f"tên đăng nhập: {settings.DEMO_ADMIN_USERNAME}" in output  # .ci/run greps this


def test_the_make_run_script_runs_in_demo_mode():
    script = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert "export DEMO=1" in script
    assert script.index("export DEMO=1") < script.index("manage.py setup_demo")
