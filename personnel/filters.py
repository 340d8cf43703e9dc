"""Filters of the officials list (and its export): the FILTER CONTRACT of the staff pages.

GET parameters: q, unit (subtree), level, sector, position_kind, tier, gender,
age_min, age_max, ethnicity, in_planning=1, status, sort. The rotation filters
(rotated, rotation_state) are the rotation app's (rotation/official_pages.py), registered
through ``personnel.extensions``: personnel never imports the rotation app.

``q`` matches names (diacritics folded) and the exact record code; for officers and above
it also matches a whole personal identification number (12 digits). Viewers, who see
that number masked, cannot search by it: a hit would tell them whose number it is.
"""

import datetime as dt

import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapFormMixin, DateInput

from .choices import Gender, Level, ManagementTier, OfficialStatus, PlanningStatus, PositionKind
from .dates import SaneDateFilter
from .forms import AutocompleteSelect
from .masking import can_see_personal_data
from .models import Official, OrgUnit, PlanningEntry, Posting, PostType, Sector
from .text import fold_vietnamese

YES_CHOICES = [("1", _("Có"))]
AGE_ERRORS = {
    "invalid": _("Nhập tuổi bằng số nguyên, ví dụ 40."),
    "max_decimal_places": _("Nhập tuổi bằng số nguyên, ví dụ 40."),
    "min_value": _("Tuổi phải từ 0 đến 120."),
    "max_value": _("Tuổi phải từ 0 đến 120."),
}


class OfficialFilterForm(BootstrapFormMixin, forms.Form):
    """The filter panel: Bootstrap widgets, accessible errors."""


class UnitFilterField(django_filters.fields.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Đơn vị đã chọn không có hoặc nằm ngoài phạm vi quản lý của bạn."),
    }

    def label_from_instance(self, obj):
        return obj.name


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitFilterField


def in_planning_q(on: dt.date):
    """Officials with an active planning entry whose term (e.g. 2025-2030) covers ``on``'s year."""
    year = str(on.year)
    entries = PlanningEntry.objects.annotate(
        term_start=Substr("term", 1, 4), term_end=Substr("term", 6, 4)
    ).filter(
        official_id=OuterRef("pk"),
        status=PlanningStatus.ACTIVE,
        term_start__lte=year,
        term_end__gte=year,
    )
    return Exists(entries)


#: the folded name as an expression rather than the column: the same order, but one no
#: index gives, so that PostgreSQL finds a search's matches first (trigram index) and sorts
#: them, instead of walking the name index past every earlier name (1–3 s at 1,000,000
#: officials against 40–110 ms; bench/RESULTS.md)
SORTED_NAME = Concat(F("search_key"), Value(""), output_field=CharField())


def _matches_first(queryset):
    """A searched list in name order, sorted after the matches are found."""
    order = [str(field) for field in queryset.query.order_by] or ["search_key", "id"]
    if order[0].lstrip("-") != "search_key":
        return queryset  # another order: its own index serves it
    descending = order[0].startswith("-")
    name = SORTED_NAME.desc() if descending else SORTED_NAME.asc()
    return queryset.order_by(name, "-id" if descending else "id")


