"""Workflow actions on a decision, each a POST that says what changed afterwards.

Send for consultation, record an answer, approve, apply the due movements, cancel.
A service's ValidationError becomes an error message (or form error) and changes
nothing; a missing role or an issuer outside the user's scope answers 403.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.access import ApproverRequiredMixin, OfficerRequiredMixin, get_scoped_or_404
from accounts.choices import Role
from personnel.models import OrgUnit
from personnel.text import format_day

from . import services
from .choices import ConsultationRole, DecisionStatus
from .consultations import missing_answers
from .forms import ApproveForm, CancelForm, ConsultationAnswerForm
from .models import Consultation
from .views import EDITABLE_STATUSES, add_service_error, error_messages, managed_decision, people

logger = logging.getLogger(__name__)


def _back(decision):
    return redirect("decision_detail", pk=decision.pk)


def _places(consultations) -> str:
    return "; ".join(f"{c.org_unit} ({c.get_role_display().lower()})" for c in consultations)


class RequestConsultationsView(OfficerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = managed_decision(request, pk)
        try:
            created = services.decision_request_consultations(decision=decision, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error_messages(error)))
            return _back(decision)
        text = _(
            "Đã gửi xin ý kiến về quyết định %(number)s; quyết định chuyển sang trạng thái "
            "“Đang trao đổi ý kiến”."
        ) % {"number": decision.number}
        if created:
            text += " " + _("Đã hỏi %(n)d nơi: %(places)s. Các nơi có địa chỉ thư sẽ nhận thư.") % {
                "n": len(created),
                "places": _places(Consultation.objects.filter(pk__in=[c.pk for c in created])),
            }
        messages.success(request, text)
        return _back(decision)


def missing_consultations(decision) -> list[dict]:
    """Who has not answered yet (never asked counts), with unit names, for the approve page."""
    missing = missing_answers(decision)
    units = OrgUnit.objects.in_bulk([m.org_unit_id for m in missing])
    roles = dict(ConsultationRole.choices)
    return [{"unit": units.get(m.org_unit_id), "role": roles[m.role]} for m in missing]


class ApproveView(ApproverRequiredMixin, View):
    """A small page: the signed date, and who has not answered (fait accompli or blocked)."""

    template_name = "rotation/decision_approve.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.decision = managed_decision(request, kwargs["pk"], role=Role.APPROVER)
        if self.decision.status not in EDITABLE_STATUSES:
            messages.error(
                request,
                _("Không thể ban hành: quyết định đang ở trạng thái “%(status)s”.")
                % {"status": self.decision.get_status_display()},
            )
            return _back(self.decision)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, missing):
        decision = self.decision
        movements = list(decision.movements.select_related("official"))
        context = {
            "decision": decision,
            "form": form,
            "missing": missing,
            "blocked": bool(missing) and decision.issued_by.requires_consultation_answers,
            "movement_count": len(movements),
            "findings_count": sum(len(m.findings) for m in movements),
        }
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        initial = {"signed_on": self.decision.signed_on or timezone.localdate()}
        return self.render(ApproveForm(initial=initial), missing_consultations(self.decision))

    def post(self, request, pk):
        form = ApproveForm(request.POST)
        missing = missing_consultations(self.decision)
        if not form.is_valid():
            return self.render(form, missing)
        try:
            decision = services.decision_approve(
                decision=self.decision, by=request.user, signed_on=form.cleaned_data["signed_on"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.render(form, missing)
        facts = {
            "number": decision.number,
            "date": format_day(decision.signed_on),
            "n": len(missing),
        }
        if decision.is_fait_accompli:
            text = _(
                "Đã ban hành quyết định %(number)s, ngày ký %(date)s; %(n)d nơi chưa có ý kiến "
                "trả lời: ghi nhận là “sự đã rồi”."
            )
            level = messages.WARNING
        else:
            text = _("Đã ban hành quyết định %(number)s, ngày ký %(date)s, với đủ ý kiến trả lời.")
            level = messages.SUCCESS
        text = (text % facts) + " " + _("Nơi đi và nơi đến được thông báo qua thư.")
        due = decision.movements.filter(effective_on__lte=timezone.localdate()).count()
        if due:
            text += " " + _(
                "%(n)d lượt đã đến ngày hiệu lực: bấm “Thi hành” để cập nhật quá trình công tác."
            ) % {"n": due}
        messages.add_message(request, level, text)
        return _back(decision)


class ApplyView(OfficerRequiredMixin, View):
    """Apply every movement of an approved decision whose effective date has come.

    Says, movement by movement, what was applied and what was not and why; a movement
    left by a dropped connection is applied by pressing again.
    """

    http_method_names = ["post"]

    def post(self, request, pk):
        decision = managed_decision(request, pk)
        try:
            report = services.decision_apply_due(decision=decision, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error_messages(error)))
            return _back(decision)
        except DatabaseError:
            logger.exception("decision %s: applying failed before any movement", decision.pk)
            messages.error(
                request,
                _(
                    "Không kết nối được cơ sở dữ liệu; chưa thi hành lượt nào. "
                    "Hãy bấm “Thi hành” lại sau ít phút."
                ),
            )
            return _back(decision)
        apply_messages(request, report)
        return _back(decision)


def apply_messages(request, report: services.DecisionApplyReport, add=messages.add_message):
    """One message for what was applied, one for each movement that was not, and why."""
    if not report.outcomes:
        add(
            request,
            messages.INFO,
            _("Không có lượt nào đã đến ngày hiệu lực mà chưa thi hành."),
        )
        return
    applied = [o.movement for o in report.applied]
    if applied:
        text = _(
            "Đã thi hành %(n)d lượt: %(names)s; quá trình công tác của các cán bộ đã được cập nhật."
        ) % {"n": len(applied), "names": people(applied, limit=len(applied))}
        if report.not_yet_due:
            text += " " + _("Còn %(n)d lượt chưa đến ngày hiệu lực.") % {"n": report.not_yet_due}
        add(request, messages.SUCCESS, text)
    already = [o.movement for o in report.already_applied]
    if already:
        add(
            request,
            messages.INFO,
            _("Lượt của %(names)s đã được thi hành trước đó (không thi hành lại).")
            % {"names": people(already, limit=len(already))},
        )
    for outcome in report.not_applied:
        add(
            request,
            messages.ERROR,
            _("Chưa thi hành được lượt của %(name)s: %(reason)s")
            % {"name": outcome.movement.official.full_name, "reason": outcome.reason},
        )
    if report.failed:
        add(
            request,
            messages.WARNING,
            _(
                "Các lượt đã thi hành được giữ nguyên; bấm “Thi hành” lại để thi hành "
                "%(n)d lượt còn lại."
            )
            % {"n": len(report.failed)},
        )


class CancelView(OfficerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        decision = managed_decision(request, pk)
        if decision.status == DecisionStatus.APPROVED and not request.user.has_role(Role.APPROVER):
            raise PermissionDenied
        form = CancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Cần nêu lý do hủy quyết định."))
            return _back(decision)
        try:
            services.decision_cancel(
                decision=decision, reason=form.cleaned_data["reason"], by=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error_messages(error)))
            return _back(decision)
        messages.success(
            request,
            _("Đã hủy quyết định %(number)s. Lý do: %(reason)s")
            % {"number": decision.number, "reason": form.cleaned_data["reason"].strip()},
        )
        return _back(decision)


class ConsultationAnswerView(OfficerRequiredMixin, View):
    """Record the answer of one consulted unit (the decision page links or posts here)."""

    template_name = "rotation/consultation_answer.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        queryset = Consultation.objects.select_related("decision__issued_by", "org_unit")
        self.consultation = get_scoped_or_404(queryset, request.user, pk=kwargs["pk"])
        if self.consultation.decision.status != DecisionStatus.CONSULTING:
            messages.error(
                request,
                _(
                    "Chỉ ghi ý kiến trả lời khi quyết định đang ở trạng thái “Đang trao đổi ý kiến”."
                ),
            )
            return _back(self.consultation.decision)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form):
        context = {"consultation": self.consultation, "decision": self.consultation.decision}
        context["form"] = form
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        return self.render(ConsultationAnswerForm())

    def post(self, request, pk):
        consultation = self.consultation
        form = ConsultationAnswerForm(request.POST, consultation=consultation)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            answered = services.consultation_answer(
                consultation=consultation,
                opinion=data["opinion"],
                opinion_text=data["opinion_text"],
                answered_on=data["answered_on"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.render(form)
        remaining = Consultation.objects.filter(
            decision_id=consultation.decision_id, answered_on__isnull=True
        ).count()
        text = _("Đã ghi ý kiến của %(unit)s (%(role)s): %(opinion)s, ngày %(date)s.") % {
            "unit": consultation.org_unit,
            "role": consultation.get_role_display().lower(),
            "opinion": answered.get_opinion_display(),
            "date": format_day(answered.answered_on),
        }
        text += " " + (
            _("Còn %(n)d nơi chưa trả lời.") % {"n": remaining}
            if remaining
            else _("Tất cả các nơi được hỏi đã trả lời.")
        )
        messages.success(request, text)
        return _back(consultation.decision)
