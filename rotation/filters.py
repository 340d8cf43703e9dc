"""Filters of the decisions list (the FILTER CONTRACT other pages link with).

GET parameters: status, kind, direction, issuer (unit id), date_from, date_to (signed
date), fait_accompli=1, pending_consultations=1, q (number or title), sort.
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from personnel.dates import SaneDateFilter
from personnel.models import OrgUnit

from .choices import DecisionStatus, MovementKind
from .directions import DIRECTION_CHOICES
from .forms import AutocompleteSelect, DateInput, FilterForm, url_or_empty
from .models import Consultation, Decision, Movement


def _issuers(request):
    if request is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.for_user(request.user)


class SortFilter(django_filters.OrderingFilter):
    """``?sort=field`` / ``?sort=-field``; ties (and no sort) fall back to a stable order."""

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in value or [] if param]
        if not ordering:
            return qs.order_by(F("signed_on").desc(nulls_first=True), "-pk")
        return qs.order_by(*ordering, "-pk")


class DecisionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Số, ký hiệu hoặc trích yếu"), method="filter_text", max_length=100
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=DecisionStatus.choices, empty_label=_("Tất cả")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Hình thức"),
        choices=MovementKind.choices,
        empty_label=_("Tất cả"),
        method="filter_kind",
    )
    direction = django_filters.ChoiceFilter(
        label=_("Hướng luân chuyển"),
        choices=DIRECTION_CHOICES,
        empty_label=_("Tất cả"),
        method="filter_direction",
    )
    issuer = django_filters.ModelChoiceFilter(
        label=_("Cơ quan ban hành"), field_name="issued_by", queryset=_issuers
    )
    date_from = SaneDateFilter(
        label=_("Ký từ ngày"), field_name="signed_on", lookup_expr="gte", widget=DateInput()
    )
    date_to = SaneDateFilter(
        label=_("Ký đến ngày"), field_name="signed_on", lookup_expr="lte", widget=DateInput()
    )
    fait_accompli = django_filters.BooleanFilter(
        label=_("Chỉ quyết định “sự đã rồi”"),
        widget=forms.CheckboxInput,
        method="filter_fait_accompli",
    )
    pending_consultations = django_filters.BooleanFilter(
        label=_("Còn nơi chưa trả lời ý kiến"),
        widget=forms.CheckboxInput,
        method="filter_pending",
    )
    sort = SortFilter(
        fields=(
            ("number", "number"),
            ("title", "title"),
            ("issued_by__name", "issuer"),
            ("signed_on", "signed_on"),
            ("status", "status"),
            ("n_movements", "movements"),
            ("n_pending", "pending"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Decision
        fields = []
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = self.filters["issuer"]
        issuer.extra["widget"] = AutocompleteSelect(url_or_empty("unit_autocomplete"))
        issuer.extra["empty_label"] = _("Tất cả")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))

    def filter_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Movement.objects.filter(kind=value).values("decision_id"))

    def filter_direction(self, queryset, name, value):
        return queryset.filter(
            pk__in=Movement.objects.filter(direction=value).values("decision_id")
        )

    def filter_fait_accompli(self, queryset, name, value):
        return queryset.filter(is_fait_accompli=True) if value else queryset

    def filter_pending(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Consultation.objects.missing().values("decision_id"))
