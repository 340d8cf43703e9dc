"""Report pages: the catalogue, the run form, a run's progress and result, its downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.access import StaffRequiredMixin, get_scoped_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent

from . import exports, registry, selectors, services
from .choices import IN_FLIGHT, RunStatus
from .forms import PARAM_PREFIX, ReportRunForm, add_validation_error, rerun_query
from .models import ReportRun

#: a queued run older than this probably waits for a worker that is not running
SLOW_QUEUE_SECONDS = 60

DOWNLOADS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.to_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
}


def definition_or_404(code: str) -> registry.ReportDefinition:
    try:
        return registry.get(code)
    except ValidationError:
        raise Http404(_("Không có báo cáo này.")) from None


class ReportCatalogueView(StaffRequiredMixin, TemplateView):
    template_name = "reports/catalogue.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reports=registry.all_reports(),
            runs=selectors.recent_runs(self.request.user),
            **kwargs,
        )


class ReportRunView(StaffRequiredMixin, FormView):
    """Ask for a run; GET parameters prefill the form (links from the dashboard, "Chạy lại")."""

    template_name = "reports/run_form.html"
    form_class = ReportRunForm

    def dispatch(self, request, *args, **kwargs):
        self.definition = definition_or_404(kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {}
        scope = getattr(self.request.user, "scope", None)
        if scope is not None:
            initial["scope"] = scope.pk
        known = {"scope", "period", "date_from", "date_to"}
        known |= {PARAM_PREFIX + p.name for p in self.definition.params}
        initial.update({k: v for k, v in self.request.GET.items() if k in known and v != ""})
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "definition": self.definition,
            "user": self.request.user,
            "today": timezone.localdate(),
        }

    def form_valid(self, form):
        date_from, date_to = form.cleaned_data["range"]
        try:
            run = services.report_request(
                report=self.definition.code,
                scope=form.cleaned_data["scope"],
                date_from=date_from,
                date_to=date_to,
                params=form.cleaned_data["params"],
                requested_by=self.request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error, prefix=PARAM_PREFIX)
            return self.form_invalid(form)
        if run.requested_by_id != self.request.user.pk:
            messages.info(
                self.request,
                _("Báo cáo giống hệt đang được tính theo yêu cầu khác; kết quả sẽ hiện ở đây."),
            )
        else:
            messages.success(
                self.request,
                _("Đã gửi yêu cầu tính báo cáo “%(title)s”.") % {"title": self.definition.title},
            )
        return redirect("report_run_detail", pk=run.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(definition=self.definition, **kwargs)


def param_display(run: ReportRun) -> list[tuple[str, str]]:
    """The run's own parameters as (label, value) for people."""
    try:
        definition = registry.get(run.report)
    except ValidationError:
        return []
    shown = []
    for param in definition.params:
        value = (run.params or {}).get(param.name, param.default)
        if param.kind == "choice":
            value = dict(param.choices).get(value, value)
        shown.append((str(param.label), "—" if value in (None, "") else str(value)))
    return shown


class ReportRunDetailView(StaffRequiredMixin, TemplateView):
    """The result of a run, or its progress while Celery works.

    The progress block polls this same URL with HTMX every second; once the run is
    finished the poll answers ``HX-Refresh`` and the page reloads with the result. A run
    whose lease ended (its worker was lost) is taken over by the page that waits for it.
    """

    template_name = "reports/run_detail.html"

    def get(self, request, *args, **kwargs):
        self.run = get_scoped_or_404(
            ReportRun.objects.select_related("scope", "requested_by"), request.user, pk=kwargs["pk"]
        )
        if self.run.lease_expired():
            services.report_run_take_over(run=self.run)
        if request.headers.get("HX-Request"):
            if self.run.status in IN_FLIGHT:
                self.template_name = "reports/run_progress.html"
            else:
                return HttpResponse(headers={"HX-Refresh": "true"})
        elif self.run.status == RunStatus.SUCCEEDED:
            audit_record(
                user=request.user,
                action=AuditEvent.Action.VIEW_REPORT,
                obj=self.run,
                detail=self.run.report,
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        run = self.run
        result = run.result if run.status == RunStatus.SUCCEEDED else None
        waited = (timezone.now() - run.created_at).total_seconds()
        return super().get_context_data(
            run=run,
            result=result,
            in_flight=run.status in IN_FLIGHT,
            slow=run.status == RunStatus.QUEUED and waited > SLOW_QUEUE_SECONDS,
            chart_rows=selectors.chart_rows(result),
            # "Từ ngày 01/01/2026 đến ngày …" already says the dates; "Năm 2025" does not.
            period_has_dates=bool(result) and date_format(run.date_from) in result["period"],
            params=param_display(run),
            rerun_url=f"{reverse('report_run', args=[run.report])}?{urlencode(rerun_query(run))}",
            **kwargs,
        )


class ReportRunDownloadView(StaffRequiredMixin, View):
    """The finished result as XLSX or CSV; every download leaves an audit row."""

    def get(self, request, pk, fmt):
        if fmt not in DOWNLOADS:
            raise Http404
        run = get_scoped_or_404(
            ReportRun.objects.select_related("scope"),
            request.user,
            pk=pk,
            status=RunStatus.SUCCEEDED,
        )
        content_type, render = DOWNLOADS[fmt]
        filename = exports.filename(run.result, fmt)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.DOWNLOAD_REPORT,
            obj=run,
            detail=f"{run.report} {fmt}: {filename}",
        )
        return HttpResponse(
            render(run.result),
            content_type=content_type,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )
