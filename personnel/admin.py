import dataclasses

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import (
    AuditedChangeViewMixin,
    ScopedAdminMixin,
    ScopedForeignKeyMixin,
    ScopedHistoryAdmin,
    ServiceWriteAdminMixin,
)
from config.admin_display import WordsHistoryContextHelper

from . import services
from .filters_units import FOLD_LIMIT, POSITION_FOLD_LIMIT, search_folded
from .forms import PostingForm, PostingInlineFormSet
from .masking import (
    MASKED_FIELDS,
    MASKERS,
    can_see_personal_data,
    mask_address,
    mask_personal_id,
    mask_phone,
)
from .models import (
    POST_TYPE_FLAGS,
    Discipline,
    Evaluation,
    Locality,
    Official,
    OrgUnit,
    PlanningEntry,
    Position,
    Posting,
    PostType,
    Sector,
    TrainingRecord,
)
from .text import fold_vietnamese, format_day


class OfficialNameSearchMixin:
    """Also finds rows by the official's name typed with or without diacritics, its
    words in any order."""

    def get_search_results(self, request, queryset, search_term):
        result, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = fold_vietnamese(search_term).split()
        if words:
            name = Q()
            for word in dict.fromkeys(words):
                name &= Q(official__search_key__contains=word)
            result = result | queryset.filter(name)
        return result, may_have_duplicates


class FoldedSearchAdminMixin:
    """The admin search box (and the autocompletes that use it) finds rows the way the
    staff pages do: every word typed, with or without diacritics, in any order, at the
    start of a word of ``folded_search_fields`` ("so tai chinh" finds "Sở Tài chính")."""

    folded_search_fields: tuple[str, ...] = ()
    folded_search_limit = FOLD_LIMIT

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        fields = self.folded_search_fields
        return search_folded(queryset, search_term, fields, limit=self.folded_search_limit), False


