"""Reading one official: the profile page and the printable CV (form 2C). Both are audited."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from accounts.access import StaffRequiredMixin, get_scoped_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent

from ..extensions import official_page_context, timeline_template
from ..masking import can_see_personal_data, personal_fields_for
from ..models import Official
from ..selectors_history import HISTORY_LIMIT, HISTORY_MAX, official_history
from ..services import age_on
from ..successions import declared_and_today

CV_EVALUATION_YEARS = 5


def history_limit(request) -> int:
    """How many changes the profile lists (``?history=``, "xem thêm" adds more)."""
    text = request.GET.get("history", "")
    if text.isascii() and text.isdigit() and len(text) <= 4:
        return max(HISTORY_LIMIT, min(int(text), HISTORY_MAX))
    return HISTORY_LIMIT


def load_official(user, pk: int) -> Official:
    """The official with what the profile header shows, or 404 outside the user's scope."""
    queryset = Official.objects.select_related(
        "birthplace",
        "hometown",
        "current_unit",
        "current_posting__position",
        "current_posting__org_unit",
    )
    return get_scoped_or_404(queryset, user, pk=pk)


@dataclass(frozen=True)
class TimelineEntry:
    """A posting, or an entry another app adds (a movement), on the official's timeline."""

    kind: str  # "posting", or a kind registered in ``OFFICIAL_PAGES.timeline_templates``
    date: dt.date
    item: Any

    @property
    def is_posting(self) -> bool:
        return self.kind == "posting"

    @property
    def template(self) -> str:
        """The registering app's partial for this entry (postings are personnel's own)."""
        return timeline_template(self.kind)


def personal_context(user, official: Official) -> dict:
    """The personal data fields as this user may see them (templates never read them raw)."""
    return {
        "personal": personal_fields_for(user, official),
        "personal_masked": not can_see_personal_data(user),
    }


def build_timeline(postings, others) -> list[TimelineEntry]:
    """Postings (primary and concurrent) and the entries other apps add (movements),
    together, newest first."""
    entries = [TimelineEntry("posting", p.start_date, p) for p in postings]
    entries += [TimelineEntry(kind, day, item) for kind, day, item in others]
    # On the same day the decision's entry comes before the posting it opened.
    return sorted(entries, key=lambda e: (e.date, not e.is_posting, e.item.pk), reverse=True)


class OfficialDetailView(StaffRequiredMixin, TemplateView):
    template_name = "personnel/official_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        official = load_official(user, self.kwargs["pk"])
        postings = list(official.postings.select_related("org_unit", "position"))
        added = official_page_context(official, user)
        audit_record(user=user, action=AuditEvent.Action.VIEW_PROFILE, obj=official)
        today = timezone.localdate()
        limit = history_limit(self.request)
        history, more_history = official_history(official=official, user=user, limit=limit)
        return super().get_context_data(
            official=official,
            age=age_on(official.date_of_birth, today),
            timeline=build_timeline(postings, added.pop("timeline")),
            trainings=list(official.trainings.all()),
            evaluations=list(official.evaluations.all()),
            planning=list(official.planning.select_related("position__org_unit")),
            disciplines=list(official.disciplines.all()),
            rewards=list(official.rewards.all()),
            history=history,
            more_history_limit=(
                min(limit + HISTORY_LIMIT, HISTORY_MAX)
                if more_history and limit < HISTORY_MAX
                else None
            ),
            **added,
            **personal_context(user, official),
            **kwargs,
        )


class OfficialCvView(StaffRequiredMixin, TemplateView):
    """Sơ yếu lý lịch (form 2C) as a printable page."""

    template_name = "personnel/official_cv.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        official = load_official(user, self.kwargs["pk"])
        postings = list(
            official.postings.select_related("org_unit").order_by("start_date", "-is_primary", "id")
        )
        trainings = list(official.trainings.order_by("start_date", "id"))
        evaluations = list(official.evaluations.order_by("-year")[:CV_EVALUATION_YEARS])
        audit_record(user=user, action=AuditEvent.Action.VIEW_CV, obj=official)
        return super().get_context_data(
            official=official,
            birthplace=declared_and_today(official.birthplace),
            hometown=declared_and_today(official.hometown),
            postings=postings,
            trainings=trainings,
            evaluations=evaluations,
            printed_on=timezone.localdate(),
            **personal_context(user, official),
            **kwargs,
        )
