"""Sessions end after 30 minutes (SESSION_IDLE_MINUTES) without a request."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def session_row(client) -> Session:
    return Session.objects.get(pk=client.session.session_key)


def test_the_idle_limit_is_thirty_minutes_by_default():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_every_request_pushes_the_end_of_the_session_thirty_minutes_ahead(login, users):
    client = login(users.officer)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    remaining = session_row(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


def test_after_thirty_idle_minutes_the_user_must_log_in_again(login, users):
    client = login(users.officer)
    assert client.get(DASHBOARD).status_code == 200
    # Thirty minutes without a request: the stored session has expired.
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
