"""The standard catalogue of post types (danh mục chức danh) and how a title maps to one.

Regulations and reports speak of post types, not of a title's exact wording: "10/10 chức
danh bí thư cấp ủy cấp huyện" counts the secretaries of every Huyện ủy, Thị ủy, Thành ủy
and Quận ủy. The catalogue is data (``PostType`` rows an administrator edits); this module
holds the standard rows the data migration ships and the matcher that gives a position
its type from its title and its unit's level. A title no pattern knows gets the generic
type of its kind (``generic.head``…), which administrators see listed apart.
"""

import re
from dataclasses import dataclass, field

from .choices import Level, ManagementTier, PositionKind
from .text import fold_vietnamese

GENERIC = "generic"
LOCAL_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
LEVEL_NAMES = {
    Level.CENTRAL: "Trung ương",
    Level.PROVINCE: "cấp tỉnh",
    Level.DISTRICT: "cấp huyện",
    Level.COMMUNE: "cấp xã",
}


@dataclass(frozen=True)
class PostTypeSpec:
    """One post type of the standard catalogue, at each level where it exists."""

    key: str
    name: str  # without the level: "Bí thư cấp ủy"
    kind: str
    patterns: tuple[str, ...]  # on the folded title ("bi thu huyen uy")
    levels: tuple[str, ...] = LOCAL_LEVELS
    is_key: bool = False
    non_local_levels: tuple[str, ...] = ()
    #: the body that manages holders of this post, by level (absent: the unit itself)
    tiers: dict[str, str] = field(default_factory=dict)

    def code(self, level: str) -> str:
        return f"{level}.{self.key}"

    @property
    def two_term_limited(self) -> bool:
        """Rule 5 applies to head posts."""
        return self.kind == PositionKind.HEAD


P, D, C = Level.PROVINCE, Level.DISTRICT, Level.COMMUNE
POLITBURO = ManagementTier.POLITBURO
PROVINCIAL = ManagementTier.PROVINCIAL_STANDING
DISTRICT_TIER = ManagementTier.DISTRICT_STANDING
KEY_TIERS = {P: POLITBURO, D: PROVINCIAL, C: PROVINCIAL}
BOARD_TIERS = {P: PROVINCIAL, D: PROVINCIAL, C: DISTRICT_TIER}
HEAD, DEPUTY, MEMBER = PositionKind.HEAD, PositionKind.DEPUTY, PositionKind.MEMBER

