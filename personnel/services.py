"""Writes of personnel records that carry rules: the postings of an official.

No two primary postings of one official overlap (DOMAIN.md: exactly one primary
posting at a time). Every write locks the official's row, so two concurrent writes
for one official are serialized and the check sees the other's result; on
PostgreSQL the exclusion constraint ``posting_primary_no_overlap`` is the backstop.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Official, OrgUnit, Position, Posting
from .selectors import current_primary_posting, overlapping_primary_postings


def _lock_official(official_id: int) -> Official:
    return Official.objects.select_for_update().get(pk=official_id)


def _validate_dates(start_date: dt.date, end_date: dt.date | None) -> None:
    if start_date is None:
        raise ValidationError({"start_date": _("Chưa nhập ngày bắt đầu.")})
    if end_date is not None and end_date <= start_date:
        raise ValidationError({"end_date": _("Ngày kết thúc phải sau ngày bắt đầu.")})


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
) -> Posting:
    """Record a posting of ``official``; refuses a primary posting that overlaps another."""
    if position is not None:
        if org_unit is not None and org_unit.pk != position.org_unit_id:
            raise ValidationError(
                {"position": _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn.")}
            )
        org_unit = position.org_unit
    if org_unit is None:
        raise ValidationError({"org_unit": _("Chưa chọn cơ quan, đơn vị.")})
    if not (title or "").strip():
        title = position.title if position is not None else ""
    if not title:
        raise ValidationError({"title": _("Chưa nhập chức danh, công việc.")})
    _validate_dates(start_date, end_date)
    _lock_official(official.pk)
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
    _lock_official(posting.official_id)
    for field, value in changes.items():
        setattr(posting, field, value)
    if posting.position_id is not None and posting.org_unit_id != posting.position.org_unit_id:
        raise ValidationError(
            {"position": _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn.")}
        )
    _validate_dates(posting.start_date, posting.end_date)
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
