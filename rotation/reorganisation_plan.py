"""What applying a reorganisation does, computed without writing anything.

``reorganisation_plan`` reads the reorganisation's rows and the records as they stand
and lists every effect: units and localities ended on the eve of the effective date and
those created, positions carried over by post type, officials placed in the successor
unit, officials left "to be placed" (with the reason), concurrent posts closed and staff
users whose scope ends. ``reorganisation_apply`` carries out exactly this plan, so the
preview (dry run) is what applying does.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _

from personnel.choices import PositionKind, ReorganisationKind
from personnel.dates import is_sane
from personnel.models import (
    Locality,
    OrgUnit,
    Position,
    Posting,
    Reorganisation,
)
from personnel.text import fold_vietnamese, format_day

from .models import Decision


@dataclass
class NewLocality:
    name: str
    code: str
    level: str
    parent: Locality | None
    predecessors: list[Locality] = field(default_factory=list)
    row_ids: list[int] = field(default_factory=list)
    locality: Locality | None = None  # once created


@dataclass
class NewUnit:
    name: str
    code: str
    level: str
    sector_id: int
    parent: "OrgUnit | NewUnit | None"
    email: str
    requires_consultation_answers: bool
    predecessors: list[OrgUnit] = field(default_factory=list)
    row_ids: list[int] = field(default_factory=list)
    locality: "Locality | NewLocality | None" = None
    unit: OrgUnit | None = None  # once created


@dataclass
class Target:
    """Where a predecessor continues: a unit that exists, or one to be created."""

    existing: OrgUnit | None = None
    new: NewUnit | None = None

    @property
    def name(self) -> str:
        return self.existing.name if self.existing is not None else self.new.name

    @property
    def key(self):
        return ("unit", self.existing.pk) if self.existing is not None else ("new", id(self.new))

    def resolve(self) -> OrgUnit:
        return self.existing if self.existing is not None else self.new.unit


@dataclass
class CarriedPosition:
    """A post of an old unit carried to a successor; ``source`` None: a staff post made for
    the people who worked there without a post of the catalogue (by their title)."""

    source: Position | None
    target: Target
    title: str
    existing: Position | None = None  # the successor's own position of that type
    position: Position | None = None  # once created (or ``existing``)

    def resolve(self) -> Position:
        return self.existing or self.position


@dataclass
class Placement:
    posting: Posting
    carried: CarriedPosition


@dataclass
class ToPlace:
    posting: Posting
    reason: str


@dataclass
class Plan:
    reorganisation: Reorganisation
    problems: list[str] = field(default_factory=list)
    ended_units: list[OrgUnit] = field(default_factory=list)
    new_units: list[NewUnit] = field(default_factory=list)
    carried: list[CarriedPosition] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    to_place: list[ToPlace] = field(default_factory=list)
    concurrent_closed: list[Posting] = field(default_factory=list)
    ended_localities: list[Locality] = field(default_factory=list)
    new_localities: list[NewLocality] = field(default_factory=list)
    users_flagged: list = field(default_factory=list)

    @property
    def eve(self) -> dt.date:
        return self.reorganisation.effective_on - dt.timedelta(days=1)

    @property
    def new_positions(self) -> list[CarriedPosition]:
        return [carried for carried in self.carried if carried.existing is None]

    @property
    def is_empty(self) -> bool:
        return not (self.ended_units or self.ended_localities)


def carried_title(title: str, old_name: str, new_name: str) -> str:
    """The title of a post carried to the successor: the old unit's name replaced."""
    if old_name and old_name in title:
        return title.replace(old_name, new_name)
    return title


def successor_key(name: str, parent_id: int | None) -> tuple[str, int | None]:
    """Rows naming the same new unit (same name, same parent) create one unit."""
    return fold_vietnamese(name.strip()), parent_id


def _post_key(position: Position):
    """Positions are matched by post type; a generic type matches by title."""
    if position.post_type.is_generic:
        return ("title", fold_vietnamese(position.title))
    return ("type", position.post_type_id)


def _new_code(old_code: str, year: int, taken: set[str], limit: int) -> str:
    base = f"{old_code}-{year}"[:limit]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[: limit - len(str(n)) - 1]}-{n}"
    taken.add(code)
    return code


