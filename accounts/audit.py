"""Read audit: reading a full profile or exporting records leaves a row (who, what, when)."""

from .models import AuditEvent


def audit_record(
    *, user, action: str, obj=None, object_type: str = "", detail: str = ""
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:255],
    )
