"""Movements of a draft decision: add, edit, remove, and the live rule check (HTMX)."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from accounts.access import OfficerRequiredMixin
from personnel.text import format_day

from . import disclosure, rules, services
from .choices import DecisionStatus
from .directions import direction_label
from .forms import MovementForm
from .models import Movement
from .views import add_service_error, managed_decision


def preview(form, decision, user, original: Movement | None = None) -> dict:
    """The movement the form describes, unsaved: direction, expected end, findings, errors.

    The findings are those ``user`` may read: another official's name (the current holder
    of the post) only when the user's scope reaches that official.
    """
    data = getattr(form, "cleaned_data", {})
    official = original.official if original is not None else data.get("official")
    position, effective_on, kind = (
        data.get("to_position"),
        data.get("effective_on"),
        data.get("kind"),
    )
    if not (official and position and effective_on and kind):
        return {"ready": False}
    from_posting = services.movement_from_posting(
        official_id=official.pk, effective_on=effective_on, original=original
    )
    movement = Movement(
        pk=original.pk if original is not None else None,
        decision=decision,
        official=official,
        kind=kind,
        from_posting=from_posting,
        origin_position=original.origin_position
        if original is not None and from_posting is None
        else None,
        to_position=position,
        effective_on=effective_on,
        term_months=data.get("term_months"),
        serves_non_local_or_term_limit=bool(data.get("serves_non_local_or_term_limit")),
    )
    errors = []
    try:
        services.movement_validate(movement)
    except ValidationError as error:
        errors += error.messages
    try:
        end = services.expected_end(effective_on, movement.term_months)
    except ValidationError as error:
        end = None
        errors += error.messages
    return {
        "ready": True,
        "movement": movement,
        "from_posting": from_posting,
        "direction": direction_label(services.movement_direction(movement)),
        "expected_end": end,
        "findings": disclosure.redact_findings(user, rules.evaluate(movement)),
        "errors": errors,
    }


def _describe(movement: Movement) -> dict:
    return {
        "kind": movement.get_kind_display().lower(),
        "name": movement.official.full_name,
        "position": str(movement.to_position),
        "on": format_day(movement.effective_on),
        "direction": movement.get_direction_display(),
    }


def _report_saved(request, movement: Movement, template: str) -> None:
    text = template % _describe(movement)
    if movement.findings:
        text += " " + _("Có %(n)d điểm cần lưu ý theo quy định, xem cột “Kết quả kiểm tra”.") % {
            "n": len(movement.findings)
        }
        messages.warning(request, text)
    else:
        messages.success(request, text)


class DraftDecisionMixin(OfficerRequiredMixin):
    """Loads ``self.decision`` (404 outside scope, 403 without the right); drafts only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.decision = managed_decision(request, kwargs["pk"])
        self.original = None
        if "mpk" in kwargs:
            self.original = get_object_or_404(
                self.decision.movements.select_related(
                    "official", "from_posting", "origin_position", "to_position__org_unit"
                ),
                pk=kwargs["mpk"],
            )
        if self.decision.status != DecisionStatus.DRAFT:
            text = _(
                "Chỉ thêm, sửa, xóa lượt điều chuyển khi quyết định còn là dự thảo; "
                "quyết định đang ở trạng thái “%(status)s”."
            ) % {"status": self.decision.get_status_display()}
            return self.refuse(request, text)
        return super().dispatch(request, *args, **kwargs)

    def refuse(self, request, text):
        messages.error(request, text)
        return redirect("decision_detail", pk=self.decision.pk)

    def get_form_kwargs(self):
        kwargs = {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "decision": self.decision,
        }
        if self.original is not None:
            # The form writes cleaned values onto its instance; keep the original intact.
            kwargs["instance"] = copy.copy(self.original)
        return kwargs


class MovementFormView(DraftDecisionMixin, FormView):
    template_name = "rotation/movement_form.html"
    form_class = MovementForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            decision=self.decision,
            movement=self.original,
            check=preview(form, self.decision, self.request.user, self.original)
            if form.is_bound
            else None,
        )
        return context

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if "add_another" in self.request.POST:
            return redirect("movement_add", pk=self.decision.pk)
        return redirect("decision_detail", pk=self.decision.pk)


class MovementAddView(MovementFormView):
    def save(self, data) -> Movement:
        movement = services.movement_add(
            decision=self.decision,
            official=data["official"],
            by=self.request.user,
            **{name: data[name] for name in services.MOVEMENT_CHOSEN_FIELDS},
        )
        _report_saved(
            self.request,
            movement,
            _("Đã thêm lượt %(kind)s: %(name)s → %(position)s, hiệu lực %(on)s (%(direction)s)."),
        )
        return movement


class MovementUpdateView(MovementFormView):
    def save(self, data) -> Movement:
        changes = {name: data[name] for name in services.MOVEMENT_CHOSEN_FIELDS}
        fresh = Movement.objects.select_related("decision").get(pk=self.original.pk)
        movement = services.movement_update(movement=fresh, by=self.request.user, **changes)
        _report_saved(
            self.request,
            movement,
            _("Đã sửa lượt %(kind)s: %(name)s → %(position)s, hiệu lực %(on)s (%(direction)s)."),
        )
        return movement


class MovementCheckView(DraftDecisionMixin, View):
    """HTMX: the rule findings of the movement being typed, without saving it."""

    http_method_names = ["post"]

    def refuse(self, request, text):
        context = {"check": {"ready": False, "refused": text}}
        return TemplateResponse(request, "rotation/partials/movement_check.html", context)

    def post(self, request, *args, **kwargs):
        kwargs = {"user": request.user, "decision": self.decision}
        if self.original is not None:
            kwargs["instance"] = copy.copy(self.original)
        form = MovementForm(request.POST, **kwargs)
        form.is_valid()
        context = {"check": preview(form, self.decision, request.user, self.original)}
        return TemplateResponse(request, "rotation/partials/movement_check.html", context)


class MovementRemoveView(DraftDecisionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        movement = self.original
        details = _describe(movement)
        try:
            services.movement_remove(movement=movement, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã xóa khỏi dự thảo lượt %(kind)s của %(name)s (→ %(position)s).") % details,
            )
        return redirect("decision_detail", pk=self.decision.pk)
