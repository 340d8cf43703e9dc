"""Rotations in a period: cadres and movements by direction, kind and management tier.

The management tier counted is the one the cadre had when moved (``Movement.management_tier``).
Every row that counts cadres drills down to their movements (``people``).

The direction rows are those possible for movements effective in the period
(``rotation.directions.possible_in``): no district rows after 30/6/2025, both sets in a
period that straddles 1/7/2025. A direction that has movements is always a row, possible
or not (a direction recorded before a unit's level was updated): counted movements are
never hidden. The rows, the sentence and the chart come from one list of codes, stored
with the result (``direction_rows``, one code per row of the table before its total);
every rendering (run page, XLSX, CSV, email) reads the stored table, never recomputes it.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import ManagementTier
from rotation.choices import PERSONNEL_KINDS, MovementKind
from rotation.directions import DIRECTION_ORDER, direction_label, possible_in
from rotation.models_summary import ANY
from rotation.selectors import counted_movements
from rotation.summary import summary_counts

from .. import periods
from ..registry import Context, Param, People, ReportDefinition, Result, Table, register
from .people import movement_people

ALL = "all"
AS_THEY_WERE, TODAY_UNITS = "as_they_were", "today"
#: the kinds the tables list: those decided about people (a reorganisation's placements
#: are counted apart, in the sentence)
KIND_CHOICES = [(code, label) for code, label in MovementKind.choices if code in PERSONNEL_KINDS]
# Rows listed even when zero are the usual directions; these appear only when counted.
OPTIONAL_ROWS = {"internal", "external"} | {code for code in DIRECTION_ORDER if "central" in code}
VERBS = {
    MovementKind.ROTATION: gettext_lazy("luân chuyển"),
    MovementKind.TRANSFER: gettext_lazy("điều động"),
    MovementKind.APPOINTMENT: gettext_lazy("bổ nhiệm"),
    MovementKind.REAPPOINTMENT: gettext_lazy("bổ nhiệm lại"),
    MovementKind.SECONDMENT: gettext_lazy("biệt phái"),
    MovementKind.RETURN: gettext_lazy("bố trí trở về"),
    MovementKind.REORGANISATION: gettext_lazy("bố trí theo sắp xếp tổ chức bộ máy"),
    ALL: gettext_lazy("luân chuyển, điều động, bổ nhiệm"),
}


def direction_rows(ctx: Context, counted) -> list[str]:
    """The direction codes the table lists, in reporting order: the usual rows possible in
    the period (zero or not), and every direction ``counted`` (possible or not)."""
    return [
        code
        for code in DIRECTION_ORDER
        if code in counted
        or (code not in OPTIONAL_ROWS and possible_in(code, ctx.date_from, ctx.date_to))
    ]


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


def _movements(ctx: Context, *, every_kind: bool = False):
    """The movements counted: the period's, of the kind asked (or every kind), of the tier asked."""
    kind, tier = ctx.params.get("kind", MovementKind.ROTATION), ctx.params.get("tier", ALL)
    movements = counted_movements(
        scope=ctx.scope,
        date_from=ctx.date_from,
        date_to=ctx.date_to,
        kind=None if every_kind or kind == ALL else kind,
        today_units=ctx.params.get("geography") == TODAY_UNITS,
    )
    return movements if tier == ALL else movements.filter(management_tier=tier)


def _movements_of_kind(ctx: Context, kind: str):
    movements = counted_movements(
        scope=ctx.scope,
        date_from=ctx.date_from,
        date_to=ctx.date_to,
        kind=kind,
        today_units=ctx.params.get("geography") == TODAY_UNITS,
    )
    tier = ctx.params.get("tier", ALL)
    return movements if tier == ALL else movements.filter(management_tier=tier)


DRILL_FIELDS = ("direction", "kind", "management_tier")


def people(ctx: Context, key: dict) -> People:
    """The movements a row counts: ``key`` narrows by direction, kind or tier; ``every_kind``
    counts every kind (the tables "by kind" and "by tier and kind")."""
    movements = _movements(ctx, every_kind=bool(key.get("every_kind")))
    narrow = {field: str(key[field]) for field in DRILL_FIELDS if field in key}
    return movement_people(movements.filter(**narrow))