def _check_dates(plan: Plan) -> bool:
    r = plan.reorganisation
    if not (is_sane(r.effective_on) and is_sane(r.basis_date)):
        plan.problems.append(_("Ngày ban hành hoặc ngày có hiệu lực không hợp lệ."))
        return False
    if r.effective_on < r.basis_date:
        plan.problems.append(_("Ngày có hiệu lực không được trước ngày ban hành văn bản căn cứ."))
        return False
    return True


def _check_shape(plan: Plan, rows, targets_of) -> None:
    """Each kind's shape: merge N → 1, split 1 → N, rename 1 → new, abolish, move."""
    kind = plan.reorganisation.kind
    for predecessor, targets in targets_of.items():
        name = predecessor.name
        if kind == ReorganisationKind.SPLIT and len(targets) < 2:
            plan.problems.append(
                _("Chia tách “%(name)s”: cần ít nhất hai đơn vị kế thừa.") % {"name": name}
            )
        if kind != ReorganisationKind.SPLIT and len(targets) > 1:
            plan.problems.append(
                _("“%(name)s” có nhiều đơn vị kế thừa; chỉ hình thức chia tách cho phép.")
                % {"name": name}
            )
        if kind in (ReorganisationKind.MERGE, ReorganisationKind.RENAME) and not targets:
            plan.problems.append(
                _("“%(name)s” chưa có đơn vị kế thừa (chọn đơn vị đã có hoặc nhập tên mới).")
                % {"name": name}
            )
    for row in rows:
        if kind == ReorganisationKind.RENAME and not row.new_name.strip():
            plan.problems.append(
                _("Đổi tên “%(name)s”: cần nhập tên mới.") % {"name": row.predecessor.name}
            )
        if kind == ReorganisationKind.ABOLISH and row.new_name.strip():
            plan.problems.append(
                _("Giải thể “%(name)s” không tạo đơn vị mới; bỏ tên đơn vị mới.")
                % {"name": row.predecessor.name}
            )
        if kind == ReorganisationKind.MOVE and getattr(row, "new_parent_id", None) is None:
            plan.problems.append(
                _("Chuyển “%(name)s”: cần chọn cơ quan cấp trên mới.")
                % {"name": row.predecessor.name}
            )


def _check_predecessor(plan: Plan, item, label: str) -> None:
    r = plan.reorganisation
    if not item.is_valid_on(plan.eve):
        plan.problems.append(
            _("%(label)s “%(name)s” không còn hoạt động vào ngày %(day)s.")
            % {"label": label, "name": item.name, "day": format_day(plan.eve)}
        )
    elif item.valid_to is not None and item.valid_to < r.effective_on:
        plan.problems.append(
            _("%(label)s “%(name)s” đã được ghi kết thúc ngày %(day)s.")
            % {"label": label, "name": item.name, "day": format_day(item.valid_to)}
        )


def _plan_localities(plan: Plan) -> dict[int, "Locality | NewLocality | None"]:
    """Ends the old localities; returns each one's successor (or None)."""
    r = plan.reorganisation
    rows = list(
        r.locality_successions.select_related("predecessor", "successor", "new_parent").order_by(
            "id"
        )
    )
    targets_of: dict[Locality, list] = {}
    new_by_key: dict = {}
    taken = set(Locality.objects.values_list("code", flat=True))
    successor_of: dict[int, Locality | NewLocality | None] = {}
    for row in rows:
        targets = targets_of.setdefault(row.predecessor, [])
        if row.successor_id:
            if not row.successor.is_valid_on(r.effective_on):
                plan.problems.append(
                    _("Đơn vị hành chính kế thừa “%(name)s” không hoạt động vào ngày %(day)s.")
                    % {"name": row.successor.name, "day": format_day(r.effective_on)}
                )
            targets.append(row.successor)
        elif row.new_name.strip():
            parent = row.new_parent or row.predecessor.parent
            key = successor_key(row.new_name, parent.pk if parent else None)
            new = new_by_key.get(key)
            if new is None:
                code = row.new_code.strip() or _new_code(
                    row.predecessor.code, r.effective_on.year, taken, 16
                )
                if row.new_code.strip() and code in taken:
                    plan.problems.append(_("Mã “%(code)s” đã được dùng.") % {"code": code})
                taken.add(code)
                new = NewLocality(
                    name=row.new_name.strip(),
                    code=code,
                    level=row.predecessor.level,
                    parent=parent,
                )
                new_by_key[key] = new
                plan.new_localities.append(new)
            new.predecessors.append(row.predecessor)
            new.row_ids.append(row.pk)
            targets.append(new)
    _check_shape(plan, rows, targets_of)
    for predecessor, targets in targets_of.items():
        _check_predecessor(plan, predecessor, _("Đơn vị hành chính"))
        plan.ended_localities.append(predecessor)
        successor_of[predecessor.pk] = targets[0] if len(targets) == 1 else None
    return successor_of


