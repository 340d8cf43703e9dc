"""Writes of the shared tables and of the organisation.

- Localities, sectors and post types are the whole province's reference data: only an
  administrator changes them (as in admin's permissions, ``accounts.backends``).
- Units and positions belong to a scope: an officer adds and changes them inside it; a
  unit made by a scoped user hangs under a unit of that scope, and the root of one's own
  scope is not moved (it would change what one may see).

Admin and the REST API both write through these functions; each checks the model's own
rules (``full_clean``: lengths, choices, uniqueness, validity dates) and the rules below,
and answers a ``ValidationError`` with field messages.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Model, Q
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role
from accounts.scoping import scope_path_of

from .dates import format_day
from .models import POST_TYPE_FLAGS, Locality, OrgUnit, Position, Posting, PostType, Sector
from .signals import org_unit_restructured

#: the fields each write takes, in the order forms and the API show them
REFERENCE_EDITABLE_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Locality: ("code", "name", "level", "parent", "valid_from", "valid_to"),
    Sector: ("code", "name"),
    PostType: (
        "code",
        "name",
        "level",
        "kind",
        "is_key",
        "requires_non_local",
        "two_term_limited",
        "management_tier",
        "is_generic",
        "display_order",
    ),
}
ORG_UNIT_EDITABLE_FIELDS = (
    "code",
    "name",
    "level",
    "sector",
    "locality",
    "parent",
    "email",
    "requires_consultation_answers",
    "valid_from",
    "valid_to",
)
POSITION_EDITABLE_FIELDS = (
    "org_unit",
    "post_type",
    "title",
    *POST_TYPE_FLAGS,
    "allowance",
    "display_order",
    "is_active",
)


def _check_fields(model: type[Model], fields: dict, editable: tuple[str, ...]) -> None:
    unknown = set(fields) - set(editable)
    if unknown:
        raise TypeError(f"{model.__name__} write got unexpected fields: {sorted(unknown)}")


def _tree_error(record, parent) -> ValidationError | None:
    """A node placed under itself or one of its own descendants."""
    if parent is None or record.pk is None:
        return None
    if parent.pk == record.pk or parent.is_descendant_of(record):
        return ValidationError(
            {"parent": _("Không thể đặt đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó.")}
        )
    return None


def _depth_error(record, parent) -> ValidationError | None:
    """The tree's paths (9 characters a level) would not fit their column under ``parent``."""
    limit = type(record)._meta.get_field("path").max_length
    prefix = len(parent.path) if parent is not None else 0
    below = 0
    if record.pk is not None and record.path:
        deepest = (
            type(record)
            .objects.filter(path__startswith=record.path)
            .aggregate(deepest=Max(Length("path")))["deepest"]
        )
        below = (deepest or len(record.path)) - len(record.path)
    if prefix + 9 + below > limit:
        return ValidationError(
            {"parent": _("Không đặt được: cây đơn vị sẽ quá %(n)d cấp.") % {"n": limit // 9}}
        )
    return None


def _locked_parent(record, parent):
    """The record and its new parent locked (in id order), the parent read afresh: two
    moves at once cannot each place one unit under the other."""
    if parent is None:
        return None
    ids = sorted({parent.pk, *([record.pk] if record.pk else [])})
    locked = {row.pk: row for row in type(record).objects.select_for_update().filter(pk__in=ids)}
    return locked.get(parent.pk, parent)


@transaction.atomic
def _save(record, fields: dict):
    """``fields`` set on ``record``, checked by the model, saved (a concurrent write that
    took the same code answers as the check would have)."""
    if "parent" in fields:
        fields = {**fields, "parent": _locked_parent(record, fields["parent"])}
        for error in (
            _tree_error(record, fields["parent"]),
            _depth_error(record, fields["parent"]),
        ):
            if error is not None:
                raise error
    for name, value in fields.items():
        setattr(record, name, value)
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        record.validate_unique()  # names the field another write took meanwhile
        raise ValidationError(_("Không lưu được: dữ liệu vừa bị thay đổi, hãy thử lại.")) from error
    return record


# --- reference tables ------------------------------------------------------------------------


def reference_create(*, model: type[Model], by=None, **fields):
    """A new locality, sector or post type (administrators)."""
    require_role(by, Role.ADMINISTRATOR)
    _check_fields(model, fields, REFERENCE_EDITABLE_FIELDS[model])
    return _save(model(), fields)


def reference_update(record, *, by=None, **changes):
    """A locality, sector or post type changed (administrators)."""
    require_role(by, Role.ADMINISTRATOR)
    _check_fields(type(record), changes, REFERENCE_EDITABLE_FIELDS[type(record)])
    return _save(record, changes)


# --- units -----------------------------------------------------------------------------------


def _in_scope(by, unit: OrgUnit) -> bool:
    """``unit`` lies in the subtree of ``by``'s scope: the units a user writes (the
    predecessors of their units are read for their history, never written)."""
    if by is None:
        return True
    path = scope_path_of(by)
    return path is not None and OrgUnit.objects.filter(pk=unit.pk, path__startswith=path).exists()


def _outside_message() -> str:
    return _("Đơn vị này nằm ngoài phạm vi quản lý của bạn: chỉ xem được, không sửa được.")


def _check_parent(by, unit: OrgUnit, parent: OrgUnit | None) -> None:
    if by is None or by.is_superuser:
        return
    if unit.pk is not None and unit.pk == by.scope_id:
        if parent != unit.parent:
            raise ValidationError(
                {"parent": _("Không chuyển được đơn vị gốc của phạm vi quản lý của chính bạn.")}
            )
        return
    if parent is None:
        raise ValidationError(
            {"parent": _("Cần chọn cơ quan cấp trên thuộc phạm vi quản lý của bạn.")}
        )
    if not _in_scope(by, parent):
        raise ValidationError(
            {"parent": _("Cơ quan cấp trên đã chọn nằm ngoài phạm vi quản lý của bạn.")}
        )


def _check_postings_inside(unit: OrgUnit) -> None:
    """Every posting held in the unit starts while the unit exists (units end, postings
    keep the unit they were held in: its validity cannot be narrowed past them)."""
    if unit.pk is None or (unit.valid_from is None and unit.valid_to is None):
        return
    outside = Q()
    if unit.valid_from is not None:
        outside |= Q(start_date__lt=unit.valid_from)
    if unit.valid_to is not None:
        outside |= Q(start_date__gt=unit.valid_to)
    first = Posting.objects.filter(outside, org_unit=unit).aggregate(day=Min("start_date"))["day"]
    if first is not None:
        raise ValidationError(
            _(
                "Đơn vị có vị trí công tác bắt đầu ngày %(day)s, ngoài thời gian hiệu lực "
                "mới; sửa vị trí công tác đó trước, hoặc dùng chức năng sắp xếp tổ chức."
            )
            % {"day": format_day(first)}
        )


@transaction.atomic
def org_unit_create(*, by=None, **fields) -> OrgUnit:
    """A new unit; a scoped user's hangs under a unit of that user's scope."""
    require_role(by, Role.OFFICER)
    _check_fields(OrgUnit, fields, ORG_UNIT_EDITABLE_FIELDS)
    unit = OrgUnit()
    _check_parent(by, unit, fields.get("parent"))
    return _save(unit, fields)


@transaction.atomic
def org_unit_update(*, unit: OrgUnit, by=None, **changes) -> OrgUnit:
    """A unit of the scope changed; its postings stay inside its validity."""
    require_role(by, Role.OFFICER)
    _check_fields(OrgUnit, changes, ORG_UNIT_EDITABLE_FIELDS)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if not _in_scope(by, unit):
        raise ValidationError(_outside_message())
    if "parent" in changes:
        _check_parent(by, unit, changes["parent"])
    own_root = by is not None and not by.is_superuser and unit.pk == by.scope_id
    for name in ("valid_from", "valid_to"):
        if own_root and name in changes and changes[name] != getattr(unit, name):
            raise ValidationError(
                {
                    name: _(
                        "Không đổi được thời gian hiệu lực của đơn vị gốc của phạm vi quản lý "
                        "của chính bạn."
                    )
                }
            )
    for name in ("valid_from", "valid_to"):
        if name in changes:
            setattr(unit, name, changes[name])
    _check_postings_inside(unit)
    before = (unit.path, unit.level)
    unit = _save(unit, changes)
    if (unit.path, unit.level) != before:
        org_unit_restructured.send(sender=OrgUnit, unit=unit)
    return unit


# --- positions -------------------------------------------------------------------------------


def _check_position_unit(by, org_unit: OrgUnit | None) -> None:
    if org_unit is not None and not _in_scope(by, org_unit):
        raise ValidationError(
            {"org_unit": _("Cơ quan, đơn vị đã chọn nằm ngoài phạm vi quản lý của bạn.")}
        )


def position_take_type_flags(*, position: Position, keep=()) -> Position:
    """Set a new position's flags (kind, key, non-local, management tier) from its post
    type, except those named in ``keep`` (set on the position itself)."""
    for name in POST_TYPE_FLAGS:
        if name not in keep:
            setattr(position, name, getattr(position.post_type, name))
    return position


@transaction.atomic
def position_create(*, by=None, **fields) -> Position:
    """A new position in a unit of the scope; the flags not given are its post type's."""
    require_role(by, Role.OFFICER)
    _check_fields(Position, fields, POSITION_EDITABLE_FIELDS)
    _check_position_unit(by, fields.get("org_unit"))
    position = Position(**fields)
    if position.post_type_id is not None:
        keep = [name for name in POST_TYPE_FLAGS if name in fields]
        position_take_type_flags(position=position, keep=keep)
    return _save(position, {})


@transaction.atomic
def position_update(*, position: Position, by=None, **changes) -> Position:
    """A position of the scope changed (moved only to a unit of the scope)."""
    require_role(by, Role.OFFICER)
    _check_fields(Position, changes, POSITION_EDITABLE_FIELDS)
    stored = Position.objects.select_related("org_unit").get(pk=position.pk)
    if not _in_scope(by, stored.org_unit):
        raise ValidationError(_outside_message())
    if "org_unit" in changes:
        _check_position_unit(by, changes["org_unit"])
    return _save(position, changes)
