from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_mixins import AuditedChangeViewMixin, NotFoundAdminMixin, ScopedAdminMixin
from accounts.audit import audit_record
from accounts.models import AuditEvent
from config import admin_display

from . import delivery, exports, registry
from .choices import DeliveryStatus, RunStatus
from .models import Delivery, DeliveryAttempt, NonLocalTarget, ReportRun, Subscription


def report_choices():
    return [(d.code, str(d.title)) for d in registry.all_reports()]


class ReportFilter(admin.SimpleListFilter):
    """Filter by report, listed by title (the rows store the report's code)."""

    title = gettext_lazy("báo cáo")
    parameter_name = "report"

    def lookups(self, request, model_admin):
        return report_choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(report=self.value())
        return queryset


@admin.register(ReportRun)
class ReportRunAdmin(AuditedChangeViewMixin, ScopedAdminMixin, admin.ModelAdmin):
    audit_action = AuditEvent.Action.VIEW_REPORT
    list_display = (
        "created_at",
        "report_title",
        "scope",
        "date_from",
        "date_to",
        "status",
        "duration_ms",
        "requested_by",
        "downloads",
    )
    list_filter = ("status", ReportFilter)
    list_select_related = ("scope", "requested_by")
    readonly_fields = (
        "report_title",
        "scope",
        "date_from",
        "date_to",
        "params_text",
        "status",
        "error",
        "attempts",
        "lease_expires_at",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "duration_ms",
        "downloads",
        "result_html",
    )
    fields = readonly_fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("báo cáo"))
    def report_title(self, obj):
        return obj.title

    @admin.display(description=gettext_lazy("tham số"))
    def params_text(self, obj):
        return admin_display.params_text(obj.report, obj.params)

    @admin.display(description=gettext_lazy("tải về"))
    def downloads(self, obj):
        if obj.status != RunStatus.SUCCEEDED:
            return "—"
        xlsx = reverse("admin:reports_reportrun_download", args=[obj.pk, "xlsx"])
        csv = reverse("admin:reports_reportrun_download", args=[obj.pk, "csv"])
        return format_html('<a href="{}">Excel</a> · <a href="{}">CSV</a>', xlsx, csv)

    @admin.display(description=gettext_lazy("kết quả"))
    def result_html(self, obj):
        if obj.status != RunStatus.SUCCEEDED:
            return obj.error or "—"
        return render_to_string(
            "reports/result_page.html",
            {
                "result": obj.result,
                "tables": obj.result["tables"],
                "header": exports.header_lines(obj.result),
            },
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/<str:fmt>/",
                self.admin_site.admin_view(self.download),
                name="reports_reportrun_download",
            ),
            *super().get_urls(),
        ]

    def download(self, request, pk, fmt):
        run = get_object_or_404(self.get_queryset(request), pk=pk, status=RunStatus.SUCCEEDED)
        if not self.has_view_permission(request, run):
            raise Http404
        if fmt == "xlsx":
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            body = exports.run_xlsx(run)
        elif fmt == "csv":
            content_type, body = "text/csv; charset=utf-8", exports.to_csv(run.result)
        else:
            raise Http404
        audit_record(
            user=request.user,
            action=AuditEvent.Action.DOWNLOAD_REPORT,
            obj=run,
            detail=f"admin {fmt}",
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{exports.filename(run.result, fmt)}"'
        )
        return response