def _new_unit_locality(predecessors, locality_successors):
    """The locality of a unit created by merging ``predecessors``: where theirs continue."""
    places = {}
    for unit in predecessors:
        if unit.locality_id is None:
            continue
        place = locality_successors.get(unit.locality_id, unit.locality)
        if place is not None:
            places[id(place) if isinstance(place, NewLocality) else ("pk", place.pk)] = place
    if len(places) != 1:
        return None
    return next(iter(places.values()))


def _plan_units(plan: Plan, locality_successors) -> dict[int, list[Target]]:
    r = plan.reorganisation
    rows = list(
        r.unit_successions.select_related(
            "predecessor__parent", "predecessor__locality", "successor", "new_parent"
        )
    )
    # Parents before children: a new unit whose old parent is merged too goes under the
    # parent's successor ("UBND xã" under the new "Đảng ủy xã").
    rows.sort(key=lambda row: (row.predecessor.path, row.pk))
    targets_of: dict[OrgUnit, list[Target]] = {}
    new_by_key: dict = {}
    taken = set(OrgUnit.objects.values_list("code", flat=True))
    ending = {row.predecessor_id for row in rows}
    for row in rows:
        old = row.predecessor
        targets = targets_of.setdefault(old, [])
        if row.successor_id:
            if not row.successor.is_valid_on(r.effective_on):
                plan.problems.append(
                    _("Đơn vị kế thừa “%(name)s” không hoạt động vào ngày %(day)s.")
                    % {"name": row.successor.name, "day": format_day(r.effective_on)}
                )
            if row.successor_id in ending:
                plan.problems.append(
                    _("“%(name)s” vừa là đơn vị cũ vừa là đơn vị kế thừa trong cùng sắp xếp.")
                    % {"name": row.successor.name}
                )
            targets.append(Target(existing=row.successor))
            continue
        name = row.new_name.strip() or (old.name if r.kind == ReorganisationKind.MOVE else "")
        if not name:
            continue  # abolished without a successor
        parent = row.new_parent or old.parent
        continued = targets_of.get(parent) if row.new_parent is None and parent else None
        if continued is not None and len(continued) == 1:
            parent = continued[0].existing or continued[0].new
        elif parent is not None and (parent.pk in ending or not parent.is_valid_on(r.effective_on)):
            plan.problems.append(
                _(
                    "Đơn vị mới “%(name)s”: cơ quan cấp trên “%(parent)s” không còn hoạt động "
                    "từ ngày %(day)s; hãy chọn cơ quan cấp trên của đơn vị mới."
                )
                % {"name": name, "parent": parent.name, "day": format_day(r.effective_on)}
            )
        key = successor_key(
            name, id(parent) if isinstance(parent, NewUnit) else getattr(parent, "pk", None)
        )
        new = new_by_key.get(key)
        if new is None:
            code = row.new_code.strip() or _new_code(old.code, r.effective_on.year, taken, 32)
            if row.new_code.strip() and code in taken:
                plan.problems.append(_("Mã “%(code)s” đã được dùng.") % {"code": code})
            taken.add(code)
            new = NewUnit(
                name=name,
                code=code,
                level=old.level,
                sector_id=old.sector_id,
                parent=parent,
                email=old.email,
                requires_consultation_answers=old.requires_consultation_answers,
            )
            new_by_key[key] = new
            plan.new_units.append(new)
        new.predecessors.append(old)
        new.row_ids.append(row.pk)
        targets.append(Target(new=new))
    for new in plan.new_units:
        new.locality = _new_unit_locality(new.predecessors, locality_successors)
    _check_shape(plan, rows, targets_of)
    for old in targets_of:
        _check_predecessor(plan, old, _("Đơn vị"))
        plan.ended_units.append(old)
    _check_orphans(plan, ending)
    return {old.pk: targets for old, targets in targets_of.items()}


