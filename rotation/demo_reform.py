"""The 2025 reorganisation in the demo province, applied through the service as a user would.

- 1/3/2025: district police end; their functions go to the provincial police, which takes
  their people in (a decision places them).
- 1/7/2025: the communes of each district merge into two; the district level (its
  committees, people's committees and agencies) ends; the provincial standing committee
  takes over the management tier of the commune posts. A decision of the Tỉnh ủy per
  district places the people whose posts ended: district leaders head the new communes,
  the old commune heads become deputies, district agencies' people go to the new
  communes' staff; those close to retirement retire under the streamlining policy, and a
  few are left "to be placed" for a person to decide.

Called by ``rotation.demo.on_demo_seeded`` between the decisions of before and after.
"""

import datetime as dt
from collections import defaultdict

from personnel import services as personnel_services
from personnel.choices import Level, OfficialStatus, PositionKind, ReorganisationKind
from personnel.demo.geography import DISTRICTS, PROVINCE_CODE
from personnel.models import Locality, OrgUnit, Position, PostType, Reorganisation
from personnel.post_types import generic_code
from personnel.retirement import working_months_left

from .choices import DecisionStatus, MovementKind
from .reorganisation_plan import reorganisation_plan
from .reorganisations import reorganisation_apply, reorganisation_save

#: the title of the decisions placing the people whose posts a reorganisation ended
PLACEMENT_TITLE = "Về việc điều động, phân công cán bộ sau sắp xếp tổ chức bộ máy"
POLICE_DAY = dt.date(2025, 3, 1)
REFORM_DAY = dt.date(2025, 7, 1)
#: those with fewer months of working life left retire with the reorganisation (Decree 178)
RETIRE_WITHIN_MONTHS = 24
#: how many of the people whose posts ended stay "to be placed" for a person to decide
LEFT_TO_PLACE = 3
BASES = {
    "police": ("1185/QĐ-BCA", dt.date(2025, 2, 24)),
    "communes": ("1665/NQ-UBTVQH15", dt.date(2025, 6, 16)),
    "districts": ("72/2025/QH15", dt.date(2025, 6, 16)),
}


def _reorganisation(kind, name, basis, effective, root, units=(), localities=()):
    number, day = BASES[basis]
    return reorganisation_save(
        reorganisation=Reorganisation(
            kind=kind,
            name=name,
            issued_by=root,
            basis_number=number,
            basis_date=day,
            effective_on=effective,
        ),
        unit_rows=units,
        locality_rows=localities,
    )


def _apply(reorganisation, today):
    plan = reorganisation_plan(reorganisation)
    if plan.problems:
        raise RuntimeError("; ".join(plan.problems))
    return reorganisation_apply(reorganisation=reorganisation, today=today)


def _staff_post(unit: OrgUnit, title: str) -> Position:
    """A staff post (several holders) the people placed can take."""
    post_type = PostType.objects.get(code=generic_code(PositionKind.STAFF))
    position, _created = Position.objects.get_or_create(
        org_unit=unit,
        title=title,
        defaults={"post_type": post_type, "kind": PositionKind.STAFF, "display_order": 900},
    )
    return position


def police(builder) -> None:
    """District police end on 1/3/2025; the provincial police takes their people."""
    provincial = OrgUnit.objects.get(code="TU.CA")
    units = OrgUnit.objects.filter(code__regex=r"^HU\.\d+\.CA$").order_by("code")
    reorganisation = _reorganisation(
        ReorganisationKind.ABOLISH,
        "Kết thúc hoạt động Công an cấp huyện",
        "police",
        POLICE_DAY,
        builder.root,
        units=[{"predecessor": unit, "successor": provincial} for unit in units],
    )
    plan = _apply(reorganisation, builder.today)
    post = _staff_post(provincial, "Cán bộ Công an tỉnh (bố trí về Công an cấp xã)")
    moves = [
        (item.posting.official, MovementKind.REORGANISATION, post, {}) for item in plan.to_place
    ]
    if moves:
        builder.run(
            builder.root,
            "TU",
            moves,
            POLICE_DAY,
            DecisionStatus.APPROVED,
            title=PLACEMENT_TITLE,
            reorganisation=reorganisation,
        )


def _groups(communes: list) -> list[list]:
    half = (len(communes) + 1) // 2
    return [communes[:half], communes[half:]]


def communes_and_districts(builder) -> None:
    """On 1/7/2025 the communes merge and the district level ends; people are placed."""
    root, today = builder.root, builder.today
    province = Locality.objects.get(code=PROVINCE_CODE)
    unit_rows, locality_rows = [], []
    for _dcode, _kind, _short, _committee, first, names in DISTRICTS:
        codes = [str(first + 3 * i) for i in range(len(names))]
        for group in _groups(list(zip(codes, names, strict=True))):
            new_name = group[0][1]
            # The merged commune takes the name of its first commune, as many did.
            first_party = OrgUnit.objects.get(code=f"DU.{group[0][0]}")
            first_people = OrgUnit.objects.get(code=f"DU.{group[0][0]}.UBND")
            for code, _name in group:
                locality_rows.append(
                    {
                        "predecessor": Locality.objects.get(code=code),
                        "new_name": new_name,
                        "new_parent": province,
                    }
                )
                party = OrgUnit.objects.get(code=f"DU.{code}")
                unit_rows.append(
                    {"predecessor": party, "new_name": first_party.name, "new_parent": root}
                )
                people = OrgUnit.objects.get(code=f"DU.{code}.UBND")
                unit_rows.append({"predecessor": people, "new_name": first_people.name})
    merge = _reorganisation(
        ReorganisationKind.MERGE,
        "Sắp xếp đơn vị hành chính cấp xã tỉnh Hà Tĩnh",
        "communes",
        REFORM_DAY,
        root,
        units=unit_rows,
        localities=locality_rows,
    )
    merged = _apply(merge, today)
    district_units = (
        OrgUnit.objects.filter(level=Level.DISTRICT).valid_on(REFORM_DAY - dt.timedelta(days=1))
    ).order_by("path")
    districts = Locality.objects.filter(code__in=[d[0] for d in DISTRICTS]).order_by("code")
    abolish = _reorganisation(
        ReorganisationKind.ABOLISH,
        "Kết thúc hoạt động của cấp huyện",
        "districts",
        REFORM_DAY,
        root,
        units=[{"predecessor": unit} for unit in district_units],
        localities=[{"predecessor": place} for place in districts],
    )
    ended = _apply(abolish, today)
    _place(builder, merged.to_place + ended.to_place, merge, abolish)


