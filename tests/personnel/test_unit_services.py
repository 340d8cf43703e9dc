"""The writes of the shared tables and of the organisation (``personnel.services_units``):
who may write them, the tree rule, a scope's units staying inside it, a unit's validity
kept around the postings held in it, and a position's flags taken from its post type."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.access import RoleRequired
from accounts.choices import Role
from personnel import services_units
from personnel.models import Locality, OrgUnit, Position, PostType, Sector
from tests.factories import UserFactory
from tests.rotation.conftest import make_official, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

D = dt.date


def messages(error: ValidationError) -> dict:
    return error.value.message_dict


@pytest.fixture
def people(world):  # noqa: F811
    make = UserFactory
    return type(
        "People",
        (),
        {
            "officer_a": make(username="officer_a", scope=world.units.hu_a, role=Role.OFFICER),
            "admin_a": make(username="admin_a", scope=world.units.hu_a, role=Role.ADMINISTRATOR),
            "viewer_a": make(username="viewer_a", scope=world.units.hu_a, role=Role.VIEWER),
            "root": make(username="root", is_superuser=True, is_staff=True),
        },
    )


# --- reference tables ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Locality, {"code": "99", "name": "Tỉnh mới", "level": "province"}),
        (Sector, {"code": "kt", "name": "Kinh tế"}),
        (PostType, {"code": "x.head", "name": "Trưởng ban mới", "kind": "head"}),
    ],
)
def test_reference_tables_are_written_by_administrators_only(people, model, fields):
    for user in (people.viewer_a, people.officer_a):
        with pytest.raises(RoleRequired):
            services_units.reference_create(model=model, by=user, **fields)
    assert not model.objects.filter(code=fields["code"]).exists()
    record = services_units.reference_create(model=model, by=people.admin_a, **fields)
    with pytest.raises(RoleRequired):
        services_units.reference_update(record, by=people.officer_a, name="Đổi tên")
    services_units.reference_update(record, by=people.admin_a, name="Đổi tên")
    record.refresh_from_db()
    assert record.name == "Đổi tên"


def test_a_taken_code_is_refused_with_the_models_message(world, people):  # noqa: F811
    with pytest.raises(ValidationError) as error:
        services_units.reference_create(
            model=Sector, by=people.admin_a, code="party", name="Trùng mã"
        )
    assert list(messages(error)) == ["code"]
    assert Sector.objects.filter(code="party").count() == 1


def test_a_code_taken_by_a_concurrent_write_answers_as_the_check_would(
    world,  # noqa: F811
    people,
    monkeypatch,
):
    """The check passes, another write takes the code, the insert fails: the answer is the
    field's message, not a server error."""
    original = Sector.validate_unique
    calls = []

    def late_check(self, exclude=None):
        calls.append(1)
        if len(calls) == 1:
            return None  # the other write had not committed yet
        return original(self, exclude=exclude)

    monkeypatch.setattr(Sector, "validate_unique", late_check)
    with pytest.raises(ValidationError) as error:
        services_units.reference_create(
            model=Sector, by=people.admin_a, code="party", name="Trùng mã"
        )
    assert list(messages(error)) == ["code"]
    assert len(calls) == 2


def test_a_locality_is_not_placed_under_its_own_descendant(world, people):  # noqa: F811
    a, a1 = world.localities.a, world.localities.a1
    with pytest.raises(ValidationError) as error:
        services_units.reference_update(a, by=people.admin_a, parent=a1)
    assert "parent" in messages(error)
    a.refresh_from_db()
    assert a.parent_id == world.localities.p.pk


def test_dates_out_of_order_are_refused(world, people):  # noqa: F811
    with pytest.raises(ValidationError) as error:
        services_units.reference_update(
            world.localities.b, by=people.admin_a, valid_from=D(2025, 7, 1), valid_to=D(2025, 6, 30)
        )
    assert "valid_to" in messages(error)


# --- units -----------------------------------------------------------------------------------


def unit_fields(world, **extra):  # noqa: F811
    return {
        "code": "BTC-A",
        "name": "Ban Tổ chức Huyện ủy A",
        "level": "district",
        "sector": world.sectors.party,
        "locality": world.localities.a,
        **extra,
    }


def test_a_scoped_officer_adds_units_inside_the_scope_only(world, people):  # noqa: F811
    officer = people.officer_a
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_create(by=officer, **unit_fields(world))
    assert "parent" in messages(error)  # at the top: outside every scope but the whole
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_create(by=officer, **unit_fields(world, parent=world.units.hu_b))
    assert "parent" in messages(error)
    with pytest.raises(RoleRequired):
        services_units.org_unit_create(
            by=people.viewer_a, **unit_fields(world, parent=world.units.hu_a)
        )
    assert not OrgUnit.objects.filter(code="BTC-A").exists()
    unit = services_units.org_unit_create(by=officer, **unit_fields(world, parent=world.units.hu_a))
    assert unit.is_descendant_of(world.units.hu_a)
    top = services_units.org_unit_create(by=people.root, **unit_fields(world, code="TOP"))
    assert top.parent is None


def test_the_root_of_ones_own_scope_stays_where_it_is(world, people):  # noqa: F811
    hu_a = world.units.hu_a
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_update(unit=hu_a, by=people.officer_a, parent=world.units.hu_b)
    assert "parent" in messages(error)
    # its other fields may change, the parent given unchanged
    services_units.org_unit_update(
        unit=hu_a, by=people.officer_a, parent=world.units.province, name="Huyện ủy A mới"
    )
    hu_a.refresh_from_db()
    assert (hu_a.parent_id, hu_a.name) == (world.units.province.pk, "Huyện ủy A mới")


