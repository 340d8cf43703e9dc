"""The dashboard (Tổng quan): this term's rotations and what needs attention, in one scope.

The other pages of reports live in views_runs, views_subscriptions and views_alerts.
"""

from django.utils import timezone
from django.views.generic import TemplateView

from accounts.access import StaffRequiredMixin

from . import selectors


class DashboardView(StaffRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scopes = selectors.dashboard_scopes(user)
        scope = selectors.dashboard_scope(user, self.request.GET.get("scope"))
        context.update(scopes=scopes, scope=scope)
        if scope is not None:
            board = selectors.dashboard(user, scope, timezone.localdate())
            context.update(board=board, chart_rows=selectors.chart_rows(board.rotated))
        return context
