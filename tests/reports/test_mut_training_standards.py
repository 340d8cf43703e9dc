"""training_standards, written out: each standard's share, target and verdict (a share equal
to its target meets it), the sentence naming only partial targets, serving cadres only, the
chart, the empty flag, and the planned population's wording and people list."""

import datetime as dt

import pytest

from personnel.choices import EducationLevel, ManagementTier, OfficialStatus, PoliticalTheory
from reports import registry

D = dt.date
PROVINCIAL = ManagementTier.PROVINCIAL_STANDING
DEGREE, INTERMEDIATE = "Trình độ đại học trở lên", "Lý luận chính trị trung cấp trở lên"
ADVANCED, POSTGRADUATE = "Lý luận chính trị cao cấp, cử nhân", "Thạc sĩ, tiến sĩ"


def context(scope, **params):
    definition = registry.get("training_standards")
    return definition, registry.Context(
        scope, D(2025, 1, 1), D(2025, 6, 30), definition.clean_params(params), D(2025, 11, 21)
    )


def run(scope, **params):
    definition, ctx = context(scope, **params)
    return definition.compute(ctx).as_dict()


def people(scope, key, **params):
    definition, ctx = context(scope, **params)
    found = definition.people(ctx, key)
    return [column for column, _label in found.columns], found.rows()


@pytest.fixture
def cadres(world, make_official):
    p = world.positions
    for name, education, theory, position in [
        ("Một", EducationLevel.UNIVERSITY, PoliticalTheory.ADVANCED, p.a_secretary),
        ("Hai", EducationLevel.MASTER, PoliticalTheory.INTERMEDIATE, p.b_secretary),
        ("Ba", EducationLevel.DOCTORATE, PoliticalTheory.BACHELOR, None),
    ]:
        make_official(
            full_name=name,
            education_level=education,
            political_theory=theory,
            management_tier=PROVINCIAL,
            position=position,
        )
    retired = make_official(
        full_name="Đã Nghỉ",
        education_level=EducationLevel.COLLEGE,
        political_theory=PoliticalTheory.NONE,
        management_tier=PROVINCIAL,
        position=p.a_deputy,
    )
    retired.status = OfficialStatus.RETIRED
    retired.save(update_fields=["status"])
    return world


def test_each_standard_with_its_target_and_verdict(cadres):
    result = run(cadres.units.province)
    standards = result["tables"][0]
    assert standards["rows"] == [
        [DEGREE, 3, 3, 100.0, "100%", "Đạt"],  # equal to the target: met
        [INTERMEDIATE, 3, 3, 100.0, "100%", "Đạt"],
        [ADVANCED, 2, 3, 66.7, "100%", "Chưa đạt"],  # required of the provincial tier
        [POSTGRADUATE, 2, 3, 66.7, "30%", "Đạt"],
    ]
    assert standards["drill_cells"] == [{"total": {}}] * 4
    assert result["sentence"] == (
        "Trong 3 cán bộ (ban thường vụ tỉnh ủy quản lý): 100,0% trình độ đại học trở lên; "
        "100,0% lý luận chính trị trung cấp trở lên; 66,7% lý luận chính trị cao cấp, cử nhân; "
        "66,7% thạc sĩ, tiến sĩ (chỉ tiêu 30%)."
    )
    assert result["tables"][1]["rows"] == [["Hai", "Thạc sĩ", "Trung cấp", ADVANCED]]
    assert result["chart"] == {
        "title": "Tỷ lệ đạt chuẩn (%)",
        "labels": [DEGREE, INTERMEDIATE, ADVANCED, POSTGRADUATE],
        "values": [100.0, 100.0, 66.7, 66.7],
        "series_label": "Tỷ lệ (%)",
    }
    assert result["is_empty"] is False


def test_without_a_tier_advanced_theory_has_no_target(cadres):
    result = run(cadres.units.province, tier="all", postgraduate_target=67)
    rows = {row[0]: row[4:] for row in result["tables"][0]["rows"]}
    assert rows[ADVANCED] == ["—", ""]
    assert rows[POSTGRADUATE] == ["67%", "Chưa đạt"]
    assert result["tables"][1]["rows"] == []  # advanced theory is nobody's obligation here
    assert "cao cấp, cử nhân; 66,7% thạc sĩ, tiến sĩ (chỉ tiêu 67%)." in result["sentence"]
    assert result["sentence"].startswith("Trong 3 cán bộ (tất cả diện quản lý): ")


def test_one_cadre_is_not_an_empty_report_and_nobody_is(cadres, make_official):
    make_official(full_name="Một Mình", management_tier=PROVINCIAL, unit=cadres.units.xa_a1)
    assert run(cadres.units.xa_a1)["is_empty"] is False
    assert run(cadres.units.hu_b, tier=ManagementTier.UNIT)["is_empty"] is True


def test_the_planned_population_of_every_tier(cadres):
    # make_official plans each cadre for Bí thư Huyện ủy A in 2025-2030; the retired one
    # is no longer counted.
    result = run(cadres.units.province, population="planned", tier="all", term="2025-2030")
    assert result["total"] == 3
    assert result["sentence"].startswith(
        "Trong 3 cán bộ (cán bộ trong quy hoạch nhiệm kỳ 2025-2030 các chức danh tất cả diện "
        "quản lý): "
    )
    columns, rows = people(
        cadres.units.province,
        {"standard": "postgraduate"},
        population="planned",
        tier="all",
        term="2025-2030",
    )
    assert columns[-1] == "planned"
    assert [(row[0], row[-1]) for row in rows] == [
        ("Ba", "Bí thư Huyện ủy A (Huyện ủy A)"),
        ("Hai", "Bí thư Huyện ủy A (Huyện ủy A)"),
    ]


def test_the_managed_populations_people_have_no_planned_column(cadres):
    columns, rows = people(cadres.units.province, {"standard": "theory_advanced"})
    assert "planned" not in columns
    assert [row[0] for row in rows] == ["Ba", "Một"]
    _columns, everyone = people(cadres.units.province, {})
    assert [row[0] for row in everyone] == ["Ba", "Hai", "Một"]
