"""Report pages: the catalogue, the run form, a run's progress and result, its downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.access import StaffRequiredMixin, get_scoped_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent
from config.forms import add_service_error
from personnel.text import format_day

from . import drill, exports, registry, selectors, services
from .choices import IN_FLIGHT, RunStatus
from .forms import PARAM_PREFIX, ReportRunForm, rerun_query
from .models import ReportRun

#: a queued run older than this probably waits for a worker that is not running
SLOW_QUEUE_SECONDS = 60

DOWNLOADS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.run_xlsx,
    ),
    "csv": ("text/csv; charset=utf-8", lambda run: exports.to_csv(run.result)),
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
            add_service_error(form, error, prefix=PARAM_PREFIX)
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


def linked_tables(run: ReportRun, result: dict | None) -> list[dict]:
    """The result's tables with each cell as ``(value, url)``: the link to the people the
    cell counts, or None.

    A drillable row links its label (first cell) and its count; a drillable cell
    (``drill_cells``) links itself.
    """
    if not result:
        return []
    definition = drill.definition_of(run)
    base = (
        reverse("report_run_people", args=[run.pk])
        if definition is not None and definition.people is not None
        else None
    )
    tables = []
    for table in result["tables"]:
        cells = [[(value, None) for value in row] for row in table["rows"]]
        if base is not None:
            _link_cells(table, cells, base)
        tables.append({**table, "cells": cells})
    return tables


def _link_cells(table: dict, cells: list[list], base: str) -> None:
    keys = [c["key"] for c in table["columns"]]
    row_keys = table.get("drill") or []
    cell_keys = table.get("drill_cells") or []

    def href(index: int, **extra) -> str:
        return f"{base}?{urlencode({'table': table['key'], 'row': index, **extra})}"

    for index, row in enumerate(cells):
        if index < len(row_keys) and isinstance(row_keys[index], dict):
            found = registry.Drill(table, index, "", row_keys[index])
            for at in {0, drill.figure_index(found)} - {None}:
                row[at] = (row[at][0], href(index))
        for column in cell_keys[index] if index < len(cell_keys) else {}:
            at = keys.index(column) if column in keys else None
            if at is not None and at < len(row):
                row[at] = (row[at][0], href(index, column=column))


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
            tables=(tables := linked_tables(run, result)),
            has_people=any(url for t in tables for row in t["cells"] for _v, url in row),
            # "Từ ngày 01/01/2026 đến ngày …" already says the dates; "Năm 2025" does not.
            period_has_dates=bool(result) and format_day(run.date_from) in result["period"],
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
            render(run),
            content_type=content_type,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


#: the largest row index a drill-down link may name (a result never has more rows)
MAX_DRILL_ROW = 100_000


class ReportRunPeopleView(StaffRequiredMixin, TemplateView):
    """The people behind one figure of a finished run, with the run's scope, period and
    parameters, paginated; reading it leaves an audit row."""

    template_name = "reports/run_people.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.run = get_scoped_or_404(
            ReportRun.objects.select_related("scope"),
            request.user,
            pk=kwargs["pk"],
            status=RunStatus.SUCCEEDED,
        )
        row = request.GET.get("row", "")
        if not row.isdigit() or int(row) > MAX_DRILL_ROW:
            raise Http404(_("Không có dòng này trong báo cáo."))
        self.drill = registry.drill_at(
            self.run.result,
            request.GET.get("table", "")[:50],
            int(row),
            request.GET.get("column", "")[:50],
        )
        self.people = drill.people_at(self.run, self.drill) if self.drill is not None else None
        if self.people is None:
            raise Http404(_("Số liệu này không có danh sách cán bộ."))
        audit_record(
            user=request.user,
            action=AuditEvent.Action.VIEW_REPORT,
            obj=self.run,
            detail=f"{self.run.report}: {self.drill.table['key']}[{self.drill.row}]"
            f"{'.' + self.drill.column if self.drill.column else ''}",
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page = Paginator(self.people.items, self.paginate_by).get_page(self.request.GET.get("page"))
        offset = page.start_index() - 1 if page.paginator.count else 0
        figure = drill.figure(self.drill)
        headcount = self.people.people_count()
        return super().get_context_data(
            run=self.run,
            result=self.run.result,
            drill=self.drill,
            columns=[label for _key, label in self.people.columns],
            rows=[(offset + n, row) for n, row in enumerate(self.people.rows(page), start=1)],
            page_obj=page,
            figure=figure,
            headcount=headcount,
            differs=figure is not None and figure != headcount,
            params=param_display(self.run),
            **kwargs,
        )
