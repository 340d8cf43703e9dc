"""Forms of personnel records shared by admin and the staff pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import BootstrapFormMixin, add_service_error
from config.ids import is_id

from .dates import SaneDateField
from .models import Locality, Official, OrgUnit, Position, Posting, validate_personal_id
from .selectors import FAR_FUTURE
from .services import normalise_personal_id, normalise_phone, official_validate, posting_check


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= (b_end or FAR_FUTURE) and b_start <= (a_end or FAR_FUTURE)


class PostingForm(forms.ModelForm):
    """One posting. Its rules are the services': ``posting_check`` here for the inline rows
    of an official (checked together by ``PostingInlineFormSet``); PostingAdmin dry-runs
    ``posting_create`` / ``posting_update`` itself, overlap with the stored postings included."""

    class Meta:
        model = Posting
        fields = [
            "official",
            "position",
            "org_unit",
            "title",
            "start_date",
            "end_date",
            "is_primary",
            "basis",
        ]
        field_classes = {"start_date": SaneDateField, "end_date": SaneDateField}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            posting_check(
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                position=data.get("position"),
                org_unit=data.get("org_unit"),
            )
        except ValidationError as error:
            add_service_error(self, error)
        return data


class PostingInlineFormSet(forms.BaseInlineFormSet):
    """All postings of an official edited at once: the final set must not overlap."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows, in_form = [], set()
        for form in self.forms:
            if form.instance.pk:
                in_form.add(form.instance.pk)
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("is_primary") and data.get("start_date"):
                rows.append((data["start_date"], data.get("end_date"), data.get("title") or ""))
        if self.instance.pk:
            others = self.instance.postings.filter(is_primary=True).exclude(pk__in=in_form)
            rows += [(p.start_date, p.end_date, p.title) for p in others]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if _overlap(a[0], a[1], b[0], b[1]):
                    raise ValidationError(
                        _(
                            "Hai vị trí công tác chính “%(a)s” và “%(b)s” trùng thời gian. "
                            "Mỗi cán bộ chỉ có một vị trí công tác chính tại một thời điểm."
                        )
                        % {"a": a[2], "b": b[2]}
                    )


# --- staff pages -------------------------------------------------------------------


class AutocompleteSelect(forms.Select):
    """A <select> that Tom Select fills from the JSON endpoint ``url_name`` (static/js/app.js).

    Only the selected option is rendered, so a long list (units, positions, localities)
    costs one small query. Until ``url_name`` is routed, every option is rendered.
    """

    def __init__(self, url_name: str, attrs=None, forward: tuple[str, str] | None = None):
        super().__init__(attrs)
        self.url_name = url_name
        self.forward = forward  # (query parameter, name of the form field whose value it sends)
        self._remote = False

    def get_context(self, name, value, attrs):
        try:
            url = reverse(self.url_name)
        except NoReverseMatch:
            url = None
        self._remote = url is not None
        if url:
            attrs = {**(attrs or {}), "data-autocomplete-url": url}
            attrs.setdefault("data-no-results", _("Không tìm thấy"))
            if self.forward:
                attrs["data-autocomplete-forward"] = ":".join(self.forward)
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        if not self._remote or not hasattr(iterator, "queryset"):
            return super().optgroups(name, value, attrs)
        field = iterator.field
        wanted = [v for v in value if is_id(v)]
        options = [("", field.empty_label)] if field.empty_label is not None else []
        if wanted:
            options += [
                (str(obj.pk), field.label_from_instance(obj))
                for obj in iterator.queryset.filter(pk__in=wanted)
            ]
        return [
            (None, [self.create_option(name, val, label, val in value, i, attrs=attrs)], i)
            for i, (val, label) in enumerate(options)
        ]


PERSONAL_ID_FORMAT = gettext_lazy("Số định danh cá nhân phải gồm đúng 12 chữ số.")
DATE_INVALID = gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/03/1980.")


class LocalityChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": gettext_lazy("Đơn vị hành chính đã chọn không có trong danh mục."),
    }

    def label_from_instance(self, obj):
        return locality_label(obj)


def locality_label(locality: Locality) -> str:
    if locality.parent_id is None:
        return locality.name
    return f"{locality.name} – {locality.parent.name}"


OFFICIAL_FIELDSETS = [
    (
        gettext_lazy("Sơ yếu"),
        [
            "code",
            "personal_id",
            "full_name",
            "other_names",
            "gender",
            "date_of_birth",
            "birthplace",
            "hometown",
            "ethnicity",
            "religion",
        ],
    ),
    (gettext_lazy("Nơi ở, liên lạc"), ["home_address", "phone"]),
    (gettext_lazy("Đảng"), ["party_joined_on", "party_confirmed_on"]),
    (
        gettext_lazy("Trình độ"),
        ["education_level", "major", "political_theory", "state_management"],
    ),
    (gettext_lazy("Quản lý"), ["management_tier", "status", "left_on", "notes"]),
]


