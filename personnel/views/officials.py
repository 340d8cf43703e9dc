"""Officials pages: the filtered list, its export, and the autocomplete endpoints.

Every read goes through ``Official.objects.for_user`` (a record outside the user's
scope answers 404); writes go through ``personnel.services``.
"""

import io

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CappedPaginator, StaffRequiredMixin
from accounts.audit import audit_record
from accounts.models import AuditEvent

from .. import exports, tasks
from ..export_jobs import export_job_request, officials_filterset, whole_result_planning
from ..extensions import OFFICIAL_PAGES, annotate_official_page, official_list_filterset
from ..forms import locality_label
from ..masking import can_see_personal_data
from ..models import Locality, Official
from ..text import fold_vietnamese
from .official_forms import OfficialCreateView, OfficialUpdateView
from .official_pages import OfficialCvView, OfficialDetailView

PAGE_SIZE = 25
AUTOCOMPLETE_LIMIT = 20
ADVANCED_FILTERS = (
    "unit",
    "level",
    "sector",
    "post_type",
    "on",
    "position_kind",
    "tier",
    "gender",
    "age_min",
    "age_max",
    "ethnicity",
    "in_planning",
    "status",
)


def advanced_filters() -> list[str]:
    """The list's advanced filters: its own, then those the apps above registered."""
    return [*ADVANCED_FILTERS, *OFFICIAL_PAGES.list_filters]


def filtered_officials(request):
    """The FilterSet of the list and the export, over the officials the user may see."""
    return officials_filterset(user=request.user, params=request.GET)


class OfficialListView(StaffRequiredMixin, TemplateView):
    template_name = "personnel/official_list.html"

    def get_context_data(self, **kwargs):
        filterset = officials_filterset(
            user=self.request.user, params=self.request.GET, annotated=False
        )
        paginator = CappedPaginator(filterset.qs, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        officials = annotate_official_page(list(page.object_list))
        form = filterset.form
        active = [name for name in advanced_filters() if self.request.GET.get(name)]
        filters_open = bool(active) or bool(form.errors)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            filterset=filterset,
            form=form,
            page=page,
            officials=officials,
            # Rendered with the page only when the panel is open; else fetched on opening.
            advanced_fields=[form[name] for name in advanced_filters()] if filters_open else [],
            filter_fields_url=reverse("official_filter_fields") + (f"?{query}" if query else ""),
            filters_open=filters_open,
            active_filter_count=len(active),
            is_filtered=bool(active) or bool(self.request.GET.get("q")),
            **kwargs,
        )


class OfficialFilterFieldsView(StaffRequiredMixin, TemplateView):
    """The advanced filters' fields, with the values of the query string: fetched (HTMX)
    when the list's closed filter panel is first opened."""

    template_name = "personnel/partials/official_filter_fields.html"

    def get_context_data(self, **kwargs):
        form = official_list_filterset()(
            self.request.GET, queryset=Official.objects.none(), request=self.request
        ).form
        return super().get_context_data(
            advanced_fields=[form[name] for name in advanced_filters()], **kwargs
        )


