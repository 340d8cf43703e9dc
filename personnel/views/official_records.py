"""The whole record of an official on the staff pages: postings (primary and concurrent),
training, evaluations, planning, discipline, rewards and the photo.

Officers (``OfficerRequiredMixin``: 403 for viewers) reach an official of their scope
(``load_official``: 404 outside it) and one of its rows (404 if the row is not that
official's). Forms check what is typed; the services (``personnel.services`` for
postings, ``personnel.services_record`` for the rest) carry the rules and write.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import OfficerRequiredMixin, StaffRequiredMixin, get_scoped_or_404

from .. import services, services_record
from ..forms import OfficialPhotoForm
from ..forms_record import (
    DisciplineForm,
    EvaluationForm,
    PlanningForm,
    PostingCloseForm,
    PostingRecordForm,
    RewardForm,
    TrainingForm,
)
from ..models import Official
from ..record_kinds import KINDS, LeavesScope, RecordKind, keep_in_scope, scope_message
from .official_forms import add_service_errors
from .official_pages import load_official

FORM_TEMPLATE = "personnel/record/form.html"
DELETE_TEMPLATE = "personnel/record/confirm_delete.html"


@dataclass(frozen=True)
class RecordPage:
    """A kind of row (``record_kinds.KINDS``) as its pages show it: the form and the
    profile section to come back to; the kind's own attributes read through."""

    kind: RecordKind
    form: type
    anchor: str

    def __getattr__(self, name):
        return getattr(self.kind, name)


PAGES = {
    slug: RecordPage(KINDS[slug], form, anchor)
    for slug, form, anchor in (
        ("posting", PostingRecordForm, "timeline-heading"),
        ("training", TrainingForm, "training-heading"),
        ("evaluation", EvaluationForm, "evaluation-heading"),
        ("planning", PlanningForm, "planning-heading"),
        ("discipline", DisciplineForm, "discipline-heading"),
        ("reward", RewardForm, "reward-heading"),
    )
}


def _back(official, kind: RecordPage | None = None) -> str:
    url = reverse("official_detail", args=[official.pk])
    return f"{url}#{kind.anchor}" if kind is not None else url


def _row(official, kind: RecordPage, item: int):
    return get_object_or_404(getattr(official, kind.related).all(), pk=item)


class RecordView(OfficerRequiredMixin, View):
    """Shared by the views of a row: the official (in scope) and the kind of row."""

    kind: RecordPage = None  # set by as_view(kind=...)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.official = None

    def load(self, request, pk):
        self.official = load_official(request.user, pk)
        return self.official

    def write(self, request, form, run) -> bool:
        """Run the service write; its refusal goes on ``form``; True when saved."""
        try:
            with transaction.atomic():
                self.saved = run()
                if self.kind.guard_scope:
                    keep_in_scope(request.user, self.official.pk)
        except ValidationError as error:
            add_service_errors(form, error)
            return False
        except LeavesScope:
            form.add_error(None, scope_message())
            return False
        except (ProtectedError, RestrictedError):
            form.add_error(
                None,
                _(
                    "Không xóa được: %(noun)s này đang được một quyết định hoặc bản ghi khác "
                    "tham chiếu. Hãy sửa hoặc kết thúc thay vì xóa."
                )
                % {"noun": self.kind.noun},
            )
            return False
        return True

    def render_form(self, form, title: str, **extra):
        return render(
            self.request,
            FORM_TEMPLATE,
            {
                "form": form,
                "official": self.official,
                "title": title,
                "kind": self.kind,
                "back_url": _back(self.official, self.kind),
                **extra,
            },
        )


class RecordCreateView(RecordView):
    def get(self, request, pk):
        self.load(request, pk)
        return self._render(self.kind.form(user=request.user, initial=self.initial()))

    def post(self, request, pk):
        official = self.load(request, pk)
        form = self.kind.form(request.POST, user=request.user, initial=self.initial())
        if form.is_valid() and self.write(
            request,
            form,
            lambda: self.kind.create(official=official, by=request.user, **form.values()),
        ):
            messages.success(
                request,
                _("Đã thêm %(noun)s: %(row)s.") % {"noun": self.kind.noun, "row": self.saved},
            )
            return redirect(_back(official, self.kind))
        return self._render(form)

    def initial(self) -> dict:
        if self.kind.slug == "posting":
            return {"is_primary": self.request.GET.get("kiem_nhiem") != "1"}
        return {}

    def _render(self, form):
        title = _("Thêm %(noun)s") % {"noun": self.kind.noun}
        if self.kind.slug == "posting" and self.initial().get("is_primary") is False:
            title = _("Thêm chức vụ kiêm nhiệm")
        return self.render_form(form, title)


class RecordUpdateView(RecordView):
    def get(self, request, pk, item):
        official = self.load(request, pk)
        row = _row(official, self.kind, item)
        return self._render(self.kind.form(instance=row, user=request.user))

    def post(self, request, pk, item):
        official = self.load(request, pk)
        row = _row(official, self.kind, item)
        form = self.kind.form(request.POST, instance=row, user=request.user)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Không có thông tin nào thay đổi."))
                return redirect(_back(official, self.kind))
            if self.write(request, form, lambda: self.kind.update(row, by=request.user, **changes)):
                messages.success(
                    request,
                    _("Đã sửa %(noun)s: %(row)s.") % {"noun": self.kind.noun, "row": self.saved},
                )
                return redirect(_back(official, self.kind))
        return self._render(form)

    def _render(self, form):
        return self.render_form(form, _("Sửa %(noun)s") % {"noun": self.kind.noun})