# Order matters: the first spec whose pattern matches wins ("phó bí thư" before "bí thư").
CATALOGUE: tuple[PostTypeSpec, ...] = (
    PostTypeSpec(
        "deputy_party_secretary",
        "Phó Bí thư cấp ủy",
        DEPUTY,
        (r"^pho bi thu",),
        is_key=True,
        tiers=KEY_TIERS,
    ),
    PostTypeSpec(
        "party_secretary",
        "Bí thư cấp ủy",
        HEAD,
        (r"^bi thu",),
        is_key=True,
        non_local_levels=(P, D),
        tiers=KEY_TIERS,
    ),
    PostTypeSpec(
        "standing_member",
        "Ủy viên Ban Thường vụ cấp ủy",
        MEMBER,
        (r"^uy vien ban thuong vu", r"^uy vien btv"),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "council_vice_chair",
        "Phó Chủ tịch Hội đồng nhân dân",
        DEPUTY,
        (r"^pho chu tich (hdnd|hoi dong nhan dan)",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "council_chair",
        "Chủ tịch Hội đồng nhân dân",
        HEAD,
        (r"^chu tich (hdnd|hoi dong nhan dan)",),
        is_key=True,
        tiers=KEY_TIERS,
    ),
    PostTypeSpec(
        "committee_vice_chair",
        "Phó Chủ tịch Ủy ban nhân dân",
        DEPUTY,
        (r"^pho chu tich (ubnd|uy ban nhan dan)",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "committee_chair",
        "Chủ tịch Ủy ban nhân dân",
        HEAD,
        (r"^chu tich (ubnd|uy ban nhan dan)",),
        is_key=True,
        non_local_levels=(P, D),
        tiers=KEY_TIERS,
    ),
    PostTypeSpec(
        "front_chair",
        "Chủ tịch Ủy ban Mặt trận Tổ quốc",
        HEAD,
        (r"^chu tich (uy ban )?(mttq|mat tran)",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "board_deputy",
        "Phó Trưởng ban, Phó Chủ nhiệm cơ quan của cấp ủy",
        DEPUTY,
        (r"^pho truong ban", r"^pho chu nhiem (uy ban kiem tra|ubkt)"),
    ),
    PostTypeSpec(
        "organization_head",
        "Trưởng Ban Tổ chức",
        HEAD,
        (r"^truong ban to chuc",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "propaganda_head",
        "Trưởng Ban Tuyên giáo và Dân vận",
        HEAD,
        (r"^truong ban tuyen giao",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "mass_mobilisation_head",
        "Trưởng Ban Dân vận",
        HEAD,
        (r"^truong ban dan van",),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "inspection_head",
        "Chủ nhiệm Ủy ban Kiểm tra",
        HEAD,
        (r"^chu nhiem (uy ban kiem tra|ubkt)",),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "court_president",
        "Chánh án Tòa án nhân dân",
        HEAD,
        (r"^chanh an",),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "procuracy_head",
        "Viện trưởng Viện kiểm sát nhân dân",
        HEAD,
        (r"^vien truong vien kiem sat", r"^vien truong vks"),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "police_director",
        "Thủ trưởng Công an",
        HEAD,
        (r"^(giam doc|truong) cong an",),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "chief_inspector",
        "Chánh Thanh tra",
        HEAD,
        (r"^chanh thanh tra",),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "finance_head",
        "Thủ trưởng cơ quan tài chính",
        HEAD,
        (r"^giam doc so tai chinh", r"^truong phong tai chinh"),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "tax_head",
        "Thủ trưởng cơ quan thuế",
        HEAD,
        (r"^(cuc|chi cuc|doi) truong\b.*\bthue\b", r"^(cuc|chi cuc) truong$"),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "customs_head",
        "Thủ trưởng cơ quan hải quan",
        HEAD,
        (r"^(cuc|chi cuc) truong\b.*\bhai quan\b",),
        levels=(P, D),
        non_local_levels=(P, D),
        tiers=BOARD_TIERS,
    ),
    PostTypeSpec(
        "department_deputy",
        "Cấp phó cơ quan chuyên môn",
        DEPUTY,
        (r"^pho giam doc so", r"^pho truong phong", r"^pho chanh van phong"),
        levels=(P, D),
    ),
    PostTypeSpec(
        "department_director",
        "Thủ trưởng cơ quan chuyên môn",
        HEAD,
        (r"^giam doc so", r"^truong phong", r"^chanh van phong"),
        levels=(P, D),
        tiers={P: PROVINCIAL, D: DISTRICT_TIER},
    ),
)

GENERIC_NAMES = {
    PositionKind.HEAD: "Cấp trưởng khác",
    PositionKind.DEPUTY: "Cấp phó khác",
    PositionKind.MEMBER: "Ủy viên khác",
    PositionKind.STAFF: "Chuyên viên, nhân viên",
}

_COMPILED = [(spec, [re.compile(p) for p in spec.patterns]) for spec in CATALOGUE]


def generic_code(kind: str) -> str:
    return f"{GENERIC}.{kind}"


def standard_rows() -> list[dict]:
    """The catalogue as ``PostType`` field values (the data migration's rows)."""
    rows, order = [], 0
    for spec in CATALOGUE:
        for level in spec.levels:
            order += 10
            rows.append(
                {
                    "code": spec.code(level),
                    "name": f"{spec.name} {LEVEL_NAMES[level]}",
                    "level": level,
                    "kind": spec.kind,
                    "is_key": spec.is_key,
                    "requires_non_local": level in spec.non_local_levels,
                    "two_term_limited": spec.two_term_limited,
                    "management_tier": spec.tiers.get(level, ManagementTier.UNIT),
                    "is_generic": False,
                    "display_order": order,
                }
            )
    for kind, name in GENERIC_NAMES.items():
        order += 10
        rows.append(
            {
                "code": generic_code(kind),
                "name": name,
                "level": "",
                "kind": kind,
                "is_key": False,
                "requires_non_local": False,
                "two_term_limited": kind == PositionKind.HEAD,
                "management_tier": ManagementTier.UNIT,
                "is_generic": True,
                "display_order": 1000 + order,
            }
        )
    return rows


def ensure_standard_post_types(post_type_model) -> int:
    """Create the standard post types that are missing (the data migration, and after every
    ``migrate`` or flush); rows an administrator edited are left as they are."""
    present = set(post_type_model.objects.values_list("code", flat=True))
    missing = [post_type_model(**row) for row in standard_rows() if row["code"] not in present]
    post_type_model.objects.bulk_create(missing)
    return len(missing)


def match_code(title: str, level: str, kind: str) -> str:
    """The code of the standard post type for ``title`` in a unit of ``level``; the generic
    type of ``kind`` when no pattern of a type existing at that level matches."""
    folded = fold_vietnamese(title or "")
    for spec, patterns in _COMPILED:
        if level in spec.levels and any(p.search(folded) for p in patterns):
            return spec.code(level)
    return generic_code(kind or PositionKind.STAFF)
