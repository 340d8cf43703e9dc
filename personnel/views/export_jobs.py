"""The page of a large export (its progress, then its file) and the file's download.

A job is its requester's alone: anyone else, other staff and superusers included, gets
404 (the filters of a job say what its requester looked for). The page polls a small
partial every 2 s while the worker builds the file; the file is streamed from the private
folder and its download is audited like any export.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import StaffRequiredMixin

from .. import exports
from ..export_jobs import export_job_recover, recent_jobs
from ..models_exports import ExportJob
from .officials import _audit_export


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(requested_by=request.user), pk=pk)


class ExportJobView(StaffRequiredMixin, View):
    def get(self, request, pk):
        job = _own_job(request, pk)
        if job.busy and export_job_recover(job=job):
            job.refresh_from_db()
        return render(
            request,
            "personnel/export_job.html",
            {
                "job": job,
                "jobs": recent_jobs(user=request.user),
                "list_url": exports_list_url(job),
            },
        )


def exports_list_url(job: ExportJob) -> str:
    return reverse("official_list") + (f"?{job.query}" if job.query else "")


class ExportJobProgressView(StaffRequiredMixin, View):
    """The progress (HTMX polls it every 2 s); when the job ends the page reloads."""

    def get(self, request, pk):
        job = _own_job(request, pk)
        if not job.busy:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "personnel/partials/export_job_progress.html", {"job": job})


class ExportJobDownloadView(StaffRequiredMixin, View):
    def get(self, request, pk):
        job = _own_job(request, pk)
        handle = None
        if job.downloadable:
            try:
                handle = open(job.path, "rb")  # noqa: SIM115 - FileResponse closes it
            except FileNotFoundError:
                handle = None
        if handle is None:
            messages.error(request, _("Tệp xuất không còn; hãy xuất lại từ danh sách cán bộ."))
            return redirect(job)
        _audit_export(request, job.rows_done, job.format)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=exports.export_filename(job.format, job.created_at),
            content_type=exports.CONTENT_TYPES[job.format],
        )


urlpatterns = [
    path("officials/exports/<int:pk>/", ExportJobView.as_view(), name="official_export_job"),
    path(
        "officials/exports/<int:pk>/progress/",
        ExportJobProgressView.as_view(),
        name="official_export_job_progress",
    ),
    path(
        "officials/exports/<int:pk>/download/",
        ExportJobDownloadView.as_view(),
        name="official_export_download",
    ),
]
