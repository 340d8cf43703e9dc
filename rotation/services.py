"""The only way to change the rotation workflow's state (DOMAIN.md rules 1–9).

Status: draft → consulting → approved, or cancelled. Movements are added while the
decision is a draft; applying an approved movement closes the official's previous
posting the day before the effective date and opens the new one, with the
official's row locked; applying twice changes nothing.
"""

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role
from accounts.scoping import scope_path_of
from personnel import services as personnel_services
from personnel.dates import LATEST, require_sane
from personnel.models import Official, OrgUnit, Position, Posting
from personnel.selectors import current_primary_posting
from personnel.text import format_day

from . import rules
from .choices import (
    ConsultationOpinion,
    DecisionStatus,
    MovementKind,
    MovementOutcome,
    ReviewPeriod,
)
from .consultations import missing_answers, required_consultations
from .directions import classify, place_of
from .models import Consultation, Decision, Movement, RotationReview

logger = logging.getLogger(__name__)


def decision_manageable_by(user, decision: Decision) -> bool:
    """Only staff whose scope covers the issuing body act on a decision.

    A decision is *visible* to the sending and receiving sides too (``for_user``), but
    preparing, approving, applying or cancelling it is the issuer's business.
    """
    if user is None or user.is_superuser:
        return True
    path = scope_path_of(user)
    return path is not None and decision.issued_by.path.startswith(path)


def _require_manager(user, decision: Decision) -> None:
    if not decision_manageable_by(user, decision):
        raise PermissionDenied(
            _("Cơ quan ban hành quyết định này không thuộc phạm vi quản lý của bạn.")
        )


def _lock_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("issued_by").get(pk=decision.pk)


def _require_status(decision: Decision, *allowed: str, action: str) -> None:
    if decision.status not in allowed:
        raise ValidationError(
            _("Không thể %(action)s: quyết định đang ở trạng thái “%(status)s”.")
            % {"action": action, "status": decision.get_status_display()}
        )


# --- decisions -------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    number: str,
    issued_by,
    title: str,
    signed_on: dt.date | None = None,
    note: str = "",
    created_by=None,
) -> Decision:
    require_role(created_by, Role.OFFICER)
    number = (number or "").strip()
    if Decision.objects.filter(issued_by=issued_by, number=number).exists():
        raise ValidationError({"number": _("Cơ quan này đã có quyết định mang số, ký hiệu này.")})
    decision = Decision(
        number=number,
        issued_by=issued_by,
        title=(title or "").strip(),
        signed_on=signed_on,
        note=note,
        created_by=created_by,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_request_consultations(
    *, decision: Decision, by=None, requested_on: dt.date | None = None, notify: bool = True
) -> list[Consultation]:
    """Ask the sending and receiving sides and the local committee; email them.

    ``notify=False`` records the requests without email (loading past records).
    """
    require_role(by, Role.OFFICER)
    decision = _lock_decision(decision)
    _require_manager(by, decision)
    _require_status(decision, DecisionStatus.DRAFT, action=_("gửi xin ý kiến"))
    if not decision.movements.exists():
        raise ValidationError(_("Quyết định chưa có lượt điều chuyển nào."))
    requested_on = requested_on or timezone.localdate()
    created = []
    for required in required_consultations(decision):
        consultation, made = Consultation.objects.get_or_create(
            decision=decision,
            org_unit_id=required.org_unit_id,
            role=required.role,
            defaults={"requested_on": requested_on},
        )
        if made:
            created.append(consultation)
    for movement in decision.movements.all():
        _refresh_findings(movement)
    decision.status = DecisionStatus.CONSULTING
    decision.save(update_fields=["status"])
    if notify:
        _after_commit_notify("consultations", decision.pk, by=by)
    return created


@transaction.atomic
def consultation_answer(
    *,
    consultation: Consultation,
    opinion: str,
    opinion_text: str = "",
    answered_on: dt.date | None = None,
    by=None,
) -> Consultation:
    require_role(by, Role.OFFICER)
    consultation = (
        Consultation.objects.select_for_update().select_related("decision").get(pk=consultation.pk)
    )
    _require_status(
        consultation.decision, DecisionStatus.CONSULTING, action=_("ghi ý kiến trả lời")
    )
    if opinion not in ConsultationOpinion.values:
        raise ValidationError({"opinion": _("Chưa chọn ý kiến.")})
    answered_on = answered_on or timezone.localdate()
    if answered_on < consultation.requested_on:
        raise ValidationError({"answered_on": _("Ngày trả lời không được trước ngày đề nghị.")})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("Ngày trả lời không được sau ngày hôm nay.")})
    consultation.opinion = opinion
    consultation.opinion_text = opinion_text
    consultation.answered_on = answered_on
    consultation.save(update_fields=["opinion", "opinion_text", "answered_on"])
    return consultation