class ValidityFilter(admin.SimpleListFilter):
    """In force today / ended / not yet in force (units and localities end, never vanish)."""

    title = _("hiệu lực")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Đang hoạt động")),
            ("ended", _("Đã kết thúc")),
            ("future", _("Chưa có hiệu lực")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.valid_on(today)
        if self.value() == "ended":
            return queryset.ended_by(today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


@admin.register(Locality)
class LocalityAdmin(FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", ValidityFilter)
    search_fields = ("code", "name")
    folded_search_fields = ("name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Sector)
class SectorAdmin(FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    folded_search_fields = ("name", "code")


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "level",
            "sector",
            "locality",
            "parent",
            "email",
            "requires_consultation_answers",
            "valid_from",
            "valid_to",
        ]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if (
            parent is not None
            and unit.pk
            and (parent.pk == unit.pk or parent.is_descendant_of(unit))
        ):
            raise forms.ValidationError(
                _("Không thể đặt đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó.")
            )
        return parent


@admin.register(OrgUnit)
class OrgUnitAdmin(FoldedSearchAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "level",
        "sector",
        "locality",
        "parent",
        "valid_from",
        "valid_to",
    )
    list_filter = ("level", "sector", ValidityFilter)
    search_fields = ("code", "name")
    folded_search_fields = ("name", "code")
    list_select_related = ("sector", "locality", "parent")
    autocomplete_fields = ("sector", "locality", "parent")

    form = OrgUnitAdminForm

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not request.user.is_superuser and obj.pk == request.user.scope_id:
            # Moving the root of one's own scope would change what one may see.
            return (*readonly, "parent")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "parent" in form.base_fields:
            # A unit made by a scoped user hangs inside that user's subtree, never at the top.
            form.base_fields["parent"].required = True
        return form


@admin.register(PostType)
class PostTypeAdmin(admin.ModelAdmin):
    """The catalogue of post types (danh mục chức danh) that rules and reports count by."""

    list_display = (
        "name",
        "code",
        "level",
        "kind",
        "is_key",
        "requires_non_local",
        "two_term_limited",
        "management_tier",
        "position_count",
    )
    list_filter = ("level", "kind", "is_key", "requires_non_local", "is_generic")
    search_fields = ("name", "code")
    ordering = ("display_order", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_positions=Count("positions"))

    @admin.display(description=_("số chức danh"), ordering="n_positions")
    def position_count(self, obj):
        return obj.n_positions


class GenericPostTypeFilter(admin.SimpleListFilter):
    """Positions whose title the catalogue did not recognise: an administrator assigns them."""

    title = _("loại chức danh chưa xác định")
    parameter_name = "untyped"

    def lookups(self, request, model_admin):
        return [("1", _("Chưa xác định (loại chung)"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(post_type__is_generic=True)
        return queryset


@admin.register(Position)
class PositionAdmin(FoldedSearchAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "org_unit",
        "post_type",
        "kind",
        "is_key",
        "requires_non_local",
        "management_tier",
        "is_active",
    )
    list_filter = (
        GenericPostTypeFilter,
        "post_type",
        "kind",
        "is_key",
        "requires_non_local",
        "management_tier",
        "org_unit__level",
        "is_active",
    )
    search_fields = ("title", "org_unit__name", "org_unit__code")
    folded_search_fields = ("title", "org_unit__name", "org_unit__code")
    folded_search_limit = POSITION_FOLD_LIMIT
    list_select_related = ("org_unit", "post_type")
    autocomplete_fields = ("org_unit",)

    def save_model(self, request, obj, form, change):
        if not change:
            # Flags left as they were on the blank form are the post type's.
            services.position_take_type_flags(
                position=obj, keep=[f for f in POST_TYPE_FLAGS if f in form.changed_data]
            )
        super().save_model(request, obj, form, change)


class PostingInline(ScopedForeignKeyMixin, admin.TabularInline):
    model = Posting
    form = PostingForm
    formset = PostingInlineFormSet
    fk_name = "official"
    fields = ("title", "position", "org_unit", "start_date", "end_date", "is_primary", "basis")
    autocomplete_fields = ("position", "org_unit")
    extra = 0
    ordering = ("-start_date",)


class TrainingInline(admin.TabularInline):
    model = TrainingRecord
    fields = ("kind", "programme", "qualification", "institution", "mode", "start_date", "end_date")
    extra = 0


class EvaluationInline(admin.TabularInline):
    model = Evaluation
    fields = ("year", "rating", "note")
    extra = 0


class DisciplineInline(admin.TabularInline):
    model = Discipline
    fields = ("kind", "decided_on", "basis", "issued_by", "note")
    extra = 0


class PlanningInline(ScopedForeignKeyMixin, admin.TabularInline):
    model = PlanningEntry
    fields = ("position", "term", "status", "approved_on", "basis")
    autocomplete_fields = ("position",)
    extra = 0


MASKED_DISPLAY = tuple(f"{name}_masked" for name in MASKED_FIELDS)


class MaskedHistoryContextHelper(WordsHistoryContextHelper):
    """History diffs for those who see personal data masked: the values are masked too."""

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        masker = MASKERS.get(change.field)
        if masker is None:
            return formatted
        return dataclasses.replace(
            formatted, old=masker(str(change.old or "")), new=masker(str(change.new or ""))
        )


@admin.register(Official)
class OfficialAdmin(ServiceWriteAdminMixin, AuditedChangeViewMixin, ScopedHistoryAdmin):
    list_display = (
        "code",
        "full_name",
        "gender",
        "date_of_birth",
        "current_title",
        "current_unit",
        "management_tier",
        "status",
    )
    list_filter = (
        "status",
        "gender",
        "management_tier",
        "education_level",
        "political_theory",
        "current_unit__level",
    )
    search_fields = ("full_name", "code")
    search_help_text = _("Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số hiệu hồ sơ.")
    list_select_related = ("current_unit", "current_posting")
    autocomplete_fields = ("birthplace", "hometown")
    readonly_fields = ("current_unit", "current_posting", "retirement_date")
    show_full_result_count = False
    inlines = (PostingInline, TrainingInline, EvaluationInline, DisciplineInline, PlanningInline)
    fieldsets = (
        (None, {"fields": ("code", "full_name", "other_names", "gender", "date_of_birth")}),
        (_("Định danh, liên hệ"), {"fields": MASKED_FIELDS}),
        (_("Quê quán, dân tộc"), {"fields": ("birthplace", "hometown", "ethnicity", "religion")}),
        (_("Đảng"), {"fields": ("party_joined_on", "party_confirmed_on")}),
        (
            _("Trình độ"),
            {"fields": ("education_level", "major", "political_theory", "state_management")},
        ),
        (
            _("Quản lý"),
            {
                "fields": (
                    "management_tier",
                    "status",
                    "current_unit",
                    "current_posting",
                    "retirement_date",
                )
            },
        ),
        (_("Ghi chú"), {"fields": ("notes",)}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_see_personal_data(request.user):
            return fieldsets
        masked = dict(zip(MASKED_FIELDS, MASKED_DISPLAY, strict=True))
        return tuple(
            (name, {**options, "fields": tuple(masked.get(f, f) for f in options["fields"])})
            for name, options in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if can_see_personal_data(request.user):
            return readonly
        return (*readonly, *MASKED_DISPLAY)

    def get_historical_record_context_helper(self, request, historical_record):
        if can_see_personal_data(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedHistoryContextHelper(self.model, historical_record)

    @admin.display(description=_("số định danh cá nhân"))
    def personal_id_masked(self, obj):
        return mask_personal_id(obj.personal_id) or "—"

    @admin.display(description=_("nơi ở hiện nay"))
    def home_address_masked(self, obj):
        return mask_address(obj.home_address) or "—"

    @admin.display(description=_("số điện thoại"))
    def phone_masked(self, obj):
        return mask_phone(obj.phone) or "—"

    @admin.display(description=_("chức vụ hiện tại"))
    def current_title(self, obj):
        return obj.current_posting.title if obj.current_posting else "—"

    @admin.display(description=_("thời điểm nghỉ hưu"))
    def retirement_date(self, obj):
        return format_day(obj.retirement_date) or "—"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        match_id = can_see_personal_data(request.user)
        return queryset.search(search_term, match_personal_id=match_id), False

    def service_save(self, request, obj, form, change):
        """The profile through ``official_create`` / ``official_update`` (the staff form's
        rules: dates of birth, Party dates, codes and numbers unique)."""
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.OFFICIAL_EDITABLE_FIELDS
        }
        if change:
            return (
                services.official_update(official=obj, by=request.user, **fields) if fields else obj
            )
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in services.OFFICIAL_EDITABLE_FIELDS
        }
        return services.official_create(first_posting=None, by=request.user, **fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Posting:
            return super().save_formset(request, form, formset, change)
        postings = formset.save(commit=False)
        for posting in formset.deleted_objects:
            services.posting_delete(posting=posting)
        changed = [p for p in postings if p.pk]
        # Shortened postings first, so that a new posting may begin where an old one now ends.
        changed.sort(key=lambda p: p.end_date is None)
        for posting in changed:
            fields = {f: getattr(posting, f) for f in services.POSTING_EDITABLE_FIELDS}
            services.posting_update(posting=posting, **fields)
        created = []
        for posting in (p for p in postings if not p.pk):
            created.append(
                services.posting_create(
                    official=form.instance,
                    title=posting.title,
                    start_date=posting.start_date,
                    end_date=posting.end_date,
                    org_unit=posting.org_unit,
                    position=posting.position,
                    is_primary=posting.is_primary,
                    basis=posting.basis,
                )
            )
        formset.new_objects = created


@admin.register(Posting)
class PostingAdmin(ServiceWriteAdminMixin, OfficialNameSearchMixin, ScopedHistoryAdmin):
    form = PostingForm
    list_display = ("official", "title", "org_unit", "start_date", "end_date", "is_primary")
    # start_date's filter (personnel.dates.BoundedDateFieldListFilter) also bounds the
    # date hierarchy's year, month and day.
    list_filter = ("is_primary", "org_unit__level", "org_unit__sector", "start_date")
    search_fields = ("official__code", "title")
    list_select_related = ("official", "org_unit")
    autocomplete_fields = ("official", "position", "org_unit")
    date_hierarchy = "start_date"
    show_full_result_count = False

    def service_save(self, request, obj, form, change):
        data = {f: form.cleaned_data.get(f) for f in services.POSTING_EDITABLE_FIELDS}
        if change:
            return services.posting_update(posting=obj, **data)
        return services.posting_create(official=form.cleaned_data["official"], **data)

    def delete_model(self, request, obj):
        services.posting_delete(posting=obj)

    def delete_queryset(self, request, queryset):
        for posting in queryset:
            services.posting_delete(posting=posting)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(OfficialNameSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("official", "kind", "programme", "qualification", "start_date", "end_date")
    list_filter = ("kind", "mode")
    search_fields = ("official__code", "programme", "institution")
    list_select_related = ("official",)
    autocomplete_fields = ("official",)


@admin.register(Evaluation)
class EvaluationAdmin(OfficialNameSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("official", "year", "rating")
    list_filter = ("year", "rating")
    search_fields = ("official__code",)
    list_select_related = ("official",)
    autocomplete_fields = ("official",)


@admin.register(Discipline)
class DisciplineAdmin(OfficialNameSearchMixin, AuditedChangeViewMixin, ScopedHistoryAdmin):
    """Disciplinary decisions, with their history: a record the higher-post rule reads."""

    list_display = ("official", "kind", "decided_on", "basis", "issued_by")
    list_filter = ("kind", "decided_on")
    search_fields = ("official__code", "basis", "issued_by")
    list_select_related = ("official",)
    autocomplete_fields = ("official",)


@admin.register(PlanningEntry)
class PlanningEntryAdmin(OfficialNameSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("official", "position", "term", "status", "approved_on")
    list_filter = ("term", "status", "position__kind")
    search_fields = ("official__code", "position__title")
    list_select_related = ("official", "position", "position__org_unit")
    autocomplete_fields = ("official", "position")
