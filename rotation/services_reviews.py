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


@transaction.atomic
def review_record(
    *, movement: Movement, period: str, year: int, rating: str, text: str = "", by=None
) -> RotationReview:
    """The receiving side's yearly or final evaluation of a rotated cadre (rule 8)."""
    require_role(by, Role.OFFICER)
    movement = Movement.objects.get(pk=movement.pk)
    if movement.applied_at is None:
        raise ValidationError(_("Chỉ đánh giá cán bộ khi lượt luân chuyển đã được thi hành."))
    last_year = (movement.ended_on or timezone.localdate()).year
    if not movement.effective_on.year <= year <= last_year:
        raise ValidationError(
            {
                "year": _("Năm đánh giá phải trong thời gian luân chuyển (%(a)d–%(b)d).")
                % {"a": movement.effective_on.year, "b": last_year}
            }
        )
    if period not in ReviewPeriod.values:
        raise ValidationError({"period": _("Chưa chọn kỳ đánh giá.")})
    if RotationReview.objects.filter(movement=movement, period=period, year=year).exists():
        raise ValidationError(_("Đã có đánh giá của kỳ này."))
    review = RotationReview(
        movement=movement, period=period, year=year, rating=rating, text=text, recorded_by=by
    )
    review.full_clean()
    review.save()
    return review
