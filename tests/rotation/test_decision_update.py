"""Editing a decision goes through ``decision_update``: status read under a lock, number
unique per issuer, the issuer within the editor's scope."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from personnel.choices import EvaluationRating
from rotation import services
from rotation.choices import MovementKind
from rotation.models import Decision

D = dt.date


@pytest.fixture
def draft(world):
    return services.decision_create(number="1-QĐ/TU", issued_by=world.units.province, title="Một")


def test_fields_change_while_draft_and_the_number_stays_unique(world, draft):
    services.decision_create(number="2-QĐ/TU", issued_by=world.units.province, title="Hai")
    updated = services.decision_update(decision=draft, title="  Một, sửa  ", note="Ghi chú")
    assert (updated.title, updated.note) == ("Một, sửa", "Ghi chú")
    with pytest.raises(ValidationError, match="đã có quyết định mang số"):
        services.decision_update(decision=draft, number="2-QĐ/TU")
    assert Decision.objects.get(pk=draft.pk).number == "1-QĐ/TU"


def test_an_approved_decision_is_not_edited_even_from_a_stale_copy(world, draft, make_official):
    services.movement_add(
        decision=draft, official=make_official(position=world.positions.a_deputy),
        kind=MovementKind.TRANSFER, to_position=world.positions.b_deputy,
        effective_on=D(2025, 6, 1),
    )  # fmt: skip
    stale = Decision.objects.get(pk=draft.pk)  # read before the approval
    services.decision_approve(decision=draft, signed_on=D(2025, 5, 1))
    with pytest.raises(ValidationError, match="Không thể sửa quyết định"):
        services.decision_update(decision=stale, title="Sửa sau khi ban hành")
    assert Decision.objects.get(pk=draft.pk).title == "Một"


def test_a_district_officer_cannot_move_a_decision_to_another_issuer(world):
    from accounts.choices import Role
    from tests.factories import UserFactory

    officer_a = UserFactory(scope=world.units.hu_a, role=Role.OFFICER)
    mine = services.decision_create(
        number="5-QĐ/HU", issued_by=world.units.hu_a, title="Huyện", created_by=officer_a
    )
    with pytest.raises(PermissionDenied):
        services.decision_update(decision=mine, by=officer_a, issued_by=world.units.hu_b)


def test_the_edit_page_uses_the_service(client, world, draft):
    services.decision_create(number="2-QĐ/TU", issued_by=world.units.province, title="Hai")
    client.force_login(world.officer)
    url = reverse("decision_update", args=[draft.pk])
    data = {"number": "2-QĐ/TU", "issued_by": world.units.province.pk, "title": "Một", "note": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "đã có quyết định mang số" in response.content.decode()
    response = client.post(url, {**data, "number": "3-QĐ/TU"})
    assert response.status_code == 302
    assert Decision.objects.get(pk=draft.pk).number == "3-QĐ/TU"
    assert draft.history.count() >= 2  # the change is in the history


def test_review_update_keeps_the_rules_of_review_record(world, make_official, django_user_model):
    p = world.positions
    official = make_official(position=p.a_deputy)
    d = services.decision_create(number="8-QĐ/TU", issued_by=world.units.province, title="LC")
    movement = services.movement_add(
        decision=d, official=official, kind=MovementKind.ROTATION, to_position=p.b_deputy,
        effective_on=D(2022, 3, 1), term_months=36,
    )  # fmt: skip
    services.decision_approve(decision=d, signed_on=D(2022, 2, 1))
    movement = services.movement_apply(movement=movement, today=D(2022, 3, 1))
    rating = EvaluationRating.values[0]
    review = services.review_record(movement=movement, period="annual", year=2022, rating=rating)
    services.review_record(movement=movement, period="annual", year=2023, rating=rating)
    with pytest.raises(ValidationError, match="trong thời gian luân chuyển"):
        services.review_update(review=review, year=1990)
    with pytest.raises(ValidationError, match="Đã có đánh giá"):
        services.review_update(review=review, year=2023)
    assert services.review_update(review=review, text="Tốt").text == "Tốt"
