"""Key posts requiring a non-local holder: compliance by post type and by locality."""

from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import Level
from personnel.models import Position, Posting
from rotation.rules import is_local
from rotation.selectors import scope_q

from ..registry import Context, ReportDefinition, Result, Table, register
from .common import d, ratio


def compute(ctx: Context) -> Result:
    on = ctx.date_to
    positions = list(
        Position.objects.filter(requires_non_local=True, is_active=True, org_unit__is_active=True)
        .filter(scope_q(ctx.scope, "org_unit"))
        .select_related("org_unit__locality")
        .order_by("org_unit__path", "display_order")
    )
    holders = {
        p.position_id: p
        for p in Posting.objects.filter(position__in=positions, is_primary=True, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("official__hometown", "official__birthplace")
    }
    by_type = defaultdict(lambda: [0, 0, 0])  # non-local, filled, posts
    by_locality = defaultdict(lambda: [0, 0, 0])
    details = []
    for position in positions:
        holder = holders.get(position.pk)
        unit = position.org_unit
        local = holder is not None and is_local(holder.official, unit)
        non_local = holder is not None and not local
        type_key = (Level(unit.level).label, position.title)
        place = unit.locality.name if unit.locality_id else _("Trung ương")
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
    # Compliance is over the posts that are filled ("10/10 bí thư huyện ủy không phải người
    # địa phương"); vacant posts are counted apart.
    total_non_local = sum(v[0] for v in by_type.values())
    total_filled = sum(v[1] for v in by_type.values())
    vacant = len(positions) - total_filled
    parts = [
        f"{title} ({level.lower()}) {ratio(v[0], v[1])}"
        for (level, title), v in by_type.items()
        if v[1]
    ]
    sentence = _(
        "Đến ngày %(on)s, %(ratio)s chức danh phải bố trí cán bộ không phải người địa phương đang do cán bộ "
        "không phải người địa phương đảm nhiệm"
    ) % {"on": d(on), "ratio": ratio(total_non_local, total_filled)}
    sentence += (_("; trong đó: ") + "; ".join(parts)) if parts else ""
    sentence += (_("; còn %(n)d chức danh trống.") % {"n": vacant}) if vacant else "."
    columns = [
        ("non_local", _("Không phải người địa phương")),
        ("filled", _("Đã bố trí")),
        ("posts", _("Số chức danh")),
        ("vacant", _("Còn trống")),
        ("ratio", _("Tỷ lệ (trên số đã bố trí)")),
    ]
    type_table = Table(
        "by_post_type",
        _("Theo chức danh"),
        [("level", _("Cấp")), ("title", _("Chức danh")), *columns],
        [
            [level, title, *v, v[2] - v[1], ratio(v[0], v[1])]
            for (level, title), v in by_type.items()
        ],
    )
    locality_table = Table(
        "by_locality",
        _("Theo địa bàn"),
        [("locality", _("Địa bàn")), *columns],
        [[place, *v, v[2] - v[1], ratio(v[0], v[1])] for place, v in by_locality.items()],
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
            "labels": [title for (_level, title) in by_type],
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
            "Chức danh phải bố trí người không phải người địa phương: tỷ lệ đạt theo chức danh và địa bàn."
        ),
        compute=compute,
    )
)
