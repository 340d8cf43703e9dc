"""Emails to the committees a decision concerns (DOMAIN.md rule 7).

Each unit's email is sent on its own: one that fails does not stop the others, and
the failure is returned (``NotifyOutcome``) for the task to record on the decision
(``NotificationFailure``) and retry. Subjects pass through ``config.mail.subject_line``:
a title typed over several lines still makes a one-line header.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditEvent, User
from config.mail import subject_line

from . import disclosure
from .choices import ConsultationRole
from .models import Consultation, Decision, NotificationEvent, NotificationFailure

logger = logging.getLogger(__name__)

NOTIFIED_ROLES = [Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR]


def unit_recipients(unit) -> list[str]:
    """The unit's own address and those of its active staff users (officers and above)."""
    addresses = [unit.email] if unit.email else []
    users = User.objects.filter(scope=unit, is_active=True, role__in=NOTIFIED_ROLES).exclude(
        Q(email="") | Q(email__isnull=True)
    )
    addresses += list(users.values_list("email", flat=True))
    return sorted(set(addresses))


ERROR_TEXT_LENGTH = 500


@dataclass
class NotifyOutcome:
    """What one attempt at an event's emails did: sent, and the units not reached."""

    sent: int = 0
    failed_unit_ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retryable: bool = False  # some failure was the mail server's or the network's

    def fail(self, unit, error: Exception) -> None:
        self.failed_unit_ids.append(unit.pk)
        self.errors.append(f"{type(error).__name__}: {error}"[:ERROR_TEXT_LENGTH])
        # SMTP errors, refused connections and time-outs are OSErrors: worth a retry.
        # A bad header or a template error (ValueError, …) would fail again.
        self.retryable = self.retryable or isinstance(error, OSError)


class NotificationError(Exception):
    def __init__(self, outcome: NotifyOutcome):
        super().__init__("; ".join(outcome.errors))
        self.outcome = outcome


def _sent_or_raise(outcome: NotifyOutcome) -> int:
    if outcome.failed_unit_ids:
        raise NotificationError(outcome)
    return outcome.sent


