"""Planning structure: candidates per position; shares of young, women, ethnic minority."""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models.functions import Trim
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import Gender, Level
from personnel.models import Official
from rotation.selectors import scope_q

from ..registry import Context, Param, People, ReportDefinition, Result, Table, register
from .common import pct, pct_text, term_of, term_param
from .people import official_people, planning_entries

MAX_PER_POSITION = 3
MAX_POSITIONS_PER_CADRE = 3
YOUNG_AGE = 40  # "young" at province and district level (DOMAIN.md rule 10)
MAJORITY_ETHNICITY = "Kinh"
YOUNG_LEVELS = (Level.PROVINCE, Level.DISTRICT)
GROUPS = ("young", "women", "minority")


def _entries(ctx: Context):
    """The term's active planning entries for posts in the scope."""
    return planning_entries(term_of(ctx)).filter(scope_q(ctx.scope, "position__org_unit"))


def _young_cut(ctx: Context):
    return ctx.date_to - relativedelta(years=YOUNG_AGE)


def people(ctx: Context, key: dict) -> People:
    """The planned cadres a row counts: of one position, or of one group (``group``) or its
    pool (``pool``: the cadres the group's share is taken of)."""
    entries = _entries(ctx)
    if "position" in key:
        entries = entries.filter(position_id=int(key["position"]))
    group = key.get("group") or key.get("pool")
    if group == "young":
        entries = entries.filter(position__org_unit__level__in=YOUNG_LEVELS)
    officials = Official.objects.filter(pk__in=entries.values("official_id"))
    if "group" in key:
        if group == "young":
            officials = officials.filter(date_of_birth__gt=_young_cut(ctx))
        elif group == "women":
            officials = officials.filter(gender=Gender.FEMALE)
        elif group == "minority":
            officials = officials.annotate(ethnic=Trim("ethnicity")).exclude(
                ethnic=MAJORITY_ETHNICITY
            )
    return official_people(officials, planned=entries)


