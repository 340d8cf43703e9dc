"""The maintained table of the decisions each scope holds (``DecisionScope``): after every
service that changes a decision's units it lists exactly what asking the units finds,
so the decisions list of each user is the same as before, in one index lookup."""

import datetime as dt

import pytest

from accounts.choices import Role
from personnel import services_units
from rotation import services
from rotation.choices import MovementKind
from rotation.decision_scopes import _rows, _unit_ids, decision_scopes_rebuild
from rotation.models import Decision, DecisionScope
from rotation.reorganisations import reorganisation_apply
from tests.factories import UserFactory
from tests.reports.conftest import move  # noqa: F401 - shared fixture
from tests.rotation.test_data_migrations import migrate, migrate_to_latest
from tests.rotation.test_reorganisations import TODAY, communes, merge_communes  # noqa: F401

D = dt.date
pytestmark = pytest.mark.django_db


def stored():
    return set(DecisionScope.objects.values_list("unit_id", "decision_id"))


def assert_current(users):
    assert stored() == _rows(_unit_ids())
    for user in users:
        user = type(user).objects.select_related("scope").get(pk=user.pk)  # paths as now
        table = set(Decision.objects.for_user(user).values_list("pk", flat=True))
        units = set(Decision.objects.for_user_from_units(user).values_list("pk", flat=True))
        assert table == units, user.username


@pytest.fixture
def users(world):
    u = world.units
    return [
        UserFactory(username=f"u_{unit.code}", scope=unit, role=Role.OFFICER)
        for unit in (u.province, u.hu_a, u.hu_b, u.xa_a1, u.ubnd_a, u.finance)
    ]


def test_every_service_keeps_the_table(world, make_official, users):
    p, u = world.positions, world.units
    official = make_official(position=p.a1_secretary, full_name="Một")
    other = make_official(position=p.a_chair, full_name="Hai")
    decision = services.decision_create(number="1-QĐ/TU", issued_by=u.province, title="LC")
    assert_current(users)
    movement = services.movement_add(
        decision=decision,
        official=official,
        kind=MovementKind.ROTATION,
        to_position=p.b_deputy,
        effective_on=D(2025, 3, 1),
        term_months=36,
    )
    assert_current(users)
    assert DecisionScope.objects.filter(decision=decision, unit=u.xa_a1).exists()  # the origin
    services.movement_update(movement=movement, to_position=p.finance_head)
    assert_current(users)
    assert not DecisionScope.objects.filter(decision=decision, unit=u.hu_b).exists()
    second = services.movement_add(
        decision=decision,
        official=other,
        kind=MovementKind.TRANSFER,
        to_position=p.province_deputy,
        effective_on=D(2025, 3, 1),
    )
    services.movement_remove(movement=second)
    assert_current(users)
    services.decision_request_consultations(decision=decision, notify=False)
    assert_current(users)
    services.decision_update(decision=decision, issued_by=u.hu_a)
    assert_current(users)


def test_moving_a_unit_moves_its_decisions(world, make_official, users, move):  # noqa: F811
    p, u = world.positions, world.units
    official = make_official(position=p.a1_secretary, full_name="Ba")
    move(official, p.b_deputy, D(2025, 3, 1))
    services_units.org_unit_update(unit=u.xa_a1, parent=u.hu_b)
    assert_current(users)
    assert decision_scopes_rebuild() == 0


def test_a_merged_unit_reads_its_predecessors_decisions(communes):  # noqa: F811
    world = communes.world
    reorganisation = merge_communes(communes)
    reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
    from personnel.models import OrgUnit

    merged = OrgUnit.objects.get(name="Đảng ủy xã A12")
    users = [UserFactory(username="xa_a12", scope=merged, role=Role.OFFICER), communes.a2_user]
    users.append(UserFactory(username="hu_a", scope=world.units.hu_a, role=Role.OFFICER))
    assert_current(users)
    assert Decision.objects.for_user(users[0]).exists()


def test_the_nightly_check_repairs_the_table(world, make_official, move):  # noqa: F811
    official = make_official(position=world.positions.a1_secretary, full_name="Bốn")
    move(official, world.positions.b_deputy, D(2025, 3, 1))
    DecisionScope.objects.filter(unit=world.units.hu_b).delete()
    assert decision_scopes_rebuild() > 0
    assert stored() == _rows(_unit_ids())


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_table_for_existing_decisions(world, make_official):
    p, u = world.positions, world.units
    official = make_official(position=p.a1_secretary, full_name="Năm")
    apps = migrate([("rotation", "0011_movement_summary")])
    Old = apps.get_model("rotation", "Decision")
    OldMovement = apps.get_model("rotation", "Movement")
    decision = Old.objects.create(
        number="9-QĐ/TU", issued_by_id=u.province.pk, title="LC", status="approved"
    )
    OldMovement.objects.create(
        decision=decision,
        official_id=official.pk,
        kind="rotation",
        from_unit_id=u.xa_a1.pk,
        to_position_id=p.b_deputy.pk,
        to_unit_id=u.hu_b.pk,
        effective_on=D(2024, 6, 1),
        term_months=36,
    )
    migrate([("rotation", "0012_decision_scope")])
    migrate_to_latest()
    assert stored() == _rows(_unit_ids())
    assert {unit for unit, _d in stored()} >= {u.province.pk, u.hu_a.pk, u.xa_a1.pk, u.hu_b.pk}
