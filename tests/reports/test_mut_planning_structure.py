"""planning_structure at its edges: a cadre turning 40 on the report's last day is no longer
young, exactly three cadres for a post is not too many, a share equal to its target meets
it, the sentence, the drill-downs of the structure rows, and who each group's list holds."""

import datetime as dt

import pytest

from personnel.choices import Gender
from reports import registry
from tests.factories import PlanningEntryFactory

D = dt.date
ON = D(2025, 6, 30)
YOUNG = "Cán bộ trẻ (dưới 40 tuổi, cấp tỉnh, huyện)"
WOMEN, MINORITY = "Cán bộ nữ", "Cán bộ người dân tộc thiểu số"


def context(scope, **params):
    definition = registry.get("planning_structure")
    params = {"term": "2025-2030", **params}
    return definition, registry.Context(
        scope, D(2025, 1, 1), ON, definition.clean_params(params), D(2025, 11, 21)
    )


def run(scope, **params):
    definition, ctx = context(scope, **params)
    return definition.compute(ctx).as_dict()


def people(scope, key):
    definition, ctx = context(scope)
    found = definition.people(ctx, key)
    return [column for column, _label in found.columns], [row[0] for row in found.rows()]


def table(result, key):
    return next(t for t in result["tables"] if t["key"] == key)


@pytest.fixture
def planned(world, make_official):
    p = world.positions
    for name, gender, born, position in [
        ("Trẻ", Gender.MALE, D(1985, 7, 1), p.a_secretary),  # 39 on ON
        ("Tròn Bốn Mươi", Gender.MALE, D(1985, 6, 30), p.a_secretary),  # 40 on ON
        ("Nữ Huyện", Gender.FEMALE, D(1970, 1, 1), p.a_secretary),
        ("Nữ Xã", Gender.FEMALE, D(1995, 1, 1), p.a1_secretary),  # a commune post
    ]:
        official = make_official(planned=False, full_name=name, gender=gender, date_of_birth=born)
        PlanningEntryFactory(official=official, position=position, term="2025-2030")
    return world


def test_the_structure_at_its_boundaries(planned):
    result = run(planned.units.province, women_target=50)
    assert table(result, "structure")["rows"] == [
        [YOUNG, 1, 3, 33.3, "≥ 15%", "Đạt"],  # turning 40 on the last day: no longer young
        [WOMEN, 2, 4, 50.0, "≥ 50%", "Đạt"],  # equal to the target: met
        [MINORITY, 0, 4, 0.0, "—", ""],
    ]
    assert result["sentence"] == (
        "Quy hoạch nhiệm kỳ 2025-2030: 4 cán bộ cho 2 chức danh (4 lượt); "
        "cán bộ trẻ (dưới 40 tuổi, cấp tỉnh, huyện) 33,3% (chỉ tiêu ≥ 15%, đạt); "
        "cán bộ nữ 50,0% (chỉ tiêu ≥ 50%, đạt); cán bộ người dân tộc thiểu số 0,0%."
    )  # three cadres for Bí thư Huyện ủy A is the limit, not over it
    per_position = {row[0]: row[3:5] for row in table(result, "per_position")["rows"]}
    assert per_position["Bí thư Huyện ủy A"] == [3, ""]
    assert result["chart"] == {
        "title": "Cơ cấu cán bộ quy hoạch (%)",
        "labels": [YOUNG, WOMEN, MINORITY],
        "values": [33.3, 50.0, 0.0],
        "series_label": "Tỷ lệ (%)",
    }
    assert result["is_empty"] is False


def test_a_group_without_members_lists_only_its_pool(planned):
    structure = table(run(planned.units.province), "structure")
    assert structure["drill"] == [{"group": "young"}, {"group": "women"}, None]
    assert structure["drill_cells"] == [
        {"total": {"pool": "young"}},
        {"total": {"pool": "women"}},
        {"total": {"pool": "minority"}},
    ]


def test_only_the_young_pool_is_limited_to_province_and_district_posts(planned):
    columns, pool = people(planned.units.province, {"pool": "young"})
    assert pool == ["Nữ Huyện", "Trẻ", "Tròn Bốn Mươi"]
    assert columns[-1] == "planned"
    assert people(planned.units.province, {"group": "women"})[1] == ["Nữ Huyện", "Nữ Xã"]
    assert people(planned.units.province, {"pool": "women"})[1] == [
        "Nữ Huyện",
        "Nữ Xã",
        "Trẻ",
        "Tròn Bốn Mươi",
    ]


def test_a_term_without_planning_is_empty(planned):
    assert run(planned.units.province, term="2020-2025")["is_empty"] is True
