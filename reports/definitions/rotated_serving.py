"""Rotated cadres now serving: start, expected end, months left, overdue, missing reviews."""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rotation.choices import ReviewPeriod
from rotation.directions import DIRECTION_ORDER, direction_label
from rotation.models import RotationReview
from rotation.selectors import serving_on

from ..registry import Context, ReportDefinition, Result, Table, register
from .common import format_day, whole_months


def compute(ctx: Context) -> Result:
    on = ctx.date_to
    movements = list(
        serving_on(scope=ctx.scope, on=on)
        .select_related("official", "from_posting__org_unit", "to_position__org_unit", "decision")
        .order_by("expected_end_on", "official__search_key")
    )
    reviewed = set(
        RotationReview.objects.filter(
            movement__in=movements, period=ReviewPeriod.ANNUAL
        ).values_list("movement_id", "year")
    )
    rows, overdue, missing_any = [], 0, 0
    for m in movements:
        end = m.expected_end_on
        is_overdue = end is not None and end < on
        missing = [y for y in range(m.effective_on.year, on.year) if (m.pk, y) not in reviewed]
        overdue += is_overdue
        missing_any += bool(missing)
        origin = (
            f"{m.from_posting.title}, {m.from_posting.org_unit.name}"
            if m.from_posting_id
            else _("Ngoài hệ thống")
        )
        rows.append(
            [
                m.official.full_name,
                origin,
                f"{m.to_position.title}, {m.to_position.org_unit.name}",
                format_day(m.effective_on),
                format_day(end),
                max(whole_months(on, end), 0) if end else "",
                _("Quá hạn") if is_overdue else "",
                ", ".join(str(y) for y in missing),
                m.decision.number,
            ]
        )
    sentence = _(
        "Đến ngày %(on)s có %(n)d cán bộ đang luân chuyển, trong đó %(overdue)d đồng chí đã quá thời hạn "
        "chưa có quyết định, %(missing)d đồng chí còn thiếu đánh giá hằng năm."
    ) % {"on": format_day(on), "n": len(movements), "overdue": overdue, "missing": missing_any}
    by_direction = Counter(m.direction for m in movements)
    order = [code for code in DIRECTION_ORDER if code in by_direction]
    table = Table(
        "serving",
        _("Cán bộ đang luân chuyển"),
        [
            ("name", _("Họ và tên")),
            ("from", _("Nơi đi")),
            ("to", _("Chức vụ nơi đến")),
            ("start", _("Ngày bắt đầu")),
            ("expected_end", _("Dự kiến kết thúc")),
            ("months_left", _("Số tháng còn lại")),
            ("overdue", _("Quá hạn")),
            ("missing_reviews", _("Năm thiếu đánh giá")),
            ("decision", _("Quyết định")),
        ],
        rows,
    )
    return Result(
        sentence=sentence,
        tables=[table],
        chart={
            "title": _("Cán bộ đang luân chuyển theo hướng"),
            "labels": [str(direction_label(code)) for code in order],
            "values": [by_direction[code] for code in order],
            "series_label": _("Số cán bộ"),
        },
        is_empty=not movements,
        data={"total": len(movements), "overdue": overdue, "missing_reviews": missing_any},
    )


register(
    ReportDefinition(
        code="rotated_serving",
        title=gettext_lazy("Cán bộ đang luân chuyển"),
        description=gettext_lazy(
            "Cán bộ luân chuyển đang công tác tại ngày cuối kỳ: ngày bắt đầu, dự kiến kết thúc, "
            "số tháng còn lại, quá hạn, thiếu đánh giá."
        ),
        compute=compute,
    )
)
