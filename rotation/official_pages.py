"""Rotation on the officials pages: the "rotated" badge and filters of the list, and an
official's movements, pending findings and alerts on the page.

Registered with personnel's extension point (``personnel.extensions``) when the rotation
app loads; personnel never imports this module. The markup is rotation's own partials,
which personnel's templates include by name.
"""

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from personnel.extensions import OFFICIAL_PAGES
from personnel.filters import YES_CHOICES, OfficialFilterSet

from .choices import DecisionStatus
from .models import Alert, Movement
from .selectors import ending_soon_rotations, missing_review_rotations, overdue_rotations

#: rotation's partials on an official's page (personnel includes them by these names)
ATTENTION_TEMPLATE = "rotation/partials/official_attention.html"
MOVEMENT_TEMPLATE = "rotation/partials/official_timeline_movement.html"

ENDING_SOON, OVERDUE, MISSING_REVIEW = "ending_soon", "overdue", "missing_review"
ROTATION_STATES = [
    (ENDING_SOON, _("Sắp hết thời hạn luân chuyển")),
    (OVERDUE, _("Quá hạn luân chuyển")),
    (MISSING_REVIEW, _("Thiếu đánh giá hằng năm")),
]


def annotate_rotated(queryset: QuerySet) -> QuerySet:
    """Adds ``is_rotated``: the official is serving a rotation now (one subquery, no join)."""
    return queryset.annotate(
        is_rotated=Exists(Movement.objects.serving().filter(official_id=OuterRef("pk")))
    )


def mark_rotated(officials: list) -> None:
    """Sets ``is_rotated`` on one page's officials: one query for the page's ids."""
    serving = (
        set(
            Movement.objects.serving()
            .filter(official_id__in=[official.pk for official in officials])
            .values_list("official_id", flat=True)
        )
        if officials
        else set()
    )
    for official in officials:
        official.is_rotated = official.pk in serving


STATE_SELECTORS = {
    ENDING_SOON: ending_soon_rotations,
    OVERDUE: overdue_rotations,
    MISSING_REVIEW: missing_review_rotations,
}


class OfficialRotationFilter(OfficialFilterSet):
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
        serving = Movement.objects.serving().filter(official_id=OuterRef("pk"))
        return queryset.filter(Exists(serving))

    def filter_rotation_state(self, queryset, name, value):
        movements = STATE_SELECTORS[value](self.today)
        return queryset.filter(Exists(movements.filter(official_id=OuterRef("pk"))))


def official_page_context(official, user) -> dict:
    """Movements of the official on the timeline (newest first), the findings of those not
    yet applied, and the official's open alerts: three queries whatever their number."""
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
    return {
        "timeline": [("movement", m.effective_on, m) for m in movements],
        "pending_findings": [(m, m.findings) for m in pending if m.findings],
        "alerts": list(Alert.objects.open().filter(official=official)),
    }


def register() -> None:
    """Join personnel's officials pages (called once, from ``RotationConfig.ready``)."""
    OFFICIAL_PAGES.list_filterset = OfficialRotationFilter
    if annotate_rotated not in OFFICIAL_PAGES.list_annotations:
        OFFICIAL_PAGES.list_annotations.append(annotate_rotated)
    if mark_rotated not in OFFICIAL_PAGES.page_annotations:
        OFFICIAL_PAGES.page_annotations.append(mark_rotated)
    for name in ("rotated", "rotation_state"):
        if name not in OFFICIAL_PAGES.list_filters:
            OFFICIAL_PAGES.list_filters.append(name)
    if official_page_context not in OFFICIAL_PAGES.page_context:
        OFFICIAL_PAGES.page_context.append(official_page_context)
    if ATTENTION_TEMPLATE not in OFFICIAL_PAGES.page_sections:
        OFFICIAL_PAGES.page_sections.append(ATTENTION_TEMPLATE)
    OFFICIAL_PAGES.timeline_templates["movement"] = MOVEMENT_TEMPLATE
