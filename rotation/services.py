"""The only way to change the rotation workflow's state (DOMAIN.md rules 1–9).

Status: draft → consulting → approved, or cancelled. Movements are added while the
decision is a draft; applying an approved movement closes the official's previous
posting the day before the effective date and opens the new one, with the
official's row locked; applying twice changes nothing.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role
from personnel.dates import is_sane
from personnel.models import OrgUnit
from personnel.validity import not_valid_message

from .choices import (
    ConsultationOpinion,
    DecisionStatus,
)
from .consultations import missing_answers, required_consultations
from .decision_scopes import decision_scope_refresh

# The workflow's writes by concern (services_*); callers use them all as ``services.<name>``.
from .guards import (  # noqa: F401
    decision_manageable_by,
    lock_decision,
    require_manager,
    require_status,
)
from .models import Consultation, Decision
from .services_apply import (  # noqa: F401
    APPLY_ATTEMPTS,
    RETRYABLE_DB_ERRORS,
    ApplyStatus,
    DecisionApplyReport,
    MovementApplyOutcome,
    decision_apply_due,
    movement_apply,
    movement_apply_retrying,
    movement_end,
    reset_broken_connection,
)
from .services_movements import (  # noqa: F401
    MOVEMENT_CHOSEN_FIELDS,
    MOVEMENT_EDITABLE_FIELDS,
    expected_end,
    movement_add,
    movement_direction,
    movement_from_posting,
    movement_origin_unit,
    movement_remove,
    movement_update,
    movement_validate,
    refresh_findings,
)
from .services_reviews import REVIEW_EDITABLE_FIELDS, review_record, review_update  # noqa: F401
from .summary import summary_tracking

logger = logging.getLogger(__name__)


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
    reorganisation=None,
) -> Decision:
    """A draft decision; with ``reorganisation``, one carrying it out (its movements may
    be of the kind "sắp xếp theo tổ chức bộ máy", counted apart from rotations)."""
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
        reorganisation=reorganisation,
    )
    _require_issuer_in_force(decision)
    decision.full_clean()
    decision.save()
    decision_scope_refresh(decision.pk)
    return decision


def _require_issuer_in_force(decision: Decision) -> None:
    """A decision is issued by a unit that exists on the day it is signed (today if not yet)."""
    issuer = decision.issued_by
    if issuer is None:
        return
    day = decision.signed_on or timezone.localdate()
    if is_sane(day) and not issuer.is_valid_on(day):
        raise ValidationError({"issued_by": not_valid_message(issuer, day)})


#: what a person may change on a decision, and while it may be changed
DECISION_EDITABLE_FIELDS = frozenset({"number", "issued_by", "title", "signed_on", "note"})
DECISION_EDITABLE_STATUSES = (DecisionStatus.DRAFT, DecisionStatus.CONSULTING)


@transaction.atomic
def decision_update(*, decision: Decision, by=None, **changes) -> Decision:
    """Change a decision's number, issuer, title, signed date or note while it is a draft or
    being consulted. The row is locked and its status read under the lock, so an edit
    cannot slip in beside an approval; the number stays unique per issuer, and a new
    issuer must be within the editor's scope too."""
    require_role(by, Role.OFFICER)
    unknown = set(changes) - DECISION_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"decision_update got unexpected fields: {sorted(unknown)}")
    decision = lock_decision(decision)
    require_manager(by, decision)
    require_status(decision, *DECISION_EDITABLE_STATUSES, action=_("sửa quyết định"))
    for field, value in changes.items():
        setattr(decision, field, value.strip() if isinstance(value, str) else value)
    require_manager(by, decision)  # the issuer chosen, when it changed
    if (
        Decision.objects.filter(issued_by_id=decision.issued_by_id, number=decision.number)
        .exclude(pk=decision.pk)
        .exists()
    ):
        raise ValidationError({"number": _("Cơ quan này đã có quyết định mang số, ký hiệu này.")})
    if {"issued_by", "signed_on"} & set(changes):
        _require_issuer_in_force(decision)
    decision.full_clean()
    decision.save(update_fields=sorted(changes) or None)
    if "issued_by" in changes:
        decision_scope_refresh(decision.pk)
    return decision


@transaction.atomic
def decision_request_consultations(
    *, decision: Decision, by=None, requested_on: dt.date | None = None, notify: bool = True
) -> list[Consultation]:
    """Ask the sending and receiving sides and the local committee; email them.

    ``notify=False`` records the requests without email (loading past records).
    """
    require_role(by, Role.OFFICER)
    decision = lock_decision(decision)
    require_manager(by, decision)
    require_status(decision, DecisionStatus.DRAFT, action=_("gửi xin ý kiến"))
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
    decision_scope_refresh(decision.pk)
    for movement in decision.movements.all():
        refresh_findings(movement)
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
    require_status(consultation.decision, DecisionStatus.CONSULTING, action=_("ghi ý kiến trả lời"))
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
    decision = lock_decision(decision)
    require_manager(by, decision)
    require_status(decision, DecisionStatus.DRAFT, DecisionStatus.CONSULTING, action=_("ban hành"))
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
        refresh_findings(movement)
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
    with summary_tracking(decision.movements.values_list("official_id", flat=True)):
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
    decision = lock_decision(decision)
    require_role(by, Role.APPROVER if decision.status == DecisionStatus.APPROVED else Role.OFFICER)
    require_manager(by, decision)
    require_status(
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
    officials = decision.movements.values_list("official_id", flat=True)
    with summary_tracking(officials if decision.status == DecisionStatus.APPROVED else ()):
        decision.status = DecisionStatus.CANCELLED
        decision.cancel_reason = reason.strip()
        decision.cancelled_at = timezone.now()
        decision.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    return decision


def _after_commit_notify(event: str, decision_id: int, by=None) -> None:
    from .tasks import notify_decision

    by_id = getattr(by, "pk", None)
    transaction.on_commit(lambda: notify_decision.delay(decision_id, event, by_id))
