"""Emails to the committees a decision concerns (DOMAIN.md rule 7)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User

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


def _decision_context(decision: Decision) -> dict:
    movements = decision.movements.select_related(
        "official", "to_position__org_unit", "from_posting__org_unit"
    ).order_by("id")
    return {"decision": decision, "movements": list(movements)}


def send_consultation_requests(decision_id: int) -> int:
    """One email per consultation not yet notified; returns how many were sent."""
    decision = Decision.objects.select_related("issued_by").get(pk=decision_id)
    context = _decision_context(decision)
    sent = 0
    pending = decision.consultations.filter(notified_at__isnull=True).select_related("org_unit")
    for consultation in pending:
        to = unit_recipients(consultation.org_unit)
        if not to:
            logger.warning(
                "No address for %s; consultation %s not emailed",
                consultation.org_unit,
                consultation.pk,
            )
            continue
        subject = _("[Xin ý kiến] %(number)s – %(title)s") % {
            "number": decision.number,
            "title": decision.title,
        }
        _send(subject, "consultation_request", {**context, "consultation": consultation}, to)
        Consultation.objects.filter(pk=consultation.pk).update(notified_at=timezone.now())
        sent += 1
    return sent


def send_approval_notices(decision_id: int) -> int:
    """Tell the sending and receiving sides that the decision was made."""
    decision = Decision.objects.select_related("issued_by").get(pk=decision_id)
    context = _decision_context(decision)
    units = {}
    for movement in context["movements"]:
        if movement.from_posting_id:
            units.setdefault(
                movement.from_posting.org_unit.pk,
                (movement.from_posting.org_unit, ConsultationRole.SENDING),
            )
        destination = movement.to_position.org_unit
        units.setdefault(destination.pk, (destination, ConsultationRole.RECEIVING))
    sent = 0
    subject = _("[Đã ban hành] %(number)s – %(title)s") % {
        "number": decision.number,
        "title": decision.title,
    }
    for unit, role in units.values():
        to = unit_recipients(unit)
        if to:
            _send(subject, "decision_approved", {**context, "unit": unit, "role": role}, to)
            sent += 1
    return sent
