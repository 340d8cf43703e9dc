"""Applying approved movements (by hand, by the daily job), each in its own transaction with
retries on a dropped connection, and recording how a rotation ended."""

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from accounts.access import require_role
from accounts.choices import Role
from personnel import services as personnel_services
from personnel.models import Official, Posting
from personnel.text import format_day

from .choices import (
    DecisionStatus,
    MovementKind,
    MovementOutcome,
)
from .guards import require_manager
from .models import Decision, Movement

logger = logging.getLogger(__name__)


def _end_serving_rotations(official_id: int, on: dt.date, outcome: str, basis: str) -> None:
    """A later move ends the rotation being served (return, or a new post)."""
    serving = Movement.objects.serving().filter(official_id=official_id, effective_on__lt=on)
    for earlier in serving:
        earlier.outcome = outcome
        earlier.ended_on = on - dt.timedelta(days=1)
        earlier.outcome_basis = basis
        earlier.save(update_fields=["outcome", "ended_on", "outcome_basis"])


def movement_apply(*, movement: Movement, today: dt.date | None = None, by=None) -> Movement:
    """Close the previous posting the day before the effective date and open the new one.

    ``by`` None is the daily job; a person must be an officer of the issuer's scope.
    Applying an applied movement changes nothing.
    """
    return _movement_apply(movement_id=movement.pk, today=today, by=by)[0]


@transaction.atomic
def _movement_apply(*, movement_id: int, today: dt.date | None, by) -> tuple[Movement, bool]:
    """One movement in one transaction; also says whether this call applied it.

    The movement's row is locked first, so of two callers at once the second waits,
    then finds it applied and answers False: only the caller that changed it counts it.
    """
    require_role(by, Role.OFFICER)
    today = today or timezone.localdate()
    movement = (
        Movement.objects.select_for_update(of=("self",))
        .select_related("decision__issued_by", "to_position")
        .get(pk=movement_id)
    )
    require_manager(by, movement.decision)
    if movement.applied_at is not None:
        return movement, False
    if movement.decision.status != DecisionStatus.APPROVED:
        raise ValidationError(_("Chỉ thi hành lượt điều chuyển của quyết định đã ban hành."))
    if movement.effective_on > today:
        raise ValidationError(
            _("Chưa đến ngày có hiệu lực (%(on)s).") % {"on": format_day(movement.effective_on)}
        )
    Official.objects.select_for_update().get(pk=movement.official_id)
    day_before = movement.effective_on - dt.timedelta(days=1)
    # The postings' change history says which decision changed them.
    reason = _("Thi hành quyết định %(number)s") % {"number": movement.decision.number}
    if movement.from_posting_id:
        previous = Posting.objects.get(pk=movement.from_posting_id)
        if previous.end_date is None or previous.end_date > day_before:
            personnel_services.posting_close(posting=previous, end_date=day_before)
            update_change_reason(previous, reason)
    new_posting = personnel_services.posting_create(
        official=movement.official,
        position=movement.to_position,
        title=movement.to_position.title,
        start_date=movement.effective_on,
        basis=movement.decision.number,
        from_decision=True,
    )
    update_change_reason(new_posting, reason)
    outcome = (
        MovementOutcome.RETURNED
        if movement.kind == MovementKind.RETURN
        else MovementOutcome.NEW_POST
    )
    if movement.kind != MovementKind.REORGANISATION:
        # A post carried over by a reorganisation does not end a rotation being served.
        _end_serving_rotations(
            movement.official_id, movement.effective_on, outcome, movement.decision.number
        )
    movement.applied_at = timezone.now()
    movement.new_posting = new_posting
    movement.save(update_fields=["applied_at", "new_posting"])
    return movement, True


# Errors of the connection rather than of the data: worth trying again on a new one
# (PostgreSQL's deadlocks and lock time-outs are OperationalErrors too).
RETRYABLE_DB_ERRORS = (OperationalError, InterfaceError)
APPLY_ATTEMPTS = 3


class ApplyStatus:
    APPLIED = "applied"  # this call applied it
    ALREADY_APPLIED = "already_applied"  # applied before (by hand, or another job)
    REFUSED = "refused"  # a rule refused it (ValidationError): nothing changed
    FAILED = "failed"  # the database failed, after retries: nothing changed


@dataclass
class MovementApplyOutcome:
    movement: Movement
    status: str
    reason: str = ""

    @property
    def applied(self) -> bool:
        return self.status == ApplyStatus.APPLIED

    @property
    def not_applied(self) -> bool:
        return self.status in (ApplyStatus.REFUSED, ApplyStatus.FAILED)


