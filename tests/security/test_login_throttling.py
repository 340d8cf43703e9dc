"""Login throttling (django-axes): 5 failures in 15 minutes lock the user name and the address."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory
LOGIN = reverse("login")
LOCKED = "tạm thời bị khóa"

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user():
    return UserFactory(username="canbo")


def attempt(client, username, password, ip="10.0.0.1", url=LOGIN, **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def fail(client, times, username="canbo", ip="10.0.0.1", **kwargs):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", ip=ip, **kwargs)
    return response


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_four_failures_still_let_the_right_password_in(client, staff_user):
    response = fail(client, 4)
    assert response.status_code == 200
    assert LOCKED not in response.text
    assert logged_in(attempt(client, "canbo", PASSWORD))


def test_the_fifth_failure_locks_with_a_vietnamese_message_on_the_login_page(client, staff_user):
    response = fail(client, 5)
    assert response.status_code == 429
    page = response.text
    assert LOCKED in page and "15 phút" in page
    assert 'name="username"' in page and "Đăng nhập" in page  # the login page, not a bare error


def test_a_locked_user_is_refused_even_with_the_right_password(client, staff_user):
    fail(client, 5)
    response = attempt(client, "canbo", PASSWORD)
    assert response.status_code == 429 and LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_the_user_name_is_locked_whatever_the_address(client, staff_user):
    for n in range(5):
        fail(client, 1, ip=f"10.0.1.{n}")
    response = attempt(client, "canbo", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429


def test_the_address_is_locked_whatever_the_user_name(client, staff_user):
    for n in range(5):
        fail(client, 1, username=f"guess{n}", ip="10.0.3.1")
    assert attempt(client, "canbo", PASSWORD, ip="10.0.3.1").status_code == 429
    assert logged_in(attempt(client, "canbo", PASSWORD, ip="10.0.3.2"))


def test_a_success_resets_the_count(client, staff_user):
    fail(client, 4)
    assert logged_in(attempt(client, "canbo", PASSWORD))
    client.logout()
    fail(client, 4)
    assert logged_in(attempt(client, "canbo", PASSWORD))


def test_the_lock_ends_after_fifteen_minutes(client, staff_user):
    fail(client, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert logged_in(attempt(client, "canbo", PASSWORD))


def test_an_administrator_unlocks_by_deleting_the_attempts_in_admin(client, superuser, staff_user):
    fail(client, 5)
    admin_client = Client()
    admin_client.force_login(superuser)
    attempts = AccessAttempt.objects.all()
    assert attempts.exists()
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(changelist).status_code == 200
    response = admin_client.post(
        changelist,
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in attempts],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert logged_in(attempt(client, "canbo", PASSWORD))


def test_the_admin_login_locks_too_and_says_why(client, staff_user):
    url = reverse("admin:login")
    response = fail(client, 5, url=url)
    assert response.status_code == 429
    assert LOCKED in response.text
    assert 'name="username"' in response.text  # admin's own login form, with the reason


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, staff_user):
    for n in range(5):
        fail(client, 1, username=f"guess{n}", ip="10.0.4.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert attempt(client, "canbo", PASSWORD, ip="10.0.4.1").status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_counted(client, staff_user):
    proxy = "10.0.5.1"
    for n in range(5):  # what the client wrote itself (left of its address) changes nothing
        forwarded = f"198.51.100.{n}, 192.0.2.7"
        fail(client, 1, username=f"guess{n}", ip=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    locked = attempt(client, "canbo", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.7")
    assert locked.status_code == 429
    assert logged_in(attempt(client, "canbo", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.8"))


def test_force_login_is_not_throttled(client, staff_user):
    fail(client, 5)
    client.force_login(staff_user)
    assert client.get(reverse("dashboard")).status_code in (200, 403)  # 403: no scope
