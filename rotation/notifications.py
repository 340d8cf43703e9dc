"""Emails to the committees a decision concerns (DOMAIN.md rule 7)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditEvent, User

from . import disclosure
from .choices import ConsultationRole
from .models import Consultation, Decision

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


def _send(subject: str, template: str, context: dict, to: list[str]) -> None:
    text = render_to_string(f"rotation/email/{template}.txt", context)
    html = render_to_string(f"rotation/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
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
    """One email per consultation not yet notified; returns how many were sent.

    Each consulted unit receives only the movements that concern it. ``by_id`` is the
    user who asked for the consultations (for the audit row), when known.
    """
    decision = Decision.objects.select_related("issued_by").get(pk=decision_id)
    by = _acting_user(by_id)
    sent = 0
    pending = decision.consultations.filter(notified_at__isnull=True).select_related("org_unit")
    subject = _("[Xin ý kiến] %(number)s – %(title)s") % {
        "number": decision.number,
        "title": decision.title,
    }
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
        _send(subject, "consultation_request", context, to)
        Consultation.objects.filter(pk=consultation.pk).update(notified_at=timezone.now())
        _audit_sent(
            decision, by=by, kind="consultation_request", unit=unit, movements=movements, to=to
        )
        sent += 1
    return sent


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
    """Tell the sending and receiving sides that the decision was made.

    Each side receives only the movements that concern it. Without ``by_id`` the audit
    row names the approver.
    """
    decision = Decision.objects.select_related("issued_by", "approved_by").get(pk=decision_id)
    by = _acting_user(by_id) or decision.approved_by
    subject = _("[Đã ban hành] %(number)s – %(title)s") % {
        "number": decision.number,
        "title": decision.title,
    }
    sent = 0
    for unit, role in approval_recipients(decision):
        to = unit_recipients(unit)
        if not to:
            continue
        movements = _movements_for(decision, unit)
        context = {"decision": decision, "movements": movements, "unit": unit, "role": role}
        _send(subject, "decision_approved", context, to)
        _audit_sent(
            decision, by=by, kind="decision_approved", unit=unit, movements=movements, to=to
        )
        sent += 1
    return sent