class OfficialForm(BootstrapFormMixin, forms.ModelForm):
    """The profile of an official (form 2C fields); rules are checked by the services."""

    birthplace = LocalityChoiceField(
        label=gettext_lazy("Nơi sinh"),
        queryset=Locality.objects.select_related("parent"),
        required=False,
        widget=AutocompleteSelect("locality_autocomplete"),
        help_text=gettext_lazy("Gõ ít nhất 2 chữ cái của tên xã, huyện hoặc tỉnh để tìm."),
    )
    hometown = LocalityChoiceField(
        label=gettext_lazy("Quê quán"),
        queryset=Locality.objects.select_related("parent"),
        required=False,
        widget=AutocompleteSelect("locality_autocomplete"),
        help_text=gettext_lazy("Dùng để xác định cán bộ có phải người địa phương hay không."),
    )

    # Declared here, longer than the column, so that "038 123 456 745" or "+84 912 345 678"
    # reach the normalisation below instead of a "too long" error.
    personal_id = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân"),
        required=False,
        empty_value=None,
        max_length=32,
        error_messages={"max_length": PERSONAL_ID_FORMAT},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Số căn cước công dân, 12 chữ số, ví dụ 042080001234; để trống nếu chưa có."
        ),
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=gettext_lazy("Ví dụ 0912345678 hoặc +84 912 345 678."),
    )

    fieldsets = OFFICIAL_FIELDSETS

    class Meta:
        model = Official
        fields = [name for _legend, names in OFFICIAL_FIELDSETS for name in names]
        field_classes = {
            "date_of_birth": SaneDateField,
            "party_joined_on": SaneDateField,
            "party_confirmed_on": SaneDateField,
            "left_on": SaneDateField,
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "home_address": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "code": gettext_lazy("Mã hồ sơ duy nhất, ví dụ CB000123."),
            "date_of_birth": gettext_lazy("Ngày/tháng/năm, ví dụ 15/03/1980."),
            "party_joined_on": gettext_lazy("Để trống nếu chưa là đảng viên."),
            "party_confirmed_on": gettext_lazy("Ngày trở thành đảng viên chính thức."),
            "left_on": gettext_lazy(
                "Ngày nghỉ hưu, chuyển ra ngoài hệ thống hoặc từ trần; chỉ nhập khi tình trạng "
                "không còn là đang công tác. Để trống nếu cán bộ đang công tác."
            ),
        }
        error_messages = {
            "code": {"unique": gettext_lazy("Số hiệu hồ sơ này đã được dùng cho cán bộ khác.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = DATE_INVALID

    def clean_personal_id(self):
        number = normalise_personal_id(self.cleaned_data.get("personal_id"))
        validate_personal_id(number)
        return number

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def _post_clean(self):
        super()._post_clean()
        # The profile rules of the services, shown together with the other errors; the
        # services check them again when saving.
        if "date_of_birth" in self.errors:
            return
        try:
            official_validate(self.instance)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, messages)

    def legend_groups(self):
        """(legend, bound fields) for each group, in the order of form 2C."""
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


class UnitChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "Cơ quan, đơn vị đã chọn không có hoặc nằm ngoài phạm vi quản lý của bạn."
        ),
    }

    def label_from_instance(self, obj):
        return obj.name


class PositionChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "Chức vụ đã chọn không có, đã thôi sử dụng hoặc nằm ngoài phạm vi quản lý của bạn."
        ),
    }

    def label_from_instance(self, obj):
        return f"{obj.title} – {obj.org_unit.name}"


class OfficialCreateForm(OfficialForm):
    """A new official and the first posting, which places the record in the user's scope."""

    org_unit = UnitChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị công tác"),
        queryset=OrgUnit.objects.none(),
        widget=AutocompleteSelect("unit_autocomplete"),
        help_text=gettext_lazy("Chỉ chọn được đơn vị trong phạm vi quản lý của bạn."),
    )
    position = PositionChoiceField(
        label=gettext_lazy("Chức vụ"),
        queryset=Position.objects.none(),
        required=False,
        widget=AutocompleteSelect("position_autocomplete", forward=("org_unit", "org_unit")),
        help_text=gettext_lazy("Không bắt buộc; danh sách chỉ gồm các chức vụ của đơn vị đã chọn."),
    )
    title = forms.CharField(
        label=gettext_lazy("Chức danh, công việc"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Để trống để dùng tên chức vụ đã chọn."),
    )
    start_date = SaneDateField(
        label=gettext_lazy("Từ ngày"),
        help_text=gettext_lazy("Ngày bắt đầu đảm nhiệm, ví dụ 01/08/2020."),
    )
    basis = forms.CharField(
        label=gettext_lazy("Căn cứ"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Số, ký hiệu quyết định, ví dụ 123-QĐ/TU."),
    )

    posting_fields = ["org_unit", "position", "title", "start_date", "basis"]
    fieldsets = [
        *OFFICIAL_FIELDSETS,
        (gettext_lazy("Vị trí công tác hiện tại"), posting_fields),
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.for_user(user).current()
        self.fields["position"].queryset = (
            Position.objects.for_user(user).filter(is_active=True).select_related("org_unit")
        )

    def clean(self):
        data = super().clean()
        unit, position = data.get("org_unit"), data.get("position")
        if unit and position and position.org_unit_id != unit.pk:
            self.add_error("position", _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn."))
        if not (data.get("title") or "").strip() and not position and "position" not in self.errors:
            self.add_error("title", _("Nhập chức danh, công việc hoặc chọn chức vụ."))
        return data

    def first_posting(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.posting_fields}

    def profile(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


# --- the photo ---------------------------------------------------------------------------


class OfficialPhotoForm(BootstrapFormMixin, forms.Form):
    """A portrait uploaded (multipart); the service checks that it really is an image."""

    photo = forms.FileField(
        label=gettext_lazy("Ảnh chân dung"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={
            "required": gettext_lazy("Chưa chọn tệp ảnh."),
            "empty": gettext_lazy("Tệp ảnh rỗng."),
            "invalid": gettext_lazy("Không đọc được tệp đã gửi; hãy chọn lại ảnh."),
            "max_length": gettext_lazy("Tên tệp quá dài; hãy đổi tên tệp rồi chọn lại."),
        },
        max_length=255,
        help_text=gettext_lazy(
            "Ảnh 4×6 chụp chính diện, định dạng JPEG hoặc PNG, không quá 2 MB và không lớn "
            "hơn 4000×4000 điểm ảnh."
        ),
    )
