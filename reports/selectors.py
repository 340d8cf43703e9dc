"""Reads behind the staff pages of reports: dashboard figures, runs, subscriptions."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from personnel.models import OrgUnit
from rotation import rules
from rotation.choices import DecisionStatus
from rotation.models import Alert, Consultation
from rotation.selectors import missing_review_rotations, scope_q, serving_on
from rotation.snapshots import FIGURES as SNAPSHOT_FIGURES
from rotation.snapshots import snapshot_of

from . import periods, registry
from .models import Delivery, DeliveryAttempt, ReportRun, Subscription

NEWEST_ALERTS = 5
#: open alerts counted exactly up to this many; past it the dashboard says "more than"
OPEN_ALERTS_CAP = 1000


def dashboard_scopes(user) -> list[OrgUnit]:
    """The units a user may take the dashboard for: their scope, or (superusers) every root."""
    if user.is_superuser:
        return list(OrgUnit.objects.filter(parent=None).order_by("path"))
    scope = getattr(user, "scope", None)
    return [scope] if scope is not None and scope.is_current else []


def dashboard_scope(user, requested: str | None = None) -> OrgUnit | None:
    """The unit the dashboard shows: a superuser may pick a root with ``?scope=``."""
    scopes = dashboard_scopes(user)
    for unit in scopes:
        if requested and str(unit.pk) == requested:
            return unit
    return scopes[0] if scopes else None


@dataclass
class Dashboard:
    scope: OrgUnit
    today: dt.date
    term: periods.Term
    rotated: dict  # the rotation_summary result for this term to date
    serving: int = 0
    ending_soon: int = 0
    overdue: int = 0
    missing_reviews: int = 0
    ending_soon_days: int = 90
    pending_decisions: int = 0
    pending_consultations: int = 0
    open_alerts: int = 0
    open_alerts_cap: int = 1000  # ``open_alerts`` above it means "more than the cap"

    @property
    def open_alerts_more(self) -> bool:
        return self.open_alerts > self.open_alerts_cap

    newest_alerts: list = field(default_factory=list)
    #: when the daily job took the serving figures (None: computed for this page)
    figures_taken_at: dt.datetime | None = None


def _rotated_this_term(scope: OrgUnit, term: periods.Term, today: dt.date) -> dict:
    definition = registry.get("rotation_summary")
    context = registry.Context(scope, term.start, today, {"kind": "rotation"}, today)
    return definition.compute(context).as_dict()


def _cadres(condition: Q | None = None) -> Count:
    """Cadres (not movements) counted: one official rotated twice is one cadre."""
    return Count("official_id", distinct=True, filter=condition)


def _serving_in(scope: OrgUnit, today: dt.date) -> QuerySet:
    """Rotations being served by cadres who now work inside ``scope``.

    Counted by the cadre's current unit, as the officials list filters them (and as
    alerts are scoped): each number then equals the rows of the list it links to. A
    cadre rotated out of the scope works, and is counted, where they now serve.
    """
    return serving_on(scope=None, on=today).filter(scope_q(scope, "official__current_unit"))


def _serving_figures(scope: OrgUnit, today: dt.date, horizon: dt.date) -> dict:
    """Cadres serving a rotation, and those ending soon or overdue: one query."""
    return _serving_in(scope, today).aggregate(
        serving=_cadres(),
        ending_soon=_cadres(Q(expected_end_on__gte=today, expected_end_on__lte=horizon)),
        overdue=_cadres(Q(expected_end_on__lt=today)),
    )


def _missing_reviews(scope: OrgUnit, today: dt.date) -> int:
    """Cadres serving a rotation with a yearly review missing for a finished year (one query),
    by the rule the daily job and the officials list use."""
    missing = missing_review_rotations(today, serving=_serving_in(scope, today))
    return missing.order_by().aggregate(n=_cadres())["n"]


def _pending_consultations(user, scope: OrgUnit) -> dict:
    """Unanswered consultations of decisions being consulted on (and their decisions)."""
    return (
        Consultation.objects.for_user(user)
        .missing()
        .filter(decision__status=DecisionStatus.CONSULTING)
        .filter(scope_q(scope, "org_unit", "decision__issued_by"))
        .order_by()
        .aggregate(
            consultations=Count("id", distinct=True), decisions=Count("decision", distinct=True)
        )
    )


def open_alerts(user, scope: OrgUnit | None = None) -> QuerySet[Alert]:
    qs = Alert.objects.for_user(user).open()
    if scope is not None:
        qs = qs.filter(scope_q(scope, "official__current_unit"))
    return qs


def _day_figures(scope: OrgUnit, today: dt.date, days: int) -> tuple[dict, dt.datetime | None]:
    """Serving, ending soon, overdue and missing reviews: from the daily job's snapshot of
    the scope when there is one for today (and when it was taken), else computed now."""
    snapshot = snapshot_of(scope, today)
    if snapshot is not None:
        return {name: getattr(snapshot, name) for name in SNAPSHOT_FIGURES}, snapshot.taken_at
    figures = _serving_figures(scope, today, today + dt.timedelta(days=days))
    return {**figures, "missing_reviews": _missing_reviews(scope, today)}, None


def dashboard(user, scope: OrgUnit, today: dt.date) -> Dashboard:
    """Every figure of the dashboard, in a fixed number of queries whatever the data size."""
    params = rules.parameters()
    term = periods.term_on(today)
    day_figures, taken_at = _day_figures(scope, today, params.ending_soon_days)
    pending = _pending_consultations(user, scope)
    alerts = open_alerts(user, scope)
    return Dashboard(
        scope=scope,
        today=today,
        term=term,
        rotated=_rotated_this_term(scope, term, today),
        figures_taken_at=taken_at,
        ending_soon_days=params.ending_soon_days,
        pending_decisions=pending["decisions"],
        pending_consultations=pending["consultations"],
        open_alerts=min(alerts[: OPEN_ALERTS_CAP + 1].count(), OPEN_ALERTS_CAP + 1),
        open_alerts_cap=OPEN_ALERTS_CAP,
        newest_alerts=list(
            alerts.select_related("official").order_by("-raised_on", "-id")[:NEWEST_ALERTS]
        ),
        **day_figures,
    )


def chart_rows(result: dict | None) -> list[tuple]:
    """(label, value) pairs of a result's chart, for the table under the chart."""
    chart = (result or {}).get("chart") or {}
    return list(zip(chart.get("labels", []), chart.get("values", []), strict=False))


