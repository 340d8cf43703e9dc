"""The remaining edges of the report definitions: rotation_summary's tier tables (cadres, not
movements; the total row's lists; the "not recorded" tier only when it occurs), the people
lists (a cadre moved twice is one person, a code outside the choices shown as stored, only
the term's active planning), and non-local shares with a vacant post of the same type."""

import datetime as dt

import pytest

from personnel.choices import Level, ManagementTier, PlanningStatus
from personnel.models import Official
from reports import registry
from reports.definitions import people as report_people
from reports.models import NonLocalTarget
from rotation.models import Movement
from rotation.summary import summary_rebuild
from tests.factories import LocalityFactory, OrgUnitFactory, PlanningEntryFactory, PositionFactory

D = dt.date
TIERS = [str(label) for _code, label in ManagementTier.choices]


def context(code, scope, date_from=D(2020, 10, 1), date_to=D(2022, 12, 31), **params):
    definition = registry.get(code)
    ctx = registry.Context(
        scope, date_from, date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )
    return definition, ctx


def run(code, scope, **kwargs):
    definition, ctx = context(code, scope, **kwargs)
    return definition.compute(ctx).as_dict()


def table(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


@pytest.fixture
def twice(world, make_official, move):
    """One cadre moved twice between districts, another once to the province."""
    p = world.positions
    cadre = make_official(position=p.a_deputy, full_name="Hai Lần")
    move(cadre, p.b_deputy, D(2021, 3, 1), apply=True)
    move(cadre, p.a_deputy, D(2022, 3, 1))
    move(make_official(position=p.b_secretary, full_name="Một Lần"), p.province_deputy,
         D(2021, 6, 1))  # fmt: skip
    return world


def test_the_tier_and_kind_table_counts_cadres_with_its_total_rows_lists(twice):
    result = run("rotation_summary", twice.units.province, kind="all")
    by_tier_kind = table(result, "by_tier_kind")
    unit = str(ManagementTier.UNIT.label)
    zeros = [0] * 5  # the kinds after rotation
    rows = {row[0]: row[1:] for row in by_tier_kind["rows"]}
    assert rows[unit] == [2, *zeros, 2]  # two cadres, three movements
    assert rows["Tổng cộng"] == [2, *zeros, 2]
    assert all(
        row == [0, *zeros, 0] for label, row in rows.items() if label not in (unit, "Tổng cộng")
    )
    assert by_tier_kind["drill"][-1] == {"every_kind": True, "figure": "total"}
    assert by_tier_kind["drill_cells"][-1] == {"rotation": {"every_kind": True, "kind": "rotation"}}
    # Every tier is a row, and no "not recorded" row when every movement has its tier.
    assert [row[0] for row in table(result, "by_tier")["rows"]] == TIERS


def test_a_movement_without_a_recorded_tier_gets_its_own_row(twice):
    Movement.objects.filter(official__full_name="Một Lần").update(management_tier="")
    summary_rebuild()  # a write past the services: the nightly check would repair it
    result = run("rotation_summary", twice.units.province)
    rows = table(result, "by_tier")["rows"]
    assert [row[0] for row in rows] == [*TIERS, "Chưa ghi diện quản lý"]
    assert rows[-1][1:] == [1, 1]


def test_a_cadre_moved_twice_is_one_person_on_the_list(twice):
    definition, ctx = context("rotation_summary", twice.units.province)
    listed = definition.people(ctx, {"direction": "district_to_district"})
    assert [row[0] for row in listed.rows()] == ["Hai Lần", "Hai Lần"]
    assert listed.people_count() == 1


def test_a_code_outside_the_choices_is_shown_as_stored(world, make_official):
    official = make_official(full_name="Hồ Sơ Cũ")
    Official.objects.filter(pk=official.pk).update(education_level="trung_hoc_cu")
    row = report_people.official_people(Official.objects.filter(pk=official.pk)).rows()[0]
    assert row[0] == "Hồ Sơ Cũ" and row[5] == "trung_hoc_cu"


def test_the_planned_column_and_the_entries_are_the_terms_active_ones(world, make_official):
    p = world.positions
    official = make_official(full_name="Quy Hoạch", planned=False)
    PlanningEntryFactory(official=official, position=p.a_secretary, term="2025-2030")
    PlanningEntryFactory(official=official, position=p.b_secretary, term="2020-2025")
    dropped = make_official(full_name="Đã Đưa Ra", planned=False)
    PlanningEntryFactory(
        official=dropped, position=p.b_deputy, term="2025-2030", status=PlanningStatus.REMOVED
    )
    entries = report_people.planning_entries("2025-2030")
    assert list(entries.values_list("official__full_name", flat=True)) == ["Quy Hoạch"]
    rows = report_people.official_people(Official.objects.all(), planned=entries).rows()
    planned = {row[0]: row[-1] for row in rows}
    assert planned["Quy Hoạch"] == "Bí thư Huyện ủy A (Huyện ủy A)"
    assert planned["Đã Đưa Ra"] == ""
    structure = run(
        "planning_structure",
        world.units.province,
        date_from=D(2025, 1, 1),
        date_to=D(2025, 6, 30),
        term="2025-2030",
    )
    assert structure["cadres"] == 1 and structure["positions"] == 1


@pytest.fixture
def secretaries(world, make_official):
    """Four district secretaries' posts: two held by non-local cadres, one by a local, one vacant."""
    places = world.localities
    make_official(position=world.positions.a_secretary, hometown=places.outside)
    make_official(position=world.positions.b_secretary, hometown=places.b)  # local
    for name, letter, held in (("Thị xã C", "C", True), ("Thành phố D", "D", False)):
        area = LocalityFactory(code=letter * 3, name=name, parent=places.p)
        committee = OrgUnitFactory(
            code=f"U{letter}", name=f"Thị ủy {letter}", level=Level.DISTRICT,
            sector=world.sectors.party, locality=area, parent=world.units.province,
        )  # fmt: skip
        post = PositionFactory(org_unit=committee, title=f"Bí thư Thị ủy {letter}",
                               requires_non_local=True)  # fmt: skip
        if held:
            make_official(position=post, hometown=places.outside)
    return world


@pytest.mark.parametrize(("share", "assessment"), [(66, "Đạt"), (67, "Chưa đạt")])
def test_two_of_three_filled_posts_against_a_target(secretaries, share, assessment):
    post_type = secretaries.positions.a_secretary.post_type
    NonLocalTarget.objects.create(
        post_type=post_type, share=share, deadline=D(2025, 12, 31), basis="Nghị quyết"
    )
    result = run("non_local_compliance", secretaries.units.province, date_from=D(2025, 1, 1),
                 date_to=D(2025, 6, 30))  # fmt: skip
    row = next(r for r in table(result, "by_post_type")["rows"] if r[1] == post_type.name)
    assert row[2:7] == [2, 3, 4, 1, "2/3"]
    assert row[9] == assessment
    assert f"{post_type.name} 2/3" in result["sentence"]  # over the filled posts


def test_each_direction_row_and_the_total_list_their_movements(twice):
    result = run("rotation_summary", twice.units.province)
    directions = table(result, "by_direction")
    drills = dict(zip([row[0] for row in directions["rows"]], directions["drill"], strict=True))
    assert drills["Từ huyện lên tỉnh"] == {"direction": "district_to_province"}
    assert drills["Từ huyện này sang huyện khác"] == {"direction": "district_to_district"}
    assert drills["Tổng cộng"] == {}  # every movement counted
    assert drills["Từ ngành này sang ngành khác"] is None  # nobody: nothing to list


def test_kinds_and_tiers_without_movements_show_zeros_and_no_list(twice):
    result = run("rotation_summary", twice.units.province, kind="all")
    kinds = table(result, "by_kind")
    assert kinds["rows"][0][1:] == [2, 3]  # rotations: two cadres, three movements
    assert all(row[1:] == [0, 0] for row in kinds["rows"][1:])
    tiers = table(result, "by_tier")
    unit = TIERS.index(str(ManagementTier.UNIT.label))
    assert tiers["rows"][unit][1:] == [2, 3]
    assert all(row[1:] == [0, 0] for i, row in enumerate(tiers["rows"]) if i != unit)
    assert tiers["drill"][unit] == {"management_tier": ManagementTier.UNIT}
    assert [d for i, d in enumerate(tiers["drill"]) if i != unit] == [None] * (len(TIERS) - 1)


def test_the_figures_by_kind_count_zero_for_kinds_without_movements(twice):
    result = run("rotation_summary", twice.units.province, kind="all")
    others = {code: 0 for code in result["by_kind"] if code != "rotation"}
    assert result["by_kind"] == {"rotation": 2, **others}
    assert result["movements_by_kind"] == {"rotation": 3, **others}
