"""Org units and positions: tree browser, unit page, position page, autocompletes.

Everything here is read-only (viewer and up); units and positions are edited in
Django admin. Records come through ``for_user``: outside the scope answers 404.
"""

from django import forms
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from accounts.access import CappedPaginator, StaffRequiredMixin, get_scoped_or_404
from config.forms import BootstrapFormMixin
from config.ids import is_id
from personnel.terms import term_on

from .. import occupancy
from ..choices import Level
from ..filters_units import UnitFilterSet, as_of, autocomplete_positions, autocomplete_units
from ..models import OrgUnit, Position, PostType
from ..validity import valid_on_q

SEARCH_PAGE_SIZE = 50


def _can_edit_in_admin(user, model) -> bool:
    """Staff with the change permission get a link to the admin page of the record."""
    meta = model._meta
    return user.is_staff and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


class UnitTreeView(StaffRequiredMixin, TemplateView):
    """The scope's unit tree (children loaded on demand), or a flat list of search results."""

    template_name = "personnel/unit_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        as_of_form, today = as_of(self.request)
        data = self.request.GET.copy()
        data.pop("on", None)
        filterset = UnitFilterSet(
            data or None,
            queryset=OrgUnit.objects.for_user(user),
            request=self.request,
            as_of=today,
        )
        context.update(
            filterset=filterset,
            as_of_form=as_of_form,
            on=today,
            on_today=today == timezone.localdate(),
        )
        if filterset.is_searching:
            context.update(self._search_results(filterset, today))
        else:
            roots = list(occupancy.tree_roots(user, on=today))
            children = occupancy.unit_children(user, [root.pk for root in roots], on=today)
            by_parent: dict[int, list] = {}
            for child in children:
                by_parent.setdefault(child.parent_id, []).append(child)
            for root in roots:
                root.loaded_children = by_parent.get(root.pk, [])
            context["roots"] = roots
        return context

    def _search_results(self, filterset, today):
        if not filterset.is_valid():
            return {"page": None}
        paginator = CappedPaginator(filterset.qs.only("pk"), SEARCH_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        ids = [unit.pk for unit in page.object_list]
        annotated = occupancy.annotate_unit_counts(
            OrgUnit.objects.filter(pk__in=ids).select_related("locality"), on=today
        )
        by_id = {unit.pk: unit for unit in annotated}
        units = [by_id[pk] for pk in ids if pk in by_id]
        ancestors = occupancy.ancestors_in_scope(self.request.user, units)
        for unit in units:
            unit.ancestors_in_scope = ancestors[unit.pk]
        page.object_list = units
        return {"page": page}


class UnitChildrenView(StaffRequiredMixin, TemplateView):
    """HTMX partial: the child nodes of one unit of the tree."""

    template_name = "personnel/partials/unit_tree_nodes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = get_scoped_or_404(OrgUnit.objects.all(), user, pk=self.kwargs["pk"])
        _form, on = as_of(self.request)
        context["nodes"] = occupancy.unit_children(user, [unit.pk], on=on)
        context.update(parent=unit, on=on, on_today=on == timezone.localdate())
        return context


class UnitDetailView(StaffRequiredMixin, TemplateView):
    """A unit: its facts, child units, positions with holders or vacancies, officials."""

    template_name = "personnel/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = get_scoped_or_404(
            OrgUnit.objects.select_related("sector", "locality", "parent"),
            user,
            pk=self.kwargs["pk"],
        )
        as_of_form, today = as_of(self.request)
        if not as_of_form.is_bound and unit.valid_to and unit.valid_to < today:
            today = unit.valid_to  # an ended unit is shown as on its last day
        ancestors = occupancy.ancestors_in_scope(user, [unit])[unit.pk]
        positions = occupancy.unit_positions(unit, on=today)
        official_ids = {
            posting.official_id
            for position in positions
            for posting in position.holders + position.concurrent_holders
        }
        context.update(
            unit=unit,
            today=today,
            on=today,
            on_today=today == timezone.localdate(),
            as_of_form=as_of_form,
            ancestors=ancestors,
            parent_in_scope=bool(ancestors) and ancestors[-1].pk == unit.parent_id,
            children=occupancy.unit_children(user, [unit.pk], on=today),
            active_positions=[position for position in positions if position.is_active],
            inactive_positions=[position for position in positions if not position.is_active],
            occupancy=occupancy.occupancy_of(positions),
            official_counts=occupancy.officials_in_unit(user, unit),
            openable=occupancy.visible_official_ids(user, official_ids),
            can_edit_in_admin=_can_edit_in_admin(user, OrgUnit),
            # Only what reorganisations applied did (one being prepared changes nothing yet).
            came_from=unit.successions_as_successor.filter(reorganisation__applied_at__isnull=False)
            .select_related("predecessor", "reorganisation")
            .order_by("reorganisation__effective_on", "id"),
            continued_in=unit.successions_as_predecessor.filter(
                reorganisation__applied_at__isnull=False
            )
            .select_related("successor", "reorganisation")
            .order_by("reorganisation__effective_on", "id"),
        )
        return context


