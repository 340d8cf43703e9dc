"""The order in which reports list directions, and the label of every pair of levels."""

import pytest

from rotation import directions

EXPECTED_ORDER = [
    "central_to_province",
    "province_to_central",
    "province_to_district",
    "district_to_province",
    "district_to_commune",
    "commune_to_district",
    "central_to_district",
    "district_to_central",
    "province_to_commune",
    "commune_to_province",
    "central_to_commune",
    "commune_to_central",
    "central_to_central",
    "province_to_province",
    "district_to_district",
    "commune_to_commune",
    "cross_sector",
    "internal",
    "external",
]


def test_reports_list_adjacent_levels_first_then_farther_pairs_then_the_same_level():
    # The order is computed from the levels when the module loads; computing it again
    # must give the same list.
    assert directions._ordered_codes() == EXPECTED_ORDER
    assert directions.DIRECTION_ORDER == EXPECTED_ORDER


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("central_to_central", "Giữa các cơ quan Trung ương"),
        ("province_to_province", "Từ tỉnh này sang tỉnh khác"),
        ("central_to_province", "Từ Trung ương về tỉnh"),
        ("province_to_central", "Từ tỉnh lên Trung ương"),
        ("central_to_commune", "Từ Trung ương về xã"),
        ("commune_to_central", "Từ xã lên Trung ương"),
        ("commune_to_district", "Từ xã lên huyện"),
        ("internal", "Trong cùng ngành, cùng địa phương"),
        ("external", "Từ ngoài hệ thống"),
    ],
)
def test_every_direction_has_the_label_staff_use(code, label):
    assert str(directions.direction_label(code)) == label


def test_a_unit_gives_its_place_and_no_unit_none():
    class Unit:
        level, locality_id, sector_id = "district", 7, 3

    assert directions.place_of(Unit()) == directions.UnitPlace("district", 7, 3)
    assert directions.place_of(None) is None
