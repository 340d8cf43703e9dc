"""Watch lists: two-term limit, long tenure, retirement soon, appointment terms ending."""

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import Gender, OfficialStatus, PositionKind
from personnel.models import Official
from personnel.retirement import retirement_date
from rotation.choices import MovementKind
from rotation.models import Movement
from rotation.rules import parameters
from rotation.selectors import MOVEMENT_UNITS, continuous_tenures, scope_q

from ..registry import Context, Param, ReportDefinition, Result, Table, register
from .common import format_day

# The youngest age at which anyone retires (women before the 2021 reform): a cheap prefilter.
YOUNGEST_RETIREMENT_YEARS = 55


def compute(ctx: Context) -> Result:
    on, months = ctx.date_to, ctx.params["months"]
    horizon = on + relativedelta(months=months)
    limit_years = parameters().two_term_years
    two_term = continuous_tenures(
        on=on, min_years=limit_years, two_term_limited=True, scope=ctx.scope
    )
    flagged = {(t.official_id, t.position_id) for t in two_term}
    long_tenure = [
        t
        for t in continuous_tenures(
            on=on,
            min_years=ctx.params["long_tenure_years"],
            kinds=(PositionKind.HEAD, PositionKind.DEPUTY),
            scope=ctx.scope,
        )
        if (t.official_id, t.position_id) not in flagged
    ]
    candidates = (
        Official.objects.filter(
            status=OfficialStatus.ACTIVE,
            date_of_birth__lte=horizon - relativedelta(years=YOUNGEST_RETIREMENT_YEARS),
        )
        .filter(scope_q(ctx.scope, "current_unit"))
        .select_related("current_posting", "current_unit")
    )
    retiring = sorted(
        (
            (retirement_date(o.date_of_birth, o.gender), o)
            for o in candidates
            if on < retirement_date(o.date_of_birth, o.gender) <= horizon
        ),
        key=lambda pair: (pair[0], pair[1].search_key),
    )
    ending = (
        Movement.objects.counted()
        .filter(
            kind__in=[MovementKind.APPOINTMENT, MovementKind.REAPPOINTMENT],
            applied_at__isnull=False,
        )
        .filter(expected_end_on__gte=on, expected_end_on__lte=horizon)
        .filter(Q(new_posting__end_date__isnull=True) | Q(new_posting__end_date__gte=on))
        .filter(scope_q(ctx.scope, *MOVEMENT_UNITS))
        .select_related("official", "to_position__org_unit")
        .order_by("expected_end_on")
    )
    ending = list(ending)
    tenure_cols = [
        ("name", _("Họ và tên")),
        ("title", _("Chức vụ")),
        ("unit", _("Cơ quan, đơn vị")),
        ("since", _("Giữ liên tục từ")),
    ]
    tables = [
        Table(
            "two_term",
            _("Giữ chức vụ cấp trưởng từ %(n)d năm trở lên") % {"n": limit_years},
            tenure_cols,
            [[t.official_name, t.title, t.unit_name, format_day(t.since)] for t in two_term],
        ),
        Table(
            "long_tenure",
            _("Giữ một chức vụ lãnh đạo từ %(n)d năm trở lên")
            % {"n": ctx.params["long_tenure_years"]},
            tenure_cols,
            [[t.official_name, t.title, t.unit_name, format_day(t.since)] for t in long_tenure],
        ),
        Table(
            "retiring",
            _("Đến tuổi nghỉ hưu trong %(n)d tháng tới") % {"n": months},
            [
                ("name", _("Họ và tên")),
                ("gender", _("Giới tính")),
                ("born", _("Ngày sinh")),
                ("title", _("Chức vụ hiện tại")),
                ("retires", _("Thời điểm nghỉ hưu")),
            ],
            [
                [
                    o.full_name,
                    Gender(o.gender).label,
                    format_day(o.date_of_birth),
                    o.current_posting.title if o.current_posting_id else "",
                    format_day(day),
                ]
                for day, o in retiring
            ],
        ),
        Table(
            "appointment_ending",
            _("Hết thời hạn bổ nhiệm trong %(n)d tháng tới") % {"n": months},
            [
                ("name", _("Họ và tên")),
                ("title", _("Chức vụ")),
                ("unit", _("Cơ quan, đơn vị")),
                ("from", _("Bổ nhiệm từ")),
                ("until", _("Hết thời hạn")),
            ],
            [
                [
                    m.official.full_name,
                    m.to_position.title,
                    m.to_position.org_unit.name,
                    format_day(m.effective_on),
                    format_day(m.expected_end_on),
                ]
                for m in ending
            ],
        ),
    ]
    counts = [len(t.rows) for t in tables]
    sentence = _(
        "Đến ngày %(on)s: %(a)d đồng chí giữ chức vụ cấp trưởng liên tục từ %(y)d năm trở lên; %(b)d đồng chí giữ một "
        "chức vụ lãnh đạo từ %(l)d năm trở lên; %(c)d đồng chí đến tuổi nghỉ hưu và %(e)d đồng chí hết thời hạn bổ "
        "nhiệm trong %(m)d tháng tới."
    ) % {
        "on": format_day(on),
        "a": counts[0],
        "y": limit_years,
        "b": counts[1],
        "l": ctx.params["long_tenure_years"],
        "c": counts[2],
        "e": counts[3],
        "m": months,
    }
    return Result(
        sentence=sentence,
        tables=tables,
        chart={
            "title": _("Danh sách theo dõi"),
            "labels": [t.title for t in tables],
            "values": counts,
            "series_label": _("Số cán bộ"),
        },
        is_empty=not any(counts),
        data={"counts": dict(zip([t.key for t in tables], counts, strict=True))},
    )


register(
    ReportDefinition(
        code="tenure_watchlist",
        title=gettext_lazy("Danh sách theo dõi nhiệm kỳ, tuổi nghỉ hưu"),
        description=gettext_lazy(
            "Giữ chức vụ quá hai nhiệm kỳ, giữ chức vụ lâu năm, sắp nghỉ hưu, sắp hết thời hạn bổ nhiệm."
        ),
        compute=compute,
        params=(
            Param(
                "months",
                gettext_lazy("Số tháng tới"),
                kind="int",
                default=12,
                minimum=1,
                maximum=60,
            ),
            Param(
                "long_tenure_years",
                gettext_lazy("Số năm giữ chức vụ"),
                kind="int",
                default=5,
                minimum=1,
                maximum=20,
            ),
        ),
    )
)
