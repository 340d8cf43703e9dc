"""Shared pieces of the decision pages.

The pages themselves are in ``views_decisions`` (list, detail, create, edit),
``views_movements`` (add, edit, check, remove a movement) and ``views_actions``
(consultation, approval, applying, cancelling, consultation answers).

Access: a decision is visible when ``Decision.objects.for_user`` reaches it (its
issuer, or a unit one of its movements leaves or joins, lies in the user's scope).
Acting on the decision itself (editing, its movements, the workflow buttons) also
needs the issuer inside the user's scope: a district sees a provincial decision that
moves one of its cadres, and answers the consultation addressed to it, but does not
edit or approve the province's decision.
"""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import get_scoped_or_404
from accounts.choices import Role
from config.forms import add_service_error  # noqa: F401 - re-exported for the rotation views

from . import services
from .choices import DecisionStatus
from .models import Decision

EDITABLE_STATUSES = services.DECISION_EDITABLE_STATUSES  # the service's, one copy


def error_messages(error: Exception) -> list[str]:
    """The human-readable messages of a service's ValidationError or PermissionDenied."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    text = str(error)
    return [text] if text else []


def issuer_in_scope(user, decision: Decision) -> bool:
    return user.is_authenticated and services.decision_manageable_by(user, decision)


def decision_for_user(request, pk: int, queryset=None) -> Decision:
    """The decision if the user's scope reaches it, else 404."""
    queryset = queryset if queryset is not None else Decision.objects.all()
    return get_scoped_or_404(queryset.select_related("issued_by"), request.user, pk=pk)


def managed_decision(request, pk: int, role: str = Role.OFFICER) -> Decision:
    """A decision the user may act on: visible (else 404), role and issuer scope (else 403)."""
    decision = decision_for_user(request, pk)
    if not request.user.has_role(role) or not issuer_in_scope(request.user, decision):
        raise PermissionDenied
    return decision


def allowed_actions(user, decision: Decision, movements: list) -> SimpleNamespace:
    """Which buttons the detail page shows; the action views check the same conditions."""
    manage = issuer_in_scope(user, decision)
    officer = manage and user.has_role(Role.OFFICER)
    approver = manage and user.has_role(Role.APPROVER)
    status = decision.status
    today = timezone.localdate()
    due = [m for m in movements if m.applied_at is None and m.effective_on <= today]
    any_applied = any(m.applied_at is not None for m in movements)
    return SimpleNamespace(
        edit=officer and status in EDITABLE_STATUSES,
        edit_movements=officer and status == DecisionStatus.DRAFT,
        consult=officer and status == DecisionStatus.DRAFT and bool(movements),
        approve=approver and status in EDITABLE_STATUSES and bool(movements),
        apply=officer and status == DecisionStatus.APPROVED and bool(due),
        due_count=len(due),
        cancel=not any_applied
        and (
            (officer and status in EDITABLE_STATUSES)
            or (approver and status == DecisionStatus.APPROVED)
        ),
    )


def people(movements, limit: int = 5) -> str:
    """Names for messages: "Nguyễn Văn A, Lê Thị B và 3 người khác"."""
    names = [m.official.full_name for m in movements]
    if len(names) <= limit:
        return ", ".join(names)
    return _("%(names)s và %(n)d người khác") % {
        "names": ", ".join(names[:limit]),
        "n": len(names) - limit,
    }