class PositionDetailView(StaffRequiredMixin, TemplateView):
    """A position: its facts, who held it when (with gaps), concurrent holders, planning."""

    template_name = "personnel/position_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        position = get_scoped_or_404(
            Position.objects.select_related("org_unit__sector"), user, pk=self.kwargs["pk"]
        )
        primary, concurrent = occupancy.position_postings(user, position)
        timeline = occupancy.position_timeline(primary, today=today)
        holders = [posting for posting in primary if occupancy.is_active_on(posting, today)]
        term = term_on(today).name
        candidates = occupancy.planned_candidates(user, position, term=term)
        official_ids = {p.official_id for p in primary + concurrent}
        official_ids |= {entry.official_id for entry in candidates}
        context.update(
            position=position,
            unit=position.org_unit,
            today=today,
            ancestors=occupancy.ancestors_in_scope(user, [position.org_unit])[position.org_unit_id],
            timeline=timeline,
            holders=holders,
            current_gap=timeline[0] if timeline and timeline[0].is_gap else None,
            concurrent=occupancy.posting_entries(concurrent, today=today),
            term=term,
            candidates=candidates,
            openable=occupancy.visible_official_ids(user, official_ids),
            can_edit_in_admin=_can_edit_in_admin(user, Position),
        )
        return context


class VacantPostsForm(BootstrapFormMixin, forms.Form):
    post_type = forms.ModelChoiceField(
        label=_("Loại chức danh"),
        queryset=PostType.objects.all(),
        required=False,
        empty_label=_("Tất cả"),
    )
    level = forms.ChoiceField(
        label=_("Cấp"), choices=[("", _("Tất cả")), *Level.choices], required=False
    )


class VacantPostsView(StaffRequiredMixin, TemplateView):
    """Vacant posts of the whole scope by post type ("every vacant commune chair")."""

    template_name = "personnel/vacant_posts.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of_form, on = as_of(self.request)
        form = VacantPostsForm(self.request.GET or None)
        positions = occupancy.vacant_positions(self.request.user, on=on)
        summary = occupancy.vacancies_by_post_type(positions)
        if form.is_bound and form.is_valid():
            if form.cleaned_data["post_type"]:
                positions = positions.filter(post_type=form.cleaned_data["post_type"])
            if form.cleaned_data["level"]:
                positions = positions.filter(org_unit__level=form.cleaned_data["level"])
        paginator = CappedPaginator(
            positions.select_related("org_unit", "post_type").order_by(
                "post_type__display_order", "org_unit__path", "display_order", "id"
            ),
            self.page_size,
        )
        context.update(
            form=form,
            as_of_form=as_of_form,
            on=on,
            summary=summary,
            total=sum(row["n"] for row in summary),
            page=paginator.get_page(self.request.GET.get("page")),
        )
        return context


class UnitAutocompleteView(StaffRequiredMixin, View):
    """{"results": [{"id", "text": unit name}]}: at most 20 units of the user's scope."""

    def get(self, request):
        units = autocomplete_units(OrgUnit.objects.for_user(request.user), request.GET.get("q", ""))
        return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in units]})


class PositionAutocompleteView(StaffRequiredMixin, View):
    """Active positions of the scope ("Title – Unit name"); ``?unit=`` limits to a subtree,
    ``?org_unit=`` to the unit itself (the position picker of a form sends the chosen unit)."""

    def get(self, request):
        positions = (
            Position.objects.for_user(request.user)
            .filter(is_active=True)
            .filter(valid_on_q(timezone.localdate(), "org_unit__"))
        )
        unit_id = request.GET.get("unit", "").strip()
        if unit_id:
            unit = (
                OrgUnit.objects.for_user(request.user).filter(pk=unit_id).first()
                if is_id(unit_id)
                else None
            )
            if unit is None:
                return JsonResponse({"results": []})
            positions = positions.filter(org_unit__path__startswith=unit.path)
        org_unit_id = request.GET.get("org_unit", "").strip()
        if org_unit_id:
            if not is_id(org_unit_id):
                return JsonResponse({"results": []})
            positions = positions.filter(org_unit_id=org_unit_id)
        found = autocomplete_positions(positions, request.GET.get("q", ""))
        return JsonResponse({"results": [{"id": pk, "text": label} for pk, label in found]})


urlpatterns = [
    path("units/", UnitTreeView.as_view(), name="unit_tree"),
    path("positions/vacant/", VacantPostsView.as_view(), name="vacant_posts"),
    path("units/autocomplete/", UnitAutocompleteView.as_view(), name="unit_autocomplete"),
    path("units/<int:pk>/", UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/children/", UnitChildrenView.as_view(), name="unit_children"),
    path("positions/<int:pk>/", PositionDetailView.as_view(), name="position_detail"),
    path(
        "positions/autocomplete/", PositionAutocompleteView.as_view(), name="position_autocomplete"
    ),
]
