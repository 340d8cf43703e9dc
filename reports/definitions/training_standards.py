"""Training standards: shares of a population (the cadres a tier manages, or the cadres in a
term's planning for posts of a tier) meeting the degree and political theory standards."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import (
    EducationLevel,
    ManagementTier,
    OfficialStatus,
    PoliticalTheory,
    PositionKind,
)
from personnel.models import Official
from rotation.selectors import scope_q

from ..registry import Context, Param, People, ReportDefinition, Result, Table, register
from .common import pct, pct_text, term_of, term_param
from .people import official_people, planning_entries

ALL = "all"
MANAGED, PLANNED = "managed", "planned"
DEGREE = {EducationLevel.UNIVERSITY, EducationLevel.MASTER, EducationLevel.DOCTORATE}
POSTGRADUATE = {EducationLevel.MASTER, EducationLevel.DOCTORATE}
THEORY_INTERMEDIATE = {
    PoliticalTheory.INTERMEDIATE,
    PoliticalTheory.ADVANCED,
    PoliticalTheory.BACHELOR,
}
THEORY_ADVANCED = {PoliticalTheory.ADVANCED, PoliticalTheory.BACHELOR}


@dataclass(frozen=True)
class Standard:
    """A training standard (DOMAIN.md rule 11): met when ``field`` is one of ``values``."""

    key: str
    label: str
    field: str
    values: frozenset
    target: int | None  # % of the population; 100 = mandatory for leaders

    def met_by(self, official) -> bool:
        return getattr(official, self.field) in self.values

    def q(self) -> Q:
        return Q(**{f"{self.field}__in": sorted(self.values)})


def standards(postgraduate_target: int, tier: str = ALL) -> list[Standard]:
    """The standards, with their targets; advanced theory is required of the provincial
    standing committee's tier."""
    advanced_target = 100 if tier == ManagementTier.PROVINCIAL_STANDING else None
    return [
        Standard(
            "degree", _("Trình độ đại học trở lên"), "education_level", frozenset(DEGREE), 100
        ),
        Standard(
            "theory_intermediate",
            _("Lý luận chính trị trung cấp trở lên"),
            "political_theory",
            frozenset(THEORY_INTERMEDIATE),
            100,
        ),
        Standard(
            "theory_advanced",
            _("Lý luận chính trị cao cấp, cử nhân"),
            "political_theory",
            frozenset(THEORY_ADVANCED),
            advanced_target,
        ),
        Standard(
            "postgraduate",
            _("Thạc sĩ, tiến sĩ"),
            "education_level",
            frozenset(POSTGRADUATE),
            postgraduate_target,
        ),
    ]


def _planned_entries(ctx: Context):
    """The term's planning entries for posts of the tier asked, in the scope."""
    entries = planning_entries(term_of(ctx)).filter(scope_q(ctx.scope, "position__org_unit"))
    tier = ctx.params["tier"]
    return entries if tier == ALL else entries.filter(position__management_tier=tier)


def population(ctx: Context) -> QuerySet[Official]:
    """The cadres the shares are taken of: those managed by the tier (serving, in the
    scope), or those in the term's planning for posts of the tier (posts in the scope)."""
    officials = Official.objects.filter(status=OfficialStatus.ACTIVE)
    if ctx.params.get("population", MANAGED) == PLANNED:
        return officials.filter(pk__in=_planned_entries(ctx).values("official_id"))
    officials = officials.filter(scope_q(ctx.scope, "current_unit"))
    tier = ctx.params["tier"]
    return officials if tier == ALL else officials.filter(management_tier=tier)


def people(ctx: Context, key: dict) -> People:
    """The cadres a row counts: those meeting ``standard``, or the whole population."""
    officials = population(ctx)
    by_key = {s.key: s for s in standards(0)}
    if key.get("standard") in by_key:
        officials = officials.filter(by_key[key["standard"]].q())
    planned = _planned_entries(ctx) if ctx.params.get("population") == PLANNED else None
    return official_people(officials, planned=planned)


def _population_phrase(ctx: Context) -> str:
    tier = ctx.params["tier"]
    tier_label = (
        _("tất cả diện quản lý") if tier == ALL else str(ManagementTier(tier).label).lower()
    )
    if ctx.params.get("population") == PLANNED:
        return _("cán bộ trong quy hoạch nhiệm kỳ %(term)s các chức danh %(tier)s") % {
            "term": term_of(ctx),
            "tier": tier_label if tier == ALL else _("diện %(t)s") % {"t": tier_label},
        }
    return tier_label


