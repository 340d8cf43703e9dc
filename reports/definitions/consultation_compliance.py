"""Consultation compliance: decisions approved with and without the required answers, and
each missing answer by the side it speaks for (the place the cadre leaves or joins)."""

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rotation.choices import ConsultationRole
from rotation.consultations import Side
from rotation.models import Movement
from rotation.selectors import MOVEMENT_UNITS, approved_decisions, scope_q

from .. import periods
from ..registry import Context, People, ReportDefinition, Result, Table, register
from .common import format_day
from .people import movement_people


def _movements(ctx: Context):
    """The movements of approved decisions that the scope may see (its own units' cadres)."""
    return Movement.objects.counted().filter(scope_q(ctx.scope, *MOVEMENT_UNITS))


def people(ctx: Context, key: dict) -> People:
    """The cadres a decision's row counts: its movements within the scope."""
    return movement_people(_movements(ctx).filter(decision_id=int(key["decision"])))


def _role_label(entry: dict) -> str:
    """ "Cấp ủy địa phương (nơi đi)": the role, and for a local committee the place it speaks for."""
    role = str(dict(ConsultationRole.choices).get(entry["role"], entry["role"]))
    side = entry.get("side")
    if entry["role"] == ConsultationRole.LOCAL and side in Side.values:
        role += f" ({str(Side(side).label).lower()})"
    return role


def _side(entry: dict) -> str:
    """The side a missing answer speaks for; records from before sides were kept derive it
    from the role (a local committee's side is then unknown)."""
    side = entry.get("side")
    if side in Side.values:
        return side
    return {ConsultationRole.SENDING: Side.SENDING, ConsultationRole.RECEIVING: Side.RECEIVING}.get(
        entry["role"], ""
    )


def compute(ctx: Context) -> Result:
    decisions = list(
        approved_decisions(scope=ctx.scope, date_from=ctx.date_from, date_to=ctx.date_to)
        .select_related("issued_by")
        .annotate(
            n_answered=Count(
                "consultations", filter=Q(consultations__answered_on__isnull=False), distinct=True
            ),
        )
        .order_by("signed_on", "number")
    )
    cadres = dict(
        _movements(ctx)
        .filter(decision__in=[x.pk for x in decisions])
        .order_by()
        .values("decision_id")
        .annotate(n=Count("official_id", distinct=True))
        .values_list("decision_id", "n")
    )
    complete = [x for x in decisions if not x.is_fait_accompli]
    accompli = [x for x in decisions if x.is_fait_accompli]
    accompli_table = Table(
        "fait_accompli",
        _("Quyết định ban hành khi chưa có đủ ý kiến"),
        [
            ("number", _("Số quyết định")),
            ("signed_on", _("Ngày ký")),
            ("issuer", _("Cơ quan ban hành")),
            ("movements", _("Số cán bộ")),
            ("missing", _("Chưa có ý kiến")),
        ],
    )
    missing_table = Table(
        "missing_answers",
        _("Ý kiến còn thiếu, theo nơi đi, nơi đến"),
        [
            ("number", _("Số quyết định")),
            ("signed_on", _("Ngày ký")),
            ("side", _("Ý kiến của")),
            ("role", _("Tư cách")),
            ("unit", _("Cơ quan, đơn vị chưa có ý kiến")),
        ],
    )
    by_side = Counter()
    for x in accompli:
        # What was missing when it was approved, as recorded then.
        missing = x.missing_consultations or []
        n = cadres.get(x.pk, 0)
        accompli_table.add(
            [
                x.number,
                format_day(x.signed_on),
                x.issued_by.name,
                n,
                "; ".join(f"{_role_label(m)}: {m['org_unit']}" for m in missing),
            ],
            drill={"decision": x.pk} if n else None,
        )
        for m in missing:
            side = _side(m)
            by_side[side] += 1
            missing_table.add(
                [
                    x.number,
                    format_day(x.signed_on),
                    str(Side(side).label) if side else "",
                    _role_label(m),
                    m["org_unit"],
                ]
            )
    complete_table = Table(
        "complete",
        _("Quyết định có đủ ý kiến"),
        [
            ("number", _("Số quyết định")),
            ("signed_on", _("Ngày ký")),
            ("issuer", _("Cơ quan ban hành")),
            ("movements", _("Số cán bộ")),
            ("answers", _("Số ý kiến")),
        ],
    )
    for x in complete:
        n = cadres.get(x.pk, 0)
        complete_table.add(
            [x.number, format_day(x.signed_on), x.issued_by.name, n, x.n_answered],
            drill={"decision": x.pk} if n else None,
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
    if by_side:
        parts = [
            _("%(side)s %(n)d") % {"side": str(label).lower(), "n": by_side[code]}
            for code, label in Side.choices
            if by_side[code]
        ]
        sentence += " " + _("Còn thiếu %(n)d ý kiến: %(parts)s.") % {
            "n": sum(by_side.values()),
            "parts": "; ".join(parts) if parts else "",
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
            accompli_table,
            missing_table,
            complete_table,
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
            "missing_by_side": {code: by_side[code] for code in Side.values if by_side[code]},
        },
    )


register(
    ReportDefinition(
        code="consultation_compliance",
        title=gettext_lazy("Trao đổi ý kiến trước khi ban hành"),
        description=gettext_lazy(
            "Quyết định ban hành có và không có đủ ý kiến của nơi đi, nơi đến, cấp ủy địa phương; "
            "từng ý kiến còn thiếu theo nơi đi, nơi đến."
        ),
        compute=compute,
        people=people,
    )
)