def _tier_rows(present) -> list[tuple[str, str]]:
    """(code, label) of the tiers shown: every tier, and "not recorded" when it occurs."""
    rows = [(code, str(label)) for code, label in ManagementTier.choices]
    if "" in present:
        rows.append(("", _("Chưa ghi diện quản lý")))
    return rows


def _when(count: int, key: dict) -> dict | None:
    return key if count else None


def _sentence(ctx, kind, tier, total_cadres, total_movements, parts, by_kind) -> str:
    period = periods.phrase(ctx.date_from, ctx.date_to, ctx.today)
    sentence = _("%(period)s đã %(verb)s %(cadres)d cán bộ") % {
        "period": period,
        "verb": VERBS[kind],
        "cadres": total_cadres,
    }
    if tier != ALL:
        sentence += _(" diện %(tier)s") % {"tier": ManagementTier(tier).label}
    if total_movements != total_cadres:
        sentence += _(" (%(n)d lượt)") % {"n": total_movements}
    sentence += (_(", trong đó: ") + "; ".join(parts) + ".") if parts else "."
    if kind == ALL and total_cadres:
        kinds = [
            _("%(kind)s %(n)d đồng chí") % {"kind": str(VERBS[code]), "n": by_kind[code][0]}
            for code in PERSONNEL_KINDS
            if by_kind.get(code, (0, 0))[0]
        ]
        sentence += " " + _("Theo hình thức: %(kinds)s.") % {"kinds": "; ".join(kinds)}
    return sentence


def _tier_kind_table(found: "Figures", tiers_shown) -> tuple[Table, dict]:
    """Cadres by management tier (rows) and kind (columns), every kind of the period."""
    cells, by_kind, per_tier, total = (
        found.cells,
        found.by_kind,
        found.every_by_tier,
        found.every_total,
    )
    kinds = KIND_CHOICES
    table = Table(
        "by_tier_kind",
        _("Theo diện quản lý và hình thức (số cán bộ)"),
        [
            ("tier", _("Diện quản lý")),
            *[(code, str(label)) for code, label in kinds],
            ("total", _("Tổng số cán bộ")),
        ],
    )
    for tier, label in tiers_shown:
        counts = [cells.get((tier, code), 0) for code, _label in kinds]
        row_total = per_tier.get(tier, (0, 0))[0]
        table.add(
            [label, *counts, row_total],
            drill=_when(
                row_total, {"every_kind": True, "management_tier": tier, "figure": "total"}
            ),
            cells={
                code: {"every_kind": True, "management_tier": tier, "kind": code}
                for (code, _label), n in zip(kinds, counts, strict=True)
                if n
            },
        )
    kind_totals = [by_kind.get(code, (0, 0))[0] for code, _label in kinds]
    table.add(
        [_("Tổng cộng"), *kind_totals, total],
        drill=_when(total, {"every_kind": True, "figure": "total"}),
        cells={
            code: {"every_kind": True, "kind": code}
            for (code, _label), n in zip(kinds, kind_totals, strict=True)
            if n
        },
    )
    data = {
        tier: {code: n for (t, code), n in cells.items() if t == tier} for tier, _l in tiers_shown
    }
    return table, data


@dataclass
class Figures:
    """What the tables count: (cadres, movements) pairs, and cadres alone where a cell
    shows only them. ``total`` … ``by_tier``: the kind and tier asked; ``by_kind`` …
    ``every_total``: every kind decided about people, of the tier asked; ``placed``: the
    cadres placed by reorganisations."""

    total: tuple[int, int]
    by_direction: dict
    by_tier: dict
    by_kind: dict
    every_by_tier: dict
    cells: dict  # (tier, kind) -> cadres
    every_total: int
    placed: int


def _cadres(qs) -> int:
    return qs.order_by().aggregate(n=Count("official_id", distinct=True))["n"]


