"""A movement must change something, and it is refused when added, not when applied."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from rotation import services
from rotation.choices import MovementKind
from rotation.models import Movement

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        number="7-QĐ/TU",
        issued_by=world.units.province,
        title="Điều động",
        created_by=world.officer,
    )


def test_a_movement_to_the_post_already_held_is_refused(world, make_official, decision):
    """It was saved with "no findings"."""
    official = make_official(position=world.positions.a_deputy, since=D(2018, 1, 1))
    with pytest.raises(ValidationError) as refused:
        services.movement_add(
            decision=decision, official=official, kind=MovementKind.TRANSFER,
            to_position=world.positions.a_deputy, effective_on=D(2025, 6, 1), by=world.officer,
        )  # fmt: skip
    message = refused.value.message_dict["to_position"][0]
    assert "Phó Bí thư Huyện ủy A" in message and "Bổ nhiệm lại" in message
    assert not Movement.objects.exists()


def test_a_reappointment_to_the_same_post_is_allowed(world, make_official, decision):
    official = make_official(position=world.positions.a_deputy, since=D(2018, 1, 1))
    movement = services.movement_add(
        decision=decision, official=official, kind=MovementKind.REAPPOINTMENT,
        to_position=world.positions.a_deputy, effective_on=D(2023, 1, 1), by=world.officer,
    )  # fmt: skip
    assert movement.pk and movement.from_posting == official.current_posting


def test_an_edit_to_the_post_already_held_is_refused(world, make_official, decision):
    official = make_official(position=world.positions.a_deputy, since=D(2018, 1, 1))
    movement = services.movement_add(
        decision=decision, official=official, kind=MovementKind.TRANSFER,
        to_position=world.positions.b_deputy, effective_on=D(2025, 6, 1), by=world.officer,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.movement_update(
            movement=movement, to_position=world.positions.a_deputy, by=world.officer
        )
    assert Movement.objects.get(pk=movement.pk).to_position == world.positions.b_deputy


def test_a_movement_effective_before_the_current_posting_is_refused_when_added(
    world, make_official, decision
):
    """It was accepted, approved, and refused only when applied, leaving an issued decision
    with a movement that could never be applied."""
    official = make_official(position=world.positions.a_deputy, since=D(2020, 1, 1))
    for day in (D(2019, 6, 1), D(2020, 1, 1)):
        with pytest.raises(ValidationError) as refused:
            services.movement_add(
                decision=decision, official=official, kind=MovementKind.TRANSFER,
                to_position=world.positions.b_deputy, effective_on=day, by=world.officer,
            )  # fmt: skip
        assert "effective_on" in refused.value.message_dict
    assert not Movement.objects.exists()


def test_applying_names_the_decision_in_both_postings_history(world, make_official, decision):
    """The profile's change history says which decision closed one post and opened the next."""
    official = make_official(position=world.positions.a_deputy, since=D(2018, 1, 1))
    left = official.current_posting
    movement = services.movement_add(
        decision=decision, official=official, kind=MovementKind.TRANSFER,
        to_position=world.positions.b_deputy, effective_on=D(2024, 6, 1), by=world.officer,
    )  # fmt: skip
    services.decision_approve(decision=decision, signed_on=D(2024, 5, 20))
    movement = services.movement_apply(movement=movement, today=D(2024, 6, 1))
    closed = left.history.order_by("-history_id").first()
    opened = movement.new_posting.history.order_by("-history_id").first()
    assert closed.end_date == D(2024, 5, 31)
    assert closed.history_change_reason == "Thi hành quyết định 7-QĐ/TU"
    assert opened.history_change_reason == "Thi hành quyết định 7-QĐ/TU"