@dataclass
class DecisionApplyReport:
    """What one press of "Thi hành" did, movement by movement."""

    outcomes: list[MovementApplyOutcome] = dataclasses.field(default_factory=list)
    not_yet_due: int = 0

    def _with(self, *statuses: str) -> list[MovementApplyOutcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def applied(self) -> list[MovementApplyOutcome]:
        return self._with(ApplyStatus.APPLIED)

    @property
    def already_applied(self) -> list[MovementApplyOutcome]:
        return self._with(ApplyStatus.ALREADY_APPLIED)

    @property
    def not_applied(self) -> list[MovementApplyOutcome]:
        return self._with(ApplyStatus.REFUSED, ApplyStatus.FAILED)

    @property
    def failed(self) -> list[MovementApplyOutcome]:
        """Not applied because the database failed: pressing again may apply them."""
        return self._with(ApplyStatus.FAILED)


def reset_broken_connection() -> None:
    """Drop the connection after a connection error: the next query opens a new one.

    Inside a caller's transaction (a larger atomic block, a test) the connection
    belongs to that transaction and is left as it is.
    """
    if not connection.in_atomic_block:
        connection.close()


def movement_apply_retrying(
    *, movement: Movement, today: dt.date | None = None, by=None, attempts: int = APPLY_ATTEMPTS
) -> MovementApplyOutcome:
    """Apply ``movement`` in its own transaction, trying again on a dropped connection.

    Never raises for the movement's own trouble: a refusal (ValidationError) or a
    database error after ``attempts`` tries is returned with its reason, and nothing of
    that movement was changed (its transaction rolled back). PermissionDenied is raised.
    """
    for attempt in range(1, attempts + 1):
        try:
            applied = _movement_apply(movement_id=movement.pk, today=today, by=by)[1]
        except ValidationError as error:
            return MovementApplyOutcome(movement, ApplyStatus.REFUSED, " ".join(error.messages))
        except RETRYABLE_DB_ERRORS as error:
            logger.warning(
                "movement %s: database error on attempt %d of %d: %s",
                movement.pk,
                attempt,
                attempts,
                error,
            )
            reset_broken_connection()
            continue
        except DatabaseError as error:
            # Not a connection error (a constraint, bad data): trying again would not help.
            logger.exception("movement %s: database error", movement.pk)
            return MovementApplyOutcome(
                movement,
                ApplyStatus.FAILED,
                _("lỗi cơ sở dữ liệu (%(error)s); lượt này chưa thay đổi gì.")
                % {"error": type(error).__name__},
            )
        status = ApplyStatus.APPLIED if applied else ApplyStatus.ALREADY_APPLIED
        return MovementApplyOutcome(movement, status)
    return MovementApplyOutcome(
        movement,
        ApplyStatus.FAILED,
        _(
            "mất kết nối cơ sở dữ liệu (đã thử %(n)d lần); lượt này chưa thay đổi gì, "
            "bấm “Thi hành” lại để thi hành tiếp."
        )
        % {"n": attempts},
    )


def decision_apply_due(
    *, decision: Decision, by=None, today: dt.date | None = None
) -> DecisionApplyReport:
    """Apply every movement of an approved decision whose effective date has come.

    Each movement is applied in its own transaction (``movement_apply_retrying``): one
    that is refused or fails leaves the others applied and is reported with its
    reason, and pressing again applies what is left (an applied movement is never
    applied twice). The staff page and the admin action both call this.
    """
    require_role(by, Role.OFFICER)
    decision = Decision.objects.select_related("issued_by").get(pk=decision.pk)
    require_manager(by, decision)
    if decision.status != DecisionStatus.APPROVED:
        raise ValidationError(_("Chỉ thi hành lượt điều chuyển của quyết định đã ban hành."))
    today = today or timezone.localdate()
    pending = list(
        decision.movements.filter(applied_at__isnull=True)
        .select_related("official")
        .order_by("effective_on", "id")
    )
    due = [m for m in pending if m.effective_on <= today]
    return DecisionApplyReport(
        outcomes=[movement_apply_retrying(movement=m, today=today, by=by) for m in due],
        not_yet_due=len(pending) - len(due),
    )


@transaction.atomic
def movement_end(
    *, movement: Movement, outcome: str, ended_on: dt.date, basis: str = "", by=None
) -> Movement:
    """Record how a rotation ended: return, a new post, or retention at the destination."""
    require_role(by, Role.OFFICER)
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    if movement.applied_at is None:
        raise ValidationError(_("Lượt điều chuyển chưa được thi hành."))
    if movement.ended_on is not None:
        raise ValidationError(
            _("Lượt điều chuyển đã kết thúc ngày %(on)s.") % {"on": format_day(movement.ended_on)}
        )
    if outcome not in MovementOutcome.values:
        raise ValidationError({"outcome": _("Chưa chọn kết quả sau luân chuyển.")})
    if ended_on < movement.effective_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc không được trước ngày có hiệu lực.")})
    movement.outcome = outcome
    movement.ended_on = ended_on
    movement.outcome_basis = basis
    movement.save(update_fields=["outcome", "ended_on", "outcome_basis"])
    return movement
