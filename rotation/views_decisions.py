"""Decision pages: list, detail, create and edit (the header fields)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from accounts.access import (
    CappedPaginator,
    ClampedPaginationMixin,
    OfficerRequiredMixin,
    StaffRequiredMixin,
)
from accounts.audit import audit_record
from accounts.choices import Role
from accounts.models import AuditEvent
from personnel.exports import CONTENT_TYPES, ExportHeader, describe_filters

from . import disclosure, exports, services
from .choices import DecisionStatus
from .filters import DecisionFilterSet
from .forms import CancelForm, ConsultationAnswerForm, DecisionForm
from .models import Consultation, Decision, Movement
from .views import (
    EDITABLE_STATUSES,
    add_service_error,
    allowed_actions,
    decision_for_user,
    managed_decision,
)


def _count_of(model, **conditions):
    """Rows of ``model`` per decision, as a correlated subquery (no join on the list)."""
    rows = (
        model.objects.filter(decision=OuterRef("pk"), **conditions)
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def filtered_decisions(request) -> DecisionFilterSet:
    """The FilterSet of the list and its export, over the decisions the user may see."""
    visible = Decision.objects.for_user(request.user).values("pk")
    decisions = (
        Decision.objects.filter(pk__in=visible)
        .select_related("issued_by")
        .annotate(
            n_movements=_count_of(Movement),
            n_pending=_count_of(Consultation, answered_on__isnull=True),
        )
    )
    return DecisionFilterSet(request.GET, queryset=decisions, request=request)


class DecisionListView(StaffRequiredMixin, ClampedPaginationMixin, ListView):
    template_name = "rotation/decision_list.html"
    context_object_name = "decisions"
    paginate_by = 30
    paginator_class = CappedPaginator

    def get_queryset(self):
        self.filterset = filtered_decisions(self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        context["filter_form"] = form
        context["is_filtered"] = any(
            self.request.GET.get(name) for name in form.fields if name != "sort"
        )
        return context


class DecisionDetailView(StaffRequiredMixin, DetailView):
    template_name = "rotation/decision_detail.html"
    context_object_name = "decision"

    def get_object(self, queryset=None):
        queryset = Decision.objects.select_related("issued_by", "created_by", "approved_by")
        return decision_for_user(self.request, self.kwargs["pk"], queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision, user = self.object, self.request.user
        # The buttons depend on every movement (counts and dates only, nothing shown).
        actions_on = list(decision.movements.only("decision", "applied_at", "effective_on"))
        movements = disclosure.attach_findings(
            user,
            disclosure.movements_visible_to(user, decision).select_related(
                "official",
                "from_posting__org_unit",
                "origin_position__org_unit",
                "to_position__org_unit",
            ),
        )
        consultations = list(
            disclosure.consultations_visible_to(user, decision).select_related("org_unit")
        )
        actions = allowed_actions(user, decision, actions_on)
        answerable = set()
        if decision.status == DecisionStatus.CONSULTING and user.has_role(Role.OFFICER):
            answerable = set(
                Consultation.objects.for_user(user)
                .filter(decision=decision, answered_on__isnull=True)
                .values_list("pk", flat=True)
            )
        for consultation in consultations:
            consultation.answer_form = (
                ConsultationAnswerForm(consultation=consultation)
                if consultation.pk in answerable
                else None
            )
        context.update(
            movements=movements,
            hidden_movements=len(actions_on) - len(movements),
            consultations=consultations,
            hidden_consultations=decision.consultations.count() - len(consultations),
            pending_count=sum(1 for c in consultations if c.answered_on is None),
            findings_count=sum(len(m.shown_findings) for m in movements),
            actions=actions,
            cancel_form=CancelForm() if actions.cancel else None,
        )
        return context


class DecisionCreateView(OfficerRequiredMixin, FormView):
    template_name = "rotation/decision_form.html"
    form_class = DecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decision = services.decision_create(
                number=data["number"],
                issued_by=data["issued_by"],
                title=data["title"],
                signed_on=data.get("signed_on"),
                note=data.get("note", ""),
                created_by=self.request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã tạo dự thảo quyết định %(number)s. Bước tiếp theo: thêm các lượt điều chuyển.")
            % {"number": decision.number},
        )
        return redirect("decision_detail", pk=decision.pk)


class DecisionUpdateView(OfficerRequiredMixin, FormView):
    """Number, title, signed date and note, while the decision is editable: through
    ``decision_update``, which reads the status under a lock (the check in ``dispatch``
    only spares a form that could not be saved)."""

    template_name = "rotation/decision_form.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.decision = managed_decision(request, kwargs["pk"])
        if self.decision.status not in EDITABLE_STATUSES:
            messages.error(
                request,
                _("Không sửa được quyết định đang ở trạng thái “%(status)s”.")
                % {"status": self.decision.get_status_display()},
            )
            return redirect("decision_detail", pk=self.decision.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": self.decision,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)

    def form_valid(self, form):
        changed = [name for name in form.changed_data if name != "issued_by"]
        if not changed:
            messages.info(self.request, _("Không có thay đổi nào."))
            return redirect("decision_detail", pk=self.decision.pk)
        try:
            decision = services.decision_update(
                decision=self.decision,
                by=self.request.user,
                **{name: form.cleaned_data[name] for name in changed},
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        labels = ", ".join(str(form.fields[name].label).lower() for name in changed)
        messages.success(
            self.request,
            _("Đã cập nhật quyết định %(number)s: %(fields)s.")
            % {"number": decision.number, "fields": labels},
        )
        return redirect("decision_detail", pk=decision.pk)


class DecisionExportView(StaffRequiredMixin, View):
    """The filtered decisions and their movements as one workbook (XLSX), audited."""

    def get(self, request):
        params = request.GET.copy()
        back = reverse("decision_list") + (f"?{params.urlencode()}" if params else "")
        filterset = filtered_decisions(request)
        if not filterset.is_valid():
            messages.error(
                request, _("Bộ lọc có giá trị không hợp lệ; hãy sửa bộ lọc rồi xuất lại.")
            )
            return redirect(back)
        queryset = filterset.qs
        limit = exports.MAX_EXPORT_DECISIONS
        if queryset[: limit + 1].count() > limit:
            messages.error(
                request,
                _(
                    "Danh sách có hơn %(max)s quyết định, vượt giới hạn một lần xuất; hãy thu "
                    "hẹp bộ lọc (ví dụ theo ngày ký) rồi xuất lại."
                )
                % {"max": number_format(limit, force_grouping=True)},
            )
            return redirect(back)
        now = timezone.now()
        header = ExportHeader(
            user=f"{request.user} ({request.user.username})",
            at=now,
            filters=describe_filters(filterset),
        )
        content, count = exports.to_xlsx(queryset, header, user=request.user)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type=Decision._meta.label,
            detail=_("%(n)d quyết định, xlsx") % {"n": count},
        )
        response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
        name = f"danh-sach-quyet-dinh_{timezone.localtime(now):%Y%m%d-%H%M}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
