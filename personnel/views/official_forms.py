"""Creating and editing an official (officers): forms in, ``personnel.services`` for the write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import OfficerRequiredMixin

from .. import services
from ..forms import OfficialCreateForm, OfficialForm
from .official_pages import load_official

TEMPLATE = "personnel/official_form.html"


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class OfficialCreateView(OfficerRequiredMixin, View):
    """A new official with the first posting in a unit of the user's scope."""

    def get(self, request):
        return self._render(OfficialCreateForm(user=request.user))

    def post(self, request):
        form = OfficialCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                official = services.official_create(
                    first_posting=form.first_posting(), by=request.user, **form.profile()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã thêm cán bộ %(name)s (%(code)s), công tác tại %(unit)s.")
                    % {
                        "name": official.full_name,
                        "code": official.code,
                        "unit": official.current_unit,
                    },
                )
                return redirect("official_detail", pk=official.pk)
        return self._render(form)

    def _render(self, form):
        return render(self.request, TEMPLATE, {"form": form, "official": None})


class OfficialUpdateView(OfficerRequiredMixin, View):
    """The profile of an official; postings change in admin or through decisions."""

    def get(self, request, pk):
        self.official = load_official(request.user, pk)
        return self._render(OfficialForm(instance=self.official))

    def post(self, request, pk):
        self.official = load_official(request.user, pk)
        name = self.official.full_name  # the form changes the instance before it is saved
        form = OfficialForm(request.POST, instance=self.official)
        if form.is_valid():
            changed = [f for f in form.changed_data if f in services.OFFICIAL_EDITABLE_FIELDS]
            if not changed:
                messages.info(request, _("Không có thông tin nào thay đổi."))
                return redirect("official_detail", pk=pk)
            try:
                services.official_update(
                    official=form.instance,
                    by=request.user,
                    **{f: form.cleaned_data[f] for f in changed},
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                labels = ", ".join(str(form.fields[f].label).lower() for f in changed)
                messages.success(
                    request,
                    _("Đã cập nhật hồ sơ cán bộ %(name)s: %(fields)s.")
                    % {"name": form.instance.full_name, "fields": labels},
                )
                return redirect("official_detail", pk=pk)
        return self._render(form, name=name)

    def _render(self, form, name=None):
        return render(
            self.request,
            TEMPLATE,
            {
                "form": form,
                "official": self.official,
                "official_name": name or self.official.full_name,
            },
        )
