"""The receiving side's evaluations of a rotated cadre (DOMAIN.md rule 8)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_role
from accounts.choices import Role

from .choices import (
    ReviewPeriod,
)
from .models import Movement, RotationReview


def _validate_review(review: RotationReview) -> None:
    """A review of an applied rotation, for a year of the rotation, once per period and year."""
    movement = review.movement
    if movement.applied_at is None:
        raise ValidationError(_("Chỉ đánh giá cán bộ khi lượt luân chuyển đã được thi hành."))
    last_year = (movement.ended_on or timezone.localdate()).year
    if not movement.effective_on.year <= review.year <= last_year:
        raise ValidationError(
            {
                "year": _("Năm đánh giá phải trong thời gian luân chuyển (%(a)d–%(b)d).")
                % {"a": movement.effective_on.year, "b": last_year}
            }
        )
    if review.period not in ReviewPeriod.values:
        raise ValidationError({"period": _("Chưa chọn kỳ đánh giá.")})
    taken = RotationReview.objects.filter(
        movement=movement, period=review.period, year=review.year
    ).exclude(pk=review.pk)
    if taken.exists():
        raise ValidationError(_("Đã có đánh giá của kỳ này."))
    review.full_clean()


@transaction.atomic
def review_record(
    *, movement: Movement, period: str, year: int, rating: str, text: str = "", by=None
) -> RotationReview:
    """The receiving side's yearly or final evaluation of a rotated cadre (rule 8)."""
    require_role(by, Role.OFFICER)
    review = RotationReview(
        movement=Movement.objects.get(pk=movement.pk),
        period=period,
        year=year,
        rating=rating,
        text=text,
        recorded_by=by,
    )
    _validate_review(review)
    review.save()
    return review


REVIEW_EDITABLE_FIELDS = frozenset({"period", "year", "rating", "text"})


@transaction.atomic
def review_update(*, review: RotationReview, by=None, **changes) -> RotationReview:
    """Correct a review: the rules of ``review_record`` apply (the rotation it belongs to
    does not change)."""
    require_role(by, Role.OFFICER)
    unknown = set(changes) - REVIEW_EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"review_update got unexpected fields: {sorted(unknown)}")
    review = RotationReview.objects.select_for_update().select_related("movement").get(pk=review.pk)
    for field, value in changes.items():
        setattr(review, field, value)
    _validate_review(review)
    review.save(update_fields=sorted(changes) or None)
    return review