@transaction.atomic
def decision_approve(
    *, decision: Decision, by=None, signed_on: dt.date | None = None, notify: bool = True
) -> Decision:
    """Approve; refuses when the issuer requires every answer, else records a fait accompli.

    The sending and receiving sides are emailed unless ``notify=False`` (loading past records).
    """
    require_role(by, Role.APPROVER)
    decision = _lock_decision(decision)
    _require_manager(by, decision)
    _require_status(decision, DecisionStatus.DRAFT, DecisionStatus.CONSULTING, action=_("ban hành"))
    if not decision.movements.exists():
        raise ValidationError(_("Quyết định chưa có lượt điều chuyển nào."))
    signed_on = signed_on or decision.signed_on
    if signed_on is None:
        raise ValidationError({"signed_on": _("Cần nhập ngày ký trước khi ban hành.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Ngày ký không được sau ngày hôm nay.")})
    missing = missing_answers(decision)
    if missing and decision.issued_by.requires_consultation_answers:
        raise ValidationError(
            _(
                "Chưa thể ban hành: còn %(n)d nơi chưa có ý kiến trả lời, và %(issuer)s "
                "quy định phải có đủ ý kiến trước khi ban hành."
            )
            % {"n": len(missing), "issuer": decision.issued_by}
        )
    for movement in decision.movements.all():
        _refresh_findings(movement)
    decision.status = DecisionStatus.APPROVED
    decision.signed_on = signed_on
    decision.is_fait_accompli = bool(missing)
    names = dict(
        OrgUnit.objects.filter(pk__in=[m.org_unit_id for m in missing]).values_list("pk", "name")
    )
    decision.missing_consultations = [
        {
            "org_unit_id": m.org_unit_id,
            "org_unit": names[m.org_unit_id],
            "role": m.role,
            "side": m.side,
        }
        for m in missing
    ]
    decision.approved_by = by
    decision.approved_at = timezone.now()
    decision.save(
        update_fields=[
            "status",
            "signed_on",
            "is_fait_accompli",
            "missing_consultations",
            "approved_by",
            "approved_at",
        ]
    )
    if notify:
        _after_commit_notify("approved", decision.pk, by=by)
    return decision


@transaction.atomic
def decision_cancel(*, decision: Decision, reason: str, by=None) -> Decision:
    decision = _lock_decision(decision)
    require_role(by, Role.APPROVER if decision.status == DecisionStatus.APPROVED else Role.OFFICER)
    _require_manager(by, decision)
    _require_status(
        decision,
        DecisionStatus.DRAFT,
        DecisionStatus.CONSULTING,
        DecisionStatus.APPROVED,
        action=_("hủy"),
    )
    if not (reason or "").strip():
        raise ValidationError({"cancel_reason": _("Cần nêu lý do hủy quyết định.")})
    if decision.movements.filter(applied_at__isnull=False).exists():
        raise ValidationError(
            _(
                "Không thể hủy: đã có lượt điều chuyển được thi hành. Hãy ban hành quyết định khác để điều chỉnh."
            )
        )
    decision.status = DecisionStatus.CANCELLED
    decision.cancel_reason = reason.strip()
    decision.cancelled_at = timezone.now()
    decision.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    return decision


def _after_commit_notify(event: str, decision_id: int, by=None) -> None:
    from .tasks import notify_decision

    by_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: notify_decision.delay(decision_id, event, by_id))


# --- movements -------------------------------------------------------------------


def expected_end(effective_on: dt.date, term_months: int | None) -> dt.date | None:
    """The last day of a term of ``term_months`` begun on ``effective_on``.

    That is the day before the same day ``term_months`` later; when that month is
    shorter (a term begun on 31/01 or 29/02), the month's last day.
    """
    if not term_months:
        return None
    require_sane(effective_on=effective_on)
    too_long = ValidationError(
        {
            "term_months": _("Thời hạn quá dài: ngày kết thúc dự kiến không được sau %(last)s.")
            % {"last": format_day(LATEST)}
        }
    )
    try:
        anniversary = effective_on + relativedelta(months=term_months)
    except (OverflowError, ValueError):  # past the year 9999
        raise too_long from None
    if anniversary.day != effective_on.day:  # clamped to the end of a shorter month
        last_day = anniversary
    else:
        last_day = anniversary - dt.timedelta(days=1)
    if last_day > LATEST:
        raise too_long
    return last_day


def movement_origin_unit(movement: Movement):
    """The unit the official leaves: the from-posting's, else the known outside position's."""
    if movement.from_posting_id:
        return movement.from_posting.org_unit
    if movement.origin_position_id:
        return movement.origin_position.org_unit
    return None


