from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_mixins import (
    ScopedForeignKeyMixin,
    ScopedHistoryAdmin,
    ServiceWriteAdminMixin,
    ServiceWriteInlineMixin,
)

from . import disclosure, services
from .choices import DecisionStatus
from .models import (
    Consultation,
    Decision,
    Movement,
    NotificationFailure,
)


def findings_html(movement) -> str:
    """The findings as the viewer may read them (``shown_findings``, set per request);
    without them, no other official is named at all."""
    if not movement or not movement.findings:
        return "—"
    shown = getattr(movement, "shown_findings", None)
    if shown is None:
        shown = disclosure.redact_findings(None, movement.findings)
    return format_html(
        "<ul class='findings-list'>{}</ul>",
        format_html_join("", "<li>⚠ {}</li>", ((f["message"],) for f in shown)),
    )


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = [
            "official",
            "kind",
            "from_posting",
            "origin_position",
            "to_position",
            "effective_on",
            "term_months",
            "serves_non_local_or_term_limit",
            "note",
        ]

    def clean(self):
        data = super().clean()
        if self.errors or not self.instance.decision_id:
            return data
        candidate = self.instance
        for name in self._meta.fields:
            if name in data:
                setattr(candidate, name, data[name])
        try:
            services.movement_validate(candidate)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return data


