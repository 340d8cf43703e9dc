"""Writes of personnel records that carry rules: the postings of an official.

No two primary postings of one official overlap (DOMAIN.md: exactly one primary
posting at a time). Every write locks the official's row, so two concurrent writes
for one official are serialized and the check sees the other's result; on
PostgreSQL the exclusion constraint ``posting_primary_no_overlap`` is the backstop.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role

from .choices import OfficialStatus
from .dates import is_sane, require_sane
from .models import Official, OrgUnit, Position, Posting, personal_id_mismatch
from .record_rules import (
    MIN_WORKING_AGE,
    left_on_errors,
    posting_errors,
    raise_errors,
    working_age_on,
)
from .selectors import current_primary_posting, overlapping_primary_postings
from .text import format_day
from .validity import not_valid_message


def _lock_official(official_id: int) -> Official:
    return Official.objects.select_for_update().get(pk=official_id)


def posting_check(
    *, start_date: dt.date | None, end_date: dt.date | None, position=None, org_unit=None
) -> None:
    """The rules of one posting by itself (the services and the inline rows of admin)."""
    if position is not None and org_unit is not None and org_unit.pk != position.org_unit_id:
        raise ValidationError(
            {"position": _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn.")}
        )
    if start_date is None:
        raise ValidationError({"start_date": _("Chưa nhập ngày bắt đầu.")})
    require_sane(start_date=start_date, end_date=end_date)
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    unit = org_unit if org_unit is not None else getattr(position, "org_unit", None)
    if unit is not None:
        _check_within_unit_validity(unit, start_date, end_date)


def _check_within_unit_validity(unit, start_date: dt.date, end_date: dt.date | None) -> None:
    """A posting starts while its unit exists (units end, they are not deleted).

    It may end after the unit did: an official whose post a reorganisation abolished
    keeps the posting, "to be placed", until a decision places them or they leave.
    """
    if not unit.is_valid_on(start_date):
        raise ValidationError({"start_date": not_valid_message(unit, start_date)})


def _validate_no_overlap(
    *, official_id: int, start_date, end_date, exclude_pk: int | None = None
) -> None:
    clash = overlapping_primary_postings(
        official_id=official_id, start_date=start_date, end_date=end_date, exclude_pk=exclude_pk
    ).first()
    if clash is not None:
        raise ValidationError(
            _(
                "Thời gian trùng với vị trí công tác chính “%(posting)s”. "
                "Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm; "
                "hãy kết thúc vị trí cũ trước hoặc ghi là kiêm nhiệm."
            )
            % {"posting": clash}
        )


def official_refresh_current(*, official_id: int) -> None:
    """Recompute the official's current posting and unit (derived, not in the history)."""
    posting = current_primary_posting(official_id)
    Official.objects.filter(pk=official_id).update(
        current_posting=posting, current_unit=posting.org_unit_id if posting else None
    )


@transaction.atomic
def posting_create(
    *,
    official: Official,
    title: str,
    start_date: dt.date,
    org_unit: OrgUnit | None = None,
    position: Position | None = None,
    end_date: dt.date | None = None,
    is_primary: bool = True,
    basis: str = "",
    from_decision: bool = False,
) -> Posting:
    """Record a posting of ``official``; refuses a primary posting that overlaps another,
    and one outside the official's working life (``record_rules.posting_errors``).

    ``from_decision``: the posting is opened by a movement taking effect (its start is the
    effective date, which a decision may set ahead); typed-in postings never start after
    today.
    """
    posting_check(start_date=start_date, end_date=end_date, position=position, org_unit=org_unit)
    if position is not None:
        org_unit = position.org_unit
    if org_unit is None:
        raise ValidationError({"org_unit": _("Chưa chọn cơ quan, đơn vị.")})
    if not (title or "").strip():
        title = position.title if position is not None else ""
    if not title:
        raise ValidationError({"title": _("Chưa nhập chức danh, công việc.")})
    locked = _lock_official(official.pk)
    raise_errors(
        posting_errors(
            official=locked,
            start_date=start_date,
            end_date=end_date,
            is_new=True,
            from_decision=from_decision,
            today=timezone.localdate(),
        )
    )
    if is_primary:
        _validate_no_overlap(official_id=official.pk, start_date=start_date, end_date=end_date)
    posting = Posting(
        official=official,
        position=position,
        org_unit=org_unit,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        is_primary=is_primary,
        basis=basis,
    )
    posting.full_clean(validate_constraints=False)
    posting.save()
    official_refresh_current(official_id=official.pk)
    return posting


POSTING_EDITABLE_FIELDS = frozenset(
    {"position", "org_unit", "title", "start_date", "end_date", "is_primary", "basis"}
)


