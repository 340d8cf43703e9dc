"""Direction of a movement (hướng luân chuyển), DOMAIN.md rule 1.

Different levels give ``<from>_to_<to>``; the same level in another locality gives
``<level>_to_<level>``; the same level and locality in another sector gives
``cross_sector``. A move inside one sector of one locality is ``internal``; a move
from outside the system whose origin is unknown is ``external``. Codes are built
from the levels, so a level added changes only ``personnel.choices``; a level
abolished keeps its codes for history and gets its last day in ``LEVEL_LAST_DAY``,
which tells the directions possible in a period (``possible_in``).
"""

from dataclasses import dataclass
from datetime import date

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from personnel.choices import LEVEL_RANK, Level

CROSS_SECTOR = "cross_sector"
INTERNAL = "internal"
EXTERNAL = "external"

LEVELLESS = frozenset({CROSS_SECTOR, INTERNAL, EXTERNAL})

# The last day of each level that has ended; a level not listed still exists. The
# district level ended with the 2025 reorganisation (two-tier local government from
# 1/7/2025): its directions occur only for movements effective on or before this day.
LEVEL_LAST_DAY: dict[str, date] = {Level.DISTRICT: date(2025, 6, 30)}

_LEVEL_NAMES = {
    Level.CENTRAL: _("Trung ương"),
    Level.PROVINCE: _("tỉnh"),
    Level.DISTRICT: _("huyện"),
    Level.COMMUNE: _("xã"),
}


@dataclass(frozen=True)
class UnitPlace:
    """What direction needs to know of a unit."""

    level: str
    locality_id: int | None
    sector_id: int | None


def classify(origin: UnitPlace | None, destination: UnitPlace) -> str:
    if origin is None:
        return EXTERNAL
    if origin.level != destination.level:
        return f"{origin.level}_to_{destination.level}"
    if origin.locality_id != destination.locality_id:
        return f"{origin.level}_to_{destination.level}"
    if origin.sector_id != destination.sector_id:
        return CROSS_SECTOR
    return INTERNAL


def place_of(unit) -> UnitPlace | None:
    if unit is None:
        return None
    return UnitPlace(unit.level, unit.locality_id, unit.sector_id)


def level_existed(level: str, on: date) -> bool:
    """Whether units of ``level`` existed on day ``on``."""
    last = LEVEL_LAST_DAY.get(level)
    return last is None or on <= last


def levels_of(code: str) -> tuple[str, ...]:
    """The levels a direction code names: (from, to), or none (cross-sector, internal, external)."""
    if code in LEVELLESS:
        return ()
    origin, sep, destination = code.partition("_to_")
    return (origin, destination) if sep else ()


def possible_in(code: str, date_from: date, date_to: date) -> bool:
    """Whether movements effective within ``date_from``–``date_to`` (both inclusive) can
    have direction ``code``: every level it names existed on some day of the period.
    Directions naming no level are always possible."""
    levels = levels_of(code)
    if not levels:
        return True
    # Levels only end (LEVEL_LAST_DAY): one that existed on some day of the period
    # existed on its first day.
    return date_from <= date_to and all(level_existed(level, date_from) for level in levels)


def _label(origin: str, destination: str):
    a, b = _LEVEL_NAMES[Level(origin)], _LEVEL_NAMES[Level(destination)]
    if origin == destination == Level.CENTRAL:
        return _("Giữa các cơ quan Trung ương")
    if origin == destination:
        return format_lazy(_("Từ {a} này sang {a} khác"), a=a)
    if LEVEL_RANK[Level(origin)] < LEVEL_RANK[Level(destination)]:
        return format_lazy(_("Từ {a} về {b}"), a=a, b=b)
    return format_lazy(_("Từ {a} lên {b}"), a=a, b=b)


def _ordered_codes() -> list[str]:
    """Reporting order: adjacent levels top-down (down, then up), farther pairs, same level."""
    levels = sorted(LEVEL_RANK, key=LEVEL_RANK.get)
    codes = []
    for distance in range(1, len(levels)):
        for i in range(len(levels) - distance):
            upper, lower = levels[i], levels[i + distance]
            codes += [f"{upper}_to_{lower}", f"{lower}_to_{upper}"]
    codes += [f"{level}_to_{level}" for level in levels]
    return [*codes, CROSS_SECTOR, INTERNAL, EXTERNAL]


DIRECTION_ORDER: list[str] = _ordered_codes()


def direction_label(code: str):
    if code == CROSS_SECTOR:
        return _("Từ ngành này sang ngành khác")
    if code == INTERNAL:
        return _("Trong cùng ngành, cùng địa phương")
    if code == EXTERNAL:
        return _("Từ ngoài hệ thống")
    origin, _sep, destination = code.partition("_to_")
    return _label(origin, destination)


def possible_directions(date_from: date, date_to: date) -> list[str]:
    """The direction codes possible for movements effective within the period, in reporting order."""
    return [code for code in DIRECTION_ORDER if possible_in(code, date_from, date_to)]


DIRECTION_CHOICES = [(code, direction_label(code)) for code in DIRECTION_ORDER]
