"""Regulation checks on a movement (DOMAIN.md rules 2–6 and the regulations in force).

Each rule is a small named function taking the movement and the parameters and
returning findings; their thresholds live in ``RuleParameters`` (overridable by the
``ROTATION_RULES`` setting), so a new regulation is a small change here. Findings are
warnings shown where a person decides; they never block by themselves.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personnel.choices import LEVEL_RANK, Level, PlanningStatus, PositionKind
from personnel.models import Discipline, Official, OrgUnit, PlanningEntry, Posting
from personnel.retirement import retirement_date, working_months_left
from personnel.selectors import continuous_tenure_start
from personnel.text import format_day

from .choices import MovementKind, Severity

# QĐ 377-QĐ/TW: months a disciplined cadre waits before a higher post, by
# ``DisciplineKind``; a kind not listed sets no waiting period here.
DISCIPLINE_WAITING_MONTHS = {"reprimand": 24, "warning": 36, "removal": 60}


@dataclass(frozen=True)
class RuleParameters:
    min_working_years: int = 10  # QĐ 65-QĐ/TW: at least 10 years of working life left
    min_working_years_for_term: int = 5  # one full term, for non-local / two-term moves
    min_rotation_months: int = 36
    max_secondment_months: int = 36
    two_term_years: int = 8
    ending_soon_days: int = 90
    discipline_waiting_months: dict = field(
        default_factory=lambda: dict(DISCIPLINE_WAITING_MONTHS), hash=False
    )
    min_months_in_post_before_higher: int = 24  # Nghị định 170/2025/NĐ-CP


def parameters() -> RuleParameters:
    overrides = dict(getattr(settings, "ROTATION_RULES", {}))
    if "discipline_waiting_months" in overrides:
        # A setting naming one kind changes that kind's period and keeps the others.
        overrides["discipline_waiting_months"] = {
            **DISCIPLINE_WAITING_MONTHS,
            **overrides["discipline_waiting_months"],
        }
    return RuleParameters(**overrides)


@dataclass(frozen=True)
class Finding:
    """One rule's warning.

    ``message`` never names anyone but the official being moved: it is stored on the
    movement and shown wherever the movement is. A finding about another official (the
    current holder of the post) carries that official's id in ``holder_id`` and the
    values of its message in ``params``; ``message_with_holder`` puts the name back for
    a viewer allowed to see that official (``rotation.disclosure.findings_for``).
    """

    code: str
    message: str
    severity: str = Severity.WARNING
    holder_id: int | None = None
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def as_dict(self) -> dict:
        return asdict(self)


# Messages of findings that name another official, by code: filled with the finding's
# ``params`` and the holder's current name at render time, never stored.
MESSAGES_WITH_HOLDER = {
    "position_held": gettext_lazy(
        "Ngày %(on)s, chức vụ “%(title)s” đang do %(name)s đảm nhiệm (từ %(since)s)."
    ),
}


def message_with_holder(finding: dict, name: str) -> str | None:
    """The finding's message naming its holder, or None when it has no such form."""
    template = MESSAGES_WITH_HOLDER.get(finding.get("code"))
    params = finding.get("params")
    if template is None or not isinstance(params, dict):
        return None
    try:
        return str(template) % {**params, "name": name}
    except (KeyError, TypeError, ValueError):
        return None


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    return _("%(y)d năm %(m)d tháng") % {"y": years, "m": rest}


def default_is_local(official: Official, unit: OrgUnit) -> bool:
    """Local when the hometown or birthplace lies in the locality the unit governs."""
    if unit.locality_id is None:
        return False
    area = unit.locality.path
    return any(
        place is not None and place.path.startswith(area)
        for place in (official.hometown, official.birthplace)
    )


def is_local(official: Official, unit: OrgUnit) -> bool:
    test = getattr(settings, "ROTATION_LOCAL_TEST", "rotation.rules.default_is_local")
    return import_string(test)(official, unit)


# Position kinds from the highest; a posting without a position is a staff post.
POSITION_KIND_RANK = {
    PositionKind.HEAD: 0,
    PositionKind.DEPUTY: 1,
    PositionKind.MEMBER: 2,
    PositionKind.STAFF: 3,
}


def _post_rank(unit: OrgUnit, kind: str) -> tuple[int, int]:
    """Where a post stands: the unit's level first (central highest), then the kind."""
    return LEVEL_RANK[Level(unit.level)], POSITION_KIND_RANK[PositionKind(kind)]


def _posting_rank(posting: Posting) -> tuple[int, int]:
    kind = posting.position.kind if posting.position_id else PositionKind.STAFF
    return _post_rank(posting.org_unit, kind)


def current_post(movement) -> Posting | None:
    """The posting the official leaves: the movement's from-posting, else (a movement not
    yet given one) the primary posting held the day before the effective date. None for
    someone coming from outside the system."""
    if movement.from_posting_id:
        return movement.from_posting
    if movement.origin_position_id:
        return None
    day = movement.effective_on - dt.timedelta(days=1)
    postings = Posting.objects.primary().active_on(day).filter(official_id=movement.official_id)
    return postings.select_related("position", "org_unit").order_by("-start_date", "-id").first()


