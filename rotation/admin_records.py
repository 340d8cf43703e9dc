"""Admin of the workflow's records besides decisions: movements (read here, written on their
decision), consultations, reviews of rotated cadres and alerts. Registered when
``rotation.admin`` loads."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_mixins import (
    NotFoundAdminMixin,
    ScopedAdminMixin,
    ScopedForeignKeyMixin,
    ScopedHistoryAdmin,
    ServiceWriteAdminMixin,
)

from . import disclosure, services
from .admin import findings_html
from .alerts import alert_resolve
from .models import (
    Alert,
    Consultation,
    Movement,
    RotationReview,
)
from .views import error_messages


@admin.register(Movement)
class MovementAdmin(ScopedHistoryAdmin):
    list_display = (
        "official",
        "kind",
        "decision",
        "to_position",
        "effective_on",
        "direction",
        "applied_at",
        "outcome",
    )
    list_filter = ("kind", "direction", "decision__status", "outcome")
    search_fields = ("official__search_key", "official__code", "decision__number")
    list_select_related = ("official", "decision", "to_position", "to_position__org_unit")
    autocomplete_fields = ("official", "to_position", "origin_position", "from_posting")
    readonly_fields = (
        "direction",
        "expected_end_on",
        "applied_at",
        "new_posting",
        "ended_on",
        "findings_display",
    )
    show_full_result_count = False

    @admin.display(description=gettext_lazy("kết quả kiểm tra quy định"))
    def findings_display(self, obj):
        return findings_html(obj)

    def get_object(self, request, object_id, from_field=None):
        movement = super().get_object(request, object_id, from_field)
        if movement is not None:
            movement.shown_findings = disclosure.findings_for(request.user, movement)
        return movement

    def has_add_permission(self, request):
        return False  # movements are added on their decision

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ScopedHistoryAdmin):
    list_display = (
        "decision",
        "role",
        "org_unit",
        "requested_on",
        "notified_at",
        "answered_on",
        "opinion",
    )
    list_filter = ("role", "opinion", "decision__status")
    search_fields = ("decision__number", "org_unit__name")
    list_select_related = ("decision", "org_unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)


@admin.register(RotationReview)
class RotationReviewAdmin(
    ServiceWriteAdminMixin, NotFoundAdminMixin, ScopedForeignKeyMixin, admin.ModelAdmin
):
    list_display = ("movement", "period", "year", "rating", "recorded_at")
    list_filter = ("period", "year", "rating")
    autocomplete_fields = ("movement",)
    list_select_related = ("movement__official", "movement__to_position")
    fields = ("movement", "period", "year", "rating", "text")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(movement__in=Movement.objects.for_user(request.user))

    def get_readonly_fields(self, request, obj=None):
        # A review belongs to its rotation: corrected, never moved to another.
        return ("movement",) if obj is not None else ()

    def service_save(self, request, obj, form, change):
        if change:
            fields = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.REVIEW_EDITABLE_FIELDS
            }
            return services.review_update(review=obj, by=request.user, **fields) if fields else obj
        return services.review_record(
            movement=obj.movement,
            period=obj.period,
            year=obj.year,
            rating=obj.rating,
            text=obj.text,
            by=request.user,
        )


@admin.register(Alert)
class AlertAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("raised_on", "kind", "official", "message", "resolved_at", "resolved_by")
    list_filter = ("kind", ("resolved_at", admin.EmptyFieldListFilter), "raised_on")
    search_fields = ("official__search_key", "message")
    list_select_related = ("official", "resolved_by")
    readonly_fields = (
        "kind",
        "official",
        "movement",
        "message",
        "raised_on",
        "resolved_at",
        "resolved_by",
    )
    actions = ("resolve",)

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Đánh dấu đã xử lý"), permissions=["change"])
    def resolve(self, request, queryset):
        """Each open alert through ``alert_resolve`` (role, who and when), as on the page."""
        n = 0
        for alert in queryset.filter(resolved_at__isnull=True):
            try:
                alert_resolve(alert=alert, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, " ".join(error_messages(error)), messages.WARNING)
            else:
                n += 1
        self.message_user(request, _("Đã đánh dấu %(n)d cảnh báo là đã xử lý.") % {"n": n})
