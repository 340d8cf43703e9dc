import dataclasses

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
    ServiceWriteInlineMixin,
)
from config.admin_display import WordsHistoryContextHelper

from . import services, services_record, services_units
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
from .models_discipline import Reward
from .record_rules import raise_errors
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


def _form_fields(form, editable: frozenset) -> dict:
    """The form's cleaned values of the fields a service writes."""
    return {name: value for name, value in form.cleaned_data.items() if name in editable}


class ReferenceServiceAdmin(ServiceWriteAdminMixin):
    """Reference tables written through ``reference_create`` / ``reference_update``."""

    def service_save(self, request, obj, form, change):
        fields = _form_fields(form, services_units.REFERENCE_EDITABLE_FIELDS[self.model])
        if change:
            return services_units.reference_update(obj, by=request.user, **fields)
        return services_units.reference_create(model=self.model, by=request.user, **fields)


@admin.register(Locality)
class LocalityAdmin(ReferenceServiceAdmin, FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", ValidityFilter)
    search_fields = ("code", "name")
    folded_search_fields = ("name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Sector)
class SectorAdmin(ReferenceServiceAdmin, FoldedSearchAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    folded_search_fields = ("name", "code")


@admin.register(OrgUnit)
class OrgUnitAdmin(
    ServiceWriteAdminMixin, FoldedSearchAdminMixin, ScopedAdminMixin, admin.ModelAdmin
):
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

    fields = services_units.ORG_UNIT_EDITABLE_FIELDS

    def service_save(self, request, obj, form, change):
        fields = _form_fields(form, services_units.ORG_UNIT_EDITABLE_FIELDS)
        if change:
            return services_units.org_unit_update(unit=obj, by=request.user, **fields)
        return services_units.org_unit_create(by=request.user, **fields)

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
class PostTypeAdmin(ReferenceServiceAdmin, admin.ModelAdmin):
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
class PositionAdmin(
    ServiceWriteAdminMixin, FoldedSearchAdminMixin, ScopedAdminMixin, admin.ModelAdmin
):
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

    def service_save(self, request, obj, form, change):
        fields = _form_fields(form, services_units.POSITION_EDITABLE_FIELDS)
        if change:
            return services_units.position_update(position=obj, by=request.user, **fields)
        # Flags left as they were on the blank form are the post type's.
        for name in POST_TYPE_FLAGS:
            if name not in form.changed_data:
                fields.pop(name, None)
        return services_units.position_create(by=request.user, **fields)


class PostingInline(ScopedForeignKeyMixin, admin.TabularInline):
    model = Posting
    form = PostingForm
    formset = PostingInlineFormSet
    fk_name = "official"
    fields = ("title", "position", "org_unit", "start_date", "end_date", "is_primary", "basis")
    autocomplete_fields = ("position", "org_unit")
    extra = 0
    ordering = ("-start_date",)


@dataclasses.dataclass(frozen=True)
class RecordServices:
    """The services of one kind of row of an official's record (``services_record``)."""

    editable: frozenset
    rules: object  # (official, row, today=) -> {field: message}, pure
    create: object  # (official=, by=, **fields) -> row
    update: object  # (row, by=, **changes) -> row
    delete: object  # (row, by=) -> None


RECORD_SERVICES = {
    TrainingRecord: RecordServices(
        services_record.TRAINING_EDITABLE_FIELDS,
        services_record.training_errors,
        services_record.training_create,
        lambda row, **kw: services_record.training_update(training=row, **kw),
        lambda row, **kw: services_record.training_delete(training=row, **kw),
    ),
    Evaluation: RecordServices(
        services_record.EVALUATION_EDITABLE_FIELDS,
        services_record.evaluation_record_errors,
        services_record.evaluation_create,
        lambda row, **kw: services_record.evaluation_update(evaluation=row, **kw),
        lambda row, **kw: services_record.evaluation_delete(evaluation=row, **kw),
    ),
    PlanningEntry: RecordServices(
        services_record.PLANNING_EDITABLE_FIELDS,
        services_record.planning_errors,
        services_record.planning_create,
        lambda row, **kw: services_record.planning_update(entry=row, **kw),
        lambda row, **kw: services_record.planning_delete(entry=row, **kw),
    ),
    Discipline: RecordServices(
        services_record.DISCIPLINE_EDITABLE_FIELDS,
        services_record.discipline_errors,
        services_record.discipline_create,
        lambda row, **kw: services_record.discipline_update(discipline=row, **kw),
        lambda row, **kw: services_record.discipline_delete(discipline=row, **kw),
    ),
    Reward: RecordServices(
        services_record.REWARD_EDITABLE_FIELDS,
        services_record.reward_errors,
        services_record.reward_create,
        lambda row, **kw: services_record.reward_update(reward=row, **kw),
        lambda row, **kw: services_record.reward_delete(reward=row, **kw),
    ),
}


def _editable_values(form, editable, *, changed_only: bool) -> dict:
    names = form.changed_data if changed_only else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in editable}


class RecordServiceInline(ServiceWriteInlineMixin, admin.TabularInline):
    """Rows of an official's record edited with the official, each written by its service
    (``services_record``), a deletion too. On a new official (not saved yet while its form
    is checked) a row's pure rules are checked, and the service writes it once the official
    exists."""

    extra = 0

    def service_save_row(self, request, form):
        record = RECORD_SERVICES[self.model]
        row = form.instance
        official = row.official
        if form.cleaned_data.get("DELETE"):
            if row.pk:  # a copy: deleting clears the instance's pk, which the form still needs
                record.delete(self.model._default_manager.get(pk=row.pk), by=request.user)
            return
        if official.pk is None:
            raise_errors(record.rules(official, row, today=timezone.localdate()))
            return
        if row.pk:
            changes = _editable_values(form, record.editable, changed_only=True)
            fresh = self.model._default_manager.get(pk=row.pk)
            record.update(fresh, by=request.user, **changes)
        else:
            values = _editable_values(form, record.editable, changed_only=False)
            record.create(official=official, by=request.user, **values)

    def save_rows(self, request, formset) -> None:
        formset.save(commit=False)
        for form in formset.forms:
            if form.has_changed():
                self.service_save_row(request, form)


class TrainingInline(RecordServiceInline):
    model = TrainingRecord
    fields = ("kind", "programme", "qualification", "institution", "mode", "start_date", "end_date")


class EvaluationInline(RecordServiceInline):
    model = Evaluation
    fields = ("year", "rating", "note")


class DisciplineInline(RecordServiceInline):
    model = Discipline
    fields = ("kind", "decided_on", "basis", "issued_by", "note")


class RewardInline(RecordServiceInline):
    model = Reward
    fields = ("kind", "name", "level", "decided_on", "basis", "issued_by")


class PlanningInline(ScopedForeignKeyMixin, RecordServiceInline):
    model = PlanningEntry
    fields = ("position", "term", "status", "approved_on", "basis")
    autocomplete_fields = ("position",)


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
    inlines = (
        PostingInline,
        TrainingInline,
        EvaluationInline,
        DisciplineInline,
        RewardInline,
        PlanningInline,
    )
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
                    "left_on",
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


class RecordServiceAdmin(
    ServiceWriteAdminMixin, OfficialNameSearchMixin, AuditedChangeViewMixin, ScopedHistoryAdmin
):
    """A row of an official's record in its own admin: scoped, with its history, written
    and deleted by its service (``services_record``); it stays with its official."""

    list_select_related = ("official",)
    autocomplete_fields = ("official",)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "official") if obj is not None else readonly

    def service_save(self, request, obj, form, change):
        record = RECORD_SERVICES[self.model]
        if change:
            changes = _editable_values(form, record.editable, changed_only=True)
            fresh = self.model._default_manager.get(pk=obj.pk)
            return record.update(fresh, by=request.user, **changes) if changes else obj
        values = _editable_values(form, record.editable, changed_only=False)
        return record.create(official=form.cleaned_data["official"], by=request.user, **values)

    def delete_model(self, request, obj):
        RECORD_SERVICES[self.model].delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for row in queryset:
            RECORD_SERVICES[self.model].delete(row, by=request.user)


@admin.register(TrainingRecord)
class TrainingRecordAdmin(RecordServiceAdmin):
    list_display = ("official", "kind", "programme", "qualification", "start_date", "end_date")
    list_filter = ("kind", "mode")
    search_fields = ("official__code", "programme", "institution")


@admin.register(Evaluation)
class EvaluationAdmin(RecordServiceAdmin):
    list_display = ("official", "year", "rating")
    list_filter = ("year", "rating")
    search_fields = ("official__code",)


@admin.register(Discipline)
class DisciplineAdmin(RecordServiceAdmin):
    """Disciplinary decisions, with their history: a record the higher-post rule reads."""

    list_display = ("official", "kind", "decided_on", "basis", "issued_by")
    list_filter = ("kind", "decided_on")
    search_fields = ("official__code", "basis", "issued_by")


@admin.register(Reward)
class RewardAdmin(RecordServiceAdmin):
    """Rewards (khen thưởng), with their history."""

    list_display = ("official", "kind", "name", "level", "decided_on", "basis")
    list_filter = ("kind", "level", "decided_on")
    search_fields = ("official__code", "name", "basis", "issued_by")


@admin.register(PlanningEntry)
class PlanningEntryAdmin(RecordServiceAdmin):
    list_display = ("official", "position", "term", "status", "approved_on")
    list_filter = ("term", "status", "position__kind")
    search_fields = ("official__code", "position__title")
    list_select_related = ("official", "position", "position__org_unit")
    autocomplete_fields = ("official", "position")


from . import admin_imports  # noqa: E402,F401 - the imports' admin pages
