"""Who moves where: how readily a post goes to someone from another unit, level, sector."""

import random

from personnel.choices import Level

from .geography import UnitSpec

STAFF_WORDS = {
    "police": ["Cán bộ"],
    "court": ["Thẩm phán", "Thư ký Tòa án"],
    "procuracy": ["Kiểm sát viên", "Kiểm tra viên"],
    "inspection": ["Thanh tra viên"],
}

# Sectors whose people stay inside the family (ngành dọc); the rest interchange freely.
SECTOR_FAMILY = {
    "police": "police",
    "court": "court",
    "procuracy": "procuracy",
    "tax": "finance",
    "finance": "finance",
    "education": "education",
    "health": "health",
}


def sector_affinity(source: str, target: str) -> float:
    """How readily someone from sector ``source`` moves to sector ``target``."""
    if source == target:
        return 1.0
    src, dst = SECTOR_FAMILY.get(source), SECTOR_FAMILY.get(target)
    if src == dst:
        return 0.8 if src else 0.6  # same family, or both general (Party, government…)
    if dst is None:
        return 0.05  # a specialist to a general post (a police chief becomes a secretary)
    return 0.0


def geo_ok(source: UnitSpec, target: UnitSpec) -> bool:
    """Moves that happen at all: no commune → province, no province → commune, and
    communes only within their district."""
    if target.level == Level.PROVINCE:
        return source.level != Level.COMMUNE
    if target.level == Level.DISTRICT:
        return source.level != Level.COMMUNE or source.district_code == target.district_code
    return source.level != Level.PROVINCE and source.district_code == target.district_code


def geo_weight(source: UnitSpec, target: UnitSpec) -> float:
    """How often a post in ``target`` goes to someone from ``source`` (0: never)."""
    if not geo_ok(source, target):
        return 0.0
    if source.code == target.code:
        return 3.0
    if target.level == Level.PROVINCE:
        return 1.0 if source.level == Level.PROVINCE else 0.5
    if target.level == Level.DISTRICT:
        if source.level == Level.PROVINCE:
            return 0.3
        return 1.0 if source.district_code == target.district_code else 0.06
    if source.locality_code == target.locality_code:
        return 1.0
    return 0.5 if source.level == Level.DISTRICT else 0.3


def staff_move_weight(source: UnitSpec, target: UnitSpec) -> float:
    """How often a staff member of ``source`` is transferred to ``target``."""
    affinity = sector_affinity(source.sector, target.sector)
    if affinity < 0.5:
        return 0.0
    if source.locality_code == target.locality_code:
        geo = 1.0
    elif source.level == Level.COMMUNE:
        same_district = source.district_code == target.district_code
        geo = {Level.DISTRICT: 0.6, Level.COMMUNE: 0.3}.get(target.level, 0.0)
        geo = geo if same_district else 0.01 * (target.level == Level.COMMUNE)
    elif source.level == Level.DISTRICT:
        same_district = source.district_code == target.district_code
        geo = {Level.PROVINCE: 0.15, Level.COMMUNE: 0.3 * same_district}.get(target.level, 0.05)
    else:
        geo = 0.08 if target.level == Level.DISTRICT else 0.0
    return geo * affinity


def staff_title(rng: random.Random, unit: UnitSpec) -> str:
    """ "Chuyên viên Ban Tổ chức Tỉnh ủy", "Công chức UBND xã Sơn Hồng"…"""
    if unit.level == Level.COMMUNE:
        word = "Công chức"
    else:
        word = rng.choice(STAFF_WORDS.get(unit.sector, ["Chuyên viên"]))
    return f"{word} {unit.name}"