class _Refusals:
    """Collects a refused deletion's messages (there is no form to put them on)."""

    fields: dict = {}

    def __init__(self):
        self.errors: list[str] = []

    def add_error(self, field, error):
        self.errors.extend(getattr(error, "messages", None) or [str(error)])


class RecordDeleteView(RecordView):
    def get(self, request, pk, item):
        official = self.load(request, pk)
        return self._render(_row(official, self.kind, item))

    def post(self, request, pk, item):
        official = self.load(request, pk)
        row = _row(official, self.kind, item)
        text = str(row)
        refusals = _Refusals()
        if self.write(request, refusals, lambda: self.kind.delete(row, by=request.user)):
            messages.success(
                request, _("Đã xóa %(noun)s: %(row)s.") % {"noun": self.kind.noun, "row": text}
            )
            return redirect(_back(official, self.kind))
        return self._render(_row(official, self.kind, item), errors=refusals.errors)

    def _render(self, row, errors=()):
        return render(
            self.request,
            DELETE_TEMPLATE,
            {
                "official": self.official,
                "row": row,
                "kind": self.kind,
                "title": _("Xóa %(noun)s") % {"noun": self.kind.noun},
                "back_url": _back(self.official, self.kind),
                "errors": list(errors),
            },
        )


class PostingCloseView(RecordView):
    """ "Kết thúc": a current posting ends on the day given (its last day)."""

    kind = PAGES["posting"]

    def get(self, request, pk, item):
        official = self.load(request, pk)
        posting = self._open_posting(official, item)
        return self._render(PostingCloseForm(), posting)

    def post(self, request, pk, item):
        official = self.load(request, pk)
        posting = self._open_posting(official, item)
        form = PostingCloseForm(request.POST)
        if form.is_valid() and self.write(
            request,
            form,
            lambda: services.posting_close(posting=posting, end_date=form.cleaned_data["end_date"]),
        ):
            messages.success(
                request,
                _("Đã kết thúc vị trí công tác: %(row)s.") % {"row": self.saved},
            )
            return redirect(_back(official, self.kind))
        return self._render(form, self._open_posting(official, item))

    def _open_posting(self, official, item):
        posting = _row(official, self.kind, item)
        if posting.end_date is not None:
            raise Http404
        return posting

    def _render(self, form, posting):
        return self.render_form(
            form, _("Kết thúc vị trí công tác"), row=posting, submit=_("Kết thúc")
        )


# --- the photo ---------------------------------------------------------------------------


class OfficialPhotoView(StaffRequiredMixin, View):
    """The photo, streamed to those whose scope reaches the official (never a public URL)."""

    def get(self, request, pk):
        official = get_scoped_or_404(Official.objects.only("pk", "photo"), request.user, pk=pk)
        if not official.photo:
            raise Http404
        try:
            handle = official.photo.open("rb")
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error
        response = FileResponse(
            handle, content_type=services_record.photo_content_type(official.photo.name)
        )
        response["Cache-Control"] = "private, max-age=300"
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class OfficialPhotoUploadView(OfficerRequiredMixin, View):
    def get(self, request, pk):
        self.official = load_official(request.user, pk)
        return self._render(OfficialPhotoForm())

    def post(self, request, pk):
        self.official = load_official(request.user, pk)
        form = OfficialPhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services_record.official_set_photo(
                    official=self.official, photo=form.cleaned_data["photo"], by=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã cập nhật ảnh của cán bộ."))
                return redirect("official_detail", pk=pk)
        return self._render(form)

    def _render(self, form):
        return render(
            self.request,
            FORM_TEMPLATE,
            {
                "form": form,
                "official": self.official,
                "title": _("Ảnh của cán bộ"),
                "back_url": _back(self.official),
                "multipart": True,
                "photo_remove": bool(self.official.photo),
            },
        )


class OfficialPhotoRemoveView(OfficerRequiredMixin, View):
    def post(self, request, pk):
        official = load_official(request.user, pk)
        services_record.official_remove_photo(official=official, by=request.user)
        messages.success(request, _("Đã xóa ảnh của cán bộ."))
        return redirect("official_detail", pk=pk)


def _kind_urls(kind: RecordPage) -> list:
    base = f"officials/<int:pk>/{kind.slug}/"
    return [
        path(
            f"{base}new/",
            RecordCreateView.as_view(kind=kind),
            name=f"official_{kind.slug}_create",
        ),
        path(
            f"{base}<int:item>/edit/",
            RecordUpdateView.as_view(kind=kind),
            name=f"official_{kind.slug}_update",
        ),
        path(
            f"{base}<int:item>/delete/",
            RecordDeleteView.as_view(kind=kind),
            name=f"official_{kind.slug}_delete",
        ),
    ]


urlpatterns = [
    *(pattern for kind in PAGES.values() for pattern in _kind_urls(kind)),
    path(
        "officials/<int:pk>/posting/<int:item>/close/",
        PostingCloseView.as_view(),
        name="official_posting_close",
    ),
    path("officials/<int:pk>/photo/", OfficialPhotoView.as_view(), name="official_photo"),
    path(
        "officials/<int:pk>/photo/edit/",
        OfficialPhotoUploadView.as_view(),
        name="official_photo_upload",
    ),
    path(
        "officials/<int:pk>/photo/delete/",
        OfficialPhotoRemoveView.as_view(),
        name="official_photo_remove",
    ),
]
