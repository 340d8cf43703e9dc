"""Filters of the alert and subscription lists (GET parameters, shared with the links to them)."""

import django_filters as filters
from django import forms
from django.utils.translation import gettext_lazy

from config.forms import BootstrapFormMixin
from personnel.text import fold_vietnamese
from rotation.choices import AlertKind
from rotation.models import Alert

from . import periods, registry
from .models import Subscription


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


def _sorter(orderings: dict[str, tuple[str, ...]]):
    """A filter method ordering by ``?sort=key`` or ``-key``; unknown keys change nothing."""

    def sort(queryset, name, value):
        key = value.lstrip("-")
        if key not in orderings:
            return queryset
        fields = orderings[key]
        if value.startswith("-"):
            fields = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in fields)
        return queryset.order_by(*fields)

    return sort


class AlertFilterSet(filters.FilterSet):
    """Open alerts by default; ``resolved=1`` includes those already resolved."""

    q = filters.CharFilter(label=gettext_lazy("Tên cán bộ"), method="search")
    kind = filters.ChoiceFilter(
        label=gettext_lazy("Loại cảnh báo"),
        choices=AlertKind.choices,
        empty_label=gettext_lazy("Tất cả"),
    )
    resolved = filters.BooleanFilter(
        label=gettext_lazy("Gồm cả cảnh báo đã xử lý"),
        method="include_resolved",
        widget=forms.CheckboxInput,
    )
    sort = filters.CharFilter(
        method=_sorter(
            {
                "raised_on": ("raised_on", "id"),
                "kind": ("kind", "-raised_on", "-id"),
                "official": ("official__search_key", "-raised_on", "-id"),
            }
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Alert
        fields = ["q", "kind", "resolved"]
        form = FilterForm

    def search(self, queryset, name, value):
        key = fold_vietnamese(value)
        return queryset.filter(official__search_key__contains=key) if key else queryset

    def include_resolved(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("resolved"):
            queryset = queryset.filter(resolved_at__isnull=True)
        return super().filter_queryset(queryset)


def _report_choices():
    return [(r.code, r.title) for r in registry.all_reports()]


class SubscriptionFilterSet(filters.FilterSet):
    q = filters.CharFilter(
        label=gettext_lazy("Tên đăng ký"), field_name="name", lookup_expr="icontains"
    )
    report = filters.ChoiceFilter(
        label=gettext_lazy("Báo cáo"), choices=_report_choices, empty_label=gettext_lazy("Tất cả")
    )
    period_rule = filters.ChoiceFilter(
        label=gettext_lazy("Kỳ báo cáo"),
        choices=periods.PeriodRule.choices,
        empty_label=gettext_lazy("Tất cả"),
    )
    is_active = filters.ChoiceFilter(
        label=gettext_lazy("Trạng thái"),
        choices=[("1", gettext_lazy("Đang hoạt động")), ("0", gettext_lazy("Tạm dừng"))],
        empty_label=gettext_lazy("Tất cả"),
        method="active",
    )
    sort = filters.CharFilter(
        method=_sorter(
            {
                "name": ("name", "id"),
                "report": ("report", "name", "id"),
                "scope": ("scope__path", "name", "id"),
                "last": ("last_created_at", "name", "id"),
            }
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Subscription
        fields = ["q", "report", "period_rule", "is_active"]
        form = FilterForm

    def active(self, queryset, name, value):
        return queryset.filter(is_active=value == "1")
