"""Read audit: reading personal data leaves a row (who, what, when, which request).

The row names the record by type and id only: no personal data is copied into it.
The request id comes from ``accounts.middleware.RequestIdMiddleware`` (the
``X-Request-ID`` response header), so an audit row can be matched with the server log.
"""

from asgiref.local import Local

from .models import AuditEvent

_current = Local()


def set_request_id(request_id: str | None) -> None:
    _current.request_id = request_id or ""


def current_request_id() -> str:
    return getattr(_current, "request_id", "") or ""


def audit_record(
    *, user, action: str, obj=None, object_type: str = "", object_id="", detail: str = ""
) -> AuditEvent:
    """Record that ``user`` did ``action`` (an ``AuditEvent.Action``) on ``obj``.

    ``obj`` (a model instance) or ``object_type``/``object_id`` name the record; ``detail``
    says how much (rows exported, format, recipients count), never whose data.
    """
    return AuditEvent.objects.create(
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else str(object_id or ""),
        detail=detail[:255],
        request_id=current_request_id()[:64],
    )
