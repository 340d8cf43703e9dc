"""Writes on alerts by people (pages, admin): marking one resolved. The daily job raises and
clears them (rotation.jobs)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role

from .models import Alert


@transaction.atomic
def alert_resolve(*, alert: Alert, by) -> Alert:
    """Mark ``alert`` resolved now; an alert already resolved is refused (nothing changes)."""
    require_role(by, Role.OFFICER)
    updated = Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=by
    )
    if not updated:
        raise ValidationError(_("Cảnh báo này đã được đánh dấu đã xử lý trước đó."))
    alert.refresh_from_db(fields=["resolved_at", "resolved_by"])
    return alert