@transaction.atomic
def posting_update(*, posting: Posting, **changes) -> Posting:
    """Change a posting's fields; the same rules as ``posting_create`` apply."""
    unknown = set(changes) - POSTING_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"posting_update got unexpected fields: {sorted(unknown)}")
    official = _lock_official(posting.official_id)
    for field, value in changes.items():
        setattr(posting, field, value)
    posting_check(
        start_date=posting.start_date,
        end_date=posting.end_date,
        position=posting.position,
        org_unit=posting.org_unit,
    )
    errors = posting_errors(
        official=official,
        start_date=posting.start_date,
        end_date=posting.end_date,
        is_new=False,
        # Only a start being changed is checked against today: closing a posting
        # opened ahead by a decision stays possible.
        from_decision="start_date" not in changes,
        today=timezone.localdate(),
    )
    raise_errors(errors)
    if posting.is_primary:
        _validate_no_overlap(
            official_id=posting.official_id,
            start_date=posting.start_date,
            end_date=posting.end_date,
            exclude_pk=posting.pk,
        )
    posting.full_clean(validate_constraints=False)
    posting.save()
    official_refresh_current(official_id=posting.official_id)
    return posting


def posting_close(*, posting: Posting, end_date: dt.date) -> Posting:
    """End a posting on ``end_date`` (its last day)."""
    if end_date is None:
        raise ValidationError({"end_date": _("Chưa nhập ngày kết thúc.")})
    return posting_update(posting=posting, end_date=end_date)


@transaction.atomic
def posting_delete(*, posting: Posting) -> None:
    official_id = posting.official_id
    _lock_official(official_id)
    posting.delete()
    official_refresh_current(official_id=official_id)


# --- officials -------------------------------------------------------------------

MIN_AGE, MAX_AGE = 18, 70

OFFICIAL_EDITABLE_FIELDS = frozenset(
    {
        "code",
        "personal_id",
        "full_name",
        "other_names",
        "gender",
        "date_of_birth",
        "birthplace",
        "hometown",
        "ethnicity",
        "religion",
        "home_address",
        "phone",
        "party_joined_on",
        "party_confirmed_on",
        "education_level",
        "major",
        "political_theory",
        "state_management",
        "management_tier",
        "status",
        "left_on",
        "notes",
    }
)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


def _adult_on(date_of_birth: dt.date) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + MIN_AGE)
    except ValueError:  # born on 29 February
        return date_of_birth.replace(year=date_of_birth.year + MIN_AGE, day=28)


def normalise_personal_id(value: str | None) -> str | None:
    """Spaces and dots typed between the digits dropped; blank is None (not known)."""
    text = "".join((value or "").replace(".", " ").split())
    return text or None


def normalise_phone(value: str | None) -> str:
    """Separators dropped, and +84 written as the national 0: "+84 912.345.678" → "0912345678"."""
    text = "".join(ch for ch in (value or "") if ch not in " .-()\t")
    if text.startswith("+84") and text[3:].isdigit() and len(text) == 12:
        text = "0" + text[3:]
    return text


def official_validate(official: Official, *, today: dt.date | None = None) -> None:
    """The profile rules of form 2C: plausible age, Party dates in order, a personal
    identification number that fits the gender and year of birth; errors by field."""
    today = today or timezone.localdate()
    # Out-of-range dates first: nothing below is computed from them.
    require_sane(
        date_of_birth=official.date_of_birth,
        left_on=official.left_on,
        party_joined_on=official.party_joined_on,
        party_confirmed_on=official.party_confirmed_on,
    )
    errors: dict[str, str] = {}
    mismatch = personal_id_mismatch(official.personal_id, official.gender, official.date_of_birth)
    if mismatch:
        errors["personal_id"] = mismatch
    born = official.date_of_birth
    if born is not None:
        age = age_on(born, today)
        if born > today:
            errors["date_of_birth"] = _("Ngày sinh không được sau ngày hôm nay.")
        elif age < MIN_AGE:
            errors["date_of_birth"] = _(
                "Cán bộ phải đủ %(min)d tuổi; theo ngày sinh đã nhập, cán bộ mới %(age)d tuổi."
            ) % {"min": MIN_AGE, "age": age}
        elif age > MAX_AGE and official.status == OfficialStatus.ACTIVE:
            errors["date_of_birth"] = _(
                "Cán bộ đang công tác không quá %(max)d tuổi; theo ngày sinh đã nhập, cán bộ "
                "%(age)d tuổi. Nếu cán bộ đã nghỉ hưu, hãy chọn lại tình trạng."
            ) % {"max": MAX_AGE, "age": age}
    joined, confirmed = official.party_joined_on, official.party_confirmed_on
    for field, day in (("party_joined_on", joined), ("party_confirmed_on", confirmed)):
        if day is None:
            continue
        if day > today:
            errors[field] = _("Ngày này không được sau ngày hôm nay.")
        elif born is not None and born <= today and day < _adult_on(born):
            errors[field] = _("Ngày này phải từ khi cán bộ đủ %(min)d tuổi (%(date)s) trở đi.") % {
                "min": MIN_AGE,
                "date": format_day(_adult_on(born)),
            }
    for field, message in left_on_errors(official=official, today=today).items():
        errors.setdefault(field, message)
    if confirmed is not None and "party_confirmed_on" not in errors:
        if joined is None:
            errors["party_joined_on"] = _("Đã có ngày chính thức thì phải nhập ngày vào Đảng.")
        elif confirmed <= joined:
            errors["party_confirmed_on"] = _("Ngày chính thức phải sau ngày vào Đảng.")
    if errors:
        raise ValidationError(errors)


