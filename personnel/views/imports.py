"""Import pages: upload → preview (counts, changed fields, errors) → apply → result.

Officers only; every import is read through ``RecordImport.objects.for_user`` (another
unit's import answers 404). Files with more than ``ASYNC_ROWS`` rows are checked and
applied by a Celery worker while the page polls the progress (HTMX).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import OfficerRequiredMixin, get_scoped_or_404
from accounts.audit import audit_record
from accounts.models import AuditEvent
from config.ids import is_id

from .. import tasks
from ..imports import services
from ..imports.columns import SHEETS_BY_KEY, normalise_header
from ..imports.error_book import error_workbook
from ..imports.forms import MappingForm, UploadForm
from ..imports.reader import WorkbookRejected, foreign_sheets
from ..imports.template import template_bytes
from ..models_imports import ColumnMapping, ImportStatus, RecordImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_SIZE = 50
BUSY = (ImportStatus.PENDING, ImportStatus.RUNNING)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _load(request, pk) -> RecordImport:
    queryset = RecordImport.objects.select_related("created_by", "mapping", "org_unit")
    return get_scoped_or_404(queryset, request.user, pk=pk)


def _run_preview(record: RecordImport) -> None:
    """Small files are checked in the request; large ones by a worker after the commit."""
    if record.status != ImportStatus.PENDING:
        return
    if record.rows_total > services.ASYNC_ROWS:
        transaction.on_commit(lambda: tasks.preview_record_import.delay(record.pk))
    else:
        services.record_import_preview(record_import_id=record.pk)


class ImportListView(OfficerRequiredMixin, View):
    """The upload form, the template to download, and the imports of the user's scope."""

    def get(self, request, form=None):
        imports = RecordImport.objects.for_user(request.user).select_related("created_by")
        return render(
            request,
            "personnel/imports/list.html",
            {
                "form": form or UploadForm(user=request.user),
                "imports": imports[:LIST_SIZE],
                "mappings": ColumnMapping.objects.for_user(request.user).order_by("name"),
            },
        )

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form)
        upload = form.cleaned_data["file"]
        try:
            record = services.record_import_create(
                user=request.user,
                data=upload.read(),
                file_name=upload.name,
                mapping=form.cleaned_data["mapping"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.get(request, form=form)
        _run_preview(record)
        return redirect(record)


class ImportTemplateView(OfficerRequiredMixin, View):
    def get(self, request):
        return _xlsx(template_bytes(), "mau-nhap-ho-so-can-bo.xlsx")


class ImportDetailView(OfficerRequiredMixin, View):
    def get(self, request, pk):
        record = _load(request, pk)
        if record.status == ImportStatus.RUNNING and services.record_import_recover(
            record_import_id=record.pk
        ):
            record.refresh_from_db()
            _run_preview(record)  # a check that stopped is run again; an apply waits
            record.refresh_from_db()
        preview = record.preview or {}
        foreign = preview.get("foreign") or []
        return render(
            request,
            "personnel/imports/detail.html",
            {
                "record": record,
                "busy": record.status in BUSY,
                "sheets": preview.get("sheets", []),
                "totals": preview.get("totals", {}),
                "error_lines": (record.error_message or "").splitlines(),
                "foreign": foreign,
                "fitting_mappings": _fitting_mappings(request.user, foreign),
                "can_apply": record.status == ImportStatus.PREVIEWED,
                "nothing_to_do": record.status == ImportStatus.PREVIEWED
                and not any(preview.get("totals", {}).get(k) for k in ("created", "updated")),
            },
        )


def _fitting_mappings(user, foreign) -> list[ColumnMapping]:
    """Saved mappings whose headers all appear in one sheet of the file: offered again."""
    if not foreign:
        return []
    sheets = [{normalise_header(h) for h in headers} for _name, headers in foreign]
    return [
        mapping
        for mapping in ColumnMapping.objects.for_user(user).order_by("name")
        if any(
            all(normalise_header(h) in sheet for h, name in mapping.columns.items() if name)
            for sheet in sheets
        )
    ]


class ImportProgressView(OfficerRequiredMixin, View):
    """The progress bar (HTMX polls it); when the work is done the page reloads."""

    def get(self, request, pk):
        record = _load(request, pk)
        if record.status not in BUSY:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "personnel/imports/_progress.html", {"record": record})


class ImportApplyView(OfficerRequiredMixin, View):
    def post(self, request, pk):
        record = _load(request, pk)
        if record.status != ImportStatus.PREVIEWED:
            messages.error(request, _("Lần nhập này không còn ở bước xem trước."))
            return redirect(record)
        if record.rows_total > services.ASYNC_ROWS:
            if services.record_import_queue_apply(record_import_id=record.pk, user=request.user):
                user_id = request.user.pk
                transaction.on_commit(lambda: tasks.apply_record_import.delay(record.pk, user_id))
            return redirect(record)
        record = services.record_import_apply(record_import_id=record.pk, user=request.user)
        if record.status == ImportStatus.APPLIED:
            messages.success(
                request, _("Đã nhập hồ sơ từ tệp %(name)s.") % {"name": record.file_name}
            )
        elif record.status == ImportStatus.REJECTED:
            messages.error(
                request,
                _("Hồ sơ đã thay đổi từ lúc xem trước và tệp nay có lỗi; không có gì được ghi."),
            )
        return redirect(record)


class ImportErrorsView(OfficerRequiredMixin, View):
    """The uploaded file given back with the errors marked."""

    def get(self, request, pk):
        record = _load(request, pk)
        if not record.errors:
            messages.info(request, _("Lần nhập này không có lỗi theo dòng để đánh dấu."))
            return redirect(record)
        with record.file.open("rb") as handle:
            content = error_workbook(handle.read(), record.errors)
        # The file holds the uploaded personal data: its download is audited like an export.
        audit_record(
            user=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=RecordImport._meta.label,
            object_id=str(record.pk),
            detail=_("tệp đánh dấu lỗi, %(n)d lỗi") % {"n": len(record.errors)},
        )
        return _xlsx(content, f"loi-nhap-{record.pk}.xlsx")


class ImportMappingView(OfficerRequiredMixin, View):
    """Map the columns of a committee's own workbook to a sheet of the template, once; the
    mapping is saved for the unit and offered again."""

    def _sheets(self, record):
        with record.file.open("rb") as handle:
            return foreign_sheets(handle.read())

    def _context(self, request, record, form, sheets, source):
        return {
            "record": record,
            "form": form,
            "sheets": sheets,
            "source": source,
            "sheet_choices": [(key, spec.name) for key, spec in SHEETS_BY_KEY.items()],
            "mappings": _fitting_mappings(request.user, sheets),
        }

    def get(self, request, pk):
        record = _load(request, pk)
        try:
            sheets = self._sheets(record)
        except WorkbookRejected as rejected:
            messages.error(request, " ".join(rejected.messages))
            return redirect(record)
        names = [name for name, _headers in sheets]
        if not names:
            messages.error(
                request, _("Tệp không có trang dữ liệu nào để ghép cột (chỉ có trang hướng dẫn).")
            )
            return redirect(record)
        source = request.GET.get("source") if request.GET.get("source") in names else names[0]
        headers = dict(sheets)[source]
        sheet_key = request.GET.get("sheet", "officials")
        form = MappingForm(headers=headers, sheet_key=sheet_key, initial={"sheet": sheet_key})
        return render(
            request,
            "personnel/imports/mapping.html",
            self._context(request, record, form, sheets, source),
        )

    def post(self, request, pk):
        record = _load(request, pk)
        if request.POST.get("use"):
            if not is_id(request.POST["use"]):
                raise Http404
            mapping = get_scoped_or_404(ColumnMapping.objects, request.user, pk=request.POST["use"])
            return self._rerun(record, mapping)
        sheets = self._sheets(record)
        source = request.POST.get("source")
        if source not in dict(sheets):
            return redirect("record_import_mapping", pk=record.pk)
        form = MappingForm(
            request.POST, headers=dict(sheets)[source], sheet_key=request.POST.get("sheet")
        )
        if not form.is_valid():
            return render(
                request,
                "personnel/imports/mapping.html",
                self._context(request, record, form, sheets, source),
            )
        unit = services.import_unit_of(request.user)
        mapping, _created = ColumnMapping.objects.update_or_create(
            org_unit=unit,
            name=form.cleaned_data["name"],
            defaults={
                "sheet": form.cleaned_data["sheet"],
                "columns": form.cleaned_data["columns"],
                "created_by": request.user,
            },
        )
        messages.success(request, _("Đã lưu cách ghép cột “%(name)s”.") % {"name": mapping.name})
        return self._rerun(record, mapping)

    def _rerun(self, record, mapping):
        """Preview the same file again, read through the mapping."""
        if record.status not in (ImportStatus.REJECTED, ImportStatus.PREVIEWED):
            return redirect(record)
        RecordImport.objects.filter(pk=record.pk).update(
            mapping=mapping, status=ImportStatus.PENDING, preview={}, errors=[], error_message=""
        )
        record.refresh_from_db()
        _run_preview(record)
        return redirect(record)


urlpatterns = [
    path("imports/", ImportListView.as_view(), name="record_import_upload"),
    path("imports/template/", ImportTemplateView.as_view(), name="record_import_template"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="record_import_detail"),
    path("imports/<int:pk>/progress/", ImportProgressView.as_view(), name="record_import_progress"),
    path("imports/<int:pk>/apply/", ImportApplyView.as_view(), name="record_import_apply"),
    path("imports/<int:pk>/errors/", ImportErrorsView.as_view(), name="record_import_errors"),
    path("imports/<int:pk>/mapping/", ImportMappingView.as_view(), name="record_import_mapping"),
]