def _place(builder, to_place, merge, abolish) -> None:
    """The Tỉnh ủy's decisions placing the people whose posts ended, one per district."""
    rng = builder.rng
    new_units = OrgUnit.objects.filter(successions_as_successor__reorganisation=merge).distinct()
    by_district = defaultdict(list)  # district locality id -> new units (party, people)
    for unit in new_units.select_related("parent").order_by("path"):
        old = unit.successions_as_successor.select_related("predecessor__locality").first()
        district = old.predecessor.locality.parent_id
        by_district[district].append(unit)
    people = sorted(
        (item.posting for item in to_place), key=lambda p: (p.org_unit.path, p.position_id or 0)
    )
    keep = set(rng.sample(range(len(people)), min(LEFT_TO_PLACE, len(people))))
    moves = defaultdict(list)
    heads_taken: set[int] = set()
    for i, posting in enumerate(people):
        official = posting.official
        if i in keep:
            continue
        if working_months_left(official.date_of_birth, official.gender, REFORM_DAY) < (
            RETIRE_WITHIN_MONTHS
        ):
            personnel_services.posting_close(posting=posting, end_date=REFORM_DAY - dt.timedelta(1))
            personnel_services.official_update(official=official, status=OfficialStatus.RETIRED)
            continue
        unit = posting.org_unit
        district = unit.locality.parent_id if unit.level == Level.COMMUNE else unit.locality_id
        targets = by_district[district]
        party = unit.code.startswith("DU.") and not unit.code.endswith(".UBND")
        party = party or unit.code.count(".") == 1  # the Huyện ủy itself
        same = [u for u in targets if (u.sector.code == "party") == party]
        kind = posting.position.kind if posting.position_id else PositionKind.STAFF
        leads = kind in (PositionKind.HEAD, PositionKind.DEPUTY)
        steering = unit.code.count(".") == 1 or unit.code.endswith(".UBND")
        post = None
        if leads and steering and unit.level == Level.DISTRICT:
            post = _free_head(same, heads_taken) or _deputy(rng.choice(same))
        elif leads and unit.level == Level.COMMUNE:
            post = _deputy(rng.choice(same))
        if post is None:
            target = rng.choice([u for u in targets if u.sector.code != "party"] or targets)
            post = _staff_post(target, f"Công chức {target.name}")
        moves[district].append((official, MovementKind.REORGANISATION, post, {}))
    for district in sorted(moves):
        builder.run(
            builder.root,
            "TU",
            moves[district],
            REFORM_DAY,
            DecisionStatus.APPROVED,
            title=PLACEMENT_TITLE,
            reorganisation=abolish,
        )


def _free_head(units, taken: set[int]) -> Position | None:
    for unit in units:
        head = (
            unit.positions.filter(kind=PositionKind.HEAD, is_active=True)
            .exclude(pk__in=taken)
            .order_by("display_order", "id")
            .first()
        )
        if head is not None and not head.postings.filter(end_date__isnull=True).exists():
            taken.add(head.pk)
            return head
    return None


def _deputy(unit) -> Position | None:
    return (
        unit.positions.filter(kind=PositionKind.DEPUTY, is_active=True)
        .order_by("display_order", "id")
        .first()
    )


def proposal(builder) -> Reorganisation | None:
    """A merge being prepared (not applied): the first district's two new communes, from
    1/1 of next year; its page previews what applying would do."""
    merged = (
        OrgUnit.objects.current()
        .filter(parent=builder.root, level=Level.COMMUNE, sector__code="party")
        .order_by("path")[:2]
    )
    if len(merged) < 2:
        return None
    first, second = merged
    name = f"{first.name} (mới)"
    rows = [{"predecessor": unit, "new_name": name} for unit in (first, second)]
    people = first.children.current().order_by("path").first()
    rows += [
        {"predecessor": child, "new_name": f"{people.name} (mới)"}
        for unit in (first, second)
        for child in unit.children.current()
    ]
    effective = dt.date(builder.today.year + 1, 1, 1)
    return reorganisation_save(
        reorganisation=Reorganisation(
            kind=ReorganisationKind.MERGE,
            name=f"Dự kiến hợp nhất {first.name} và {second.name}",
            issued_by=builder.root,
            basis_number="125/TTr-UBND",
            basis_date=builder.today,
            effective_on=effective,
            note="Tờ trình đang xin ý kiến; chưa áp dụng.",
        ),
        unit_rows=rows,
    )