def _validate_code_unique(official: Official) -> None:
    code = (official.code or "").strip()
    clash = Official.objects.filter(code__iexact=code).exclude(pk=official.pk)
    if code and clash.exists():
        raise ValidationError(
            {"code": _("Số hiệu hồ sơ “%(code)s” đã được dùng cho cán bộ khác.") % {"code": code}}
        )


def _personal_id_clash(official: Official) -> ValidationError | None:
    number = official.personal_id
    if number and Official.objects.filter(personal_id=number).exclude(pk=official.pk).exists():
        return ValidationError(
            {
                "personal_id": _(
                    "Số định danh cá nhân %(number)s đã có trong hồ sơ cán bộ khác; "
                    "mỗi người chỉ có một hồ sơ."
                )
                % {"number": number}
            }
        )
    return None


def _save_official(official: Official, update_fields: list[str] | None = None) -> Official:
    official.code = (official.code or "").strip()
    official.full_name = " ".join((official.full_name or "").split())
    official.personal_id = normalise_personal_id(official.personal_id)
    official.phone = normalise_phone(official.phone)
    official.home_address = " ".join((official.home_address or "").split())
    _validate_code_unique(official)
    clash = _personal_id_clash(official)
    if clash is not None:
        raise clash
    official_validate(official)
    official.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            official.save(update_fields=update_fields)
    except IntegrityError as error:  # a concurrent write took the code or the number
        raise _personal_id_clash(official) or ValidationError(
            {
                "code": _("Số hiệu hồ sơ “%(code)s” đã được dùng cho cán bộ khác.")
                % {"code": official.code}
            }
        ) from error
    return official


def _require_unit_in_scope(by, org_unit: OrgUnit | None) -> None:
    if by is None or org_unit is None:
        return
    if not OrgUnit.objects.for_user(by).filter(pk=org_unit.pk).exists():
        raise ValidationError(
            {"org_unit": _("Cơ quan, đơn vị đã chọn nằm ngoài phạm vi quản lý của bạn.")}
        )


@transaction.atomic
def official_create(*, first_posting: dict | None, by=None, **fields) -> Official:
    """A new official with the first posting (``posting_create`` arguments), so the record
    lands inside the creator's scope; ``by`` (None: the system) must be an officer.

    Without a first posting the record lies outside every scope but the whole system's:
    only the system or a superuser (admin, adding the postings beside it) creates one.
    """
    require_role(by, Role.OFFICER)
    unknown = set(fields) - OFFICIAL_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"official_create got unexpected fields: {sorted(unknown)}")
    if first_posting is None:
        if by is not None and not by.is_superuser:
            raise ValidationError(
                _("Cần nhập vị trí công tác đầu tiên để hồ sơ thuộc phạm vi quản lý của bạn.")
            )
        first_posting = {}
    unit = first_posting.get("org_unit")
    position = first_posting.get("position")
    _require_unit_in_scope(by, position.org_unit if position is not None else unit)
    official = _save_official(Official(**fields))
    if first_posting:
        posting_create(official=official, **first_posting)
    official.refresh_from_db()
    return official


def _check_postings_within_life(official: Official) -> None:
    """A new date of birth or leaving day keeps every recorded posting inside the
    official's working life (the postings are not moved along with it)."""
    errors: dict[str, str] = {}
    born = official.date_of_birth
    # A birth date that is itself wrong gets its own message from ``official_validate``.
    if born is not None and is_sane(born) and born <= timezone.localdate():
        first = official.postings.order_by("start_date", "id").first()
        if first is not None and first.start_date < working_age_on(born):
            errors["date_of_birth"] = _(
                "Theo ngày sinh này, vị trí công tác “%(posting)s” bắt đầu trước khi cán bộ "
                "đủ %(age)d tuổi (%(start)s); hãy sửa vị trí công tác trước."
            ) % {
                "posting": first,
                "age": MIN_WORKING_AGE,
                "start": format_day(working_age_on(born)),
            }
    left_on = official.left_on
    if left_on is not None and is_sane(left_on):
        later = official.postings.filter(start_date__gt=left_on).order_by("start_date").first()
        if later is not None:
            errors["left_on"] = _(
                "Vị trí công tác “%(posting)s” bắt đầu sau ngày thôi công tác này."
            ) % {"posting": later}
    raise_errors(errors)


@transaction.atomic
def official_update(*, official: Official, by=None, **changes) -> Official:
    """Change the profile fields of ``official``; the same rules as ``official_create``."""
    require_role(by, Role.OFFICER)
    unknown = set(changes) - OFFICIAL_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"official_update got unexpected fields: {sorted(unknown)}")
    # Work on the row as it is now (a movement may have changed the derived current
    # posting meanwhile) and write only the profile fields.
    fresh = _lock_official(official.pk)
    for field, value in changes.items():
        setattr(fresh, field, value)
    if {"date_of_birth", "left_on"} & set(changes):
        _check_postings_within_life(fresh)
    _save_official(fresh, update_fields=[*changes, "search_key"])
    official.refresh_from_db()
    return official
