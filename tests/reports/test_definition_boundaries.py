"""Report figures that a small change of the definitions would alter: cadres counted per
direction (not movements), the sentence's parts, and the shared helpers."""

import datetime as dt

import pytest

from reports import registry
from reports.definitions import common
from rotation.choices import MovementKind

D = dt.date


def run(report, scope, date_from=D(2020, 10, 1), date_to=D(2022, 12, 31), **params):
    definition = registry.get(report)
    context = registry.Context(
        scope, date_from, date_to, definition.clean_params(params), today=D(2025, 11, 21)
    )
    return definition.compute(context).as_dict()


@pytest.fixture
def twice_between_districts(world, make_official, move):
    """One cadre moved twice between districts, another once from a district to the province."""
    p = world.positions
    twice = make_official(position=p.a_deputy, full_name="Hai lần")
    move(twice, p.b_deputy, D(2021, 3, 1), apply=True)
    move(twice, p.a_deputy, D(2022, 3, 1))
    once = make_official(position=p.b_secretary, full_name="Một lần")
    move(once, p.province_deputy, D(2021, 6, 1))
    return world


def test_the_sentence_counts_cadres_per_direction_not_movements(twice_between_districts):
    result = run("rotation_summary", twice_between_districts.units.province)
    assert result["sentence"] == (
        "Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 2 cán bộ (3 lượt), trong đó: "
        "từ huyện lên tỉnh 1 đồng chí; từ huyện này sang huyện khác 1 đồng chí."
    )
    assert result["by_direction"] == {"district_to_province": 1, "district_to_district": 1}
    assert result["movements_by_direction"] == {
        "district_to_province": 1,
        "district_to_district": 2,
    }
    assert result["chart"]["values"] == [1, 1]


def test_one_movement_per_cadre_is_not_repeated_as_movements(world, make_official, move):
    official = make_official(position=world.positions.a_deputy)
    move(official, world.positions.province_deputy, D(2021, 6, 1))
    result = run("rotation_summary", world.units.province)
    assert result["sentence"] == (
        "Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 1 cán bộ, trong đó: "
        "từ huyện lên tỉnh 1 đồng chí."
    )


def test_every_kind_lists_the_kinds_by_cadres(twice_between_districts, make_official, move):
    world = twice_between_districts
    transferred = make_official(position=world.positions.a1_secretary)
    move(transferred, world.positions.a_chair, D(2022, 1, 1), kind=MovementKind.TRANSFER, term=None)
    result = run("rotation_summary", world.units.province, kind="all")
    assert result["sentence"].endswith(
        "Theo hình thức: luân chuyển 2 đồng chí; điều động 1 đồng chí."
    )


def test_a_period_without_movements_says_so_with_no_parts(world):
    result = run("rotation_summary", world.units.province)
    assert result["sentence"] == "Từ đầu nhiệm kỳ đến hết năm 2022 đã luân chuyển 0 cán bộ."
    assert result["is_empty"] is True


@pytest.mark.parametrize(
    ("part", "whole", "share", "text"),
    [(1, 3, 33.3, "33,3%"), (2, 3, 66.7, "66,7%"), (0, 5, 0.0, "0,0%"), (3, 0, 0.0, "0,0%")],
)
def test_shares_are_rounded_to_one_decimal(part, whole, share, text):
    assert common.pct(part, whole) == share
    assert common.pct_text(common.pct(part, whole)) == text
    assert common.ratio(part, whole) == f"{part}/{whole}"
