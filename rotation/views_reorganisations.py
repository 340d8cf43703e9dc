"""Reorganisation pages (administrators): list, build, preview every effect, apply.

Everything goes through ``rotation.reorganisations``: the preview is the service's dry
run, the apply button its real run.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.access import (
    AdministratorRequiredMixin,
    CappedPaginator,
    ClampedPaginationMixin,
    get_scoped_or_404,
)
from config.forms import add_service_error
from personnel.models import Official, Posting, Reorganisation

from .forms_reorganisations import (
    LocalityRowFormSet,
    ReorganisationForm,
    UnitRowFormSet,
    initial_rows,
)
from .reorganisation_plan import reorganisation_plan
from .reorganisations import reorganisation_apply, reorganisation_save


def _reorganisation(request, pk) -> Reorganisation:
    return get_scoped_or_404(
        Reorganisation.objects.select_related("issued_by", "recorded_by", "applied_by"),
        request.user,
        pk=pk,
    )


class ReorganisationListView(AdministratorRequiredMixin, ClampedPaginationMixin, ListView):
    template_name = "rotation/reorganisation_list.html"
    context_object_name = "reorganisations"
    paginate_by = 30
    paginator_class = CappedPaginator

    def get_queryset(self):
        return (
            Reorganisation.objects.for_user(self.request.user)
            .select_related("issued_by")
            .annotate(n_units=Count("unit_successions__predecessor", distinct=True))
            .annotate(n_localities=Count("locality_successions__predecessor", distinct=True))
            .order_by("-effective_on", "-id")
        )


class ReorganisationFormView(AdministratorRequiredMixin, TemplateView):
    """Create (no ``pk``) or change a reorganisation not yet applied, with its rows."""

    template_name = "rotation/reorganisation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.reorganisation = None
        if "pk" in kwargs:
            self.reorganisation = _reorganisation(request, kwargs["pk"])
            if self.reorganisation.is_applied:
                messages.error(request, _("Sắp xếp đã áp dụng; không sửa được."))
                return redirect("reorganisation_detail", pk=self.reorganisation.pk)
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        user, instance = self.request.user, self.reorganisation
        return (
            ReorganisationForm(data, instance=instance, user=user),
            UnitRowFormSet(
                data,
                prefix="units",
                form_kwargs={"user": user},
                initial=initial_rows(instance.unit_successions) if instance else None,
            ),
            LocalityRowFormSet(
                data,
                prefix="localities",
                form_kwargs={"user": user},
                initial=initial_rows(instance.locality_successions) if instance else None,
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in kwargs:
            form, units, localities = self.forms()
            context.update(form=form, unit_rows=units, locality_rows=localities)
        context["reorganisation"] = self.reorganisation
        return context

    def post(self, request, *args, **kwargs):
        form, units, localities = self.forms(request.POST)
        if not (form.is_valid() and units.is_valid() and localities.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, unit_rows=units, locality_rows=localities)
            )
        try:
            reorganisation = reorganisation_save(
                reorganisation=form.save(commit=False),
                unit_rows=[row.row for row in units if row.row],
                locality_rows=[row.row for row in localities if row.row],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
            return self.render_to_response(
                self.get_context_data(form=form, unit_rows=units, locality_rows=localities)
            )
        messages.success(
            request,
            _("Đã lưu sắp xếp “%(name)s”. Kiểm tra phần xem trước rồi bấm “Áp dụng”.")
            % {"name": reorganisation.name},
        )
        return redirect("reorganisation_detail", pk=reorganisation.pk)


def awaiting_placement(reorganisation: Reorganisation):
    """Primary postings still open in units this reorganisation ended: who is to be placed."""
    ended = reorganisation.unit_successions.values("predecessor")
    return (
        Posting.objects.filter(
            org_unit_id__in=ended,
            is_primary=True,
            end_date__isnull=True,
            org_unit__valid_to__isnull=False,
        )
        .select_related("official", "org_unit")
        .order_by("org_unit__path", "official__full_name")
    )


class ReorganisationDetailView(AdministratorRequiredMixin, TemplateView):
    template_name = "rotation/reorganisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reorganisation = _reorganisation(self.request, self.kwargs["pk"])
        visible = set(Official.objects.for_user(self.request.user).values_list("pk", flat=True))
        context.update(
            reorganisation=reorganisation,
            unit_rows=reorganisation.unit_successions.select_related(
                "predecessor", "successor", "new_parent"
            ),
            locality_rows=reorganisation.locality_successions.select_related(
                "predecessor", "successor", "new_parent"
            ),
            visible_officials=visible,
        )
        if reorganisation.is_applied:
            context.update(
                outcome=reorganisation.outcome,
                decisions=list(reorganisation.decisions.order_by("signed_on", "id")),
                awaiting=list(awaiting_placement(reorganisation)),
            )
        else:
            context["plan"] = reorganisation_plan(reorganisation)
        return context


class ReorganisationApplyView(AdministratorRequiredMixin, View):
    def post(self, request, pk):
        reorganisation = _reorganisation(request, pk)
        if reorganisation.is_applied:
            messages.info(request, _("Sắp xếp này đã được áp dụng trước đó; không có gì thay đổi."))
            return redirect("reorganisation_detail", pk=pk)
        try:
            plan = reorganisation_apply(reorganisation=reorganisation, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reorganisation_detail", pk=pk)
        messages.success(
            request,
            _(
                "Đã áp dụng sắp xếp: %(ended)d đơn vị kết thúc, %(new)d đơn vị mới, "
                "%(placed)d cán bộ được bố trí, %(to_place)d cán bộ chờ bố trí."
            )
            % {
                "ended": len(plan.ended_units),
                "new": len(plan.new_units),
                "placed": len(plan.placements),
                "to_place": len(plan.to_place),
            },
        )
        return redirect("reorganisation_detail", pk=pk)