def recent_runs(user, limit: int = 10) -> list[ReportRun]:
    """The user's own newest runs inside their scope."""
    return list(
        ReportRun.objects.for_user(user)
        .filter(requested_by=user)
        .select_related("scope")
        .defer("result")
        .order_by("-created_at", "-id")[:limit]
    )


def delivery_history(delivery_ids) -> dict[int, list[DeliveryAttempt]]:
    """The attempts of each delivery (oldest first), in one query."""
    history: dict[int, list[DeliveryAttempt]] = {}
    attempts = (
        DeliveryAttempt.objects.filter(delivery_id__in=[i for i in delivery_ids if i])
        .select_related("requested_by")
        .order_by("delivery_id", "requested_at", "id")
    )
    for attempt in attempts:
        history.setdefault(attempt.delivery_id, []).append(attempt)
    return history


def subscription_list(user) -> QuerySet[Subscription]:
    """Subscriptions in the user's scope, with their last delivery's status and date."""
    last = Delivery.objects.filter(subscription=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Subscription.objects.for_user(user)
        .select_related("scope", "schedule")
        .annotate(
            last_delivery_id=Subquery(last.values("pk")[:1]),
            last_status=Subquery(last.values("status")[:1]),
            last_created_at=Subquery(last.values("created_at")[:1]),
            last_date_from=Subquery(last.values("date_from")[:1]),
            last_date_to=Subquery(last.values("date_to")[:1]),
            last_note=Subquery(last.values("note")[:1]),
            recipient_count=Coalesce(
                Subquery(
                    Subscription.recipients.through.objects.filter(subscription=OuterRef("pk"))
                    .order_by()
                    .values("subscription")
                    .annotate(n=Count("id"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
        )
    )
