"""Training standards: shares of a management tier meeting degree and political theory standards."""

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

from ..registry import Context, Param, ReportDefinition, Result, Table, register
from .common import pct, pct_text

ALL = "all"
DEGREE = {EducationLevel.UNIVERSITY, EducationLevel.MASTER, EducationLevel.DOCTORATE}
POSTGRADUATE = {EducationLevel.MASTER, EducationLevel.DOCTORATE}
THEORY_INTERMEDIATE = {
    PoliticalTheory.INTERMEDIATE,
    PoliticalTheory.ADVANCED,
    PoliticalTheory.BACHELOR,
}
THEORY_ADVANCED = {PoliticalTheory.ADVANCED, PoliticalTheory.BACHELOR}


def standards(postgraduate_target: int):
    """(key, label, test, target %) of each standard (DOMAIN.md rule 11)."""
    return [
        ("degree", _("Trình độ đại học trở lên"), lambda o: o.education_level in DEGREE, 100),
        (
            "theory_intermediate",
            _("Lý luận chính trị trung cấp trở lên"),
            lambda o: o.political_theory in THEORY_INTERMEDIATE,
            100,
        ),
        (
            "theory_advanced",
            _("Lý luận chính trị cao cấp, cử nhân"),
            lambda o: o.political_theory in THEORY_ADVANCED,
            None,
        ),
        (
            "postgraduate",
            _("Thạc sĩ, tiến sĩ"),
            lambda o: o.education_level in POSTGRADUATE,
            postgraduate_target,
        ),
    ]


LEADER_KINDS = {PositionKind.HEAD, PositionKind.DEPUTY}


def _is_leader(official) -> bool:
    posting = official.current_posting
    return bool(posting and posting.position_id and posting.position.kind in LEADER_KINDS)


def compute(ctx: Context) -> Result:
    tier = ctx.params["tier"]
    officials = Official.objects.filter(status=OfficialStatus.ACTIVE).filter(
        scope_q(ctx.scope, "current_unit")
    )
    if tier != ALL:
        officials = officials.filter(management_tier=tier)
    officials = list(officials.select_related("current_posting__position").order_by("search_key"))
    total = len(officials)
    checks = standards(ctx.params["postgraduate_target"])
    if tier == ManagementTier.PROVINCIAL_STANDING:
        checks[2] = (*checks[2][:3], 100)  # advanced theory is required of this tier
    rows, phrases, failing = [], [], []
    for _key, label, test, target in checks:
        n = sum(1 for o in officials if test(o))
        share = pct(n, total)
        verdict = "" if target is None else (_("Đạt") if share >= target else _("Chưa đạt"))
        rows.append([label, n, total, share, f"{target}%" if target is not None else "—", verdict])
        phrases.append(
            f"{pct_text(share)} {label[0].lower() + label[1:]}"
            + (f" ({_('chỉ tiêu')} {target}%)" if target not in (None, 100) else "")
        )
    for o in officials:
        # The mandatory standards are those of leaders (DOMAIN.md rule 11).
        if not _is_leader(o):
            continue
        missing = [label for key, label, test, target in checks if target == 100 and not test(o)]
        if missing:
            failing.append(
                [
                    o.full_name,
                    EducationLevel(o.education_level).label,
                    PoliticalTheory(o.political_theory).label,
                    "; ".join(missing),
                ]
            )
    tier_label = (
        _("tất cả diện quản lý") if tier == ALL else str(ManagementTier(tier).label).lower()
    )
    sentence = (
        _("Trong %(n)d cán bộ (%(tier)s): ") % {"n": total, "tier": tier_label}
        + "; ".join(phrases)
        + "."
    )
    return Result(
        sentence=sentence,
        tables=[
            Table(
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
                rows,
            ),
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
        data={"total": total, "shares": {c[0]: r[3] for c, r in zip(checks, rows, strict=True)}},
    )


register(
    ReportDefinition(
        code="training_standards",
        title=gettext_lazy("Chuẩn hóa trình độ cán bộ"),
        description=gettext_lazy(
            "Tỷ lệ cán bộ đạt chuẩn trình độ chuyên môn và lý luận chính trị theo diện quản lý."
        ),
        compute=compute,
        params=(
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
