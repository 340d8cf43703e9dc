"""Adding, editing or removing one movement re-checks only the movements it can affect: the
number of queries does not grow with the decision."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rotation import services
from rotation.choices import MovementKind
from tests.factories import PositionFactory

D = dt.date
ON = D(2025, 7, 1)


@pytest.fixture
def draft_of(world, make_official):
    """A draft decision with ``n`` movements, each to a post of its own."""

    def build(n):
        decision = services.decision_create(
            number=f"{n}-QĐ/TU", issued_by=world.units.province, title="Luân chuyển"
        )
        for i in range(n):
            official = make_official(unit=world.units.hu_a, full_name=f"Cán bộ {n}-{i}")
            services.movement_add(
                decision=decision,
                official=official,
                kind=MovementKind.ROTATION,
                to_position=PositionFactory(org_unit=world.units.hu_b, title=f"Chức vụ {i}"),
                effective_on=ON,
                term_months=36,
            )
        return decision

    return build


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def count_each(world, make_official, decision) -> dict[str, int]:
    newcomer = make_official(position=world.positions.a_deputy, full_name="Người mới")
    post = PositionFactory(org_unit=world.units.hu_b, title="Chức vụ mới")
    added = {}

    def add():
        added["m"] = services.movement_add(
            decision=decision,
            official=newcomer,
            kind=MovementKind.ROTATION,
            to_position=post,
            effective_on=ON,
            term_months=36,
        )

    counts = {"add": queries(add)}
    counts["update"] = queries(
        lambda: services.movement_update(
            movement=added["m"], effective_on=ON + dt.timedelta(days=1)
        )
    )
    counts["remove"] = queries(lambda: services.movement_remove(movement=added["m"]))
    return counts


def test_query_counts_do_not_grow_with_the_decision(world, make_official, draft_of):
    found = {n: count_each(world, make_official, draft_of(n)) for n in (1, 10, 40)}
    assert found[1] == found[10] == found[40], found


def test_a_sibling_going_to_the_post_a_movement_frees_is_rechecked(world, make_official):
    """Swap: B goes to A's post; A's move (added after) frees it, so B's finding goes."""
    p = world.positions
    a = make_official(position=p.a_deputy, full_name="Người A")
    b = make_official(position=p.b_deputy, full_name="Người B")
    decision = services.decision_create(
        number="9-QĐ/TU", issued_by=world.units.province, title="Hoán đổi"
    )
    to_a = services.movement_add(
        decision=decision, official=b, kind=MovementKind.ROTATION, to_position=p.a_deputy,
        effective_on=ON, term_months=36,
    )  # fmt: skip
    assert "position_held" in {f["code"] for f in to_a.findings}
    a_leaves = services.movement_add(
        decision=decision, official=a, kind=MovementKind.ROTATION, to_position=p.b_deputy,
        effective_on=ON, term_months=36,
    )  # fmt: skip
    to_a.refresh_from_db()
    assert "position_held" not in {f["code"] for f in to_a.findings}
    # A leaving later than B arrives: the post is held again on B's day.
    services.movement_update(movement=a_leaves, effective_on=ON + dt.timedelta(days=30))
    to_a.refresh_from_db()
    assert "position_held" in {f["code"] for f in to_a.findings}
    services.movement_update(movement=a_leaves, effective_on=ON)
    to_a.refresh_from_db()
    assert "position_held" not in {f["code"] for f in to_a.findings}
    services.movement_remove(movement=a_leaves)
    to_a.refresh_from_db()
    assert "position_held" in {f["code"] for f in to_a.findings}