@admin.register(Subscription)
class SubscriptionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The list, its actions and deletion; a subscription is created and edited on its staff
    page, the one subscription form (schedule in words, recipients within the scope,
    the report's own parameters), which admin's add and change links open."""

    list_display = (
        "name",
        "report_title",
        "scope",
        "period_rule",
        "schedule_text",
        "is_active",
        "last_delivery",
    )
    list_filter = ("is_active", ReportFilter, "period_rule")
    search_fields = ("name",)
    list_select_related = ("scope", "schedule")
    autocomplete_fields = ("scope", "recipients")
    filter_horizontal = ()
    actions = ("send_now",)

    @admin.display(description=gettext_lazy("báo cáo"), ordering="report")
    def report_title(self, obj):
        return admin_display.report_title(obj.report)

    @admin.display(description=gettext_lazy("lịch gửi"))
    def schedule_text(self, obj):
        return admin_display.crontab_text(obj.schedule)

    def get_queryset(self, request):
        """Each row's latest delivery comes with the list (two subqueries, no query per row)."""
        latest = Delivery.objects.filter(subscription=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_status=Subquery(latest.values("status")[:1]),
                last_created_at=Subquery(latest.values("created_at")[:1]),
            )
        )

    @admin.display(description=gettext_lazy("lần gửi gần nhất"))
    def last_delivery(self, obj):
        if getattr(obj, "last_status", None) is None:
            return "—"
        status = dict(DeliveryStatus.choices).get(obj.last_status, obj.last_status)
        return f"{status} ({admin_display.datetime_text(obj.last_created_at)})"

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("subscription_create")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        subscription = self.get_object(request, unquote(object_id))
        if subscription is None:
            raise Http404
        return redirect("subscription_update", pk=subscription.pk)

    def delete_model(self, request, obj):
        delivery.subscription_delete(subscription=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            delivery.subscription_delete(subscription=obj)

    @admin.action(description=gettext_lazy("Gửi ngay (kỳ hiện tại)"), permissions=["change"])
    def send_now(self, request, queryset):
        """Queue the current period; a period already sent is sent again only once confirmed."""
        resend = request.POST.get("confirm_resend") == "1"
        queued, sending, to_confirm = 0, 0, []
        for subscription in queryset.select_related("scope"):
            answer = delivery.subscription_send_now(
                subscription=subscription, user=request.user, resend=resend
            )
            if answer.outcome == delivery.SendNow.NEEDS_CONFIRMATION:
                to_confirm.append((subscription, answer.delivery))
            elif answer.outcome == delivery.SendNow.SENDING:
                sending += 1
            else:
                queued += 1
        if queued:
            self.message_user(
                request,
                _(
                    "Đã đưa %(n)d đăng ký vào hàng đợi gửi. Mỗi kỳ chỉ gửi một lần; xem kết quả ở mục Lượt gửi báo cáo."
                )
                % {"n": queued},
                messages.SUCCESS,
            )
        if sending:
            self.message_user(
                request,
                _("%(n)d đăng ký đang được gửi kỳ hiện tại; không gửi thêm.") % {"n": sending},
                messages.WARNING,
            )
        if not to_confirm:
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Gửi lại báo cáo đã gửi?"),
            "items": to_confirm,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reports/subscription/send_now.html", context)


class DeliveryAttemptInline(admin.TabularInline):
    """Every attempt to send the period, kept after later ones (read only)."""

    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = (
        "requested_at",
        "kind",
        "requested_by",
        "started_at",
        "finished_at",
        "status",
        "recipients",
        "error",
    )
    readonly_fields = fields
    ordering = ("requested_at", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "subscription",
        "date_from",
        "date_to",
        "status",
        "attempts",
        "sent_at",
        "recipients",
    )
    list_filter = ("status",)
    list_select_related = ("subscription",)
    inlines = (DeliveryAttemptInline,)
    readonly_fields = (
        "subscription",
        "date_from",
        "date_to",
        "status",
        "run",
        "recipients",
        "attempts",
        "claimed_at",
        "note",
        "created_at",
        "sent_at",
    )

    def get_queryset(self, request):
        visible = Subscription.objects.for_user(request.user)
        return super().get_queryset(request).filter(subscription__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NonLocalTarget)
class NonLocalTargetAdmin(admin.ModelAdmin):
    """Targets of non-local holders by post type, with deadlines (Conclusion 201-KL/TW…)."""

    list_display = ("post_type", "share", "deadline", "basis")
    list_filter = ("deadline", "post_type__level")
    search_fields = ("post_type__name", "basis")
    list_select_related = ("post_type",)
    autocomplete_fields = ("post_type",)