def _subject(prefix: str, decision: Decision) -> str:
    return subject_line(prefix % {"number": decision.number, "title": decision.title})


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    text = render_to_string(f"rotation/email/{template}.txt", context)
    html = render_to_string(f"rotation/email/{template}.html", context)
    message = EmailMultiAlternatives(subject_line(subject), text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()


def _movements_for(decision: Decision, unit) -> list:
    """Only the movements that concern ``unit``: an email never carries other units' cadres."""
    movements = disclosure.movements_for_unit(decision, unit).select_related(
        "official", "to_position__org_unit", "from_posting__org_unit"
    )
    return list(movements.order_by("id"))


def _audit_sent(decision: Decision, *, by, kind: str, unit, movements: list, to: list) -> None:
    # Counts and ids only: no names, no addresses in the audit row.
    audit_record(
        user=by,
        action=AuditEvent.Action.SEND_EMAIL,
        obj=decision,
        detail=f"{kind}; unit={unit.pk}; movements={len(movements)}; recipients={len(to)}",
    )


def _acting_user(user_id: int | None):
    return User.objects.filter(pk=user_id).first() if user_id else None


def send_consultation_requests(decision_id: int, by_id: int | None = None) -> int:
    """Send the consultation requests; returns how many; raises NotificationError on a failure."""
    return _sent_or_raise(consultation_requests(decision_id, by_id=by_id))


def consultation_requests(decision_id: int, by_id: int | None = None) -> NotifyOutcome:
    """One email per consultation not yet notified.

    Each consulted unit receives only the movements that concern it. ``by_id`` is the
    user who asked for the consultations (for the audit row), when known. A consultation
    emailed is marked ``notified_at``, so a retry sends only the ones left.
    """
    decision = Decision.objects.select_related("issued_by").get(pk=decision_id)
    by = _acting_user(by_id)
    outcome = NotifyOutcome()
    pending = decision.consultations.filter(notified_at__isnull=True).select_related("org_unit")
    subject = _subject(_("[Xin ý kiến] %(number)s – %(title)s"), decision)
    for consultation in pending:
        unit = consultation.org_unit
        to = unit_recipients(unit)
        if not to:
            logger.warning(
                "No address for unit %s; consultation %s not emailed", unit.pk, consultation.pk
            )
            continue
        movements = _movements_for(decision, unit)
        context = {"decision": decision, "movements": movements, "consultation": consultation}
        try:
            _send(subject, "consultation_request", context, to)
        except Exception as error:  # noqa: BLE001 - recorded, retried; the others go on
            logger.warning("consultation %s not emailed: %r", consultation.pk, error)
            outcome.fail(unit, error)
            continue
        Consultation.objects.filter(pk=consultation.pk).update(notified_at=timezone.now())
        _audit_sent(
            decision, by=by, kind="consultation_request", unit=unit, movements=movements, to=to
        )
        outcome.sent += 1
    return outcome


def approval_recipients(decision: Decision) -> list[tuple]:
    """The sending and receiving sides of the decision's movements, each once, with its role."""
    movements = decision.movements.select_related(
        "from_posting__org_unit", "to_position__org_unit"
    ).order_by("id")
    units = {}
    for movement in movements:
        if movement.from_posting_id:
            origin = movement.from_posting.org_unit
            units.setdefault(origin.pk, (origin, ConsultationRole.SENDING))
        destination = movement.to_position.org_unit
        units.setdefault(destination.pk, (destination, ConsultationRole.RECEIVING))
    return list(units.values())


def send_approval_notices(decision_id: int, by_id: int | None = None) -> int:
    """Send the approval notices; returns how many; raises NotificationError on a failure."""
    return _sent_or_raise(approval_notices(decision_id, by_id=by_id))


def approval_notices(
    decision_id: int, by_id: int | None = None, unit_ids: list[int] | None = None
) -> NotifyOutcome:
    """Tell the sending and receiving sides that the decision was made.

    Each side receives only the movements that concern it. Without ``by_id`` the audit
    row names the approver. ``unit_ids``: only these units (a retry of those not reached).
    """
    decision = Decision.objects.select_related("issued_by", "approved_by").get(pk=decision_id)
    by = _acting_user(by_id) or decision.approved_by
    subject = _subject(_("[Đã ban hành] %(number)s – %(title)s"), decision)
    outcome = NotifyOutcome()
    for unit, role in approval_recipients(decision):
        if unit_ids is not None and unit.pk not in unit_ids:
            continue
        to = unit_recipients(unit)
        if not to:
            continue
        movements = _movements_for(decision, unit)
        context = {"decision": decision, "movements": movements, "unit": unit, "role": role}
        try:
            _send(subject, "decision_approved", context, to)
        except Exception as error:  # noqa: BLE001 - recorded, retried; the others go on
            logger.warning(
                "approval notice of %s to unit %s not sent: %r", decision.pk, unit.pk, error
            )
            outcome.fail(unit, error)
            continue
        _audit_sent(
            decision, by=by, kind="decision_approved", unit=unit, movements=movements, to=to
        )
        outcome.sent += 1
    return outcome


def notify(
    decision_id: int, event: str, by_id: int | None = None, unit_ids: list[int] | None = None
) -> NotifyOutcome:
    if event == NotificationEvent.CONSULTATIONS:
        return consultation_requests(decision_id, by_id=by_id)
    if event == NotificationEvent.APPROVED:
        return approval_notices(decision_id, by_id=by_id, unit_ids=unit_ids)
    raise ValueError(f"unknown event {event!r}")


def record_failure(
    decision_id: int, event: str, outcome: NotifyOutcome, *, will_retry: bool
) -> NotificationFailure:
    """Record on the decision that some emails of ``event`` could not be sent."""
    now = timezone.now()
    error = outcome.errors[-1] if outcome.errors else ""
    failure, created = NotificationFailure.objects.get_or_create(
        decision_id=decision_id,
        event=event,
        defaults={
            "unit_count": len(outcome.failed_unit_ids),
            "error": error,
            "last_failed_at": now,
            "will_retry": will_retry,
        },
    )
    if not created:
        NotificationFailure.objects.filter(pk=failure.pk).update(
            unit_count=len(outcome.failed_unit_ids),
            error=error,
            attempts=F("attempts") + 1,
            last_failed_at=now,
            will_retry=will_retry,
            resolved_at=None,
        )
        failure.refresh_from_db()
    return failure


def record_success(decision_id: int, event: str) -> None:
    """Every email of ``event`` is now sent: an earlier failure is resolved."""
    NotificationFailure.objects.filter(
        decision_id=decision_id, event=event, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), will_retry=False, unit_count=0)
