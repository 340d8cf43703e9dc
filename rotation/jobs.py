"""The daily job: apply movements whose effective date has come, then raise alerts.

Each due movement is applied in its own transaction, with its own retries on a
dropped connection (``services.movement_apply_retrying``): one that fails is
recorded (an ``apply_failed`` alert, kept in the job's result and logged) and the
others go on. Alerts are computed after the movements, so they see what was applied.

Alerts are keyed (``Alert.key`` is unique), so running the job twice raises each
alert once; the job's counts are what this run did (a movement applied meanwhile by
another run or by hand is counted as ``already_applied``, not ``applied``).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from personnel.text import format_day

from . import rules, selectors, services
from .choices import AlertKind, DecisionStatus, ReviewPeriod
from .models import Alert, Movement, RotationReview
from .snapshots import snapshot_take

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    applied: int = 0
    already_applied: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)  # {"movement": id, "reason": text}
    alerts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class NewAlert:
    kind: str
    key: str
    official_id: int
    message: str
    movement_id: int | None = None


def _retrying(operation, attempts: int = services.APPLY_ATTEMPTS):
    """Run ``operation`` in a transaction, again on a new connection if the old one dropped."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return operation()
        except services.RETRYABLE_DB_ERRORS as error:
            if attempt == attempts:
                raise
            logger.warning("daily job: database error on attempt %d, retrying: %s", attempt, error)
            services.reset_broken_connection()
    return None


def due_movements(today: dt.date) -> list[Movement]:
    return list(
        Movement.objects.filter(
            decision__status=DecisionStatus.APPROVED,
            applied_at__isnull=True,
            effective_on__lte=today,
        )
        .select_related("decision", "official")
        .order_by("effective_on", "id")
    )


def apply_due_movements(today: dt.date | None = None) -> JobResult:
    today = today or timezone.localdate()
    result = JobResult()
    counts: dict[str, int] = defaultdict(int)
    for movement in _retrying(lambda: due_movements(today)):
        try:
            outcome = services.movement_apply_retrying(movement=movement, today=today)
        except Exception as error:  # noqa: BLE001 - one movement never stops the others
            logger.exception("daily job: movement %s failed", movement.pk)
            outcome = services.MovementApplyOutcome(
                movement,
                services.ApplyStatus.FAILED,
                _("lỗi không lường trước (%(error)s)") % {"error": type(error).__name__},
            )
        if outcome.applied:
            result.applied += 1
        elif outcome.status == services.ApplyStatus.ALREADY_APPLIED:
            result.already_applied += 1
        else:
            result.failed += 1
            result.failures.append({"movement": movement.pk, "reason": outcome.reason})
            logger.warning("daily job: movement %s not applied: %s", movement.pk, outcome.reason)
            for kind, n in _record_failure(movement, outcome.reason, today).items():
                counts[kind] += n
    for kind, n in _retrying(lambda: raise_alerts(today)).items():
        counts[kind] += n
    result.alerts = dict(counts)
    _retrying(lambda: snapshot_take(today))  # the dashboard's figures of the day
    return result


def _record_failure(movement: Movement, reason: str, today: dt.date) -> dict:
    """The failure's alert, stored at once (a later failure of the job keeps it)."""
    alert = _failure_alert(movement, reason)
    try:
        return _retrying(lambda: store_alerts([alert], today))
    except Exception:  # noqa: BLE001 - logged; the next run raises it again
        logger.exception("daily job: could not record the failure of movement %s", movement.pk)
        return {}


def _failure_alert(movement: Movement, reason: str) -> NewAlert:
    return NewAlert(
        AlertKind.APPLY_FAILED,
        f"apply_failed:{movement.pk}",
        movement.official_id,
        _("Không thi hành được lượt điều chuyển theo quyết định %(number)s: %(reason)s")
        % {"number": movement.decision.number, "reason": reason},
        movement.pk,
    )


def ending_soon(today: dt.date, params: rules.RuleParameters) -> list[NewAlert]:
    movements = selectors.ending_soon_rotations(today, days=params.ending_soon_days)
    return [
        NewAlert(
            AlertKind.ENDING_SOON,
            f"ending_soon:{m.pk}:{m.expected_end_on:%Y%m%d}",
            m.official_id,
            _("Cán bộ %(name)s hết thời hạn luân chuyển ngày %(on)s.")
            % {"name": m.official.full_name, "on": format_day(m.expected_end_on)},
            m.pk,
        )
        for m in movements.select_related("official")
    ]


