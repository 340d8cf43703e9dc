"""Fixtures for the REST API: the small province of tests/rotation/conftest.py, its users
(tests/web/conftest.py) and a client that speaks JSON with a token or a session."""

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures
from tests.web.conftest import login, users  # noqa: F401 - shared fixtures


@pytest.fixture
def api():
    """``api(user)``: a client authenticated with a fresh token of ``user``."""

    def as_user(user, **token_options):
        client = APIClient()
        if user is not None:
            _token, key = AuthToken.objects.create(user=user, **token_options)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return as_user
