"""Reorganisations in admin: the list, the history, and applying with a preview.

A reorganisation is built and changed on its staff page (the one form, through
``reorganisation_save``), which admin's add and change links open; the "apply" action
shows the service's dry run of each selected reorganisation and applies on
confirmation, through ``reorganisation_apply``.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_mixins import ScopedHistoryAdmin
from accounts.choices import Role
from personnel.models import Reorganisation

from .reorganisation_plan import reorganisation_plan
from .reorganisations import reorganisation_apply


class AppliedFilter(admin.SimpleListFilter):
    title = gettext_lazy("trạng thái")
    parameter_name = "applied"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã áp dụng")), ("no", _("Chưa áp dụng"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(applied_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(applied_at__isnull=True)
        return queryset


@admin.register(Reorganisation)
class ReorganisationAdmin(ScopedHistoryAdmin):
    list_display = ("name", "kind", "basis_number", "basis_date", "effective_on", "is_applied")
    list_filter = ("kind", AppliedFilter, "effective_on")
    search_fields = ("name", "basis_number")
    list_select_related = ("issued_by",)
    actions = ("apply_selected",)

    @admin.display(description=gettext_lazy("đã áp dụng"), boolean=True, ordering="applied_at")
    def is_applied(self, obj):
        return obj.applied_at is not None

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("reorganisation_create")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        reorganisation = self.get_object(request, unquote(object_id))
        if reorganisation is None:
            raise Http404
        return redirect("reorganisation_detail", pk=reorganisation.pk)

    def has_add_permission(self, request):
        return request.user.has_role(Role.ADMINISTRATOR)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.applied_at is not None:
            return False  # applied: part of the history, read only
        return request.user.has_role(Role.ADMINISTRATOR)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.applied_at is not None:
            return False
        return request.user.has_role(Role.ADMINISTRATOR)

    def delete_queryset(self, request, queryset):
        applied = queryset.filter(applied_at__isnull=False)
        if applied.exists():
            raise PermissionDenied(_("Không xóa được sắp xếp đã áp dụng."))
        super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        # History "revert" lands here: only while nothing has been applied.
        if obj.pk and Reorganisation.objects.filter(pk=obj.pk, applied_at__isnull=False).exists():
            raise PermissionDenied(_("Sắp xếp đã áp dụng; không sửa được."))
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Áp dụng các sắp xếp đã chọn (xem trước)"))
    def apply_selected(self, request, queryset):
        if not request.user.has_role(Role.ADMINISTRATOR):
            raise PermissionDenied
        pending = list(queryset.filter(applied_at__isnull=True).select_related("issued_by"))
        if not pending:
            self.message_user(request, _("Các sắp xếp đã chọn đều đã áp dụng."), messages.INFO)
            return None
        if request.POST.get("confirm_apply") != "1":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Áp dụng sắp xếp tổ chức bộ máy?"),
                "plans": [reorganisation_plan(item) for item in pending],
                "opts": self.model._meta,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "visible_officials": set(),
            }
            return TemplateResponse(request, "admin/personnel/reorganisation/apply.html", context)
        for item in pending:
            try:
                plan = reorganisation_apply(reorganisation=item, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    _("“%(name)s” chưa áp dụng được: %(problems)s")
                    % {"name": item.name, "problems": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                _("Đã áp dụng “%(name)s”: %(placed)d cán bộ được bố trí, %(to_place)d chờ bố trí.")
                % {
                    "name": item.name,
                    "placed": len(plan.placements),
                    "to_place": len(plan.to_place),
                },
                messages.SUCCESS,
            )
        return None
