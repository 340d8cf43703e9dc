"""The movement summary's status in admin: when it was last checked, the drift found, and
a rebuild on demand. Superusers only; nothing here is edited by hand."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MovementSummaryStatus


@admin.register(MovementSummaryStatus)
class MovementSummaryStatusAdmin(admin.ModelAdmin):
    list_display = ("__str__", "stale_since", "checked_at", "drift")
    readonly_fields = ("stale_since", "checked_at", "drift", "detail")
    actions = ("rebuild",)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=gettext_lazy("Dựng lại và kiểm tra bảng tổng hợp ngay (chạy nền)"),
        permissions=["view"],
    )
    def rebuild(self, request, queryset):
        from .tasks import rebuild_movement_summary

        rebuild_movement_summary.delay()
        self.message_user(
            request,
            _("Đã xếp hàng dựng lại bảng tổng hợp; tải lại trang sau ít phút để xem kết quả."),
            messages.SUCCESS,
        )