def test_a_unit_is_not_placed_under_its_own_descendant(world, people):  # noqa: F811
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_update(
            unit=world.units.hu_a, by=people.root, parent=world.units.xa_a1
        )
    assert "parent" in messages(error)
    moved = services_units.org_unit_update(
        unit=world.units.xa_a1, by=people.root, parent=world.units.hu_b
    )
    assert moved.is_descendant_of(world.units.hu_b)
    assert Position.objects.get(pk=world.positions.a1_secretary.pk).org_unit.path == moved.path


def test_a_units_validity_keeps_the_postings_held_in_it(world, make_official, people):  # noqa: F811
    make_official(position=world.positions.a1_secretary, since=D(2018, 1, 1))
    unit = world.units.xa_a1
    for dates in ({"valid_from": D(2019, 1, 1)}, {"valid_to": D(2017, 12, 31)}):
        with pytest.raises(ValidationError) as error:
            services_units.org_unit_update(unit=unit, by=people.officer_a, **dates)
        assert "01/01/2018" in str(error.value)
    unit.refresh_from_db()
    assert (unit.valid_from, unit.valid_to) == (None, None)
    # ending after the posting began is allowed: the posting waits for its placement
    services_units.org_unit_update(unit=unit, by=people.officer_a, valid_to=D(2025, 6, 30))
    unit.refresh_from_db()
    assert unit.valid_to == D(2025, 6, 30)


# --- positions -------------------------------------------------------------------------------


def test_a_new_positions_flags_are_its_post_types_unless_given(world, people):  # noqa: F811
    post_type = PostType.objects.create(
        code="district.chair",
        name="Chủ tịch UBND cấp huyện",
        level="district",
        kind="head",
        is_key=True,
        requires_non_local=True,
        management_tier="provincial_standing",
    )
    typed = services_units.position_create(
        by=people.officer_a, org_unit=world.units.ubnd_a, post_type=post_type, title="Chủ tịch"
    )
    assert (typed.kind, typed.is_key, typed.requires_non_local, typed.management_tier) == (
        "head",
        True,
        True,
        "provincial_standing",
    )
    kept = services_units.position_create(
        by=people.officer_a,
        org_unit=world.units.ubnd_a,
        post_type=post_type,
        title="Chủ tịch (kiêm)",
        is_key=False,
    )
    assert (kept.is_key, kept.requires_non_local) == (False, True)


def test_positions_stay_inside_the_scope(world, people):  # noqa: F811
    post_type = world.positions.a_deputy.post_type
    with pytest.raises(ValidationError) as error:
        services_units.position_create(
            by=people.officer_a, org_unit=world.units.hu_b, post_type=post_type, title="Phó"
        )
    assert "org_unit" in messages(error)
    position = world.positions.a_deputy
    with pytest.raises(ValidationError) as error:
        services_units.position_update(
            position=position, by=people.officer_a, org_unit=world.units.hu_b
        )
    assert "org_unit" in messages(error)
    position.refresh_from_db()
    assert position.org_unit_id == world.units.hu_a.pk
    with pytest.raises(RoleRequired):
        services_units.position_update(position=position, by=people.viewer_a, title="Phó BT")


# --- what a scope writes, and the tree's limits (review findings) ---------------------------------


def test_a_predecessor_unit_is_read_for_its_history_but_never_written(world, people):  # noqa: F811
    """After a merger, A's units read the history of a predecessor in district B; they do
    not change it, nor hang units or positions under it."""
    from personnel.models import Reorganisation, UnitSuccession

    reorganisation = Reorganisation.objects.create(
        kind="merger",
        name="Sáp nhập",
        issued_by=world.units.province,
        basis_number="1-NQ/TU",
        basis_date=D(2025, 6, 1),
        effective_on=D(2025, 7, 1),
    )
    UnitSuccession.objects.create(
        reorganisation=reorganisation, predecessor=world.units.hu_b, successor=world.units.hu_a
    )
    officer = people.officer_a
    assert OrgUnit.objects.for_user(officer).filter(pk=world.units.hu_b.pk).exists()  # read
    with pytest.raises(ValidationError):
        services_units.org_unit_update(unit=world.units.hu_b, by=officer, name="Đổi tên")
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_create(by=officer, **unit_fields(world, parent=world.units.hu_b))
    assert "parent" in messages(error)
    with pytest.raises(ValidationError):
        services_units.position_update(
            position=world.positions.b_deputy, by=officer, title="Phó Bí thư"
        )
    world.units.hu_b.refresh_from_db()
    assert world.units.hu_b.name == "Huyện ủy B"


def test_the_root_of_ones_own_scope_is_not_ended_by_oneself(world, people):  # noqa: F811
    with pytest.raises(ValidationError) as error:
        services_units.org_unit_update(
            unit=world.units.hu_a, by=people.officer_a, valid_to=D(2020, 1, 1)
        )
    assert "valid_to" in messages(error)
    world.units.hu_a.refresh_from_db()
    assert world.units.hu_a.valid_to is None


def test_a_tree_too_deep_for_its_paths_is_refused(world, people):  # noqa: F811
    parent, made = world.units.xa_a1, 0
    with pytest.raises(ValidationError) as error:
        for n in range(40):
            parent = services_units.org_unit_create(
                by=people.root, **unit_fields(world, code=f"D{n}", parent=parent)
            )
            made += 1
    assert "parent" in messages(error)
    assert len(parent.path) <= 255 and made < 40
    # moving a subtree under a deep branch counts the subtree's own depth
    with pytest.raises(ValidationError):
        services_units.org_unit_update(unit=world.units.province, by=people.root, parent=parent)
