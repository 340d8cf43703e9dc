"""Who gets in: tokens an administrator issues in Django admin (shown once, expiring,
revocable), the pages' session with its CSRF check, rate limits; the schema and its
documentation page."""

import datetime as dt
import re

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/officials/"


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue(admin_client, user, days=30):
    response = admin_client.post(
        reverse("admin:accounts_apitoken_add"), {"user": user.pk, "days": days}, follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    return re.search(r"API của [^:]+: ([0-9a-f]{64})", text).group(1)


def test_an_administrator_issues_a_key_of_their_scope_shown_once_and_revokes_it(users, world):
    admin_a = UserFactory(
        username="admin_a", scope=world.units.hu_a, role=Role.ADMINISTRATOR, is_staff=True
    )
    client = Client()
    client.force_login(admin_a)
    key = issue(client, users.officer_a)
    assert with_key(key).get(LIST).status_code == 200
    token = ApiToken.objects.get(user=users.officer_a)
    assert key not in str(token.digest) and token.expiry > dt.datetime.now(dt.UTC)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert key not in page
    # users outside the scope cannot be chosen, nor their keys seen
    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": users.officer_b.pk, "days": 30}
    )
    assert response.status_code == 200 and not ApiToken.objects.filter(user=users.officer_b)
    AuthToken.objects.create(user=users.officer_b)
    listed = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "officer_b" not in listed
    other = ApiToken.objects.get(user=users.officer_b)
    assert client.get(reverse("admin:accounts_apitoken_delete", args=[other.pk])).status_code == 404
    # revoking is deleting
    client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert with_key(key).get(LIST).status_code == 401


def test_an_officer_cannot_issue_keys(users):
    client = Client()
    client.force_login(users.officer_a)
    response = client.get(reverse("admin:accounts_apitoken_add"))
    assert response.status_code in (302, 403)


def test_an_expired_key_or_an_inactive_user_gets_401(users):
    _token, key = AuthToken.objects.create(user=users.officer_a, expiry=dt.timedelta(seconds=-1))
    assert with_key(key).get(LIST).status_code == 401
    _token, key = AuthToken.objects.create(user=users.officer_b)
    users.officer_b.is_active = False
    users.officer_b.save()
    assert with_key(key).get(LIST).status_code == 401
    assert with_key("0" * 64).get(LIST).status_code == 401


def test_the_pages_session_works_and_writes_need_its_csrf_token(users, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.officer)
    assert client.get(LIST).status_code == 200
    response = client.post(
        "/api/v1/decisions/",
        {"number": "1/CSRF", "issued_by": world.units.province.pk, "title": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_requests_are_limited_per_key(users, settings, api):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/hour", "address": "1000/hour"},
    }
    client = api(users.officer_a)
    assert [client.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(users.officer_b).get(LIST).status_code == 200  # another key: its own count


def test_the_schema_is_valid_openapi_and_the_docs_load_only_our_own_files(users):
    client = Client()
    client.force_login(users.viewer)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/officials/", "/api/v1/decisions/{id}/approve/"} <= set(schema["paths"])
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    page = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<style>" not in page and "<script>" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert Client().get("/api/schema/").status_code in (401, 403)