def _check_orphans(plan: Plan, ending: set[int]) -> None:
    """A unit still in force cannot stay under a unit that ends."""
    orphans = (
        OrgUnit.objects.filter(parent_id__in=ending)
        .exclude(pk__in=ending)
        .valid_on(plan.reorganisation.effective_on)
        .select_related("parent")
        .order_by("path")
    )
    for child in orphans:
        plan.problems.append(
            _(
                "“%(child)s” vẫn hoạt động sau ngày sắp xếp nhưng trực thuộc “%(parent)s” là đơn "
                "vị kết thúc; hãy đưa “%(child)s” vào sắp xếp này (hợp nhất, giải thể hoặc "
                "chuyển về cơ quan cấp trên khác)."
            )
            % {"child": child.name, "parent": child.parent.name}
        )


def _plan_positions(plan: Plan, targets_of) -> dict:
    """Each active post of an old unit is carried to its successor(s), by post type.

    An abolished unit's posts are not carried: the unit that takes over its functions
    has posts of its own, and its people are placed by a person.
    """
    carried_by: dict = {}
    if plan.reorganisation.kind == ReorganisationKind.ABOLISH:
        return carried_by
    ended_ids = list(targets_of)
    positions = (
        Position.objects.filter(org_unit_id__in=ended_ids, is_active=True)
        .select_related("post_type", "org_unit")
        .order_by("org_unit__path", "display_order", "id")
    )
    targets_existing = {
        target.existing.pk
        for targets in targets_of.values()
        for target in targets
        if target.existing is not None
    }
    existing_by_key: dict = {}
    for position in (
        Position.objects.filter(org_unit_id__in=targets_existing, is_active=True)
        .select_related("post_type")
        .order_by("display_order", "id")
    ):
        existing_by_key.setdefault((position.org_unit_id, _post_key(position)), position)
    for position in positions:
        for target in targets_of[position.org_unit_id]:
            key = (target.key, _post_key(position))
            if key in carried_by:
                continue
            existing = (
                existing_by_key.get((target.existing.pk, _post_key(position)))
                if target.existing is not None
                else None
            )
            carried = CarriedPosition(
                source=position,
                target=target,
                title=existing.title
                if existing
                else carried_title(position.title, position.org_unit.name, target.name),
                existing=existing,
            )
            carried_by[key] = carried
            plan.carried.append(carried)
    return carried_by


def _plan_people(plan: Plan, targets_of, carried_by) -> None:
    r = plan.reorganisation
    open_on_eve = Q(start_date__lte=plan.eve) & (
        Q(end_date__isnull=True) | Q(end_date__gte=r.effective_on)
    )
    postings = list(
        Posting.objects.filter(open_on_eve, org_unit_id__in=list(targets_of))
        .select_related("official", "position__post_type", "org_unit")
        .order_by("org_unit__path", "position__display_order", "official__full_name", "id")
    )
    candidates: dict = {}
    for posting in postings:
        if not posting.is_primary:
            plan.concurrent_closed.append(posting)
            continue
        targets = targets_of[posting.org_unit_id]
        if r.kind == ReorganisationKind.ABOLISH:
            plan.to_place.append(
                ToPlace(
                    posting,
                    _("Đơn vị giải thể: cần bố trí công tác khác, nghỉ hưu hoặc thôi việc."),
                )
            )
        elif not targets:
            plan.to_place.append(ToPlace(posting, _("Đơn vị kết thúc, không có đơn vị kế thừa.")))
        elif len(targets) > 1:
            plan.to_place.append(
                ToPlace(posting, _("Đơn vị chia tách: cần quyết định đơn vị kế thừa nào."))
            )
        elif posting.position_id is None:
            carried = _staff_post(plan, carried_by, targets[0], posting.title)
            plan.placements.append(Placement(posting, carried))
        else:
            carried = carried_by[(targets[0].key, _post_key(posting.position))]
            candidates.setdefault(id(carried), []).append(posting)
            plan.placements.append(Placement(posting, carried))
    _heads_to_place(plan, candidates)


