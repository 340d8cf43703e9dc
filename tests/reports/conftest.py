import datetime as dt

import pytest

from rotation import services
from rotation.choices import MovementKind
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

D = dt.date


@pytest.fixture
def move(world):  # noqa: F811
    """Create an approved (or other status) decision with one movement; optionally apply it."""
    counter = iter(range(1, 1000))

    def make(
        official,
        position,
        on,
        kind=MovementKind.ROTATION,
        term=36,
        status="approved",
        apply=False,
        **extra,
    ):
        decision = services.decision_create(
            number=f"{next(counter)}-QĐ/TU",
            issued_by=world.units.province,
            title="Luân chuyển cán bộ",
        )
        movement = services.movement_add(
            decision=decision,
            official=official,
            kind=kind,
            to_position=position,
            effective_on=on,
            term_months=term,
            **extra,
        )
        if status == "approved":
            services.decision_approve(decision=decision, signed_on=on - dt.timedelta(days=10))
        elif status == "cancelled":
            services.decision_cancel(decision=decision, reason="Không thực hiện")
        if apply:
            movement = services.movement_apply(movement=movement, today=on)
        return movement

    return make