def movement_direction(movement: Movement) -> str:
    return classify(
        place_of(movement_origin_unit(movement)), place_of(movement.to_position.org_unit)
    )


def _refresh_findings(movement: Movement) -> None:
    movement.findings = [f.as_dict() for f in rules.evaluate(movement)]
    movement.save(update_fields=["findings"])


def _require_effective_on(day: dt.date | None) -> None:
    """An effective date is given and in the accepted range (dates are computed from it)."""
    if day is None:
        raise ValidationError({"effective_on": _("Chưa nhập ngày có hiệu lực.")})
    require_sane(effective_on=day)


def movement_validate(movement: Movement) -> None:
    """Checks that make a movement wrong (not mere rule findings); raises ValidationError."""
    _require_effective_on(movement.effective_on)
    if not movement.to_position.is_active:
        raise ValidationError({"to_position": _("Chức vụ nơi đến không còn sử dụng.")})
    if movement.from_posting_id and movement.from_posting.official_id != movement.official_id:
        raise ValidationError(
            {"from_posting": _("Vị trí công tác trước không phải của cán bộ này.")}
        )
    # The previous posting ends the day before the effective date and lasts at least two days.
    if (
        movement.from_posting_id
        and movement.from_posting.start_date >= movement.effective_on - dt.timedelta(days=1)
    ):
        raise ValidationError(
            {
                "effective_on": _(
                    "Ngày hiệu lực phải sau ngày bắt đầu vị trí công tác trước ít nhất hai ngày."
                )
            }
        )
    others = movement.decision.movements.filter(official_id=movement.official_id).exclude(
        pk=movement.pk
    )
    if others.exists():
        raise ValidationError({"official": _("Cán bộ này đã có trong quyết định.")})


#: The fields of a movement a person sets (in this order on every form); the official is
#: fixed once the movement exists; direction, units, expected end, tier and findings are
#: derived by the service.
MOVEMENT_CHOSEN_FIELDS = (
    "kind",
    "to_position",
    "effective_on",
    "term_months",
    "serves_non_local_or_term_limit",
    "note",
)
#: What ``movement_update`` accepts: the chosen fields, and the origin for records entered
#: by hand (admin: a posting left, or a position outside the system).
MOVEMENT_EDITABLE_FIELDS = frozenset({*MOVEMENT_CHOSEN_FIELDS, "from_posting", "origin_position"})


def movement_from_posting(
    *, official_id: int, effective_on: dt.date, original: Movement | None = None
) -> Posting | None:
    """The posting the official leaves: the primary posting held the day before the
    effective date. An existing movement keeps its origin while its date stays, and a
    movement from outside the system (no posting left) stays so."""
    if original is not None and (
        original.effective_on == effective_on or not original.from_posting_id
    ):
        return original.from_posting
    return current_primary_posting(official_id, on=effective_on - dt.timedelta(days=1))


_CURRENT = object()


@transaction.atomic
def movement_add(
    *,
    decision: Decision,
    official: Official,
    kind: str,
    to_position: Position,
    effective_on: dt.date,
    term_months: int | None = None,
    from_posting: Posting | None | object = _CURRENT,
    origin_position: Position | None = None,
    serves_non_local_or_term_limit: bool = False,
    note: str = "",
    by=None,
) -> Movement:
    """Add one official's leg to a draft decision.

    ``from_posting`` defaults to the primary posting the official holds the day before
    the effective date; pass None for someone coming from outside the system.
    """
    require_role(by, Role.OFFICER)
    decision = _lock_decision(decision)
    _require_manager(by, decision)
    _require_status(decision, DecisionStatus.DRAFT, action=_("thêm lượt điều chuyển"))
    _require_effective_on(effective_on)
    if from_posting is _CURRENT:
        from_posting = movement_from_posting(official_id=official.pk, effective_on=effective_on)
    movement = Movement(
        decision=decision,
        official=official,
        kind=kind,
        from_posting=from_posting,
        origin_position=origin_position if from_posting is None else None,
        to_position=to_position,
        effective_on=effective_on,
        term_months=term_months,
        serves_non_local_or_term_limit=serves_non_local_or_term_limit,
        note=note,
    )
    return _save_movement(movement)


def _vacated_position_id(movement: Movement) -> int | None:
    """The post a movement frees (the from-posting's position), if any."""
    if not movement.from_posting_id:
        return None
    return (
        Posting.objects.filter(pk=movement.from_posting_id)
        .values_list("position_id", flat=True)
        .first()
    )


