"""Who may act on a decision, and in which status: the checks every rotation write shares."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.scoping import scope_path_of

from .models import Decision


def decision_manageable_by(user, decision: Decision) -> bool:
    """Only staff whose scope covers the issuing body act on a decision.

    A decision is *visible* to the sending and receiving sides too (``for_user``), but
    preparing, approving, applying or cancelling it is the issuer's business.
    """
    if user is None or user.is_superuser:
        return True
    path = scope_path_of(user)
    return path is not None and decision.issued_by.path.startswith(path)


def require_manager(user, decision: Decision) -> None:
    if not decision_manageable_by(user, decision):
        raise PermissionDenied(
            _("Cơ quan ban hành quyết định này không thuộc phạm vi quản lý của bạn.")
        )


def lock_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("issued_by").get(pk=decision.pk)


def require_status(decision: Decision, *allowed: str, action: str) -> None:
    if decision.status not in allowed:
        raise ValidationError(
            _("Không thể %(action)s: quyết định đang ở trạng thái “%(status)s”.")
            % {"action": action, "status": decision.get_status_display()}
        )
