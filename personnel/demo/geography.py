"""The demo province: localities, sectors, the org unit tree and its positions.

Tỉnh Hà Tĩnh with its 13 district-level units as they stood before 1/7/2025, five
communes each, and a few localities of the neighbouring provinces (birthplaces of
non-local officials). District codes are the official ones; commune codes are
illustrative five-digit codes in the province's range.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from personnel.choices import Level, LocalityLevel, ManagementTier, PositionKind

PROVINCE_CODE = "42"
PROVINCE_NAME = "Tỉnh Hà Tĩnh"
PROVINCE_SHORT = "Hà Tĩnh"
ROOT_UNIT_CODE = "TU"

SECTORS = [
    ("party", "Đảng"),
    ("government", "Chính quyền"),
    ("front", "Mặt trận Tổ quốc và các đoàn thể"),
    ("police", "Công an"),
    ("court", "Tòa án"),
    ("procuracy", "Viện kiểm sát"),
    ("inspection", "Thanh tra"),
    ("finance", "Tài chính"),
    ("tax", "Thuế"),
    ("education", "Giáo dục"),
    ("health", "Y tế"),
    ("home_affairs", "Nội vụ"),
]

# code, kind word, short name, party committee word, first commune code, communes
DISTRICTS = [
    ("436", "thành phố", "Hà Tĩnh", "Thành ủy", 18070,
     ["Phường Trần Phú", "Phường Nam Hà", "Phường Bắc Hà", "Phường Nguyễn Du",
      "Phường Thạch Linh", "Xã Thạch Hạ"]),
    ("437", "thị xã", "Hồng Lĩnh", "Thị ủy", 18115,
     ["Phường Bắc Hồng", "Phường Nam Hồng", "Phường Trung Lương", "Phường Đức Thuận",
      "Xã Thuận Lộc"]),
    ("439", "huyện", "Hương Sơn", "Huyện ủy", 18130,
     ["Thị trấn Phố Châu", "Thị trấn Tây Sơn", "Xã Sơn Hồng", "Xã Sơn Diệm", "Xã Sơn Tây",
      "Xã Sơn Kim 1"]),
    ("440", "huyện", "Đức Thọ", "Huyện ủy", 18220,
     ["Thị trấn Đức Thọ", "Xã Tùng Ảnh", "Xã Trường Sơn", "Xã Liên Minh", "Xã Yên Hồ"]),
    ("441", "huyện", "Vũ Quang", "Huyện ủy", 18300,
     ["Thị trấn Vũ Quang", "Xã Ân Phú", "Xã Đức Giang", "Xã Hương Minh", "Xã Quang Thọ"]),
    ("442", "huyện", "Nghi Xuân", "Huyện ủy", 18320,
     ["Thị trấn Nghi Xuân", "Thị trấn Xuân An", "Xã Xuân Hội", "Xã Cương Gián",
      "Xã Xuân Thành"]),
    ("443", "huyện", "Can Lộc", "Huyện ủy", 18370,
     ["Thị trấn Nghèn", "Xã Thiên Lộc", "Xã Thuần Thiện", "Xã Kim Song Trường",
      "Xã Đồng Lộc"]),
    ("444", "huyện", "Hương Khê", "Huyện ủy", 18420,
     ["Thị trấn Hương Khê", "Xã Phương Mỹ", "Xã Hương Trạch", "Xã Phúc Đồng",
      "Xã Hương Liên"]),
    ("445", "huyện", "Thạch Hà", "Huyện ủy", 18500,
     ["Thị trấn Thạch Hà", "Xã Thạch Kênh", "Xã Thạch Long", "Xã Việt Tiến",
      "Xã Thạch Ngọc"]),
    ("446", "huyện", "Cẩm Xuyên", "Huyện ủy", 18580,
     ["Thị trấn Cẩm Xuyên", "Thị trấn Thiên Cầm", "Xã Cẩm Vĩnh", "Xã Cẩm Thành",
      "Xã Cẩm Quang"]),
    ("447", "huyện", "Kỳ Anh", "Huyện ủy", 18670,
     ["Thị trấn Kỳ Đồng", "Xã Kỳ Xuân", "Xã Kỳ Phú", "Xã Kỳ Tân", "Xã Kỳ Văn"]),
    ("448", "huyện", "Lộc Hà", "Huyện ủy", 18740,
     ["Thị trấn Lộc Hà", "Xã Thạch Kim", "Xã Hộ Độ", "Xã Mai Phụ", "Xã Tân Lộc"]),
    ("449", "thị xã", "Kỳ Anh", "Thị ủy", 18780,
     ["Phường Sông Trí", "Phường Kỳ Trinh", "Phường Kỳ Thịnh", "Phường Hưng Trí",
      "Xã Kỳ Nam"]),
]  # fmt: skip

# Other provinces: birthplaces and home towns of non-local officials.
OTHER_PROVINCES = [
    ("40", "Tỉnh Nghệ An", [
        ("412", "Thành phố Vinh", 16680, ["Phường Hưng Bình", "Phường Lê Mao", "Xã Hưng Lộc"]),
        ("430", "Huyện Nam Đàn", 17920, ["Thị trấn Nam Đàn", "Xã Kim Liên", "Xã Nam Giang"]),
    ]),
    ("44", "Tỉnh Quảng Bình", [
        ("450", "Thành phố Đồng Hới", 19030, ["Phường Hải Đình", "Phường Đồng Phú",
                                                "Xã Bảo Ninh"]),
        ("455", "Huyện Bố Trạch", 19180, ["Thị trấn Hoàn Lão", "Xã Hoàn Trạch",
                                            "Xã Đại Trạch"]),
    ]),
]  # fmt: skip


@dataclass(frozen=True)
class LocalitySpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    province_code: str
    district_code: str | None


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    level: str
    sector: str
    locality_code: str
    parent_code: str | None
    district_code: str | None  # the district the unit lies in (None at province level)
    committee_code: str  # the territorial party committee unit above (itself if one)


@dataclass(frozen=True)
class PositionSpec:
    key: str
    unit_code: str
    title: str
    posting_title: str
    kind: str
    is_key: bool
    requires_non_local: bool
    management_tier: str
    allowance: Decimal
    display_order: int
    grade: int  # seniority used by the career simulation (higher is more senior)
    secondary: tuple[str, str] | None  # concurrent post often held: (title, unit code)


def _commune_kind(name: str) -> str:
    for word in ("Thị trấn", "Phường", "Xã"):
        if name.startswith(word):
            return word.lower()
    raise ValueError(name)


def build_localities() -> list[LocalitySpec]:
    """Parents before children."""
    out = [LocalitySpec(PROVINCE_CODE, PROVINCE_NAME, LocalityLevel.PROVINCE, None, "42", None)]
    for code, kind, short, _committee, first, communes in DISTRICTS:
        out.append(
            LocalitySpec(
                code, f"{kind.capitalize()} {short}", LocalityLevel.DISTRICT, "42", "42", code
            )
        )
        for i, name in enumerate(communes):
            out.append(
                LocalitySpec(str(first + 3 * i), name, LocalityLevel.COMMUNE, code, "42", code)
            )
    for pcode, pname, districts in OTHER_PROVINCES:
        out.append(LocalitySpec(pcode, pname, LocalityLevel.PROVINCE, None, pcode, None))
        for dcode, dname, first, communes in districts:
            out.append(LocalitySpec(dcode, dname, LocalityLevel.DISTRICT, pcode, pcode, dcode))
            for i, name in enumerate(communes):
                out.append(
                    LocalitySpec(
                        str(first + 3 * i), name, LocalityLevel.COMMUNE, dcode, pcode, dcode
                    )
                )
    return out


# abbr, unit name, sector, head title, deputy title, head non-local, deputies (min, max)
PROVINCE_AGENCIES = [
    ("BTC", "Ban Tổ chức Tỉnh ủy", "party", "Trưởng Ban Tổ chức Tỉnh ủy",
     "Phó Trưởng Ban Tổ chức Tỉnh ủy", False, (2, 3)),
    ("BTG", "Ban Tuyên giáo Tỉnh ủy", "party", "Trưởng Ban Tuyên giáo Tỉnh ủy",
     "Phó Trưởng Ban Tuyên giáo Tỉnh ủy", False, (2, 3)),
    ("UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "party", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
     "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", False, (2, 3)),
    ("UBND", "UBND tỉnh Hà Tĩnh", "government", "Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh",
     True, (3, 3)),
    ("MTTQ", "Ủy ban MTTQ tỉnh Hà Tĩnh", "front", "Chủ tịch Ủy ban MTTQ tỉnh",
     "Phó Chủ tịch Ủy ban MTTQ tỉnh", False, (2, 3)),
    ("SNV", "Sở Nội vụ", "home_affairs", "Giám đốc Sở Nội vụ", "Phó Giám đốc Sở Nội vụ",
     False, (2, 3)),
    ("STC", "Sở Tài chính", "finance", "Giám đốc Sở Tài chính", "Phó Giám đốc Sở Tài chính",
     True, (2, 3)),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "education", "Giám đốc Sở Giáo dục và Đào tạo",
     "Phó Giám đốc Sở Giáo dục và Đào tạo", False, (2, 3)),
    ("SYT", "Sở Y tế", "health", "Giám đốc Sở Y tế", "Phó Giám đốc Sở Y tế", False, (2, 3)),
    ("TTr", "Thanh tra tỉnh Hà Tĩnh", "inspection", "Chánh Thanh tra tỉnh",
     "Phó Chánh Thanh tra tỉnh", True, (2, 3)),
    ("CA", "Công an tỉnh Hà Tĩnh", "police", "Giám đốc Công an tỉnh",
     "Phó Giám đốc Công an tỉnh", True, (3, 3)),
    ("TAND", "Tòa án nhân dân tỉnh Hà Tĩnh", "court", "Chánh án TAND tỉnh",
     "Phó Chánh án TAND tỉnh", True, (1, 2)),
    ("VKSND", "Viện kiểm sát nhân dân tỉnh Hà Tĩnh", "procuracy", "Viện trưởng VKSND tỉnh",
     "Phó Viện trưởng VKSND tỉnh", True, (1, 2)),
    ("CT", "Cục Thuế tỉnh Hà Tĩnh", "tax", "Cục trưởng Cục Thuế tỉnh",
     "Phó Cục trưởng Cục Thuế tỉnh", True, (2, 3)),
]  # fmt: skip

# abbr, unit name prefix, sector, head title, deputy title, head non-local, deputies;
# "{k}" in a title is the district kind (huyện, thị xã, thành phố).
DISTRICT_AGENCIES = [
    ("UBND", "UBND", "government", "Chủ tịch UBND {k}", "Phó Chủ tịch UBND {k}", True, (2, 3)),
    ("MTTQ", "Ủy ban MTTQ", "front", "Chủ tịch Ủy ban MTTQ {k}", "Phó Chủ tịch Ủy ban MTTQ {k}",
     False, (1, 2)),
    ("TTr", "Thanh tra", "inspection", "Chánh Thanh tra {k}", "Phó Chánh Thanh tra {k}", True,
     (1, 2)),
    ("TCKH", "Phòng Tài chính - Kế hoạch", "finance", "Trưởng phòng Tài chính - Kế hoạch",
     "Phó Trưởng phòng Tài chính - Kế hoạch", True, (1, 2)),
    ("NV", "Phòng Nội vụ", "home_affairs", "Trưởng phòng Nội vụ", "Phó Trưởng phòng Nội vụ",
     False, (1, 2)),
    ("CA", "Công an", "police", "Trưởng Công an {k}", "Phó Trưởng Công an {k}", True, (2, 3)),
    ("TAND", "Tòa án nhân dân", "court", "Chánh án TAND {k}", "Phó Chánh án TAND {k}", True,
     (1, 1)),
    ("VKSND", "Viện kiểm sát nhân dân", "procuracy", "Viện trưởng VKSND {k}",
     "Phó Viện trưởng VKSND {k}", True, (1, 1)),
]  # fmt: skip


P, D, C = Level.PROVINCE, Level.DISTRICT, Level.COMMUNE
T = ManagementTier
# (level, unit class, is head) -> is_key, management tier, allowance, grade. Unit class:
# "committee" (Tỉnh ủy, Huyện ủy, Đảng ủy xã), "people" (UBND), "agency" (the rest).
POSITION_RULES = {
    (P, "committee", True): (True, T.POLITBURO, "1.30", 10),
    (P, "committee", False): (True, T.POLITBURO, "1.20", 9),
    (P, "people", True): (True, T.POLITBURO, "1.25", 9),
    (P, "people", False): (True, T.PROVINCIAL_STANDING, "1.10", 8),
    (P, "agency", True): (True, T.PROVINCIAL_STANDING, "1.00", 8),
    (P, "agency", False): (False, T.PROVINCIAL_STANDING, "0.80", 6),
    (D, "committee", True): (True, T.PROVINCIAL_STANDING, "1.00", 7),
    (D, "committee", False): (True, T.PROVINCIAL_STANDING, "0.90", 6),
    (D, "people", True): (True, T.PROVINCIAL_STANDING, "0.90", 6),
    (D, "people", False): (True, T.DISTRICT_STANDING, "0.70", 5),
    (D, "agency", True): (False, T.DISTRICT_STANDING, "0.60", 4),
    (D, "agency", False): (False, T.DISTRICT_STANDING, "0.40", 3),
    (C, "committee", True): (False, T.DISTRICT_STANDING, "0.30", 2),
    (C, "committee", False): (False, T.DISTRICT_STANDING, "0.20", 1),
    (C, "people", True): (False, T.DISTRICT_STANDING, "0.25", 2),
    (C, "people", False): (False, T.DISTRICT_STANDING, "0.20", 1),
}

# Title templates ending with the place kind ("... huyện", "... Tỉnh ủy") take the name only.
_PLACE_ENDINGS = ("tỉnh", "huyện", "thị xã", "thành phố", "xã", "phường", "thị trấn", "ủy")


def _posting_title(title: str, place_kind: str, place: str) -> str:
    if title.endswith(_PLACE_ENDINGS):
        return f"{title} {place}"
    return f"{title} {place_kind} {place}"


@dataclass(frozen=True)
class _UnitInfo:
    code: str
    level: str
    unit_class: str
    place_kind: str
    place: str


def _positions(
    rng: random.Random,
    info: _UnitInfo,
    head: str,
    deputy: str | list[str],
    deputies: tuple[int, int],
    *,
    head_non_local: bool,
    secondary: tuple[str, str] | None = None,
) -> list[PositionSpec]:
    """The head and 1–3 deputies of one unit."""
    out = []
    count = rng.randint(*deputies)
    titles = [head] + [
        deputy if isinstance(deputy, str) else deputy[min(i, len(deputy) - 1)] for i in range(count)
    ]
    for i, title in enumerate(titles):
        is_head = i == 0
        is_key, tier, allowance, grade = POSITION_RULES[(info.level, info.unit_class, is_head)]
        out.append(
            PositionSpec(
                key=f"{info.code}:{'head' if is_head else f'deputy{i}'}",
                unit_code=info.code,
                title=title,
                posting_title=_posting_title(title, info.place_kind, info.place),
                kind=PositionKind.HEAD if is_head else PositionKind.DEPUTY,
                is_key=is_key,
                requires_non_local=is_head and head_non_local,
                management_tier=tier,
                allowance=Decimal(allowance),
                display_order=10 * (i + 1),
                grade=grade,
                secondary=secondary if is_head else None,
            )
        )
    return out


def _province_positions(rng: random.Random) -> list[PositionSpec]:
    ht = PROVINCE_SHORT
    out = _positions(
        rng,
        _UnitInfo("TU", P, "committee", "tỉnh", ht),
        "Bí thư Tỉnh ủy",
        ["Phó Bí thư Thường trực Tỉnh ủy", "Phó Bí thư Tỉnh ủy"],
        (2, 2),
        head_non_local=True,
        secondary=(f"Chủ tịch HĐND tỉnh {ht}", "TU"),
    )
    standing = (f"Ủy viên Ban Thường vụ Tỉnh ủy {ht}", "TU")
    for abbr, _name, _sector, head, deputy, non_local, deputies in PROVINCE_AGENCIES:
        unit_class = "people" if abbr == "UBND" else "agency"
        secondary = {"UBND": (f"Phó Bí thư Tỉnh ủy {ht}", "TU"), "CA": standing}.get(abbr)
        if abbr == "BTC":
            secondary = standing
        out += _positions(
            rng,
            _UnitInfo(f"TU.{abbr}", P, unit_class, "tỉnh", ht),
            head,
            deputy,
            deputies,
            head_non_local=non_local,
            secondary=secondary,
        )
    return out


def _district_positions(rng, dcode, kind, short, committee, first, communes):
    hu = f"HU.{dcode}"
    out = _positions(
        rng,
        _UnitInfo(hu, D, "committee", kind, short),
        f"Bí thư {committee}",
        [f"Phó Bí thư Thường trực {committee}", f"Phó Bí thư {committee}"],
        (1, 2),
        head_non_local=True,
        secondary=(f"Chủ tịch HĐND {kind} {short}", hu),
    )
    standing = (f"Ủy viên Ban Thường vụ {committee} {short}", hu)
    extra = {
        "UBND": (f"Phó Bí thư {committee} {short}", hu),
        "CA": standing,
        "MTTQ": standing,
        "NV": (f"Phó Trưởng Ban Tổ chức {committee} {short}", hu),
    }
    for abbr, _prefix, _sector, head, deputy, non_local, deputies in DISTRICT_AGENCIES:
        unit_class = "people" if abbr == "UBND" else "agency"
        out += _positions(
            rng,
            _UnitInfo(f"{hu}.{abbr}", D, unit_class, kind, short),
            head.format(k=kind),
            deputy.format(k=kind),
            deputies,
            head_non_local=non_local,
            secondary=extra.get(abbr),
        )
    for i, cname in enumerate(communes):
        du = f"DU.{first + 3 * i}"
        ckind = _commune_kind(cname)
        cshort = cname[len(ckind) + 1 :]
        out += _positions(
            rng,
            _UnitInfo(du, C, "committee", ckind, cshort),
            f"Bí thư Đảng ủy {ckind}",
            f"Phó Bí thư Đảng ủy {ckind}",
            (1, 2),
            head_non_local=False,
            secondary=(f"Chủ tịch HĐND {ckind} {cshort}", du),
        )
        out += _positions(
            rng,
            _UnitInfo(f"{du}.UBND", C, "people", ckind, cshort),
            f"Chủ tịch UBND {ckind}",
            f"Phó Chủ tịch UBND {ckind}",
            (1, 2),
            head_non_local=False,
            secondary=(f"Phó Bí thư Đảng ủy {ckind} {cshort}", du),
        )
    return out


def build_positions(rng: random.Random) -> list[PositionSpec]:
    """Head and deputies of every unit, in tree order."""
    out = _province_positions(rng)
    for district in DISTRICTS:
        out += _district_positions(rng, *district)
    return out


def build_units() -> list[UnitSpec]:
    """The org unit tree, parents before children."""
    units = [UnitSpec(ROOT_UNIT_CODE, "Tỉnh ủy Hà Tĩnh", P, "party", "42", None, None, "TU")]
    for abbr, name, sector, *_titles in PROVINCE_AGENCIES:
        units.append(UnitSpec(f"TU.{abbr}", name, P, sector, "42", "TU", None, "TU"))
    for dcode, kind, short, committee, first, communes in DISTRICTS:
        hu = f"HU.{dcode}"
        units.append(UnitSpec(hu, f"{committee} {short}", D, "party", dcode, "TU", dcode, hu))
        for abbr, prefix, sector, *_titles in DISTRICT_AGENCIES:
            name = f"{prefix} {kind} {short}"
            units.append(UnitSpec(f"{hu}.{abbr}", name, D, sector, dcode, hu, dcode, hu))
        for i, cname in enumerate(communes):
            ccode = str(first + 3 * i)
            ckind = _commune_kind(cname)
            cshort = cname[len(ckind) + 1 :]
            du = f"DU.{ccode}"
            name = f"Đảng ủy {ckind} {cshort}"
            units.append(UnitSpec(du, name, C, "party", ccode, hu, dcode, du))
            name = f"UBND {ckind} {cshort}"
            units.append(UnitSpec(f"{du}.UBND", name, C, "government", ccode, du, dcode, du))
    return units