LEADER_KINDS = {PositionKind.HEAD, PositionKind.DEPUTY}


def _is_leader(official) -> bool:
    posting = official.current_posting
    return bool(posting and posting.position_id and posting.position.kind in LEADER_KINDS)


def compute(ctx: Context) -> Result:
    officials = list(
        population(ctx).select_related("current_posting__position").order_by("search_key")
    )
    total = len(officials)
    checks = standards(ctx.params["postgraduate_target"], ctx.params["tier"])
    table = Table(
        "standards",
        _("Đạt chuẩn"),
        [
            ("standard", _("Tiêu chuẩn")),
            ("count", _("Số đạt")),
            ("total", _("Tổng số")),
            ("share", _("Tỷ lệ (%)")),
            ("target", _("Chỉ tiêu")),
            ("verdict", _("Kết quả")),
        ],
    )
    phrases, failing = [], []
    for standard in checks:
        n = sum(1 for o in officials if standard.met_by(o))
        share, target = pct(n, total), standard.target
        verdict = "" if target is None else (_("Đạt") if share >= target else _("Chưa đạt"))
        table.add(
            [standard.label, n, total, share, "—" if target is None else f"{target}%", verdict],
            drill={"standard": standard.key} if n else None,
            cells={"total": {}} if total else None,
        )
        phrases.append(
            f"{pct_text(share)} {standard.label[0].lower() + standard.label[1:]}"
            + (f" ({_('chỉ tiêu')} {target}%)" if target not in (None, 100) else "")
        )
    for o in officials:
        # The mandatory standards are those of leaders (DOMAIN.md rule 11).
        if not _is_leader(o):
            continue
        missing = [s.label for s in checks if s.target == 100 and not s.met_by(o)]
        if missing:
            failing.append(
                [
                    o.full_name,
                    EducationLevel(o.education_level).label,
                    PoliticalTheory(o.political_theory).label,
                    "; ".join(missing),
                ]
            )
    rows = table.rows
    sentence = (
        _("Trong %(n)d cán bộ (%(population)s): ")
        % {"n": total, "population": _population_phrase(ctx)}
        + "; ".join(phrases)
        + "."
    )
    return Result(
        sentence=sentence,
        tables=[
            table,
            Table(
                "not_meeting",
                _("Cán bộ chưa đạt chuẩn bắt buộc"),
                [
                    ("name", _("Họ và tên")),
                    ("education", _("Trình độ")),
                    ("theory", _("Lý luận chính trị")),
                    ("missing", _("Chưa đạt")),
                ],
                failing,
            ),
        ],
        chart={
            "title": _("Tỷ lệ đạt chuẩn (%)"),
            "labels": [r[0] for r in rows],
            "values": [r[3] for r in rows],
            "series_label": _("Tỷ lệ (%)"),
        },
        is_empty=total == 0,
        data={
            "total": total,
            "population": ctx.params.get("population", MANAGED),
            "shares": {c.key: r[3] for c, r in zip(checks, rows, strict=True)},
        },
    )


register(
    ReportDefinition(
        code="training_standards",
        title=gettext_lazy("Chuẩn hóa trình độ cán bộ"),
        description=gettext_lazy(
            "Tỷ lệ cán bộ đạt chuẩn trình độ chuyên môn và lý luận chính trị: cán bộ thuộc một diện "
            "quản lý, hoặc cán bộ trong quy hoạch các chức danh của diện đó trong một nhiệm kỳ."
        ),
        compute=compute,
        people=people,
        params=(
            Param(
                "population",
                gettext_lazy("Đối tượng"),
                default=MANAGED,
                choices=(
                    (MANAGED, gettext_lazy("Cán bộ thuộc diện quản lý")),
                    (PLANNED, gettext_lazy("Cán bộ quy hoạch các chức danh thuộc diện quản lý")),
                ),
            ),
            term_param(),
            Param(
                "tier",
                gettext_lazy("Diện quản lý"),
                default=ManagementTier.PROVINCIAL_STANDING,
                choices=(*ManagementTier.choices, (ALL, gettext_lazy("Tất cả"))),
            ),
            Param(
                "postgraduate_target",
                gettext_lazy("Chỉ tiêu thạc sĩ, tiến sĩ (%)"),
                kind="int",
                default=30,
                minimum=0,
                maximum=100,
            ),
        ),
    )
)
