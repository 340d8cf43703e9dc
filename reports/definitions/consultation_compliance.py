"""Consultation compliance: decisions approved with and without the required answers."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rotation.choices import ConsultationRole
from rotation.selectors import approved_decisions

from .. import periods
from ..registry import Context, ReportDefinition, Result, Table, register
from .common import d


def compute(ctx: Context) -> Result:
    decisions = list(
        approved_decisions(scope=ctx.scope, date_from=ctx.date_from, date_to=ctx.date_to)
        .select_related("issued_by")
        .annotate(
            n_movements=Count("movements", distinct=True),
            n_answered=Count(
                "consultations", filter=Q(consultations__answered_on__isnull=False), distinct=True
            ),
        )
        .order_by("signed_on", "number")
    )
    complete = [x for x in decisions if not x.is_fait_accompli]
    accompli = [x for x in decisions if x.is_fait_accompli]
    roles = dict(ConsultationRole.choices)
    rows = []
    for x in accompli:
        # What was missing when it was approved, as recorded then.
        missing = x.missing_consultations
        rows.append(
            [
                x.number,
                d(x.signed_on),
                x.issued_by.name,
                x.n_movements,
                "; ".join(f"{roles[m['role']]}: {m['org_unit']}" for m in missing),
            ]
        )
    sentence = _(
        "%(period)s ban hành %(n)d quyết định về cán bộ; %(ok)d quyết định có đủ ý kiến của nơi đi, nơi đến và "
        "cấp ủy địa phương; %(bad)d quyết định ban hành khi chưa có đủ ý kiến (“sự đã rồi”)."
    ) % {
        "period": periods.phrase(ctx.date_from, ctx.date_to, ctx.today),
        "n": len(decisions),
        "ok": len(complete),
        "bad": len(accompli),
    }
    return Result(
        sentence=sentence,
        tables=[
            Table(
                "summary",
                _("Tổng hợp"),
                [("group", _("Nhóm")), ("count", _("Số quyết định"))],
                [
                    [_("Có đủ ý kiến"), len(complete)],
                    [_("Chưa đủ ý kiến (sự đã rồi)"), len(accompli)],
                ],
            ),
            Table(
                "fait_accompli",
                _("Quyết định ban hành khi chưa có đủ ý kiến"),
                [
                    ("number", _("Số quyết định")),
                    ("signed_on", _("Ngày ký")),
                    ("issuer", _("Cơ quan ban hành")),
                    ("movements", _("Số cán bộ")),
                    ("missing", _("Chưa có ý kiến")),
                ],
                rows,
            ),
            Table(
                "complete",
                _("Quyết định có đủ ý kiến"),
                [
                    ("number", _("Số quyết định")),
                    ("signed_on", _("Ngày ký")),
                    ("issuer", _("Cơ quan ban hành")),
                    ("movements", _("Số cán bộ")),
                    ("answers", _("Số ý kiến")),
                ],
                [
                    [x.number, d(x.signed_on), x.issued_by.name, x.n_movements, x.n_answered]
                    for x in complete
                ],
            ),
        ],
        chart={
            "title": _("Quyết định theo mức độ trao đổi ý kiến"),
            "labels": [_("Có đủ ý kiến"), _("Sự đã rồi")],
            "values": [len(complete), len(accompli)],
            "series_label": _("Số quyết định"),
        },
        is_empty=not decisions,
        data={
            "decisions": len(decisions),
            "complete": len(complete),
            "fait_accompli": len(accompli),
        },
    )


register(
    ReportDefinition(
        code="consultation_compliance",
        title=gettext_lazy("Trao đổi ý kiến trước khi ban hành"),
        description=gettext_lazy(
            "Quyết định ban hành có và không có đủ ý kiến của nơi đi, nơi đến, cấp ủy địa phương."
        ),
        compute=compute,
    )
)