def live_figures(ctx: Context) -> Figures:
    """The figures computed from the movements (a scope or geography the summary does
    not hold, and the nightly check)."""
    movements = _movements(ctx)
    every_kind = _movements(ctx, every_kind=True)
    cells = {
        (row["management_tier"], row["kind"]): row["cadres"]
        for row in every_kind.order_by()
        .values("management_tier", "kind")
        .annotate(cadres=Count("official_id", distinct=True))
    }
    return Figures(
        total=(_cadres(movements), movements.count()),
        by_direction=_breakdown(movements, "direction"),
        by_tier=_breakdown(movements, "management_tier"),  # the tier when the move was made
        by_kind=_breakdown(every_kind, "kind"),
        every_by_tier=_breakdown(every_kind, "management_tier"),
        cells=cells,
        every_total=_cadres(every_kind),
        placed=(
            _cadres(_movements_of_kind(ctx, MovementKind.REORGANISATION))
            if ctx.params.get("kind") == ALL
            else 0
        ),
    )


def summary_figures(ctx: Context) -> Figures | None:
    """The same figures read from the maintained summary (``rotation.summary``), or None
    when it cannot answer (today's units, a scope it does not hold, a rebuild pending)."""
    if ctx.params.get("geography") == TODAY_UNITS:
        return None
    counts = summary_counts(ctx.scope, ctx.date_from, ctx.date_to)
    if counts is None:
        return None
    kind, tier = ctx.params.get("kind", MovementKind.ROTATION), ctx.params.get("tier", ALL)
    asked_kind, asked_tier = (ANY if kind == ALL else kind), (ANY if tier == ALL else tier)
    personnel = set(PERSONNEL_KINDS)

    def tier_shown(code):
        return code != ANY and asked_tier in (ANY, code)

    return Figures(
        total=counts.get((asked_kind, asked_tier, ANY), (0, 0)),
        by_direction={
            d: v
            for (k, t, d), v in counts.items()
            if (k, t) == (asked_kind, asked_tier) and d != ANY
        },
        by_tier={
            t: v for (k, t, d), v in counts.items() if (k, d) == (asked_kind, ANY) and tier_shown(t)
        },
        by_kind={
            k: v
            for (k, t, d), v in counts.items()
            if (t, d) == (asked_tier, ANY) and k in personnel
        },
        every_by_tier={
            t: v for (k, t, d), v in counts.items() if (k, d) == (ANY, ANY) and tier_shown(t)
        },
        cells={
            (t, k): v[0]
            for (k, t, d), v in counts.items()
            if d == ANY and k in personnel and tier_shown(t)
        },
        every_total=counts.get((ANY, asked_tier, ANY), (0, 0))[0],
        placed=(
            counts.get((MovementKind.REORGANISATION, asked_tier, ANY), (0, 0))[0]
            if kind == ALL
            else 0
        ),
    )


def figures(ctx: Context) -> Figures:
    return summary_figures(ctx) or live_figures(ctx)