def overdue(today: dt.date, params: rules.RuleParameters) -> list[NewAlert]:
    movements = selectors.overdue_rotations(today)
    return [
        NewAlert(
            AlertKind.OVERDUE,
            f"overdue:{m.pk}",
            m.official_id,
            _(
                "Cán bộ %(name)s đã hết thời hạn luân chuyển từ %(on)s nhưng chưa có quyết định trở về, bố trí mới hoặc giữ lại."
            )
            % {"name": m.official.full_name, "on": format_day(m.expected_end_on)},
            m.pk,
        )
        for m in movements.select_related("official")
    ]


def missing_reviews(today: dt.date, params: rules.RuleParameters) -> list[NewAlert]:
    """A yearly review is due for each finished year the rotation was in effect on 31 December."""
    movements = list(selectors.missing_review_rotations(today).select_related("official"))
    done = set(
        RotationReview.objects.filter(
            movement__in=movements, period=ReviewPeriod.ANNUAL
        ).values_list("movement_id", "year")
    )
    alerts = []
    for m in movements:
        for year in range(m.effective_on.year, today.year):
            if (m.pk, year) not in done:
                alerts.append(
                    NewAlert(
                        AlertKind.MISSING_REVIEW,
                        f"missing_review:{m.pk}:{year}",
                        m.official_id,
                        _("Chưa có đánh giá năm %(year)d của cán bộ luân chuyển %(name)s.")
                        % {"year": year, "name": m.official.full_name},
                        m.pk,
                    )
                )
    return alerts


def two_term_limit(today: dt.date, params: rules.RuleParameters) -> list[NewAlert]:
    """Officials holding a post whose type is subject to the two-term limit, without a break,
    for the limit (8 years) or more."""
    tenures = selectors.continuous_tenures(
        on=today, min_years=params.two_term_years, two_term_limited=True
    )
    return [
        NewAlert(
            AlertKind.TWO_TERM,
            f"two_term:{t.official_id}:{t.position_id}:{t.since:%Y%m%d}",
            t.official_id,
            _(
                "Cán bộ %(name)s giữ chức vụ “%(title)s” liên tục từ %(since)s, đã đủ %(years)d năm: "
                "cần xem xét luân chuyển."
            )
            % {
                "name": t.official_name,
                "title": t.title,
                "since": format_day(t.since),
                "years": params.two_term_years,
            },
        )
        for t in tenures
    ]


ALERT_SOURCES = [ending_soon, overdue, missing_reviews, two_term_limit]
COMPUTED_KINDS = [
    AlertKind.ENDING_SOON,
    AlertKind.OVERDUE,
    AlertKind.MISSING_REVIEW,
    AlertKind.TWO_TERM,
]


def store_alerts(alerts, today: dt.date) -> dict:
    """Store the alerts not raised before; returns the count of new ones by kind."""
    existing = set(
        Alert.objects.filter(key__in=[a.key for a in alerts]).values_list("key", flat=True)
    )
    new = {a.key: a for a in alerts if a.key not in existing}
    Alert.objects.bulk_create(
        [
            Alert(
                kind=a.kind,
                key=a.key,
                official_id=a.official_id,
                movement_id=a.movement_id,
                message=a.message,
                raised_on=today,
            )
            for a in new.values()
        ],
        ignore_conflicts=True,
    )
    counts: dict[str, int] = defaultdict(int)
    for a in new.values():
        counts[a.kind] += 1
    return dict(counts)


def raise_alerts(today: dt.date, extra: list[NewAlert] = ()) -> dict:
    """Store the computed alerts (and ``extra``) not raised before; count the new ones by kind."""
    params = rules.parameters()
    candidates = [*extra, *(a for source in ALERT_SOURCES for a in source(today, params))]
    counts = store_alerts(candidates, today)
    now = timezone.now()
    # What no longer holds (a review recorded, a rotation ended) is resolved.
    Alert.objects.open().filter(kind__in=COMPUTED_KINDS).exclude(
        key__in=[a.key for a in candidates]
    ).update(resolved_at=now)
    # A movement that failed once and has been applied since (by hand, or on a later run).
    Alert.objects.open().filter(
        kind=AlertKind.APPLY_FAILED, movement__applied_at__isnull=False
    ).update(resolved_at=now)
    return counts