class OfficialFilterSet(django_filters.FilterSet):
    """Officials by name, place in the unit tree, post, tier and personal data."""

    q = django_filters.CharFilter(
        label=_("Họ tên hoặc số hiệu"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"placeholder": _("Gõ có dấu hoặc không dấu, ví dụ: nguyen van an")}
        ),
    )
    unit = UnitFilter(
        label=_("Đơn vị (gồm cả đơn vị trực thuộc)"),
        queryset=lambda request: OrgUnit.objects.for_user(request.user),
        method="filter_unit",
        widget=AutocompleteSelect("unit_autocomplete"),
        empty_label=_("Tất cả"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Cấp"),
        method="filter_level",
        choices=Level.choices,
        empty_label=_("Tất cả"),
    )
    post_type = django_filters.ModelChoiceFilter(
        label=_("Loại chức danh"),
        method="filter_post_type",
        queryset=PostType.objects.all(),
        empty_label=_("Tất cả"),
        help_text=_("Ví dụ: mọi chủ tịch UBND cấp xã, dù chức danh ghi thế nào."),
    )
    on = SaneDateFilter(
        label=_("Tại ngày"),
        method="filter_on",
        widget=DateInput(),
        help_text=_(
            "Cán bộ công tác (vị trí chính) tại ngày này; đơn vị, cấp và loại chức danh "
            "tính theo vị trí tại ngày đó (dd/mm/yyyy)."
        ),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Ngành, khối"),
        field_name="current_unit__sector",
        queryset=Sector.objects.all(),
        empty_label=_("Tất cả"),
    )
    position_kind = django_filters.ChoiceFilter(
        label=_("Loại chức vụ hiện tại"),
        field_name="current_posting__position__kind",
        choices=PositionKind.choices,
        empty_label=_("Tất cả"),
    )
    tier = django_filters.ChoiceFilter(
        label=_("Diện quản lý"),
        field_name="management_tier",
        choices=ManagementTier.choices,
        empty_label=_("Tất cả"),
    )
    gender = django_filters.ChoiceFilter(
        label=_("Giới tính"), choices=Gender.choices, empty_label=_("Tất cả")
    )
    age_min = django_filters.NumberFilter(
        label=_("Tuổi từ"),
        method="filter_age_min",
        min_value=0,
        max_value=120,
        decimal_places=0,
        error_messages=AGE_ERRORS,
    )
    age_max = django_filters.NumberFilter(
        label=_("Tuổi đến"),
        method="filter_age_max",
        min_value=0,
        max_value=120,
        decimal_places=0,
        error_messages=AGE_ERRORS,
    )
    ethnicity = django_filters.CharFilter(
        label=_("Dân tộc"), lookup_expr="iexact", help_text=_("Ví dụ: Kinh, Tày, Thái.")
    )
    in_planning = django_filters.ChoiceFilter(
        label=_("Trong quy hoạch"),
        choices=YES_CHOICES,
        method="filter_in_planning",
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Tình trạng"), choices=OfficialStatus.choices, empty_label=_("Tất cả")
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("search_key", "name"),
            ("date_of_birth", "date_of_birth"),
            ("code", "code"),
            ("current_unit__name", "unit"),
        ),
        label=_("Sắp xếp"),
    )

    class Meta:
        model = Official
        fields: list[str] = []
        form = OfficialFilterForm

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name in ("age_min", "age_max"):
            self.form.fields[name].widget.attrs.update({"inputmode": "numeric"})
        if self.may_search_personal_id:
            self.form.fields["q"].label = _("Họ tên, số hiệu hoặc số định danh cá nhân")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.query.order_by:  # a stable order for paging: ties broken by id
            # ... in the same direction, so that an index on (field, id) serves the sort.
            descending = str(queryset.query.order_by[0]).startswith("-")
            queryset = queryset.order_by(*queryset.query.order_by, "-id" if descending else "id")
        if self.searches_by_trigrams:
            queryset = _matches_first(queryset)
        return queryset

    @property
    def searches_by_trigrams(self) -> bool:
        """A name search the trigram index can answer (a word of 3 letters or more)."""
        value = getattr(self.form, "cleaned_data", {}).get("q") or ""
        return any(len(word) >= 3 for word in fold_vietnamese(value).split())

    def filter_q(self, queryset, name, value):
        # Viewers see personal ids masked: searching by one would tell them whose it is.
        return queryset.search(value, match_personal_id=self.may_search_personal_id)

    @property
    def may_search_personal_id(self) -> bool:
        request = getattr(self, "request", None)
        return request is not None and can_see_personal_data(request.user)

    @property
    def as_of_day(self) -> dt.date | None:
        """The day asked for ("as of"), or None for today's posts."""
        if not self.form.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("on")

    def _held_on(self, **conditions):
        """Officials with a primary posting on the day asked for matching ``conditions``."""
        postings = (
            Posting.objects.primary()
            .active_on(self.as_of_day)
            .filter(official_id=OuterRef("pk"), **conditions)
        )
        return Exists(postings)

    def filter_on(self, queryset, name, value):
        return queryset.filter(self._held_on())

    def filter_unit(self, queryset, name, unit):
        if self.as_of_day:
            return queryset.filter(self._held_on(org_unit__path__startswith=unit.path))
        return queryset.filter(current_unit__path__startswith=unit.path)

    def filter_level(self, queryset, name, value):
        if self.as_of_day:
            return queryset.filter(self._held_on(org_unit__level=value))
        return queryset.filter(current_unit__level=value)

    def filter_post_type(self, queryset, name, post_type):
        if self.as_of_day:
            return queryset.filter(self._held_on(position__post_type=post_type))
        return queryset.filter(current_posting__position__post_type=post_type)

    def filter_age_min(self, queryset, name, value):
        # At least N years old today: born on or before today minus N years.
        return queryset.filter(date_of_birth__lte=self.today - relativedelta(years=int(value)))

    def filter_age_max(self, queryset, name, value):
        # At most N years old today: not yet N + 1.
        return queryset.filter(date_of_birth__gt=self.today - relativedelta(years=int(value) + 1))

    def filter_in_planning(self, queryset, name, value):
        return queryset.filter(in_planning_q(self.today))