class OfficialExportView(StaffRequiredMixin, View):
    """The filtered list as a file (``?format=``), audited. CSV is streamed, whatever the
    number of rows; a workbook of more than ``ASYNC_EXPORT_ROWS`` officials is built by a
    worker (an ``ExportJob``: the user is sent to its page), smaller ones in the request."""

    def get(self, request):
        fmt = request.GET.get("format", "xlsx")
        back = reverse("official_list") + _query_without(request, "format")
        if fmt not in exports.FORMATS:
            messages.error(request, _("Định dạng xuất không hợp lệ; chọn Excel (xlsx) hoặc CSV."))
            return redirect(back)
        filterset = filtered_officials(request)
        if not filterset.is_valid():
            messages.error(
                request, _("Bộ lọc có giá trị không hợp lệ; hãy sửa bộ lọc rồi xuất lại.")
            )
            return redirect(back)
        masked = not can_see_personal_data(request.user)
        if masked and fmt in exports.UNMASKED_ONLY:
            messages.error(
                request,
                _(
                    "Hồ sơ theo cơ sở dữ liệu quốc gia chứa đầy đủ thông tin cá nhân: "
                    "cần vai trò chuyên viên trở lên."
                ),
            )
            return redirect(back)
        queryset = filterset.qs
        now = timezone.now()
        header = exports.ExportHeader(
            user=f"{request.user} ({request.user.username})",
            at=now,
            filters=exports.describe_filters(filterset),
        )
        name = exports.export_filename(fmt, now)
        if fmt == "csv":
            return _streamed_csv(request, queryset, header, masked=masked, name=name)
        limit = exports.ASYNC_EXPORT_ROWS
        if queryset[: limit + 1].count() > limit:
            return _queued(request, fmt)
        buffer = io.BytesIO()
        with whole_result_planning(queryset.db):
            count = exports.WRITERS[fmt](queryset, header, buffer, masked=masked)
        _audit_export(request, count, fmt)
        response = HttpResponse(buffer.getvalue(), content_type=exports.CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _streamed_csv(request, queryset, header, *, masked: bool, name: str):
    """The CSV sent piece by piece as the rows are read; audited when the stream ends, with
    the rows sent (also when the client goes away midway: the server closes the stream)."""
    sent = [0]

    def note(rows: int) -> None:
        sent[0] = rows

    def pieces():
        try:
            with whole_result_planning(queryset.db):
                for piece in exports.csv_pieces(queryset, header, masked=masked, progress=note):
                    yield piece.encode("utf-8")
        finally:
            _audit_export(request, sent[0], "csv")

    response = StreamingHttpResponse(pieces(), content_type=exports.CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _queued(request, fmt: str):
    query = _query_without(request, "format").removeprefix("?")
    job, created = export_job_request(user=request.user, fmt=fmt, query=query)
    if created:
        transaction.on_commit(lambda: tasks.build_export.delay(job.pk))
        messages.info(
            request,
            _(
                "Danh sách có hơn %(n)s cán bộ: tệp được tạo ở bộ xử lý nền. Trang này tự cập "
                "nhật; khi xong, tải tệp tại đây."
            )
            % {"n": number_format(exports.ASYNC_EXPORT_ROWS, force_grouping=True)},
        )
    else:
        messages.info(request, _("Tệp này đang được tạo; không cần yêu cầu lại."))
    return redirect(job)


class OfficialRosterView(StaffRequiredMixin, TemplateView):
    """Danh sách trích ngang: the filtered list with the columns the user chooses, a heading
    (the issuing committee, a title, the date) and a signature block; printed whole (all
    rows, not the page shown, up to MAX_ROSTER_ROWS) or downloaded as XLSX (``?format=xlsx``)."""

    template_name = "personnel/imports/roster.html"

    def get(self, request, *args, **kwargs):
        filterset = filtered_officials(request)
        back = reverse("official_list") + _query_without(request, "cols", "title", "format")
        if not filterset.is_valid():
            messages.error(request, _("Bộ lọc có giá trị không hợp lệ; hãy sửa bộ lọc rồi in lại."))
            return redirect(back)
        columns = exports.roster_columns()
        keys = [key for key in request.GET.getlist("cols") if key in columns]
        keys = list(dict.fromkeys(keys)) or list(exports.DEFAULT_ROSTER_COLUMNS)
        header = exports.RosterHeader(
            issuer=str(request.user.scope or _("Hệ thống quản lý cán bộ")),
            title=(request.GET.get("title") or "").strip()[:200]
            or _("Danh sách trích ngang cán bộ"),
            day=timezone.localdate(),
            signer_title=_("NGƯỜI LẬP DANH SÁCH"),
        )
        queryset = filterset.qs.select_related("hometown")
        capped = queryset[: exports.MAX_ROSTER_ROWS + 1].count() > exports.MAX_ROSTER_ROWS
        if capped:
            messages.warning(
                request,
                _(
                    "Danh sách có hơn %(max)s cán bộ; chỉ in %(max)s người đầu tiên. Hãy thu hẹp "
                    "bộ lọc (ví dụ theo đơn vị) để in đủ."
                )
                % {"max": number_format(exports.MAX_ROSTER_ROWS, force_grouping=True)},
            )
        if request.GET.get("format") == "xlsx":
            content, count = exports.to_roster_xlsx(queryset, keys, header)
            _audit_export(request, count, "roster")
            response = HttpResponse(content, content_type=exports.CONTENT_TYPES["xlsx"])
            name = exports.export_filename("roster", timezone.now())
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        rows = list(exports.roster_rows(queryset, keys))
        _audit_export(request, len(rows), "print")
        context = self.get_context_data(
            header=header,
            columns=[columns[key] for key in keys],
            all_columns=columns.values(),
            chosen=set(keys),
            rows=rows,
            capped=capped,
            back=back,
            filters=exports.describe_filters(filterset),
            hidden_filters=[
                (name, value)
                for name, values in request.GET.lists()
                if name not in ("cols", "title", "format")
                for value in values
            ],
        )
        return self.render_to_response(context)


def _audit_export(request, count: int, fmt: str) -> None:
    audit_record(
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type=Official._meta.label,
        detail=_("%(n)d dòng, %(fmt)s") % {"n": count, "fmt": fmt},
    )


def _query_without(request, *names) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return f"?{params.urlencode()}" if params else ""


class OfficialAutocompleteView(StaffRequiredMixin, View):
    """{"results": [{"id", "text": "Full name (code) – current title"}]}, at most 20, in scope."""

    def get(self, request):
        officials = (
            Official.objects.for_user(request.user)
            .search(request.GET.get("q", ""))
            .select_related("current_posting")[:AUTOCOMPLETE_LIMIT]
        )
        return JsonResponse({"results": [official_choice(o) for o in officials]})


def official_choice(official: Official) -> dict:
    text = f"{official.full_name} ({official.code})"
    if official.current_posting is not None:
        text = f"{text} – {official.current_posting.title}"
    return {"id": official.pk, "text": text}


class LocalityAutocompleteView(StaffRequiredMixin, View):
    """Localities (birthplace, hometown) by name or code; not scoped: places are public."""

    def get(self, request):
        text = request.GET.get("q", "").strip()
        base = Locality.objects.select_related("parent").order_by(
            F("valid_to").desc(nulls_first=True), "path"
        )
        if text:
            found = list(
                (base.filter(code=text) | base.filter(name__icontains=text))[:AUTOCOMPLETE_LIMIT]
            )
            if len(found) < AUTOCOMPLETE_LIMIT:
                found += self._folded_matches(text, exclude={loc.pk for loc in found})
        else:
            found = list(base[:AUTOCOMPLETE_LIMIT])
        results = [{"id": loc.pk, "text": locality_label(loc)} for loc in found]
        return JsonResponse({"results": results[:AUTOCOMPLETE_LIMIT]})

    @staticmethod
    def _folded_matches(text: str, exclude: set[int]) -> list[Locality]:
        # Locality has no folded search column: names typed without diacritics are
        # matched here over (id, name) pairs, a few thousand short rows at most.
        key = fold_vietnamese(text)
        ids = [
            pk
            for pk, name in Locality.objects.order_by(
                F("valid_to").desc(nulls_first=True), "path"
            ).values_list("pk", "name")
            if pk not in exclude and key in fold_vietnamese(name)
        ][:AUTOCOMPLETE_LIMIT]
        by_id = Locality.objects.select_related("parent").in_bulk(ids)
        return [by_id[pk] for pk in ids]


urlpatterns = [
    path("officials/", OfficialListView.as_view(), name="official_list"),
    path("officials/new/", OfficialCreateView.as_view(), name="official_create"),
    path("officials/export/", OfficialExportView.as_view(), name="official_export"),
    path("officials/filters/", OfficialFilterFieldsView.as_view(), name="official_filter_fields"),
    path("officials/roster/", OfficialRosterView.as_view(), name="official_roster"),
    path(
        "officials/autocomplete/", OfficialAutocompleteView.as_view(), name="official_autocomplete"
    ),
    path(
        "officials/localities/autocomplete/",
        LocalityAutocompleteView.as_view(),
        name="locality_autocomplete",
    ),
    path("officials/<int:pk>/", OfficialDetailView.as_view(), name="official_detail"),
    path("officials/<int:pk>/edit/", OfficialUpdateView.as_view(), name="official_update"),
    path("officials/<int:pk>/cv/", OfficialCvView.as_view(), name="official_cv"),
]