class MovementInline(ScopedForeignKeyMixin, admin.StackedInline):
    model = Movement
    form = MovementForm
    extra = 0
    autocomplete_fields = ("official", "to_position", "origin_position", "from_posting")
    fields = (
        ("official", "kind"),
        ("from_posting", "origin_position"),
        ("to_position", "effective_on", "term_months"),
        "serves_non_local_or_term_limit",
        "note",
        ("direction", "expected_end_on", "applied_at"),
        "findings_display",
    )
    readonly_fields = ("direction", "expected_end_on", "applied_at", "findings_display")

    @admin.display(description=gettext_lazy("kết quả kiểm tra quy định"))
    def findings_display(self, obj):
        return findings_html(obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        viewer = request.user

        class FindingsForViewer(formset):
            def _construct_form(self, i, **form_kwargs):
                form = super()._construct_form(i, **form_kwargs)
                if form.instance.pk:
                    form.instance.shown_findings = disclosure.findings_for(viewer, form.instance)
                return form

        return FindingsForViewer

    def _editable(self, request, obj):
        if obj is None:
            return True
        return obj.status == DecisionStatus.DRAFT and services.decision_manageable_by(
            request.user, obj
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ConsultationInline(ServiceWriteInlineMixin, admin.TabularInline):
    model = Consultation
    extra = 0
    fields = (
        "role",
        "org_unit",
        "requested_on",
        "notified_at",
        "answered_on",
        "opinion",
        "opinion_text",
    )
    readonly_fields = ("role", "org_unit", "requested_on", "notified_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        consulting = obj is not None and obj.status == DecisionStatus.CONSULTING
        return consulting and super().has_change_permission(request, obj)

    def service_save_row(self, request, form):
        data = form.cleaned_data
        return services.consultation_answer(
            consultation=form.instance,
            opinion=data.get("opinion") or "",
            opinion_text=data.get("opinion_text", ""),
            answered_on=data.get("answered_on"),
            by=request.user,
        )


class NotificationFailureInline(admin.TabularInline):
    """Emails of the decision that could not be sent, and their retries (read only)."""

    model = NotificationFailure
    extra = 0
    fields = readonly_fields = (
        "event",
        "unit_count",
        "attempts",
        "last_failed_at",
        "will_retry",
        "resolved_at",
        "error",
    )

    def has_view_permission(self, request, obj=None):
        # Shown only on a decision that has some: no empty table, no extra form to post.
        has_some = obj is not None and obj.notification_failures.exists()
        return has_some and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(Decision)
class DecisionAdmin(ServiceWriteAdminMixin, ScopedHistoryAdmin):
    list_display = (
        "number",
        "title",
        "issued_by",
        "signed_on",
        "status",
        "movement_count",
        "is_fait_accompli",
    )
    list_filter = ("status", "is_fait_accompli", "issued_by__level", "signed_on")
    search_fields = ("number", "title")
    list_select_related = ("issued_by",)
    autocomplete_fields = ("issued_by",)
    date_hierarchy = "signed_on"
    inlines = (MovementInline, ConsultationInline, NotificationFailureInline)
    fields = (
        "number",
        "issued_by",
        "title",
        "signed_on",
        "note",
        "status",
        "is_fait_accompli",
        "cancel_reason",
    )
    readonly_fields = ("status", "is_fait_accompli", "cancel_reason")
    actions = ("request_consultations", "approve", "apply_due", "cancel")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_movements=Count("movements", distinct=True))

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A side sees only its own cadres' movements and its own answers (need to know)."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if obj is not None and obj.pk:
            if isinstance(inline, MovementInline):
                kwargs["queryset"] = kwargs["queryset"].filter(
                    pk__in=disclosure.movements_visible_to(request.user, obj).values("pk")
                )
            elif isinstance(inline, ConsultationInline):
                kwargs["queryset"] = kwargs["queryset"].filter(
                    pk__in=disclosure.consultations_visible_to(request.user, obj).values("pk")
                )
        return kwargs

    @admin.display(description=gettext_lazy("số cán bộ"), ordering="n_movements")
    def movement_count(self, obj):
        return obj.n_movements

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        # Decisions moving someone of this scope are visible; only the issuer's side edits.
        return allowed and (obj is None or services.decision_manageable_by(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.decision_manageable_by(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in (DecisionStatus.DRAFT, DecisionStatus.CONSULTING):
            return self.fields
        return self.readonly_fields

    def service_save(self, request, obj, form, change):
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.DECISION_EDITABLE_FIELDS
            }
            return (
                services.decision_update(decision=obj, by=request.user, **fields) if fields else obj
            )
        return services.decision_create(
            number=obj.number,
            issued_by=obj.issued_by,
            title=obj.title,
            signed_on=obj.signed_on,
            note=obj.note,
            created_by=request.user,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Movement:
            return self._save_movements(request, form.instance, formset)
        return super().save_formset(request, form, formset, change)

    def _save_movements(self, request, decision, formset):
        formset.save(commit=False)
        for movement in formset.deleted_objects:
            services.movement_remove(movement=movement, by=request.user)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = {
                k: v
                for k, v in inline_form.cleaned_data.items()
                if k in services.MOVEMENT_EDITABLE_FIELDS
            }
            if inline_form.instance.pk:
                services.movement_update(movement=inline_form.instance, by=request.user, **data)
            else:
                services.movement_add(
                    decision=decision,
                    official=inline_form.cleaned_data["official"],
                    by=request.user,
                    **data,
                )

    def _run(self, request, queryset, action, done_message):
        done = 0
        for decision in queryset:
            try:
                action(decision)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{decision.number}: {text}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Gửi xin ý kiến nơi đi, nơi đến, cấp ủy địa phương"),
        permissions=["change"],
    )
    def request_consultations(self, request, queryset):
        self._run(
            request,
            queryset,
            lambda d: services.decision_request_consultations(decision=d, by=request.user),
            _("Đã gửi xin ý kiến cho %(n)d quyết định."),
        )

    @admin.action(description=gettext_lazy("Ban hành (phê duyệt)"), permissions=["change"])
    def approve(self, request, queryset):
        def approve_one(decision):
            services.decision_approve(decision=decision, by=request.user)
            decision.refresh_from_db()
            if decision.is_fait_accompli:
                self.message_user(
                    request,
                    _("%(number)s được ban hành khi chưa có đủ ý kiến: ghi nhận là “sự đã rồi”.")
                    % {"number": decision.number},
                    messages.WARNING,
                )

        self._run(request, queryset, approve_one, _("Đã ban hành %(n)d quyết định."))

    @admin.action(
        description=gettext_lazy("Thi hành các lượt đã đến ngày hiệu lực"), permissions=["change"]
    )
    def apply_due(self, request, queryset):
        from .views_actions import apply_messages

        for decision in queryset:

            def add(request, level, text, number=decision.number):
                self.message_user(request, f"{number}: {text}", level)

            try:
                report = services.decision_apply_due(decision=decision, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = "; ".join(getattr(error, "messages", [str(error)]))
                add(request, messages.ERROR, text)
                continue
            except DatabaseError:
                add(
                    request,
                    messages.ERROR,
                    _("Không kết nối được cơ sở dữ liệu; chưa thi hành lượt nào."),
                )
                continue
            apply_messages(request, report, add=add)

    @admin.action(description=gettext_lazy("Hủy quyết định"), permissions=["change"])
    def cancel(self, request, queryset):
        form = CancelForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            self._run(
                request,
                queryset,
                lambda d: services.decision_cancel(decision=d, reason=reason, by=request.user),
                _("Đã hủy %(n)d quyết định."),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Hủy quyết định"),
            "queryset": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/rotation/decision/cancel.html", context)


# The other records' admin, by concern (imported here so that admin's autodiscovery finds it).
from . import admin_records, admin_reorganisations, admin_summary  # noqa: E402, F401
