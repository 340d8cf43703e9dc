"""Django admin keeps the decisions' need to know: a side sees its own cadres' movements,
its own answers and no other official's name in findings (the staff pages' rules)."""

import pytest
from django.urls import reverse

from tests.rotation.test_need_to_know import (  # noqa: F401  (fixtures)
    A_CADRE,
    A_OPINION,
    B_CADRE,
    B_HOLDER,
    B_OPINION,
    answered,
    decision,
    people,
    users,
)

pytestmark = pytest.mark.django_db
# The fixtures imported above are requested by name below (ruff reads that as F811).


def admin_page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_side_sees_only_its_movements_and_answers_in_admin(client, users, answered):  # noqa: F811
    body = admin_page(
        client, users.a, reverse("admin:rotation_decision_change", args=[answered.pk])
    )
    assert A_CADRE in body and A_OPINION in body
    for canary in (B_CADRE, B_OPINION, B_HOLDER):
        assert canary not in body


def test_issuer_sees_the_whole_decision_in_admin(client, users, answered):  # noqa: F811
    body = admin_page(
        client, users.province, reverse("admin:rotation_decision_change", args=[answered.pk])
    )
    for name in (A_CADRE, B_CADRE, A_OPINION, B_OPINION, B_HOLDER):
        assert name in body


def test_movement_admin_page_hides_the_holder_outside_scope(client, users, decision):  # noqa: F811
    url = reverse("admin:rotation_movement_change", args=[decision.a_move.pk])
    body_a = admin_page(client, users.a, url)
    assert "đang có người đảm nhiệm" in body_a and B_HOLDER not in body_a
    assert B_HOLDER in admin_page(client, users.province, url)
    client.force_login(users.a)
    b_url = reverse("admin:rotation_movement_change", args=[decision.b_move.pk])
    assert client.get(b_url).status_code == 404
