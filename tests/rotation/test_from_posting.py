"""The posting a movement leaves is chosen in one place (the service), the same way from
the pages and from the service."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from personnel import services as personnel_services
from rotation import services
from rotation.choices import MovementKind
from rotation.models import Movement

D = dt.date


def draft(world):
    return services.decision_create(
        number="5-QĐ/TU", issued_by=world.units.province, title="Điều động"
    )


def test_moving_the_date_into_an_earlier_posting_is_refused_when_edited(world, make_official):
    """A movement dated inside a posting the official has since left could never be
    applied: it is refused when added or edited, not when applied."""
    p = world.positions
    official = make_official(position=p.a1_secretary, since=D(2018, 1, 1))
    first = official.current_posting
    personnel_services.posting_close(posting=first, end_date=D(2024, 12, 31))
    second = personnel_services.posting_create(
        official=official, position=p.a_deputy, title="", start_date=D(2025, 1, 1)
    )
    movement = services.movement_add(
        decision=draft(world), official=official, kind=MovementKind.TRANSFER,
        to_position=p.b_deputy, effective_on=D(2025, 6, 1),
    )  # fmt: skip
    assert movement.from_posting == second
    services.movement_update(movement=movement, note="Giữ nguyên ngày")
    assert Movement.objects.get(pk=movement.pk).from_posting == second
    with pytest.raises(ValidationError) as refused:
        services.movement_update(movement=movement, effective_on=D(2024, 6, 1))
    assert "vị trí công tác gần nhất" in refused.value.message_dict["effective_on"][0]
    stored = Movement.objects.get(pk=movement.pk)
    assert (stored.effective_on, stored.from_posting) == (D(2025, 6, 1), second)
    with pytest.raises(ValidationError):
        services.movement_add(
            decision=draft(world), official=official, kind=MovementKind.TRANSFER,
            to_position=p.b_deputy, effective_on=D(2025, 1, 1),
        )  # fmt: skip


def test_a_movement_from_outside_the_system_stays_so_when_its_date_moves(world, make_official):
    p = world.positions
    official = make_official(position=p.a_deputy)
    movement = services.movement_add(
        decision=draft(world), official=official, kind=MovementKind.APPOINTMENT,
        to_position=p.b_deputy, effective_on=D(2025, 6, 1), from_posting=None,
        origin_position=p.province_deputy,
    )  # fmt: skip
    services.movement_update(movement=movement, effective_on=D(2025, 7, 1))
    movement.refresh_from_db()
    assert movement.from_posting is None and movement.origin_position == p.province_deputy


def test_the_page_refuses_a_date_inside_an_earlier_posting_like_the_service(
    world, make_official, client
):
    p = world.positions
    official = make_official(position=p.a1_secretary, since=D(2018, 1, 1))
    first = official.current_posting
    personnel_services.posting_close(posting=first, end_date=D(2024, 12, 31))
    personnel_services.posting_create(
        official=official, position=p.a_deputy, title="", start_date=D(2025, 1, 1)
    )
    decision = draft(world)
    movement = services.movement_add(
        decision=decision, official=official, kind=MovementKind.TRANSFER,
        to_position=p.b_deputy, effective_on=D(2025, 6, 1),
    )  # fmt: skip
    client.force_login(world.officer)
    response = client.post(
        reverse("movement_update", kwargs={"pk": decision.pk, "mpk": movement.pk}),
        {
            "kind": MovementKind.TRANSFER,
            "to_position": p.b_deputy.pk,
            "effective_on": "01/06/2024",
            "term_months": "",
            "note": "",
        },
    )
    # The page refuses what the service refuses, with the same message, and changes nothing.
    assert response.status_code == 200
    assert "vị trí công tác gần nhất" in response.content.decode()
    stored = Movement.objects.get(pk=movement.pk)
    assert stored.effective_on == D(2025, 6, 1) and stored.from_posting != first