def is_higher_post(movement) -> bool:
    """The destination is a higher post than the one left: a unit of a higher level, or
    a higher kind of position (head > deputy > member > staff) at the same level.

    A staff post is never "higher" (no appointment to a leadership post); nor is any post
    when the origin is unknown (from outside the system, no position recorded).
    """
    destination = movement.to_position
    if destination.kind == PositionKind.STAFF:
        return False
    posting = current_post(movement)
    if posting is not None:
        origin = _posting_rank(posting)
    elif movement.origin_position_id:
        origin = _post_rank(movement.origin_position.org_unit, movement.origin_position.kind)
    else:
        return False
    return _post_rank(destination.org_unit, destination.kind) < origin


def time_in_post_since(posting: Posting) -> dt.date:
    """When the official began holding this post or an equivalent one without a break.

    Primary postings that follow one another (one ending the day before the next
    begins) at the same level and kind count as one post: a lateral rotation does not
    restart the count (Nghị định 170/2025: "chức vụ hiện giữ hoặc tương đương").
    """
    rank = _posting_rank(posting)
    start = posting.start_date
    earlier = (
        Posting.objects.primary()
        .filter(official_id=posting.official_id, start_date__lt=start)
        .exclude(pk=posting.pk)
        .select_related("position", "org_unit")
        .order_by("-start_date", "-id")
    )
    for prior in earlier:
        if prior.end_date is None or prior.end_date < start - dt.timedelta(days=1):
            break
        if _posting_rank(prior) != rank:
            break
        start = prior.start_date
    return start


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``."""
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


# --- the rules ------------------------------------------------------------------


def check_working_life_left(movement, params: RuleParameters) -> list[Finding]:
    if movement.kind != MovementKind.ROTATION and not movement.serves_non_local_or_term_limit:
        return []
    official = movement.official
    years = (
        params.min_working_years_for_term
        if movement.serves_non_local_or_term_limit
        else params.min_working_years
    )
    left = working_months_left(official.date_of_birth, official.gender, movement.effective_on)
    if left >= years * 12:
        return []
    return [
        Finding(
            "working_life_left",
            _(
                "Tính đến ngày %(on)s, cán bộ còn %(left)s công tác (nghỉ hưu ngày %(retire)s); "
                "quy định cần còn ít nhất %(years)d năm."
            )
            % {
                "on": format_day(movement.effective_on),
                "left": _years_months(left),
                "retire": format_day(retirement_date(official.date_of_birth, official.gender)),
                "years": years,
            },
        )
    ]


def check_in_planning(movement, params: RuleParameters) -> list[Finding]:
    if movement.kind != MovementKind.ROTATION:
        return []
    year = movement.effective_on.year
    terms = PlanningEntry.objects.filter(
        official_id=movement.official_id, status=PlanningStatus.ACTIVE
    ).values_list("term", flat=True)
    for term in terms:
        start, end = (int(part) for part in term.split("-"))
        if start <= year <= end:
            return []
    return [
        Finding(
            "not_in_planning",
            _(
                "Cán bộ không có trong quy hoạch còn hiệu lực năm %(year)d; luân chuyển là dành cho cán bộ trong quy hoạch."
            )
            % {"year": year},
        )
    ]


def check_rotation_term(movement, params: RuleParameters) -> list[Finding]:
    if movement.kind != MovementKind.ROTATION:
        return []
    if movement.term_months is None:
        return [Finding("rotation_term_missing", _("Chưa xác định thời hạn luân chuyển."))]
    if movement.term_months >= params.min_rotation_months:
        return []
    return [
        Finding(
            "rotation_term_short",
            _("Thời hạn luân chuyển %(n)d tháng, ít hơn %(min)d tháng theo quy định.")
            % {"n": movement.term_months, "min": params.min_rotation_months},
        )
    ]


def check_secondment_term(movement, params: RuleParameters) -> list[Finding]:
    if movement.kind != MovementKind.SECONDMENT:
        return []
    if movement.term_months is not None and movement.term_months <= params.max_secondment_months:
        return []
    if movement.term_months is None:
        return [
            Finding(
                "secondment_term_missing",
                _("Biệt phái phải có thời hạn (tối đa %(max)d tháng).")
                % {"max": params.max_secondment_months},
            )
        ]
    return [
        Finding(
            "secondment_too_long",
            _("Thời hạn biệt phái %(n)d tháng, vượt quá %(max)d tháng.")
            % {"n": movement.term_months, "max": params.max_secondment_months},
        )
    ]


def check_non_local(movement, params: RuleParameters) -> list[Finding]:
    position = movement.to_position
    if not position.requires_non_local or not is_local(movement.official, position.org_unit):
        return []
    return [
        Finding(
            "non_local_required",
            _(
                "Chức danh “%(title)s” phải bố trí cán bộ không phải người địa phương, nhưng quê quán hoặc nơi sinh của cán bộ thuộc %(place)s."
            )
            % {"title": position.title, "place": position.org_unit.locality},
        )
    ]


def check_position_vacant(movement, params: RuleParameters) -> list[Finding]:
    on = movement.effective_on
    holders = Posting.objects.filter(
        position_id=movement.to_position_id, is_primary=True, start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    holders = holders.exclude(official_id=movement.official_id)
    if movement.decision_id:
        # A holder moved out by the same decision leaves the post free.
        leaving = movement.decision.movements.exclude(pk=movement.pk).filter(
            from_posting__isnull=False, effective_on__lte=on
        )
        holders = holders.exclude(pk__in=leaving.values("from_posting_id"))
    holder = holders.first()
    if holder is None:
        return []
    params = {
        "on": format_day(on),
        "title": movement.to_position.title,
        "since": format_day(holder.start_date),
    }
    return [
        Finding(
            "position_held",
            _("Ngày %(on)s, chức vụ “%(title)s” đang có người đảm nhiệm (từ %(since)s).") % params,
            holder_id=holder.official_id,
            params=params,
        )
    ]


def check_two_term_limit(movement, params: RuleParameters) -> list[Finding]:
    position = movement.to_position
    if not position.post_type.two_term_limited:
        return []
    start = continuous_tenure_start(
        official_id=movement.official_id,
        position_id=position.pk,
        on=movement.effective_on - dt.timedelta(days=1),
    )
    if start is None or start + relativedelta(years=params.two_term_years) > movement.effective_on:
        return []
    return [
        Finding(
            "two_term_limit",
            _(
                "Cán bộ đã giữ chức vụ “%(title)s” liên tục từ %(since)s, đủ %(years)d năm (hai nhiệm kỳ); cần xem xét luân chuyển."
            )
            % {"title": position.title, "since": format_day(start), "years": params.two_term_years},
        )
    ]


def check_discipline_waiting(movement, params: RuleParameters) -> list[Finding]:
    """QĐ 377-QĐ/TW: a disciplined cadre is considered for a higher post only after the
    waiting period of the discipline's kind, counted from the decision date."""
    if not is_higher_post(movement):
        return []
    on = movement.effective_on
    disciplines = Discipline.objects.filter(
        official_id=movement.official_id, decided_on__lte=on
    ).order_by("decided_on", "id")
    findings = []
    for discipline in disciplines:
        months = params.discipline_waiting_months.get(discipline.kind)
        if not months:
            continue
        ends = discipline.decided_on + relativedelta(months=months)
        if on >= ends:
            continue
        findings.append(
            Finding(
                "discipline_waiting",
                _(
                    "Cán bộ bị kỷ luật %(kind)s theo quyết định ngày %(decided)s; theo Quy định 377-QĐ/TW, chỉ được xem xét bổ nhiệm chức vụ cao hơn sau %(months)d tháng, tức từ ngày %(ends)s."
                )
                % {
                    "kind": str(discipline.get_kind_display()).lower(),
                    "decided": format_day(discipline.decided_on),
                    "months": months,
                    "ends": format_day(ends),
                },
            )
        )
    return findings