def _refresh_affected(decision: Decision, *, vacated: set, exclude_pk: int | None) -> None:
    """Re-check only the siblings a change can affect.

    Of the rules, only "post already held" reads the other movements of the decision (a
    holder moved out by the same decision frees the post), so a change to one movement
    affects exactly the siblings going to a post it frees, or freed before the change.
    """
    vacated = {position_id for position_id in vacated if position_id is not None}
    if not vacated:
        return
    affected = decision.movements.filter(to_position_id__in=vacated).select_related(
        "official", "to_position__org_unit__locality", "decision"
    )
    if exclude_pk is not None:
        affected = affected.exclude(pk=exclude_pk)
    for sibling in affected:
        _refresh_findings(sibling)


def _save_movement(movement: Movement, *, vacated_before: int | None = None) -> Movement:
    movement_validate(movement)
    movement.expected_end_on = expected_end(movement.effective_on, movement.term_months)
    movement.direction = movement_direction(movement)
    movement.from_unit = movement_origin_unit(movement)
    movement.to_unit = movement.to_position.org_unit
    movement.management_tier = movement.official.management_tier
    movement.findings = [f.as_dict() for f in rules.evaluate(movement)]
    movement.full_clean(exclude=["findings"])
    movement.save()
    # A sibling's findings can depend on this one (a post it vacates in a swap).
    _refresh_affected(
        movement.decision,
        vacated={vacated_before, _vacated_position_id(movement)},
        exclude_pk=movement.pk,
    )
    return movement


@transaction.atomic
def movement_update(*, movement: Movement, by=None, **changes) -> Movement:
    require_role(by, Role.OFFICER)
    unknown = set(changes) - MOVEMENT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"movement_update got unexpected fields: {sorted(unknown)}")
    decision = _lock_decision(movement.decision)
    _require_manager(by, decision)
    _require_status(decision, DecisionStatus.DRAFT, action=_("sửa lượt điều chuyển"))
    movement.decision = decision
    vacated_before = _vacated_position_id(movement)
    if "effective_on" in changes:
        _require_effective_on(changes["effective_on"])
        if "from_posting" not in changes:
            changes["from_posting"] = movement_from_posting(
                official_id=movement.official_id,
                effective_on=changes["effective_on"],
                original=movement,
            )
    for field, value in changes.items():
        setattr(movement, field, value)
    return _save_movement(movement, vacated_before=vacated_before)


@transaction.atomic
def movement_remove(*, movement: Movement, by=None) -> None:
    require_role(by, Role.OFFICER)
    decision = _lock_decision(movement.decision)
    _require_manager(by, decision)
    _require_status(decision, DecisionStatus.DRAFT, action=_("xóa lượt điều chuyển"))
    vacated = _vacated_position_id(movement)
    movement.delete()
    _refresh_affected(decision, vacated={vacated}, exclude_pk=None)


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
    _require_manager(by, movement.decision)
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
    if movement.from_posting_id:
        previous = Posting.objects.get(pk=movement.from_posting_id)
        if previous.end_date is None or previous.end_date > day_before:
            personnel_services.posting_close(posting=previous, end_date=day_before)
    new_posting = personnel_services.posting_create(
        official=movement.official,
        position=movement.to_position,
        title=movement.to_position.title,
        start_date=movement.effective_on,
        basis=movement.decision.number,
    )
    outcome = (
        MovementOutcome.RETURNED
        if movement.kind == MovementKind.RETURN
        else MovementOutcome.NEW_POST
    )
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
    _require_manager(by, decision)
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


@transaction.atomic
def review_record(
    *, movement: Movement, period: str, year: int, rating: str, text: str = "", by=None
) -> RotationReview:
    """The receiving side's yearly or final evaluation of a rotated cadre (rule 8)."""
    require_role(by, Role.OFFICER)
    movement = Movement.objects.get(pk=movement.pk)
    if movement.applied_at is None:
        raise ValidationError(_("Chỉ đánh giá cán bộ khi lượt luân chuyển đã được thi hành."))
    last_year = (movement.ended_on or timezone.localdate()).year
    if not movement.effective_on.year <= year <= last_year:
        raise ValidationError(
            {
                "year": _("Năm đánh giá phải trong thời gian luân chuyển (%(a)d–%(b)d).")
                % {"a": movement.effective_on.year, "b": last_year}
            }
        )
    if period not in ReviewPeriod.values:
        raise ValidationError({"period": _("Chưa chọn kỳ đánh giá.")})
    if RotationReview.objects.filter(movement=movement, period=period, year=year).exists():
        raise ValidationError(_("Đã có đánh giá của kỳ này."))
    review = RotationReview(
        movement=movement, period=period, year=year, rating=rating, text=text, recorded_by=by
    )
    review.full_clean()
    review.save()
    return review
