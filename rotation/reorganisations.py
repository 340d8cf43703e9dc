"""Applying a reorganisation (sắp xếp tổ chức bộ máy): the one write path.

``reorganisation_apply`` carries out the plan of ``reorganisation_plan`` in one
transaction: successors created (valid from the effective date), positions carried over
by post type, officials placed by a decision of the reorganisation's issuer whose
movements (kind "sắp xếp theo tổ chức bộ máy", with the basis) close the old posting on
the eve and open the new one, concurrent posts closed, and the old units and
localities ended on the eve. Nothing is deleted or renamed in place. Applying twice
changes nothing; a dry run returns the plan and writes nothing.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from accounts.access import require_role
from accounts.choices import Role
from personnel import services as personnel_services
from personnel.choices import Level, ManagementTier, PositionKind
from personnel.models import (
    Locality,
    LocalitySuccession,
    OrgUnit,
    Position,
    PostType,
    Reorganisation,
    UnitSuccession,
)
from personnel.post_types import generic_code

from .choices import DecisionStatus, MovementKind
from .directions import level_existed
from .reorganisation_plan import NewLocality, NewUnit, Plan, reorganisation_plan
from .services import decision_create
from .services_apply import movement_apply
from .services_movements import movement_add
from .summary import summary_tracking


def require_administrator(user) -> None:
    require_role(user, Role.ADMINISTRATOR)


def _require_in_scope(user, reorganisation: Reorganisation) -> None:
    if user is None:
        return
    if not Reorganisation.objects.for_user(user).filter(pk=reorganisation.pk).exists():
        raise PermissionDenied(_("Sắp xếp này không thuộc phạm vi quản lý của bạn."))


@transaction.atomic
def reorganisation_save(
    *, reorganisation: Reorganisation, unit_rows=(), locality_rows=(), by=None
) -> Reorganisation:
    """Create or change a reorganisation not yet applied, with its rows.

    ``unit_rows`` / ``locality_rows``: dicts of ``predecessor``, ``successor``,
    ``new_name``, ``new_code``, ``new_parent``; they replace the existing rows.
    """
    require_administrator(by)
    if reorganisation.pk:
        locked = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
        _require_in_scope(by, locked)
        if locked.applied_at is not None:
            raise ValidationError(_("Sắp xếp đã áp dụng; không sửa được."))
    if by is not None and not by.is_superuser:
        in_scope = OrgUnit.objects.for_user(by).filter(pk=reorganisation.issued_by_id).exists()
        if not in_scope:
            raise ValidationError(
                {"issued_by": _("Cơ quan ban hành phải thuộc phạm vi quản lý của bạn.")}
            )
    if reorganisation.pk is None:
        reorganisation.recorded_by = by
    reorganisation.full_clean()
    reorganisation.save()
    _replace_rows(reorganisation, "unit_successions", unit_rows, by)
    _replace_rows(reorganisation, "locality_successions", locality_rows, by)
    return reorganisation


def _replace_rows(reorganisation, related: str, rows, by) -> None:
    manager = getattr(reorganisation, related)
    manager.all().delete()
    seen = set()
    for values in rows:
        row = manager.model(reorganisation=reorganisation, **values)
        row.new_name = (row.new_name or "").strip()
        row.new_code = (row.new_code or "").strip()
        key = (row.predecessor_id, row.successor_id, row.new_name)
        if key in seen:
            continue
        seen.add(key)
        if by is not None and related == "unit_successions":
            visible = OrgUnit.objects.for_user(by)
            for unit_id in (row.predecessor_id, row.successor_id, row.new_parent_id):
                if unit_id is not None and not visible.filter(pk=unit_id).exists():
                    raise ValidationError(_("Đơn vị đã chọn không thuộc phạm vi quản lý của bạn."))
        row.full_clean(exclude=["reorganisation"])
        row.save()


def tier_after(tier: str, day: dt.date) -> str:
    """The management tier of a post carried over on ``day``: a district standing
    committee's posts go to the provincial standing committee once the district level
    has ended (1/7/2025)."""
    if tier == ManagementTier.DISTRICT_STANDING and not level_existed(Level.DISTRICT, day):
        return ManagementTier.PROVINCIAL_STANDING
    return tier


def _create_localities(plan: Plan) -> None:
    for new in plan.new_localities:
        new.locality = Locality(
            code=new.code,
            name=new.name,
            level=new.level,
            parent=new.parent,
            valid_from=plan.reorganisation.effective_on,
        )
        new.locality.full_clean()
        new.locality.save()
        # The rows now point to the unit they created (the link history follows).
        LocalitySuccession.objects.filter(pk__in=new.row_ids).update(successor=new.locality)


def _create_units(plan: Plan) -> None:
    for new in plan.new_units:
        locality = new.locality.locality if isinstance(new.locality, NewLocality) else new.locality
        parent = new.parent.unit if isinstance(new.parent, NewUnit) else new.parent
        new.unit = OrgUnit(
            code=new.code,
            name=new.name,
            level=new.level,
            sector_id=new.sector_id,
            parent=parent,
            email=new.email,
            requires_consultation_answers=new.requires_consultation_answers,
            locality=locality,
            valid_from=plan.reorganisation.effective_on,
        )
        new.unit.full_clean()
        new.unit.save()
        UnitSuccession.objects.filter(pk__in=new.row_ids).update(successor=new.unit)


def _carry_positions(plan: Plan) -> None:
    for carried in plan.new_positions:
        source = carried.source
        if source is None:
            carried.position = Position(
                org_unit=carried.target.resolve(),
                post_type=PostType.objects.get(code=generic_code(PositionKind.STAFF)),
                title=carried.title,
                kind=PositionKind.STAFF,
                display_order=900,
            )
            carried.position.full_clean()
            carried.position.save()
            continue
        carried.position = Position(
            org_unit=carried.target.resolve(),
            post_type=source.post_type,
            title=carried.title,
            kind=source.kind,
            is_key=source.is_key,
            requires_non_local=source.requires_non_local,
            management_tier=tier_after(source.management_tier, plan.reorganisation.effective_on),
            allowance=source.allowance,
            display_order=source.display_order,
        )
        carried.position.full_clean()
        carried.position.save()


def _place_officials(plan: Plan, by, today: dt.date):
    """One decision of the issuer, one movement per official placed; applied when due."""
    r = plan.reorganisation
    if not plan.placements:
        return None
    decision = decision_create(
        number=r.basis_number,
        issued_by=r.issued_by,
        title=_("Bố trí cán bộ theo %(name)s") % {"name": r.name},
        signed_on=r.basis_date,
        note=_("Tạo khi áp dụng sắp xếp tổ chức bộ máy “%(name)s”.") % {"name": r.name},
        created_by=by,
        reorganisation=r,
    )
    movements = [
        movement_add(
            decision=decision,
            official=placement.posting.official,
            kind=MovementKind.REORGANISATION,
            to_position=placement.carried.resolve(),
            effective_on=r.effective_on,
            from_posting=placement.posting,
            note=r.basis_label,
            by=by,
        )
        for placement in plan.placements
    ]
    decision.status = DecisionStatus.APPROVED
    decision.approved_by = by
    decision.approved_at = timezone.now()
    with summary_tracking(movement.official_id for movement in movements):
        decision.save(update_fields=["status", "approved_by", "approved_at"])
    if r.effective_on <= today:
        for movement in movements:
            movement_apply(movement=movement, today=today, by=by)
    return decision


def _end(items, eve: dt.date) -> None:
    for item in items:
        item.valid_to = eve
        item.save(update_fields=["valid_to"])


def outcome_of(plan: Plan, decision) -> dict:
    """What applying did, as plain JSON (names as they were; ids to follow links)."""
    return {
        "ended_units": [[unit.pk, unit.name] for unit in plan.ended_units],
        "new_units": [[new.unit.pk, new.unit.name] for new in plan.new_units],
        "ended_localities": [[place.pk, place.name] for place in plan.ended_localities],
        "new_localities": [[new.locality.pk, new.locality.name] for new in plan.new_localities],
        "positions_created": len(plan.new_positions),
        "positions_matched": len(plan.carried) - len(plan.new_positions),
        "placed": [placement.posting.official_id for placement in plan.placements],
        "to_place": [
            {
                "official": item.posting.official_id,
                "posting": item.posting.pk,
                "reason": item.reason,
            }
            for item in plan.to_place
        ],
        "concurrent_closed": [posting.pk for posting in plan.concurrent_closed],
        "users_flagged": [[user.pk, user.username] for user in plan.users_flagged],
        "decision": decision.pk if decision is not None else None,
    }


def reorganisation_apply(
    *,
    reorganisation: Reorganisation,
    by=None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Plan:
    """Apply (or, with ``dry_run``, only plan) a reorganisation; see the module's doc.

    Raises ValidationError with the plan's problems; nothing is written then.
    """
    require_administrator(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Reorganisation.objects.select_for_update().get(pk=reorganisation.pk)
        _require_in_scope(by, locked)
        if locked.applied_at is not None:
            return Plan(reorganisation=locked)  # applied already: nothing more to do
        plan = reorganisation_plan(locked)
        if plan.problems:
            raise ValidationError(plan.problems)
        if dry_run:
            return plan
        _create_localities(plan)
        _create_units(plan)
        _carry_positions(plan)
        reason = _("Sắp xếp tổ chức bộ máy: %(name)s (%(basis)s)") % {
            "name": locked.name,
            "basis": locked.basis_number,
        }
        for posting in plan.concurrent_closed:
            personnel_services.posting_close(posting=posting, end_date=plan.eve)
            update_change_reason(posting, reason)
        decision = _place_officials(plan, by, today)
        _end(plan.ended_units, plan.eve)
        _end(plan.ended_localities, plan.eve)
        locked.outcome = outcome_of(plan, decision)
        locked.applied_at = timezone.now()
        locked.applied_by = by
        locked.save(update_fields=["outcome", "applied_at", "applied_by"])
        reorganisation.refresh_from_db()
        return plan
