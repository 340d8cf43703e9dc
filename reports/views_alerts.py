"""Alerts raised by the daily job: the list, and marking one resolved (officers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.access import (
    CappedPaginator,
    ClampedPaginationMixin,
    OfficerRequiredMixin,
    StaffRequiredMixin,
    get_scoped_or_404,
)
from rotation.alerts import alert_resolve
from rotation.choices import AlertKind
from rotation.models import Alert

from .filters import AlertFilterSet

KIND_CSS = {
    AlertKind.OVERDUE: "danger",
    AlertKind.APPLY_FAILED: "danger",
    AlertKind.ENDING_SOON: "warning",
    AlertKind.MISSING_REVIEW: "warning",
    AlertKind.TWO_TERM: "info",
}


class AlertListView(StaffRequiredMixin, ClampedPaginationMixin, ListView):
    template_name = "reports/alert_list.html"
    paginate_by = 25
    paginator_class = CappedPaginator

    def get_queryset(self):
        queryset = Alert.objects.for_user(self.request.user).select_related(
            "official__current_unit", "movement__decision"
        )
        self.filterset = AlertFilterSet(self.request.GET, queryset=queryset)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        for alert in context["object_list"]:
            alert.css = KIND_CSS.get(alert.kind, "secondary")
        return context


class AlertResolveView(OfficerRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        alert = get_scoped_or_404(Alert.objects.select_related("official"), request.user, pk=pk)
        try:
            alert_resolve(alert=alert, by=request.user)
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã đánh dấu đã xử lý cảnh báo về cán bộ %(name)s: “%(message)s”.")
                % {"name": alert.official.full_name, "message": alert.message},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "alert_list"
        return redirect(target)