def _staff_post(plan: Plan, carried_by: dict, target: Target, title: str) -> CarriedPosition:
    """The successor's staff post of that title (one for everyone with the title)."""
    key = (target.key, ("staff", fold_vietnamese(title.strip())))
    carried = carried_by.get(key)
    if carried is None:
        existing = None
        if target.existing is not None:
            folded = fold_vietnamese(title.strip())
            existing = next(
                (
                    p
                    for p in target.existing.positions.filter(
                        kind=PositionKind.STAFF, is_active=True
                    )
                    if fold_vietnamese(p.title) == folded
                ),
                None,
            )
        carried = CarriedPosition(
            source=None, target=target, title=title.strip(), existing=existing
        )
        carried_by[key] = carried
        plan.carried.append(carried)
    return carried


def _heads_to_place(plan: Plan, candidates) -> None:
    """One head per unit: when several old heads meet in one post, or the successor's head
    post is already held, a person decides (the others are "to be placed")."""
    r = plan.reorganisation
    kept = []
    for placement in plan.placements:
        carried = placement.carried
        if carried.source is None or carried.source.kind != PositionKind.HEAD:
            kept.append(placement)
            continue
        if len(candidates[id(carried)]) > 1:
            plan.to_place.append(
                ToPlace(
                    placement.posting,
                    _(
                        "Nhiều người cùng giữ chức danh đứng đầu “%(title)s” của các đơn vị "
                        "hợp nhất: cần quyết định người đảm nhiệm."
                    )
                    % {"title": carried.title},
                )
            )
        elif (
            carried.existing is not None
            and Posting.objects.primary()
            .active_on(r.effective_on)
            .filter(position=carried.existing)
            .exists()
        ):
            plan.to_place.append(
                ToPlace(
                    placement.posting,
                    _("Chức danh “%(title)s” của đơn vị kế thừa đã có người đảm nhiệm.")
                    % {"title": carried.title},
                )
            )
        else:
            kept.append(placement)
    plan.placements = kept


def _plan_checks(plan: Plan) -> None:
    r = plan.reorganisation
    if plan.is_empty:
        plan.problems.append(_("Sắp xếp chưa có đơn vị hoặc đơn vị hành chính nào."))
    if (
        plan.placements
        and Decision.objects.filter(issued_by_id=r.issued_by_id, number=r.basis_number.strip())
        .exclude(reorganisation=r)
        .exists()
    ):
        plan.problems.append(
            _(
                "Cơ quan ban hành đã có quyết định số “%(number)s”; quyết định bố trí cán bộ "
                "theo sắp xếp dùng số của văn bản căn cứ."
            )
            % {"number": r.basis_number}
        )
    if plan.placements and not r.issued_by.is_valid_on(r.basis_date):
        plan.problems.append(
            _("Cơ quan ban hành “%(name)s” không hoạt động vào ngày ban hành văn bản căn cứ.")
            % {"name": r.issued_by.name}
        )


def reorganisation_plan(reorganisation: Reorganisation) -> Plan:
    """Every effect of applying ``reorganisation`` now; ``problems`` block applying."""
    plan = Plan(reorganisation=reorganisation)
    if not _check_dates(plan):
        return plan
    locality_successors = _plan_localities(plan)
    targets_of = _plan_units(plan, locality_successors)
    carried_by = _plan_positions(plan, targets_of)
    _plan_people(plan, targets_of, carried_by)
    plan.users_flagged = list(
        get_user_model()
        .objects.filter(scope__in=plan.ended_units, is_active=True)
        .select_related("scope")
        .order_by("username")
    )
    _plan_checks(plan)
    return plan