def compute(ctx: Context) -> Result:
    kind, tier = ctx.params.get("kind", MovementKind.ROTATION), ctx.params.get("tier", ALL)
    found = figures(ctx)
    total_cadres, total_movements = found.total
    by_direction, by_tier, by_kind = found.by_direction, found.by_tier, found.by_kind

    shown_directions = direction_rows(ctx, by_direction)
    directions = [code for code in shown_directions if code in by_direction]  # counted
    parts = [sentence_part(code, by_direction[code][0]) for code in directions]
    sentence = _sentence(ctx, kind, tier, total_cadres, total_movements, parts, by_kind)
    placed = found.placed if kind == ALL else 0
    if placed:
        sentence += " " + _(
            "Ngoài ra, %(n)d đồng chí được bố trí theo sắp xếp tổ chức bộ máy "
            "(không tính là luân chuyển, điều động)."
        ) % {"n": placed}

    direction_table = Table(
        "by_direction",
        _("Theo hướng luân chuyển"),
        [("direction", _("Hướng")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
    )
    for code in shown_directions:
        cadres, moves = by_direction.get(code, (0, 0))
        direction_table.add(
            [str(direction_label(code)), cadres, moves], drill=_when(cadres, {"direction": code})
        )
    direction_table.add(
        [_("Tổng cộng"), total_cadres, total_movements], drill=_when(total_cadres, {})
    )
    kind_table = Table(
        "by_kind",
        _("Theo hình thức (mọi hình thức trong kỳ)"),
        [("kind", _("Hình thức")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
    )
    for code, label in KIND_CHOICES:
        cadres, moves = by_kind.get(code, (0, 0))
        kind_table.add(
            [str(label), cadres, moves], drill=_when(cadres, {"every_kind": True, "kind": code})
        )
    tiers_shown = [
        (code, label)
        for code, label in _tier_rows(set(by_tier) | set(found.every_by_tier))
        if tier == ALL or code == tier
    ]
    tier_table = Table(
        "by_tier",
        _("Theo diện quản lý"),
        [("tier", _("Diện quản lý")), ("cadres", _("Số cán bộ")), ("movements", _("Số lượt"))],
    )
    for code, label in tiers_shown:
        cadres, moves = by_tier.get(code, (0, 0))
        tier_table.add([label, cadres, moves], drill=_when(cadres, {"management_tier": code}))
    tier_kind_table, by_tier_kind = _tier_kind_table(found, tiers_shown)
    return Result(
        sentence=sentence,
        tables=[direction_table, kind_table, tier_table, tier_kind_table],
        chart={
            "title": _("Số cán bộ theo hướng luân chuyển"),
            "labels": [str(direction_label(code)) for code in directions],
            "values": [by_direction[code][0] for code in directions],
            "series_label": _("Số cán bộ"),
        },
        is_empty=total_movements == 0,
        data={
            "tier": tier,
            "total_cadres": total_cadres,
            "total_movements": total_movements,
            "direction_rows": shown_directions,
            # Directions counted although no unit of one of their levels existed in the
            # period: data to correct (a unit's level recorded late), shown nevertheless.
            "impossible_directions": [
                code for code in directions if not possible_in(code, ctx.date_from, ctx.date_to)
            ],
            "by_direction": {code: by_direction[code][0] for code in directions},
            "movements_by_direction": {code: by_direction[code][1] for code in directions},
            "by_kind": {code: by_kind.get(code, (0, 0))[0] for code in PERSONNEL_KINDS},
            "movements_by_kind": {code: by_kind.get(code, (0, 0))[1] for code in PERSONNEL_KINDS},
            "reorganisation_cadres": placed,
            "by_tier": {code: by_tier[code][0] for code in by_tier},
            "by_tier_kind": by_tier_kind,
        },
    )


register(
    ReportDefinition(
        code="rotation_summary",
        title=gettext_lazy("Tổng hợp luân chuyển cán bộ"),
        description=gettext_lazy(
            "Số cán bộ và số lượt luân chuyển trong kỳ theo hướng, hình thức và diện quản lý "
            "(diện quản lý khi điều chuyển), có bảng diện quản lý × hình thức; chỉ tính quyết "
            "định đã ban hành."
        ),
        compute=compute,
        people=people,
        params=(
            Param(
                "kind",
                gettext_lazy("Hình thức"),
                default=MovementKind.ROTATION,
                choices=(*MovementKind.choices, (ALL, gettext_lazy("Tất cả hình thức"))),
            ),
            Param(
                "tier",
                gettext_lazy("Diện quản lý (khi điều chuyển)"),
                default=ALL,
                choices=((ALL, gettext_lazy("Tất cả diện quản lý")), *ManagementTier.choices),
            ),
            Param(
                "geography",
                gettext_lazy("Đơn vị tính theo"),
                default=AS_THEY_WERE,
                choices=(
                    (AS_THEY_WERE, gettext_lazy("Đơn vị như tại thời điểm điều chuyển")),
                    (
                        TODAY_UNITS,
                        gettext_lazy("Đơn vị hiện nay (đơn vị cũ tính vào đơn vị kế thừa)"),
                    ),
                ),
            ),
        ),
    )
)
