"""Movements of a draft decision: add, edit, remove; the posting left, the expected end,
the direction; and the rule checks, re-run only for the movements a change can affect."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role
from personnel.dates import LATEST, require_sane
from personnel.models import Official, Position, Posting
from personnel.selectors import current_primary_posting
from personnel.text import format_day
from personnel.validity import not_valid_message

from . import rules
from .choices import (
    DecisionStatus,
    MovementKind,
)
from .decision_scopes import decision_scope_refresh
from .directions import classify, place_of
from .guards import lock_decision, require_manager, require_status
from .models import Decision, Movement


def expected_end(effective_on: dt.date, term_months: int | None) -> dt.date | None:
    """The last day of a term of ``term_months`` begun on ``effective_on``.

    That is the day before the same day ``term_months`` later; when that month is
    shorter (a term begun on 31/01 or 29/02), the month's last day.
    """
    if not term_months:
        return None
    require_sane(effective_on=effective_on)
    too_long = ValidationError(
        {
            "term_months": _("Thời hạn quá dài: ngày kết thúc dự kiến không được sau %(last)s.")
            % {"last": format_day(LATEST)}
        }
    )
    try:
        anniversary = effective_on + relativedelta(months=term_months)
    except (OverflowError, ValueError):  # past the year 9999
        raise too_long from None
    if anniversary.day != effective_on.day:  # clamped to the end of a shorter month
        last_day = anniversary
    else:
        last_day = anniversary - dt.timedelta(days=1)
    if last_day > LATEST:
        raise too_long
    return last_day


def movement_origin_unit(movement: Movement):
    """The unit the official leaves: the from-posting's, else the known outside position's."""
    if movement.from_posting_id:
        return movement.from_posting.org_unit
    if movement.origin_position_id:
        return movement.origin_position.org_unit
    return None


def movement_direction(movement: Movement) -> str:
    return classify(
        place_of(movement_origin_unit(movement)), place_of(movement.to_position.org_unit)
    )


def refresh_findings(movement: Movement) -> None:
    movement.findings = [f.as_dict() for f in rules.evaluate(movement)]
    movement.save(update_fields=["findings"])


def _require_effective_on(day: dt.date | None) -> None:
    """An effective date is given and in the accepted range (dates are computed from it)."""
    if day is None:
        raise ValidationError({"effective_on": _("Chưa nhập ngày có hiệu lực.")})
    require_sane(effective_on=day)


def movement_validate(movement: Movement) -> None:
    """Checks that make a movement wrong (not mere rule findings); raises ValidationError."""
    _require_effective_on(movement.effective_on)
    if movement.kind == MovementKind.REORGANISATION and movement.decision.reorganisation_id is None:
        raise ValidationError(
            {
                "kind": _(
                    "Hình thức “sắp xếp theo tổ chức bộ máy” chỉ do việc áp dụng một sắp xếp "
                    "tạo ra; hãy chọn hình thức khác."
                )
            }
        )
    if not movement.to_position.is_active:
        raise ValidationError({"to_position": _("Chức vụ nơi đến không còn sử dụng.")})
    destination = movement.to_position.org_unit
    if not destination.is_valid_on(movement.effective_on):
        raise ValidationError(
            {"to_position": not_valid_message(destination, movement.effective_on)}
        )
    if movement.from_posting_id and movement.from_posting.official_id != movement.official_id:
        raise ValidationError(
            {"from_posting": _("Vị trí công tác trước không phải của cán bộ này.")}
        )
    # The previous posting ends the day before the effective date and lasts at least two days.
    if (
        movement.from_posting_id
        and movement.from_posting.start_date >= movement.effective_on - dt.timedelta(days=1)
    ):
        raise ValidationError(
            {
                "effective_on": _(
                    "Ngày hiệu lực phải sau ngày bắt đầu vị trí công tác trước ít nhất hai ngày."
                )
            }
        )
    _require_change(movement)
    _require_after_latest_posting(movement)
    others = movement.decision.movements.filter(official_id=movement.official_id).exclude(
        pk=movement.pk
    )
    if others.exists():
        raise ValidationError({"official": _("Cán bộ này đã có trong quyết định.")})


def _require_change(movement: Movement) -> None:
    """A movement changes the official's post: one to the post they leave is refused, but
    a reappointment (bổ nhiệm lại) is to the same post by definition."""
    if movement.kind == MovementKind.REAPPOINTMENT or not movement.from_posting_id:
        return
    if movement.from_posting.position_id == movement.to_position_id:
        raise ValidationError(
            {
                "to_position": _(
                    "Cán bộ đang giữ chức vụ “%(position)s” từ %(start)s: lượt điều chuyển phải "
                    "đến một chức vụ khác (bổ nhiệm lại thì chọn hình thức “Bổ nhiệm lại”)."
                )
                % {
                    "position": movement.to_position.title,
                    "start": format_day(movement.from_posting.start_date),
                }
            }
        )


def _require_after_latest_posting(movement: Movement) -> None:
    """A movement takes effect after the official's latest primary posting began: one dated
    inside an earlier posting could never be applied (the past is not rewritten), so it is
    refused when added rather than when applied."""
    latest = (
        Posting.objects.filter(official_id=movement.official_id, is_primary=True)
        .exclude(pk__in=[movement.new_posting_id] if movement.new_posting_id else [])
        .order_by("-start_date", "-id")
        .only("start_date", "title")
        .first()
    )
    if latest is not None and movement.effective_on <= latest.start_date:
        raise ValidationError(
            {
                "effective_on": _(
                    "Ngày hiệu lực (%(day)s) không được từ ngày bắt đầu vị trí công tác gần "
                    "nhất của cán bộ (“%(posting)s”, từ %(start)s) trở về trước."
                )
                % {
                    "day": format_day(movement.effective_on),
                    "posting": latest.title,
                    "start": format_day(latest.start_date),
                }
            }
        )


#: The fields of a movement a person sets (in this order on every form); the official is
#: fixed once the movement exists; direction, units, expected end, tier and findings are
#: derived by the service.
MOVEMENT_CHOSEN_FIELDS = (
    "kind",
    "to_position",
    "effective_on",
    "term_months",
    "serves_non_local_or_term_limit",
    "note",
)
#: What ``movement_update`` accepts: the chosen fields, and the origin for records entered
#: by hand (admin: a posting left, or a position outside the system).
MOVEMENT_EDITABLE_FIELDS = frozenset({*MOVEMENT_CHOSEN_FIELDS, "from_posting", "origin_position"})


def movement_from_posting(
    *, official_id: int, effective_on: dt.date, original: Movement | None = None
) -> Posting | None:
    """The posting the official leaves: the primary posting held the day before the
    effective date. An existing movement keeps its origin while its date stays, and a
    movement from outside the system (no posting left) stays so."""
    if original is not None and (
        original.effective_on == effective_on or not original.from_posting_id
    ):
        return original.from_posting
    return current_primary_posting(official_id, on=effective_on - dt.timedelta(days=1))


_CURRENT = object()


@transaction.atomic
def movement_add(
    *,
    decision: Decision,
    official: Official,
    kind: str,
    to_position: Position,
    effective_on: dt.date,
    term_months: int | None = None,
    from_posting: Posting | None | object = _CURRENT,
    origin_position: Position | None = None,
    serves_non_local_or_term_limit: bool = False,
    note: str = "",
    by=None,
) -> Movement:
    """Add one official's leg to a draft decision.

    ``from_posting`` defaults to the primary posting the official holds the day before
    the effective date; pass None for someone coming from outside the system.
    """
    require_role(by, Role.OFFICER)
    decision = lock_decision(decision)
    require_manager(by, decision)
    require_status(decision, DecisionStatus.DRAFT, action=_("thêm lượt điều chuyển"))
    _require_effective_on(effective_on)
    if from_posting is _CURRENT:
        from_posting = movement_from_posting(official_id=official.pk, effective_on=effective_on)
    movement = Movement(
        decision=decision,
        official=official,
        kind=kind,
        from_posting=from_posting,
        origin_position=origin_position if from_posting is None else None,
        to_position=to_position,
        effective_on=effective_on,
        term_months=term_months,
        serves_non_local_or_term_limit=serves_non_local_or_term_limit,
        note=note,
    )
    return _save_movement(movement)


def _vacated_position_id(movement: Movement) -> int | None:
    """The post a movement frees (the from-posting's position), if any."""
    if not movement.from_posting_id:
        return None
    return (
        Posting.objects.filter(pk=movement.from_posting_id)
        .values_list("position_id", flat=True)
        .first()
    )


def _refresh_affected(decision: Decision, *, vacated: set, exclude_pk: int | None) -> None:
    """Re-check only the siblings a change can affect.

    Of the rules, only "post already held" reads the other movements of the decision (a
    holder moved out by the same decision frees the post), so a change to one movement
    affects exactly the siblings going to a post it frees, or freed before the change.
    """
    vacated = {position_id for position_id in vacated if position_id is not None}
    if not vacated:
        return
    affected = decision.movements.filter(to_position_id__in=vacated).select_related(
        "official", "to_position__org_unit__locality", "decision"
    )
    if exclude_pk is not None:
        affected = affected.exclude(pk=exclude_pk)
    for sibling in affected:
        refresh_findings(sibling)


def _save_movement(movement: Movement, *, vacated_before: int | None = None) -> Movement:
    movement_validate(movement)
    movement.expected_end_on = expected_end(movement.effective_on, movement.term_months)
    movement.direction = movement_direction(movement)
    movement.from_unit = movement_origin_unit(movement)
    movement.to_unit = movement.to_position.org_unit
    movement.management_tier = movement.official.management_tier
    movement.findings = [f.as_dict() for f in rules.evaluate(movement)]
    movement.full_clean(exclude=["findings"])
    movement.save()
    decision_scope_refresh(movement.decision_id)
    # A sibling's findings can depend on this one (a post it vacates in a swap).
    _refresh_affected(
        movement.decision,
        vacated={vacated_before, _vacated_position_id(movement)},
        exclude_pk=movement.pk,
    )
    return movement


@transaction.atomic
def movement_update(*, movement: Movement, by=None, **changes) -> Movement:
    require_role(by, Role.OFFICER)
    unknown = set(changes) - MOVEMENT_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"movement_update got unexpected fields: {sorted(unknown)}")
    decision = lock_decision(movement.decision)
    require_manager(by, decision)
    require_status(decision, DecisionStatus.DRAFT, action=_("sửa lượt điều chuyển"))
    movement.decision = decision
    vacated_before = _vacated_position_id(movement)
    if "effective_on" in changes:
        _require_effective_on(changes["effective_on"])
        if "from_posting" not in changes:
            changes["from_posting"] = movement_from_posting(
                official_id=movement.official_id,
                effective_on=changes["effective_on"],
                original=movement,
            )
    for field, value in changes.items():
        setattr(movement, field, value)
    return _save_movement(movement, vacated_before=vacated_before)


@transaction.atomic
def movement_remove(*, movement: Movement, by=None) -> None:
    require_role(by, Role.OFFICER)
    decision = lock_decision(movement.decision)
    require_manager(by, decision)
    require_status(decision, DecisionStatus.DRAFT, action=_("xóa lượt điều chuyển"))
    vacated = _vacated_position_id(movement)
    movement.delete()
    decision_scope_refresh(decision.pk)
    _refresh_affected(decision, vacated={vacated}, exclude_pk=None)
