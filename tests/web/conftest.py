"""Fixtures for the staff pages: users of every role in two sibling scopes.

Uses the small province of tests/rotation/conftest.py (``world``): Tỉnh ủy P with
Huyện ủy A (and its commune) and Huyện ủy B.
"""

import pytest

from accounts.choices import Role
from tests.factories import UserFactory
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures


@pytest.fixture
def users(world):  # noqa: F811
    """viewer/officer/approver of the province, an officer of district A and of district B."""

    def make(name, scope, role):
        return UserFactory(username=name, scope=scope, role=role, email=f"{name}@example.vn")

    return type(
        "Users",
        (),
        {
            "viewer": make("viewer_p", world.units.province, Role.VIEWER),
            "officer": world.officer,
            "approver": world.approver,
            "officer_a": make("officer_a", world.units.hu_a, Role.OFFICER),
            "officer_b": make("officer_b", world.units.hu_b, Role.OFFICER),
        },
    )


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
