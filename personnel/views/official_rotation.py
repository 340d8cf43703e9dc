"""Rotation facts shown on the officials pages: the "rotated" badge and filters, movements.

personnel's models, services and selectors never import the rotation app (rotation
depends on personnel, not the reverse). The web layer of personnel does show rotation
facts, so this module imports rotation lazily, inside each function: loading
personnel never loads rotation, and the dependency stays in the pages that need it.
"""

import datetime as dt

import django_filters
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from ..filters import YES_CHOICES, OfficialFilterSet

ENDING_SOON, OVERDUE, MISSING_REVIEW = "ending_soon", "overdue", "missing_review"
ROTATION_STATES = [
    (ENDING_SOON, _("Sắp hết thời hạn luân chuyển")),
    (OVERDUE, _("Quá hạn luân chuyển")),
    (MISSING_REVIEW, _("Thiếu đánh giá hằng năm")),
]


def serving_rotations():
    from rotation.models import Movement  # lazy: see the module docstring

    return Movement.objects.serving()


def annotate_rotated(queryset: QuerySet) -> QuerySet:
    """Adds ``is_rotated``: the official is serving a rotation now (one subquery, no join)."""
    return queryset.annotate(
        is_rotated=Exists(serving_rotations().filter(official_id=OuterRef("pk")))
    )


def rotations_in_state(state: str, today: dt.date) -> QuerySet:
    """Serving rotations ending within the warning horizon, overdue, or missing a yearly review."""
    from rotation import rules  # lazy: see the module docstring
    from rotation.choices import ReviewPeriod
    from rotation.models import RotationReview

    serving = serving_rotations()
    if state == ENDING_SOON:
        horizon = today + dt.timedelta(days=rules.parameters().ending_soon_days)
        return serving.filter(expected_end_on__gte=today, expected_end_on__lte=horizon)
    if state == OVERDUE:
        return serving.filter(expected_end_on__lt=today)
    # A yearly review is due for each finished year the rotation was in effect on
    # 31 December (as rotation.jobs.missing_reviews): fewer reviews than years is missing.
    reviews = (
        RotationReview.objects.filter(
            movement_id=OuterRef("pk"),
            period=ReviewPeriod.ANNUAL,
            year__gte=ExtractYear(OuterRef("effective_on")),
            year__lt=today.year,
        )
        .order_by()
        .values("movement_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        serving.filter(effective_on__lt=dt.date(today.year, 1, 1))
        .annotate(
            reviews_done=Coalesce(Subquery(reviews, output_field=IntegerField()), Value(0)),
            reviews_due=Value(today.year) - ExtractYear("effective_on"),
        )
        .filter(reviews_done__lt=F("reviews_due"))
    )


class OfficialListFilter(OfficialFilterSet):
    """The officials FilterSet with the rotation filters of the contract (rotated, rotation_state)."""

    rotated = django_filters.ChoiceFilter(
        label=_("Đang luân chuyển"),
        choices=YES_CHOICES,
        method="filter_rotated",
        empty_label=_("Tất cả"),
    )
    rotation_state = django_filters.ChoiceFilter(
        label=_("Tình trạng luân chuyển"),
        choices=ROTATION_STATES,
        method="filter_rotation_state",
        empty_label=_("Tất cả"),
    )

    def filter_rotated(self, queryset, name, value):
        return queryset.filter(Exists(serving_rotations().filter(official_id=OuterRef("pk"))))

    def filter_rotation_state(self, queryset, name, value):
        movements = rotations_in_state(value, self.today)
        return queryset.filter(Exists(movements.filter(official_id=OuterRef("pk"))))


def rotation_facts(official, user) -> dict:
    """Movements of the official (newest first), the findings of those not yet applied,
    and the official's open alerts: three queries whatever their number."""
    from rotation.choices import DecisionStatus  # lazy: see the module docstring
    from rotation.models import Alert, Movement

    movements = list(
        Movement.objects.for_user(user)
        .filter(official=official)
        .select_related("decision", "to_position__org_unit", "from_posting__org_unit")
        .order_by("-effective_on", "-id")
    )
    pending = [
        m
        for m in movements
        if m.applied_at is None and m.decision.status != DecisionStatus.CANCELLED
    ]
    alerts = list(Alert.objects.open().filter(official=official))
    return {
        "movements": movements,
        "pending_findings": [(m, m.findings) for m in pending if m.findings],
        "alerts": alerts,
    }
