"""Rotations in a period: cadres and movements by direction, kind and management tier."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import ManagementTier
from rotation.choices import MovementKind
from rotation.directions import DIRECTION_ORDER, direction_label
from rotation.selectors import counted_movements

from .. import periods
from ..registry import Context, Param, ReportDefinition, Result, Table, register

ALL = "all"
# Rows listed even when zero are the usual directions; these appear only when counted.
OPTIONAL_ROWS = {"internal", "external"} | {code for code in DIRECTION_ORDER if "central" in code}
VERBS = {
    MovementKind.ROTATION: gettext_lazy("luân chuyển"),
    MovementKind.TRANSFER: gettext_lazy("điều động"),
    MovementKind.APPOINTMENT: gettext_lazy("bổ nhiệm"),
    MovementKind.REAPPOINTMENT: gettext_lazy("bổ nhiệm lại"),
    MovementKind.SECONDMENT: gettext_lazy("biệt phái"),
    MovementKind.RETURN: gettext_lazy("bố trí trở về"),
    ALL: gettext_lazy("luân chuyển, điều động, bổ nhiệm"),
}


def sentence_part(direction: str, cadres: int) -> str:
    """ "từ Trung ương về tỉnh 1 đồng chí": lower-cased first letter, proper nouns keep capitals."""
    label = str(direction_label(direction))
    return _("%(label)s %(n)d đồng chí") % {"label": label[:1].lower() + label[1:], "n": cadres}


def _breakdown(qs, field: str) -> dict[str, tuple[int, int]]:
    rows = (
        qs.order_by()
        .values(field)
        .annotate(cadres=Count("official_id", distinct=True), movements=Count("id"))
    )
    return {row[field]: (row["cadres"], row["movements"]) for row in rows}


def compute(ctx: Context) -> Result:
    kind = ctx.params["kind"]
    movements = counted_movements(
        scope=ctx.scope,
        date_from=ctx.date_from,
        date_to=ctx.date_to,
        kind=None if kind == ALL else kind,
    )
    total_cadres = movements.order_by().aggregate(n=Count("official_id", distinct=True))["n"]
    total_movements = movements.count()
    by_direction = _breakdown(movements, "direction")
    by_tier = _breakdown(movements, "management_tier")  # the tier when the move was made
    every_kind = counted_movements(
        scope=ctx.scope, date_from=ctx.date_from, date_to=ctx.date_to, kind=None
    )
    by_kind = _breakdown(every_kind, "kind")

    directions = [code for code in DIRECTION_ORDER if code in by_direction]
    parts = [sentence_part(code, by_direction[code][0]) for code in directions]
    period = periods.phrase(ctx.date_from, ctx.date_to, ctx.today)
    sentence = _("%(period)s đã %(verb)s %(cadres)d cán bộ") % {
        "period": period,
        "verb": VERBS[kind],
        "cadres": total_cadres,
    }
    if total_movements != total_cadres:
        sentence += _(" (%(n)d lượt)") % {"n": total_movements}
    sentence += (_(", trong đó: ") + "; ".join(parts) + ".") if parts else "."

    shown_directions = [
        code for code in DIRECTION_ORDER if code in by_direction or code not in OPTIONAL_ROWS
    ]
    direction_table = Table(
        "by_direction",
        _("Theo hướng luân chuyển"),
        [("direction", _("Hướng")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
        [
            [str(direction_label(code)), *by_direction.get(code, (0, 0))]
            for code in shown_directions
        ],
    )
    direction_table.rows.append([_("Tổng cộng"), total_cadres, total_movements])
    kind_table = Table(
        "by_kind",
        _("Theo hình thức (mọi hình thức trong kỳ)"),
        [("kind", _("Hình thức")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
        [[str(label), *by_kind.get(code, (0, 0))] for code, label in MovementKind.choices],
    )
    tier_table = Table(
        "by_tier",
        _("Theo diện quản lý"),
        [("tier", _("Diện quản lý")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
        [[str(label), *by_tier.get(code, (0, 0))] for code, label in ManagementTier.choices],
    )
    return Result(
        sentence=sentence,
        tables=[direction_table, kind_table, tier_table],
        chart={
            "title": _("Số cán bộ theo hướng luân chuyển"),
            "labels": [str(direction_label(code)) for code in directions],
            "values": [by_direction[code][0] for code in directions],
            "series_label": _("Số cán bộ"),
        },
        is_empty=total_movements == 0,
        data={
            "total_cadres": total_cadres,
            "total_movements": total_movements,
            "by_direction": {code: by_direction[code][0] for code in directions},
            "movements_by_direction": {code: by_direction[code][1] for code in directions},
            "by_kind": {code: by_kind.get(code, (0, 0))[0] for code in MovementKind.values},
            "movements_by_kind": {
                code: by_kind.get(code, (0, 0))[1] for code in MovementKind.values
            },
            "by_tier": {code: by_tier[code][0] for code in by_tier},
        },
    )


register(
    ReportDefinition(
        code="rotation_summary",
        title=gettext_lazy("Tổng hợp luân chuyển cán bộ"),
        description=gettext_lazy(
            "Số cán bộ và số lượt luân chuyển trong kỳ theo hướng, hình thức và diện quản lý; "
            "chỉ tính quyết định đã ban hành."
        ),
        compute=compute,
        params=(
            Param(
                "kind",
                gettext_lazy("Hình thức"),
                default=MovementKind.ROTATION,
                choices=(*MovementKind.choices, (ALL, gettext_lazy("Tất cả hình thức"))),
            ),
        ),
    )
)
