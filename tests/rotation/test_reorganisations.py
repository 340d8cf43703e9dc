"""Reorganisations: every kind on units and localities, dry run = apply, idempotent,
nothing deleted, careers unbroken, people "to be placed", scope and roles."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.access import RoleRequired
from accounts.choices import Role
from personnel.choices import (
    Level,
    LocalityLevel,
    ManagementTier,
    PositionKind,
    ReorganisationKind,
)
from personnel.models import (
    Locality,
    LocalitySuccession,
    OrgUnit,
    Position,
    Posting,
    Reorganisation,
    UnitSuccession,
)
from rotation.choices import DecisionStatus, MovementKind
from rotation.consultations import missing_answers
from rotation.models import Decision, Movement
from rotation.reorganisation_plan import carried_title, reorganisation_plan
from rotation.reorganisations import reorganisation_apply, reorganisation_save
from tests.factories import LocalityFactory, OrgUnitFactory, PositionFactory, UserFactory

D = dt.date
EFFECTIVE = D(2025, 7, 1)
EVE = D(2025, 6, 30)
TODAY = D(2026, 12, 7)


@pytest.fixture
def communes(world, make_official):
    """Two communes of district A, each with a secretary and a deputy; one concurrent post."""
    a2 = LocalityFactory(
        code="18004", name="Xã A2", level=LocalityLevel.COMMUNE, parent=world.localities.a
    )
    xa_a2 = OrgUnitFactory(
        code="XA2",
        name="Đảng ủy xã A2",
        level=Level.COMMUNE,
        sector=world.sectors.party,
        locality=a2,
        parent=world.units.hu_a,
    )
    p = world.positions
    p.a1_deputy = PositionFactory(
        org_unit=world.units.xa_a1, title="Phó Bí thư Đảng ủy xã A1", kind=PositionKind.DEPUTY
    )
    p.a2_secretary = PositionFactory(org_unit=xa_a2, title="Bí thư Đảng ủy xã A2")
    people = SimpleNamespace(
        an=make_official(position=p.a1_secretary, full_name="Nguyễn Văn An"),
        binh=make_official(position=p.a2_secretary, full_name="Trần Văn Bình"),
        cuc=make_official(position=p.a1_deputy, full_name="Lê Thị Cúc"),
    )
    from personnel import services as personnel_services

    personnel_services.posting_create(
        official=people.cuc,
        position=p.a2_secretary,
        title="Kiêm nhiệm",
        start_date=D(2024, 1, 1),
        is_primary=False,
    )
    admin = UserFactory(username="admin", scope=world.units.province, role=Role.ADMINISTRATOR)
    a2_user = UserFactory(username="xa_a2", scope=xa_a2, role=Role.OFFICER)
    return SimpleNamespace(
        world=world, a2=a2, xa_a2=xa_a2, people=people, admin=admin, a2_user=a2_user
    )


def merge_communes(c, **extra):
    world = c.world
    reorganisation = reorganisation_save(
        reorganisation=Reorganisation(
            kind=ReorganisationKind.MERGE,
            name="Sắp xếp xã A1, A2",
            issued_by=world.units.province,
            basis_number="1665/NQ-UBTVQH15",
            basis_date=D(2025, 6, 16),
            effective_on=EFFECTIVE,
            **extra,
        ),
        unit_rows=[
            {"predecessor": world.units.xa_a1, "new_name": "Đảng ủy xã A12"},
            {"predecessor": c.xa_a2, "new_name": "Đảng ủy xã A12"},
        ],
        locality_rows=[
            {"predecessor": world.localities.a1, "new_name": "Xã A12"},
            {"predecessor": c.a2, "new_name": "Xã A12"},
        ],
        by=c.admin,
    )
    return reorganisation


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (OrgUnit, Locality, Position, Posting, Decision, Movement)
    } | {
        "ended": OrgUnit.objects.filter(valid_to__isnull=False).count(),
        "open": Posting.objects.filter(end_date__isnull=True).count(),
    }


class TestMerge:
    def test_the_dry_run_lists_every_effect_and_writes_nothing(self, communes):
        reorganisation = merge_communes(communes)
        before = snapshot()
        plan = reorganisation_apply(
            reorganisation=reorganisation, by=communes.admin, dry_run=True, today=TODAY
        )
        assert snapshot() == before
        assert plan.problems == []
        assert [unit.name for unit in plan.ended_units] == ["Đảng ủy xã A1", "Đảng ủy xã A2"]
        assert [new.name for new in plan.new_units] == ["Đảng ủy xã A12"]
        assert [place.name for place in plan.ended_localities] == ["Xã A1", "Xã A2"]
        assert [new.name for new in plan.new_localities] == ["Xã A12"]
        assert sorted(carried.title for carried in plan.new_positions) == [
            "Bí thư Đảng ủy xã A12",
            "Phó Bí thư Đảng ủy xã A12",
        ]
        people = communes.people
        assert [p.posting.official for p in plan.placements] == [people.cuc]
        assert {item.posting.official for item in plan.to_place} == {people.an, people.binh}
        assert all("đứng đầu" in item.reason for item in plan.to_place)
        assert [posting.official for posting in plan.concurrent_closed] == [people.cuc]
        assert [user.username for user in plan.users_flagged] == ["xa_a2"]
        assert not Reorganisation.objects.get(pk=reorganisation.pk).is_applied

    def test_applying_does_exactly_what_the_dry_run_listed(self, communes):
        reorganisation = merge_communes(communes)
        dry = reorganisation_apply(
            reorganisation=reorganisation, by=communes.admin, dry_run=True, today=TODAY
        )
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        reorganisation.refresh_from_db()
        outcome = reorganisation.outcome
        world, people = communes.world, communes.people
        new_unit = OrgUnit.objects.get(name="Đảng ủy xã A12")
        new_place = Locality.objects.get(name="Xã A12")
        assert outcome["new_units"] == [[new_unit.pk, "Đảng ủy xã A12"]]
        assert [name for _pk, name in outcome["ended_units"]] == [
            unit.name for unit in dry.ended_units
        ]
        assert outcome["placed"] == [people.cuc.pk]
        assert {item["official"] for item in outcome["to_place"]} == {people.an.pk, people.binh.pk}
        assert outcome["users_flagged"] == [[communes.a2_user.pk, "xa_a2"]]
        # Old units and localities end on the eve; the successor starts on the day.
        for unit in (world.units.xa_a1, communes.xa_a2):
            unit.refresh_from_db()
            assert unit.valid_to == EVE
        assert (new_unit.valid_from, new_unit.valid_to) == (EFFECTIVE, None)
        assert new_unit.parent == world.units.hu_a and new_unit.locality == new_place
        assert new_place.valid_from == EFFECTIVE and new_place.parent == world.localities.a
        assert Locality.objects.get(pk=communes.a2.pk).valid_to == EVE
        # Positions carried by post type, titles with the successor's name.
        carried = Position.objects.filter(org_unit=new_unit).order_by("display_order", "title")
        assert {(p.title, p.post_type_id) for p in carried} == {
            ("Bí thư Đảng ủy xã A12", world.positions.a1_secretary.post_type_id),
            ("Phó Bí thư Đảng ủy xã A12", communes.world.positions.a1_deputy.post_type_id),
        }
        assert reorganisation.applied_by == communes.admin and reorganisation.is_applied

    def test_a_placed_official_continues_with_an_unbroken_history_and_the_basis(self, communes):
        reorganisation = merge_communes(communes)
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        cuc = communes.people.cuc
        old, new = Posting.objects.filter(official=cuc, is_primary=True).order_by("start_date")
        assert old.end_date == EVE and new.start_date == EFFECTIVE and new.end_date is None
        assert old.org_unit == communes.world.units.xa_a1  # the posting keeps its unit
        assert new.org_unit.name == "Đảng ủy xã A12" and new.basis == "1665/NQ-UBTVQH15"
        movement = Movement.objects.get(official=cuc)
        assert movement.kind == MovementKind.REORGANISATION and movement.findings == []
        assert movement.decision.reorganisation == reorganisation
        assert movement.decision.status == DecisionStatus.APPROVED
        # A placement carrying out a reorganisation asks nobody (its basis decided it).
        assert missing_answers(movement.decision) == []
        assert not movement.decision.is_fait_accompli
        assert movement.applied_at is not None and movement.new_posting == new
        cuc.refresh_from_db()
        assert cuc.current_unit == new.org_unit
        # The concurrent post in an ended unit closed on the eve.
        concurrent = Posting.objects.get(official=cuc, is_primary=False)
        assert concurrent.end_date == EVE

    def test_heads_to_be_placed_keep_their_posting_until_a_person_decides(self, communes):
        reorganisation = merge_communes(communes)
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        an = communes.people.an
        posting = Posting.objects.get(official=an)
        assert posting.end_date is None and posting.org_unit.valid_to == EVE
        assert not Movement.objects.filter(official=an).exists()

    def test_applying_twice_changes_nothing(self, communes):
        reorganisation = merge_communes(communes)
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        reorganisation.refresh_from_db()
        before, outcome = snapshot(), reorganisation.outcome
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        reorganisation.refresh_from_db()
        assert snapshot() == before and reorganisation.outcome == outcome

    def test_nothing_is_deleted_or_renamed_in_place(self, communes):
        names = dict(OrgUnit.objects.values_list("pk", "name"))
        places = dict(Locality.objects.values_list("pk", "name"))
        postings = set(Posting.objects.values_list("pk", "org_unit_id", "start_date"))
        reorganisation_apply(
            reorganisation=merge_communes(communes), by=communes.admin, today=TODAY
        )
        assert {pk: n for pk, n in OrgUnit.objects.values_list("pk", "name") if pk in names} == (
            names
        )
        assert {
            pk: n for pk, n in Locality.objects.values_list("pk", "name") if pk in places
        } == places
        after = set(Posting.objects.values_list("pk", "org_unit_id", "start_date"))
        assert postings <= after

    def test_a_future_reorganisation_places_people_when_it_takes_effect(self, communes):
        reorganisation = merge_communes(communes)
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=D(2025, 6, 20))
        movement = Movement.objects.get(official=communes.people.cuc)
        assert movement.applied_at is None  # the daily job applies it on 1/7/2025
        assert Posting.objects.get(official=communes.people.cuc, is_primary=True).end_date is None


class TestOtherKinds:
    def test_rename_carries_every_post_and_places_its_holders(self, world, make_official):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        secretary = make_official(position=world.positions.b_secretary, full_name="Bí Thư")
        deputy = make_official(position=world.positions.b_deputy, full_name="Phó Bí Thư")
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.RENAME,
                name="Đổi tên",
                issued_by=world.units.province,
                basis_number="01-NQ/TU",
                basis_date=D(2024, 12, 1),
                effective_on=D(2025, 1, 1),
            ),
            unit_rows=[{"predecessor": world.units.hu_b, "new_name": "Thị ủy B"}],
            by=admin,
        )
        reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        successor = OrgUnit.objects.get(name="Thị ủy B")
        assert secretary.postings.get(end_date__isnull=True).title == "Bí thư Thị ủy B"
        assert deputy.postings.get(end_date__isnull=True).org_unit == successor
        # The row now links the unit it created (name as entered kept).
        row = world.units.hu_b.successions_as_predecessor.get()
        assert (row.successor, row.new_name) == (successor, "Thị ủy B")
        assert UnitSuccession.objects.get().predecessor == world.units.hu_b

    def test_split_leaves_its_people_to_be_placed(self, world, make_official):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        make_official(position=world.positions.b_deputy, full_name="Phó Bí Thư")
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.SPLIT,
                name="Chia tách",
                issued_by=world.units.province,
                basis_number="02-NQ/TU",
                basis_date=D(2024, 12, 1),
                effective_on=D(2025, 1, 1),
            ),
            unit_rows=[
                {"predecessor": world.units.hu_b, "new_name": "Huyện ủy B1"},
                {"predecessor": world.units.hu_b, "new_name": "Huyện ủy B2"},
            ],
            by=admin,
        )
        plan = reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        assert len(plan.new_units) == 2 and plan.placements == []
        assert ["chia tách" in item.reason for item in plan.to_place] == [True]
        # Each successor gets the posts.
        assert Position.objects.filter(org_unit__name="Huyện ủy B1").count() == 2

    def test_abolish_ends_the_unit_and_everyone_is_to_be_placed(self, world, make_official):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        make_official(position=world.positions.b_secretary, full_name="Bí Thư")
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.ABOLISH,
                name="Kết thúc hoạt động cấp huyện",
                issued_by=world.units.province,
                basis_number="03-NQ/TU",
                basis_date=D(2025, 6, 1),
                effective_on=EFFECTIVE,
            ),
            unit_rows=[{"predecessor": world.units.hu_b, "successor": world.units.province}],
            by=admin,
        )
        plan = reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        assert plan.new_positions == [] and plan.placements == []
        assert len(plan.to_place) == 1 and "giải thể" in plan.to_place[0].reason
        world.units.hu_b.refresh_from_db()
        assert world.units.hu_b.valid_to == EVE
        assert not Decision.objects.exists()

    def test_move_under_another_parent_creates_the_unit_there(self, world, make_official):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        holder = make_official(position=world.positions.a1_secretary, full_name="Bí Thư Xã")
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.MOVE,
                name="Chuyển xã A1 về Tỉnh ủy",
                issued_by=world.units.province,
                basis_number="04-NQ/TU",
                basis_date=D(2025, 6, 1),
                effective_on=EFFECTIVE,
            ),
            unit_rows=[{"predecessor": world.units.xa_a1, "new_parent": world.units.province}],
            by=admin,
        )
        reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        moved = OrgUnit.objects.get(name="Đảng ủy xã A1", valid_from=EFFECTIVE)
        assert moved.parent == world.units.province
        assert holder.postings.get(end_date__isnull=True).org_unit == moved

    def test_a_locality_merge_into_an_existing_locality(self, world):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        OrgUnit.objects.filter(locality=world.localities.a1).update(locality=None)
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.MERGE,
                name="Sáp nhập xã A1 vào huyện A",
                issued_by=world.units.province,
                basis_number="05-NQ/TU",
                basis_date=D(2025, 6, 1),
                effective_on=EFFECTIVE,
            ),
            locality_rows=[{"predecessor": world.localities.a1, "successor": world.localities.a}],
            by=admin,
        )
        reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        world.localities.a1.refresh_from_db()
        assert world.localities.a1.valid_to == EVE
        assert LocalitySuccession.objects.get().successor == world.localities.a


class TestRefusals:
    def test_a_unit_left_under_an_ended_parent_is_a_problem_and_nothing_is_written(
        self, world, make_official
    ):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.ABOLISH,
                name="Kết thúc Huyện ủy A",
                issued_by=world.units.province,
                basis_number="06-NQ/TU",
                basis_date=D(2025, 6, 1),
                effective_on=EFFECTIVE,
            ),
            unit_rows=[{"predecessor": world.units.hu_a}],
            by=admin,
        )
        before = snapshot()
        with pytest.raises(ValidationError) as refused:
            reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
        assert any("UBND huyện A" in message for message in refused.value.messages)
        assert snapshot() == before
        assert not Reorganisation.objects.get(pk=reorganisation.pk).is_applied

    def test_a_predecessor_already_ended_is_a_problem(self, communes):
        OrgUnit.objects.filter(pk=communes.xa_a2.pk).update(valid_to=D(2025, 1, 1))
        plan = reorganisation_plan(merge_communes(communes))
        assert any("Đảng ủy xã A2" in problem for problem in plan.problems)

    def test_merge_without_a_successor_and_rename_without_a_name(self, world):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        for kind in (ReorganisationKind.MERGE, ReorganisationKind.RENAME):
            reorganisation = reorganisation_save(
                reorganisation=Reorganisation(
                    kind=kind,
                    name="Thiếu",
                    issued_by=world.units.province,
                    basis_number=f"07-{kind}",
                    basis_date=D(2025, 6, 1),
                    effective_on=EFFECTIVE,
                ),
                unit_rows=[{"predecessor": world.units.hu_b}],
                by=admin,
            )
            assert reorganisation_plan(reorganisation).problems

    def test_an_empty_reorganisation_is_a_problem(self, world):
        admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
        reorganisation = reorganisation_save(
            reorganisation=Reorganisation(
                kind=ReorganisationKind.MERGE,
                name="Trống",
                issued_by=world.units.province,
                basis_number="08",
                basis_date=D(2025, 6, 1),
                effective_on=EFFECTIVE,
            ),
            by=admin,
        )
        assert reorganisation_plan(reorganisation).problems

    def test_only_administrators_of_the_scope_apply(self, communes):
        reorganisation = merge_communes(communes)
        with pytest.raises(RoleRequired):
            reorganisation_apply(reorganisation=reorganisation, by=communes.world.officer)
        other = UserFactory(scope=communes.world.units.hu_b, role=Role.ADMINISTRATOR)
        with pytest.raises(PermissionDenied):
            reorganisation_apply(reorganisation=reorganisation, by=other)

    def test_an_applied_reorganisation_cannot_be_edited(self, communes):
        reorganisation = merge_communes(communes)
        reorganisation_apply(reorganisation=reorganisation, by=communes.admin, today=TODAY)
        with pytest.raises(ValidationError):
            reorganisation_save(reorganisation=reorganisation, by=communes.admin)


@pytest.mark.parametrize(
    ("title", "old", "new", "expected"),
    [
        ("Bí thư Đảng ủy xã A1", "Đảng ủy xã A1", "Đảng ủy xã A12", "Bí thư Đảng ủy xã A12"),
        ("Chánh Văn phòng", "Huyện ủy A", "Thị ủy A", "Chánh Văn phòng"),
    ],
)
def test_carried_title(title, old, new, expected):
    assert carried_title(title, old, new) == expected


def test_a_merged_unit_s_children_go_under_its_successor_and_tiers_move_up(world):
    admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
    xa_a2 = OrgUnitFactory(
        code="XA2", name="Đảng ủy xã A2", level=Level.COMMUNE, sector=world.sectors.party,
        parent=world.units.hu_a,
    )  # fmt: skip
    people_units = [
        OrgUnitFactory(
            code=f"UB{n}",
            name=f"UBND xã A{n}",
            level=Level.COMMUNE,
            sector=world.sectors.government,
            parent=party,
        )  # fmt: skip
        for n, party in ((1, world.units.xa_a1), (2, xa_a2))
    ]
    chair = PositionFactory(
        org_unit=people_units[0], title="Chủ tịch UBND xã A1",
        management_tier=ManagementTier.DISTRICT_STANDING,
    )  # fmt: skip
    reorganisation = reorganisation_save(
        reorganisation=Reorganisation(
            kind=ReorganisationKind.MERGE,
            name="Sắp xếp xã",
            issued_by=world.units.province,
            basis_number="09-NQ/TU",
            basis_date=D(2025, 6, 1),
            effective_on=EFFECTIVE,
        ),
        unit_rows=[
            {"predecessor": people_units[0], "new_name": "UBND xã A12"},
            {"predecessor": people_units[1], "new_name": "UBND xã A12"},
            {
                "predecessor": world.units.xa_a1,
                "new_name": "Đảng ủy xã A12",
                "new_parent": world.units.province,
            },
            {
                "predecessor": xa_a2,
                "new_name": "Đảng ủy xã A12",
                "new_parent": world.units.province,
            },
        ],  # fmt: skip
        by=admin,
    )
    plan = reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
    assert plan.problems == []
    party = OrgUnit.objects.get(name="Đảng ủy xã A12")
    people = OrgUnit.objects.get(name="UBND xã A12")
    assert party.parent == world.units.province and people.parent == party
    carried = Position.objects.get(org_unit=people, post_type=chair.post_type)
    assert carried.title == "Chủ tịch UBND xã A12"
    # The district standing committee ended with the district level: the province's now.
    assert carried.management_tier == ManagementTier.PROVINCIAL_STANDING


def test_tier_after_the_district_level():
    from rotation.reorganisations import tier_after

    district = ManagementTier.DISTRICT_STANDING
    assert tier_after(district, D(2025, 6, 30)) == district
    assert tier_after(district, EFFECTIVE) == ManagementTier.PROVINCIAL_STANDING
    assert tier_after(ManagementTier.UNIT, EFFECTIVE) == ManagementTier.UNIT


def test_staff_without_a_post_continue_in_the_successor_under_their_title(communes):
    from personnel import services as personnel_services
    from tests.factories import OfficialFactory

    clerk = OfficialFactory(full_name="Công Chức Xã", date_of_birth=D(1990, 1, 1))
    personnel_services.posting_create(
        official=clerk,
        org_unit=communes.xa_a2,
        title="Công chức Văn phòng - Thống kê",
        start_date=D(2019, 1, 1),
    )
    plan = reorganisation_apply(
        reorganisation=merge_communes(communes), by=communes.admin, today=TODAY
    )
    assert clerk.pk in {p.posting.official_id for p in plan.placements}
    posting = clerk.postings.get(end_date__isnull=True)
    assert posting.org_unit.name == "Đảng ủy xã A12"
    assert posting.position.title == "Công chức Văn phòng - Thống kê"
    assert posting.position.kind == PositionKind.STAFF


def test_no_rotation_rule_applies_to_a_reorganisation_placement(world, make_official):
    from rotation import rules
    from rotation.models import Movement as MovementModel

    make_official(position=world.positions.b_secretary, full_name="Đang Giữ")
    mover = make_official(position=world.positions.a_deputy, full_name="Người Chuyển")
    movement = MovementModel(
        official=mover,
        kind=MovementKind.ROTATION,
        from_posting=mover.current_posting,
        to_position=world.positions.b_secretary,
        effective_on=D(2025, 7, 1),
    )
    assert rules.evaluate(movement)  # held post, term missing…
    movement.kind = MovementKind.REORGANISATION
    assert rules.evaluate(movement) == []


@pytest.mark.parametrize(
    ("kind", "rows", "ended", "created"),
    [
        (ReorganisationKind.RENAME, [{"new_name": "Xã A Mới"}], ["Xã A1"], ["Xã A Mới"]),
        (
            ReorganisationKind.SPLIT,
            [{"new_name": "Xã A1 Bắc"}, {"new_name": "Xã A1 Nam"}],
            ["Xã A1"],
            ["Xã A1 Bắc", "Xã A1 Nam"],
        ),
        (ReorganisationKind.ABOLISH, [{}], ["Xã A1"], []),
        (ReorganisationKind.MOVE, [{"move": True}], ["Xã A1"], ["Xã A1"]),
    ],
)
def test_each_kind_on_localities(world, kind, rows, ended, created):
    admin = UserFactory(scope=world.units.province, role=Role.ADMINISTRATOR)
    OrgUnit.objects.filter(locality=world.localities.a1).update(locality=world.localities.a)
    place = world.localities.a1
    locality_rows = []
    for row in rows:
        values = {"predecessor": place, "new_name": row.get("new_name", "")}
        if row.get("move"):
            values.update(new_name=place.name, new_parent=world.localities.b)
        locality_rows.append(values)
    reorganisation = reorganisation_save(
        reorganisation=Reorganisation(
            kind=kind,
            name="Sắp xếp địa bàn",
            issued_by=world.units.province,
            basis_number="10-NQ",
            basis_date=D(2025, 6, 1),
            effective_on=EFFECTIVE,
        ),
        locality_rows=locality_rows,
        by=admin,
    )
    before = set(Locality.objects.values_list("pk", flat=True))
    dry = reorganisation_apply(reorganisation=reorganisation, by=admin, dry_run=True, today=TODAY)
    assert set(Locality.objects.values_list("pk", flat=True)) == before
    assert [p.name for p in dry.ended_localities] == ended
    assert sorted(n.name for n in dry.new_localities) == sorted(created)
    reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
    after = Locality.objects.exclude(pk__in=before)
    assert sorted(after.values_list("name", flat=True)) == sorted(created)
    assert all(p.valid_from == EFFECTIVE for p in after)
    place.refresh_from_db()
    assert place.valid_to == EVE  # ended, not deleted or renamed
    if kind == ReorganisationKind.MOVE:
        assert after.get().parent == world.localities.b
    reorganisation_apply(reorganisation=reorganisation, by=admin, today=TODAY)
    assert Locality.objects.count() == len(before) + len(created)
