"""rotation_summary on hand-built data; expected figures are written out, not recomputed."""

import datetime as dt

import pytest

from reports import registry
from rotation.choices import MovementKind

D = dt.date
TERM_START, END_2022 = D(2020, 10, 1), D(2022, 12, 31)


def run(scope, date_from=TERM_START, date_to=END_2022, **params):
    definition = registry.get("rotation_summary")
    context = registry.Context(
        scope, date_from, date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )
    return definition.compute(context).as_dict()


@pytest.fixture
def term(world, make_official, move):
    p = world.positions
    o1 = make_official(position=p.province_deputy, full_name="Một")
    o2 = make_official(position=p.a_deputy, full_name="Hai")
    o3 = make_official(position=p.a_chair, full_name="Ba")
    o4 = make_official(position=p.b_deputy, full_name="Bốn")
    o6 = make_official(unit=world.units.hu_b, full_name="Sáu")
    o7 = make_official(position=p.b_secretary, full_name="Bảy")
    o8 = make_official(position=p.a1_secretary, full_name="Tám")
    o9 = make_official(unit=world.units.hu_a, full_name="Chín")
    o10 = make_official(unit=world.units.hu_b, full_name="Mười")
    move(o1, p.a_deputy, D(2021, 2, 1))  # province → district
    move(o2, p.province_deputy, D(2021, 2, 1))  # district → province
    move(o3, p.a_secretary, D(2021, 5, 1))  # UBND huyện A → Huyện ủy A: cross sector
    move(o4, p.a1_secretary, D(2021, 3, 1), apply=True)  # district B → commune A1
    move(o4, p.b_deputy, D(2022, 6, 1))  # commune A1 → district B: same cadre, second movement
    move(o6, p.a_deputy, END_2022)  # district B → district A on the last day: counts
    move(o7, p.province_deputy, D(2023, 1, 1))  # the day after: does not count
    move(o8, p.province_deputy, D(2021, 8, 1), kind=MovementKind.TRANSFER, term=None)  # a transfer
    move(o9, p.b_deputy, D(2021, 9, 1), status="draft")  # never counted
    move(o10, p.a_deputy, D(2021, 9, 1), status="cancelled")  # never counted
    return world


def test_cadres_movements_and_directions_from_the_start_of_the_term(term):
    result = run(term.units.province)
    assert result["total_cadres"] == 5
    assert result["total_movements"] == 6
    assert result["by_direction"] == {
        "province_to_district": 1,
        "district_to_province": 1,
        "district_to_commune": 1,
        "commune_to_district": 1,
        "district_to_district": 1,
        "cross_sector": 1,
    }
    assert result["sentence"] == (
        "Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 5 cán bộ (6 lượt), trong đó: "
        "từ tỉnh về huyện 1 đồng chí; từ huyện lên tỉnh 1 đồng chí; từ huyện về xã 1 đồng chí; "
        "từ xã lên huyện 1 đồng chí; từ huyện này sang huyện khác 1 đồng chí; "
        "từ ngành này sang ngành khác 1 đồng chí."
    )


def test_by_kind_shows_every_kind(term):
    result = run(term.units.province)
    assert result["by_kind"] == {
        "rotation": 5,
        "transfer": 1,
        "appointment": 0,
        "reappointment": 0,
        "secondment": 0,
        "return": 0,
    }
    kind_rows = next(t for t in result["tables"] if t["key"] == "by_kind")["rows"]
    assert [row[0] for row in kind_rows] == [
        "Luân chuyển",
        "Điều động",
        "Bổ nhiệm",
        "Bổ nhiệm lại",
        "Biệt phái",
        "Trở về cơ quan cũ",
    ]


def test_zero_directions_stay_in_the_table_but_not_in_the_sentence(term):
    result = run(term.units.province)
    table = next(t for t in result["tables"] if t["key"] == "by_direction")
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert rows["Từ xã này sang xã khác"] == [0, 0]
    assert "xã này sang xã khác" not in result["sentence"]
    assert rows["Tổng cộng"] == [5, 6]
    assert [row[0] for row in table["rows"]][:4] == [
        "Từ tỉnh về huyện",
        "Từ huyện lên tỉnh",
        "Từ huyện về xã",
        "Từ xã lên huyện",
    ]


def test_kind_parameter_selects_transfers_or_all(term):
    transfers = run(term.units.province, kind="transfer")
    assert (transfers["total_cadres"], transfers["total_movements"]) == (1, 1)
    assert transfers["by_direction"] == {"commune_to_province": 1}
    assert transfers["sentence"].startswith(
        "Từ đầu nhiệm kỳ đến hết năm 2022 đã điều động 1 cán bộ, trong đó: từ xã lên tỉnh 1 đồng chí."
    )
    everything = run(term.units.province, kind="all")
    assert (everything["total_cadres"], everything["total_movements"]) == (6, 7)


def test_scope_subtree_counts_moves_into_or_out_of_it(term):
    result = run(term.units.hu_b)
    assert (result["total_cadres"], result["total_movements"]) == (2, 3)
    assert result["by_direction"] == {
        "district_to_commune": 1,
        "commune_to_district": 1,
        "district_to_district": 1,
    }


def test_period_boundaries(term):
    assert run(term.units.province, D(2023, 1, 1), D(2023, 12, 31))["total_movements"] == 1
    assert run(term.units.province, D(2022, 12, 31), D(2022, 12, 31))["total_movements"] == 1
    result = run(term.units.province, D(2024, 1, 1), D(2024, 12, 31))
    assert result["total_movements"] == 0 and result["is_empty"]
    assert result["sentence"] == "Năm 2024 đã luân chuyển 0 cán bộ."


def test_bad_parameters_are_refused_in_vietnamese():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="không hợp lệ"):
        registry.get("rotation_summary").clean_params({"kind": "promotion"})
    with pytest.raises(ValidationError, match="Không có báo cáo"):
        registry.get("no_such_report")


def test_proper_nouns_keep_their_capitals_in_the_sentence():
    from reports.definitions.rotation_summary import sentence_part

    assert sentence_part("central_to_province", 3) == "từ Trung ương về tỉnh 3 đồng chí"
    assert sentence_part("province_to_district", 14) == "từ tỉnh về huyện 14 đồng chí"


def test_by_tier_counts_the_tier_at_the_time_of_the_move(term):
    from personnel.models import Official

    Official.objects.filter(full_name="Một").update(
        management_tier="provincial_standing"
    )  # promoted later
    result = run(term.units.province)
    assert result["by_tier"] == {"unit": 5}
