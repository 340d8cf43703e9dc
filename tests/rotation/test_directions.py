"""Direction of a movement, DOMAIN.md rule 1: one pure function, table-tested."""

import pytest

from rotation.directions import DIRECTION_ORDER, UnitPlace, classify, direction_label

LEVELS = ["central", "province", "district", "commune"]
PARTY, FINANCE = 1, 2


@pytest.mark.parametrize("origin", LEVELS)
@pytest.mark.parametrize("destination", LEVELS)
def test_every_pair_of_levels(origin, destination):
    result = classify(UnitPlace(origin, 10, PARTY), UnitPlace(destination, 20, PARTY))
    assert result == f"{origin}_to_{destination}"
    assert result in DIRECTION_ORDER


@pytest.mark.parametrize("level", LEVELS)
def test_different_levels_ignore_locality_and_sector(level):
    other = "commune" if level != "commune" else "district"
    assert (
        classify(UnitPlace(level, 10, PARTY), UnitPlace(other, 10, FINANCE))
        == f"{level}_to_{other}"
    )


@pytest.mark.parametrize("level", LEVELS)
def test_same_level_other_locality(level):
    # Even with another sector: the locality decides first.
    assert (
        classify(UnitPlace(level, 10, PARTY), UnitPlace(level, 11, FINANCE))
        == f"{level}_to_{level}"
    )


def test_same_level_same_locality_other_sector_is_cross_sector():
    assert (
        classify(UnitPlace("district", 10, PARTY), UnitPlace("district", 10, FINANCE))
        == "cross_sector"
    )


def test_same_level_locality_and_sector_is_internal():
    assert (
        classify(UnitPlace("district", 10, PARTY), UnitPlace("district", 10, PARTY)) == "internal"
    )


def test_from_outside_the_system_is_external():
    assert classify(None, UnitPlace("province", 1, PARTY)) == "external"


def test_labels_read_the_way_staff_write_them():
    assert str(direction_label("province_to_district")) == "Từ tỉnh về huyện"
    assert str(direction_label("district_to_province")) == "Từ huyện lên tỉnh"
    assert str(direction_label("commune_to_commune")) == "Từ xã này sang xã khác"
    assert str(direction_label("cross_sector")) == "Từ ngành này sang ngành khác"


def test_report_order_puts_adjacent_levels_first_down_then_up():
    assert DIRECTION_ORDER[:6] == [
        "central_to_province",
        "province_to_central",
        "province_to_district",
        "district_to_province",
        "district_to_commune",
        "commune_to_district",
    ]
    assert DIRECTION_ORDER.index("commune_to_commune") < DIRECTION_ORDER.index("cross_sector")
    assert len(DIRECTION_ORDER) == len(set(DIRECTION_ORDER)) == 16 + 3
