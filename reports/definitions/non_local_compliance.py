"""Key posts requiring a non-local holder: compliance by post type and by locality, and
against the configured targets with their deadlines (``NonLocalTarget``).

Rows count by post type, not by the wording of a title: the secretaries of a Huyện ủy, a
Thị ủy and a Thành ủy are one type, "Bí thư cấp ủy cấp huyện 10/10"."""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import Level
from personnel.models import Official, Position, Posting, PostType
from personnel.validity import valid_on_q
from rotation.rules import is_local
from rotation.selectors import scope_q

from ..models import NonLocalTarget
from ..registry import Context, People, ReportDefinition, Result, Table, register
from .common import format_day, ratio
from .people import official_people


def _posts(ctx: Context) -> tuple[list[Position], dict[int, Posting]]:
    """The posts requiring a non-local holder in the scope, and their holders on the
    period's last day (primary postings), by position."""
    on = ctx.date_to
    positions = list(
        Position.objects.filter(requires_non_local=True, is_active=True)
        .filter(valid_on_q(on, "org_unit__"))
        .filter(scope_q(ctx.scope, "org_unit"))
        .select_related("org_unit__locality", "post_type")
        .order_by("org_unit__path", "display_order")
    )
    holders = {
        p.position_id: p
        for p in Posting.objects.filter(position__in=positions, is_primary=True, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("official__hometown", "official__birthplace")
    }
    return positions, holders


def _type_key(position: Position) -> str:
    """The post type a row of "by post type" counts (its code)."""
    return position.post_type.code


def _place(position: Position) -> tuple[int | None, str]:
    """(locality id, its name): the place a row of "by place" counts (None: central)."""
    unit = position.org_unit
    return (unit.locality_id, unit.locality.name if unit.locality_id else str(_("Trung ương")))


def people(ctx: Context, key: dict) -> People:
    """The holders a row counts: of one post type or one place; with ``non_local``, only
    those who are not local."""
    positions, holders = _posts(ctx)
    chosen = []
    for position in positions:
        holder = holders.get(position.pk)
        if holder is None:
            continue
        if "post_type" in key and _type_key(position) != key["post_type"]:
            continue
        if "locality" in key and _place(position)[0] != key["locality"]:
            continue
        if key.get("non_local") and is_local(holder.official, position.org_unit):
            continue
        chosen.append(holder.official_id)
    return official_people(Official.objects.filter(pk__in=chosen))


def _drills(key: dict, counts: list[int]) -> tuple[dict | None, dict | None]:
    """A row's list (its holders, the "filled" figure) and its non-local holders' list."""
    non_local, filled = counts[0], counts[1]
    row = {**key, "figure": "filled"} if filled else None
    cells = {"non_local": {**key, "non_local": True}} if non_local else None
    return row, cells


class Assessment:
    """A target's state on the report's day."""

    MET = gettext_lazy("Đạt")
    NOT_MET = gettext_lazy("Chưa đạt")
    OVERDUE = gettext_lazy("Quá hạn, chưa đạt")


def assess(target: NonLocalTarget, non_local: int, filled: int, on) -> str:
    """Met when the share of filled posts held by non-local cadres reaches the target;
    otherwise not met until the deadline, overdue after it."""
    if filled and non_local * 100 >= target.share * filled:
        return str(Assessment.MET)
    return str(Assessment.OVERDUE if on > target.deadline else Assessment.NOT_MET)


def _targets(post_types: dict[str, PostType], on) -> dict[str, NonLocalTarget]:
    """The target in force for each post type: the earliest deadline not yet passed, else
    the latest one (so a missed deadline stays visible as overdue)."""
    chosen: dict[str, NonLocalTarget] = {}
    targets = NonLocalTarget.objects.filter(post_type__code__in=post_types).select_related(
        "post_type"
    )
    for target in targets.order_by("deadline"):
        current = chosen.get(target.post_type.code)
        if current is None or current.deadline < on:
            chosen[target.post_type.code] = target
    return chosen


def compute(ctx: Context) -> Result:
    on = ctx.date_to
    positions, holders = _posts(ctx)
    by_type = defaultdict(lambda: [0, 0, 0])  # non-local, filled, posts
    by_locality = defaultdict(lambda: [0, 0, 0])
    post_types: dict[str, PostType] = {}
    details = []
    for position in positions:
        holder = holders.get(position.pk)
        unit = position.org_unit
        local = holder is not None and is_local(holder.official, unit)
        non_local = holder is not None and not local
        type_key = _type_key(position)
        post_types[type_key] = position.post_type
        place = _place(position)
        for bucket in (by_type[type_key], by_locality[place]):
            bucket[0] += non_local
            bucket[1] += holder is not None
            bucket[2] += 1
        details.append(
            [
                position.title,
                unit.name,
                holder.official.full_name if holder else _("Trống"),
                (holder.official.hometown.name if holder and holder.official.hometown_id else ""),
                ""
                if holder is None
                else (_("Người địa phương") if local else _("Không phải người địa phương")),
            ]
        )
    targets = _targets(post_types, on)
    # Compliance is over the posts that are filled ("10/10 bí thư cấp ủy cấp huyện không phải
    # người địa phương"); vacant posts are counted apart.
    total_non_local = sum(v[0] for v in by_type.values())
    total_filled = sum(v[1] for v in by_type.values())
    vacant = len(positions) - total_filled
    parts = [f"{post_types[code].name} {ratio(v[0], v[1])}" for code, v in by_type.items() if v[1]]
    sentence = _(
        "Đến ngày %(on)s, %(ratio)s chức danh phải bố trí cán bộ không phải người địa phương đang do cán bộ "
        "không phải người địa phương đảm nhiệm"
    ) % {"on": format_day(on), "ratio": ratio(total_non_local, total_filled)}
    sentence += (_("; trong đó: ") + "; ".join(parts)) if parts else ""
    sentence += (_("; còn %(n)d chức danh trống.") % {"n": vacant}) if vacant else "."
    missed = [
        _("%(type)s (chỉ tiêu %(share)d%% đến %(deadline)s, %(state)s)")
        % {
            "type": post_types[code].name,
            "share": target.share,
            "deadline": format_day(target.deadline),
            "state": assess(target, *by_type[code][:2], on).lower(),
        }
        for code, target in targets.items()
        if assess(target, *by_type[code][:2], on) != str(Assessment.MET)
    ]
    if missed:
        sentence += " " + _("Chưa đạt chỉ tiêu: %(list)s.") % {"list": "; ".join(missed)}
    columns = [
        ("non_local", _("Không phải người địa phương")),
        ("filled", _("Đã bố trí")),
        ("posts", _("Số chức danh")),
        ("vacant", _("Còn trống")),
        ("ratio", _("Tỷ lệ (trên số đã bố trí)")),
    ]
    type_table = Table(
        "by_post_type",
        _("Theo loại chức danh"),
        [
            ("level", _("Cấp")),
            ("post_type", _("Loại chức danh")),
            *columns,
            ("target", _("Chỉ tiêu")),
            ("deadline", _("Thời hạn")),
            ("assessment", _("Đánh giá")),
            ("basis", _("Căn cứ")),
        ],
    )
    for code, v in by_type.items():
        post_type, target = post_types[code], targets.get(code)
        level = str(Level(post_type.level).label) if post_type.level else ""
        against = (
            [f"{target.share}%", format_day(target.deadline), assess(target, *v[:2], on)]
            + [target.basis]
            if target
            else ["", "", "", ""]
        )
        type_table.add(
            [level, post_type.name, *v, v[2] - v[1], ratio(v[0], v[1]), *against],
            *_drills({"post_type": code}, v),
        )
    locality_table = Table("by_locality", _("Theo địa bàn"), [("locality", _("Địa bàn")), *columns])
    for (locality_id, name), v in by_locality.items():
        locality_table.add(
            [name, *v, v[2] - v[1], ratio(v[0], v[1])], *_drills({"locality": locality_id}, v)
        )
    detail_table = Table(
        "posts",
        _("Chi tiết từng chức danh"),
        [
            ("title", _("Chức danh")),
            ("unit", _("Cơ quan, đơn vị")),
            ("holder", _("Người đảm nhiệm")),
            ("hometown", _("Quê quán")),
            ("status", _("Đánh giá")),
        ],
        details,
    )
    return Result(
        sentence=sentence,
        tables=[type_table, locality_table, detail_table],
        chart={
            "title": _("Số chức danh do cán bộ không phải người địa phương đảm nhiệm"),
            "labels": [post_types[code].name for code in by_type],
            "values": [v[0] for v in by_type.values()],
            "series_label": _("Không phải người địa phương"),
        },
        is_empty=not positions,
        data={
            "non_local": total_non_local,
            "filled": total_filled,
            "posts": len(positions),
            "vacant": vacant,
        },
    )


register(
    ReportDefinition(
        code="non_local_compliance",
        title=gettext_lazy("Bố trí cán bộ không phải người địa phương"),
        description=gettext_lazy(
            "Chức danh phải bố trí người không phải người địa phương: tỷ lệ đạt theo loại chức danh "
            "và địa bàn, so với chỉ tiêu và thời hạn (như Kết luận 201-KL/TW)."
        ),
        compute=compute,
        people=people,
    )
)