def check_time_in_post(movement, params: RuleParameters) -> list[Finding]:
    """Nghị định 170/2025/NĐ-CP: at least 24 months in the current or an equivalent post
    before a higher one."""
    if not is_higher_post(movement):
        return []
    posting = current_post(movement)
    if posting is None:
        return []
    since = time_in_post_since(posting)
    held = _months_between(since, movement.effective_on)
    if held >= params.min_months_in_post_before_higher:
        return []
    title = posting.position.title if posting.position_id else posting.title
    return [
        Finding(
            "time_in_post_short",
            _(
                "Tính đến ngày %(on)s, cán bộ giữ chức vụ hiện tại “%(title)s” (hoặc tương đương) được %(held)d tháng, từ %(since)s; theo Nghị định 170/2025/NĐ-CP, cần ít nhất %(min)d tháng trước khi bổ nhiệm chức vụ cao hơn."
            )
            % {
                "on": format_day(movement.effective_on),
                "title": title,
                "held": held,
                "since": format_day(since),
                "min": params.min_months_in_post_before_higher,
            },
        )
    ]


RULES: list[Callable] = [
    check_working_life_left,
    check_in_planning,
    check_rotation_term,
    check_secondment_term,
    check_non_local,
    check_position_vacant,
    check_two_term_limit,
    check_discipline_waiting,
    check_time_in_post,
]


def evaluate(movement, params: RuleParameters | None = None) -> list[Finding]:
    """Every finding of every rule on ``movement`` (saved or not).

    A placement carrying out a reorganisation moves a post to the successor unit, or
    places someone whose post ended; it is not an appointment or a rotation, and no
    rotation rule applies to it.
    """
    if movement.kind == MovementKind.REORGANISATION:
        return []
    params = params or parameters()
    return [finding for rule in RULES for finding in rule(movement, params)]