def compute(ctx: Context) -> Result:
    term = term_of(ctx)
    entries = list(
        _entries(ctx)
        .select_related("official", "position__org_unit")
        .order_by("position__org_unit__path", "position__display_order", "official__search_key")
    )
    per_position = defaultdict(list)
    per_cadre = defaultdict(set)
    per_cadre_level = defaultdict(set)  # the limit is 3 positions per cadre at one level
    for e in entries:
        per_position[e.position].append(e.official)
        per_cadre[e.official].add(e.position_id)
        per_cadre_level[(e.official, e.position.org_unit.level)].add(e.position_id)
    cadres = list(per_cadre)
    # "Young" (under 40) is the target for province and district level planning.
    young_pool = {e.official for e in entries if e.position.org_unit.level in YOUNG_LEVELS}
    young_cut = _young_cut(ctx)
    young = [o for o in young_pool if o.date_of_birth > young_cut]
    women = [o for o in cadres if o.gender == Gender.FEMALE]
    minority = [o for o in cadres if o.ethnicity.strip() != MAJORITY_ETHNICITY]
    targets = ctx.params
    shares = [
        (
            _("Cán bộ trẻ (dưới %(n)d tuổi, cấp tỉnh, huyện)") % {"n": YOUNG_AGE},
            len(young),
            len(young_pool),
            targets["young_target"],
        ),
        (_("Cán bộ nữ"), len(women), len(cadres), targets["women_target"]),
        (
            _("Cán bộ người dân tộc thiểu số"),
            len(minority),
            len(cadres),
            targets["minority_target"],
        ),
    ]
    share_rows = []
    for label, n, pool, target in shares:
        value = pct(n, pool)
        verdict = "" if not target else (_("Đạt") if value >= target else _("Chưa đạt"))
        share_rows.append([label, n, pool, value, f"≥ {target}%" if target else "—", verdict])
    phrases = []
    for label, _n, _pool, target in shares:
        row = next(r for r in share_rows if r[0] == label)
        text = f"{label.lower()} {pct_text(row[3])}"
        if target:
            text += " " + (_("(chỉ tiêu ≥ %(t)d%%, %(v)s)") % {"t": target, "v": row[5].lower()})
        phrases.append(text)
    sentence = (
        _("Quy hoạch nhiệm kỳ %(term)s: %(n)d cán bộ cho %(p)d chức danh (%(e)d lượt); ")
        % {"term": term, "n": len(cadres), "p": len(per_position), "e": len(entries)}
        + "; ".join(phrases)
        + "."
    )
    over = sum(1 for officials in per_position.values() if len(officials) > MAX_PER_POSITION)
    if over:
        sentence += " " + _("%(n)d chức danh có quá %(m)d cán bộ quy hoạch.") % {
            "n": over,
            "m": MAX_PER_POSITION,
        }
    position_table = Table(
        "per_position",
        _("Số cán bộ quy hoạch theo chức danh"),
        [
            ("title", _("Chức danh")),
            ("unit", _("Cơ quan, đơn vị")),
            ("level", _("Cấp")),
            ("count", _("Số cán bộ")),
            ("note", _("Ghi chú")),
            ("names", _("Họ và tên")),
        ],
        [
            [
                p.title,
                p.org_unit.name,
                Level(p.org_unit.level).label,
                len(officials),
                _("Vượt %(m)d") % {"m": MAX_PER_POSITION}
                if len(officials) > MAX_PER_POSITION
                else "",
                ", ".join(o.full_name for o in officials),
            ]
            for p, officials in per_position.items()
        ],
        drill=[{"position": p.pk} for p in per_position],
    )
    share_table = Table(
        "structure",
        _("Cơ cấu cán bộ quy hoạch"),
        [
            ("group", _("Nhóm")),
            ("count", _("Số cán bộ")),
            ("total", _("Tổng số")),
            ("share", _("Tỷ lệ (%)")),
            ("target", _("Chỉ tiêu")),
            ("verdict", _("Kết quả")),
        ],
    )
    for code, row in zip(GROUPS, share_rows, strict=True):
        share_table.add(
            row,
            drill={"group": code} if row[1] else None,
            cells={"total": {"pool": code}} if row[2] else None,
        )
    overloaded = Table(
        "over_planned",
        _("Cán bộ quy hoạch quá %(m)d chức danh ở một cấp") % {"m": MAX_POSITIONS_PER_CADRE},
        [("name", _("Họ và tên")), ("level", _("Cấp")), ("count", _("Số chức danh"))],
        [
            [o.full_name, Level(level).label, len(ids)]
            for (o, level), ids in per_cadre_level.items()
            if len(ids) > MAX_POSITIONS_PER_CADRE
        ],
    )
    return Result(
        sentence=sentence,
        tables=[share_table, position_table, overloaded],
        chart={
            "title": _("Cơ cấu cán bộ quy hoạch (%)"),
            "labels": [r[0] for r in share_rows],
            "values": [r[3] for r in share_rows],
            "series_label": _("Tỷ lệ (%)"),
        },
        is_empty=not entries,
        data={
            "term": term,
            "cadres": len(cadres),
            "positions": len(per_position),
            "shares": {
                k: r[3] for k, r in zip(("young", "women", "minority"), share_rows, strict=True)
            },
        },
    )


register(
    ReportDefinition(
        code="planning_structure",
        title=gettext_lazy("Cơ cấu quy hoạch cán bộ"),
        description=gettext_lazy(
            "Số cán bộ quy hoạch cho từng chức danh; tỷ lệ cán bộ trẻ, nữ, dân tộc thiểu số so với chỉ tiêu."
        ),
        compute=compute,
        people=people,
        params=(
            term_param(),
            Param(
                "young_target",
                gettext_lazy("Chỉ tiêu cán bộ trẻ (%)"),
                kind="int",
                default=15,
                minimum=0,
                maximum=100,
            ),
            Param(
                "women_target",
                gettext_lazy("Chỉ tiêu cán bộ nữ (%)"),
                kind="int",
                default=25,
                minimum=0,
                maximum=100,
            ),
            Param(
                "minority_target",
                gettext_lazy("Chỉ tiêu cán bộ dân tộc thiểu số (%)"),
                kind="int",
                default=0,
                minimum=0,
                maximum=100,
            ),
        ),
    )
)
