"""Forms of an official's record on the staff pages: postings (incl. concurrent posts),
training, evaluations, planning, discipline, rewards and the photo.

The forms check the shape of what is typed (dates in range, lengths, numbers); the rules
are the services' (``personnel.services`` for postings, ``personnel.services_record`` for
the rest), whose refusals the views put back on the form.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import BootstrapFormMixin
from config.ids import is_id

from .dates import SaneDateField
from .forms import DATE_INVALID, AutocompleteSelect, PositionChoiceField, UnitChoiceField
from .models import Evaluation, OrgUnit, PlanningEntry, Position, Posting, TrainingRecord
from .models_discipline import Discipline, Reward
from .services_record import (
    DISCIPLINE_EDITABLE_FIELDS,
    EVALUATION_EDITABLE_FIELDS,
    PLANNING_EDITABLE_FIELDS,
    REWARD_EDITABLE_FIELDS,
    TRAINING_EDITABLE_FIELDS,
)

#: notes and remarks: long enough for a paragraph, short enough to refuse a paste of a file
NOTE_MAX_LENGTH = 2000
YEAR_RANGE = (1900, 2100)


class SafeIdMixin:
    """A choice field that refuses a value which is not an id before it reaches a query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeUnitChoiceField(SafeIdMixin, UnitChoiceField):
    pass


class SafePositionChoiceField(SafeIdMixin, PositionChoiceField):
    pass


class RecordFormMixin(BootstrapFormMixin):
    """Dates typed dd/mm/yyyy with a Vietnamese message; free text capped. ``user`` limits
    the units and positions offered to the user's scope.

    The model's own validation is not run here: the services run it (after their rules, in
    their words) when saving, and the views put their refusals back on the form.
    """

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = DATE_INVALID
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = gettext_lazy(
                    "Tối đa %(limit_value)d ký tự (đã nhập %(show_value)d ký tự)."
                )

    def _post_clean(self):
        pass

    def changes(self) -> dict:
        """The editable fields the user changed, with their new values."""
        editable = getattr(self, "editable_fields", None) or self._meta.fields
        return {name: self.cleaned_data[name] for name in self.changed_data if name in editable}

    def values(self) -> dict:
        editable = getattr(self, "editable_fields", None) or self._meta.fields
        return {name: self.cleaned_data[name] for name in editable if name in self.cleaned_data}


def _note_field(label, help_text):
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


# --- postings --------------------------------------------------------------------------


class PostingRecordForm(RecordFormMixin, forms.ModelForm):
    """A posting added or corrected on the profile: a primary one or a concurrent post."""

    org_unit = SafeUnitChoiceField(
        label=gettext_lazy("Cơ quan, đơn vị"),
        queryset=OrgUnit.objects.none(),
        widget=AutocompleteSelect("unit_autocomplete"),
        help_text=gettext_lazy("Chỉ chọn được đơn vị trong phạm vi quản lý của bạn."),
    )
    position = SafePositionChoiceField(
        label=gettext_lazy("Chức vụ"),
        queryset=Position.objects.none(),
        required=False,
        widget=AutocompleteSelect("position_autocomplete", forward=("org_unit", "org_unit")),
        help_text=gettext_lazy("Không bắt buộc; danh sách chỉ gồm các chức vụ của đơn vị đã chọn."),
    )

    class Meta:
        model = Posting
        fields = ["org_unit", "position", "title", "start_date", "end_date", "is_primary", "basis"]
        field_classes = {"start_date": SaneDateField, "end_date": SaneDateField}
        labels = {
            "title": gettext_lazy("Chức danh, công việc"),
            "start_date": gettext_lazy("Từ ngày"),
            "end_date": gettext_lazy("Đến ngày"),
            "is_primary": gettext_lazy("Công tác chính"),
            "basis": gettext_lazy("Căn cứ (số quyết định)"),
        }
        help_texts = {
            "title": gettext_lazy("Để trống để dùng tên chức vụ đã chọn."),
            "start_date": gettext_lazy("Ngày bắt đầu đảm nhiệm, ví dụ 01/08/2020."),
            "end_date": gettext_lazy(
                "Ngày cuối cùng đảm nhiệm; để trống nếu đang đảm nhiệm. Để kết thúc một vị "
                "trí đang đảm nhiệm, dùng nút “Kết thúc”."
            ),
            "is_primary": gettext_lazy(
                "Bỏ chọn nếu là chức vụ kiêm nhiệm. Mỗi cán bộ chỉ có một vị trí công tác "
                "chính tại một thời điểm."
            ),
            "basis": gettext_lazy("Số, ký hiệu quyết định, ví dụ 123-QĐ/TU."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["title"].required = False
        own_unit = Q(pk=self.instance.org_unit_id) if self.instance.org_unit_id else Q(pk__in=[])
        own_position = (
            Q(pk=self.instance.position_id) if self.instance.position_id else Q(pk__in=[])
        )
        # The units and positions of the user's scope, and (when correcting) the posting's
        # own, so that a correction of an old posting keeps its unit as it was.
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(
            Q(pk__in=OrgUnit.objects.for_user(user).values("pk")) | own_unit
        )
        self.fields["position"].queryset = Position.objects.filter(
            Q(pk__in=Position.objects.for_user(user).values("pk")) | own_position
        ).select_related("org_unit")

    def clean(self):
        data = super().clean()
        unit, position = data.get("org_unit"), data.get("position")
        if unit and position and position.org_unit_id != unit.pk:
            self.add_error("position", _("Chức vụ đã chọn không thuộc cơ quan, đơn vị đã chọn."))
        if not (data.get("title") or "").strip() and not position and "position" not in self.errors:
            self.add_error("title", _("Nhập chức danh, công việc hoặc chọn chức vụ."))
        return data


class PostingCloseForm(RecordFormMixin, forms.Form):
    """Ending a posting: its last day."""

    end_date = SaneDateField(
        label=gettext_lazy("Ngày kết thúc"),
        help_text=gettext_lazy(
            "Ngày cuối cùng đảm nhiệm vị trí này (ngày trước ngày quyết định mới có hiệu "
            "lực), ví dụ 31/07/2025."
        ),
    )


# --- training, evaluations, planning, discipline, rewards --------------------------------


class TrainingForm(RecordFormMixin, forms.ModelForm):
    editable_fields = TRAINING_EDITABLE_FIELDS

    class Meta:
        model = TrainingRecord
        fields = [
            "kind",
            "programme",
            "qualification",
            "institution",
            "mode",
            "start_date",
            "end_date",
        ]
        field_classes = {"start_date": SaneDateField, "end_date": SaneDateField}
        labels = {
            "kind": gettext_lazy("Loại đào tạo, bồi dưỡng"),
            "programme": gettext_lazy("Chuyên ngành, chương trình"),
            "qualification": gettext_lazy("Văn bằng, chứng chỉ"),
            "institution": gettext_lazy("Cơ sở đào tạo"),
            "mode": gettext_lazy("Hình thức"),
            "start_date": gettext_lazy("Từ ngày"),
            "end_date": gettext_lazy("Đến ngày"),
        }
        help_texts = {
            "kind": gettext_lazy("Chuyên môn, lý luận chính trị, quản lý nhà nước hoặc khác."),
            "programme": gettext_lazy("Ví dụ: Cao cấp lý luận chính trị; Thạc sĩ Quản lý công."),
            "qualification": gettext_lazy("Ví dụ: Bằng thạc sĩ; Chứng chỉ chuyên viên chính."),
            "institution": gettext_lazy("Ví dụ: Học viện Chính trị quốc gia Hồ Chí Minh."),
            "mode": gettext_lazy("Tập trung, không tập trung hoặc từ xa."),
            "start_date": gettext_lazy("Ngày bắt đầu khóa học, ví dụ 01/09/2018."),
            "end_date": gettext_lazy("Ngày kết thúc; để trống nếu đang học."),
        }


class EvaluationForm(RecordFormMixin, forms.ModelForm):
    editable_fields = EVALUATION_EDITABLE_FIELDS

    year = forms.IntegerField(
        label=gettext_lazy("Năm đánh giá"),
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        error_messages={
            "invalid": gettext_lazy("Năm đánh giá là số có 4 chữ số, ví dụ 2024."),
            "min_value": gettext_lazy("Năm đánh giá phải từ năm %(limit_value)s trở đi."),
            "max_value": gettext_lazy("Năm đánh giá không được sau năm %(limit_value)s."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("Năm được đánh giá, ví dụ 2024; mỗi năm một kết quả."),
    )
    note = _note_field(
        gettext_lazy("Nhận xét"),
        gettext_lazy("Tóm tắt nhận xét, đánh giá (không bắt buộc)."),
    )

    class Meta:
        model = Evaluation
        fields = ["year", "rating", "note"]
        labels = {"rating": gettext_lazy("Xếp loại")}
        help_texts = {"rating": gettext_lazy("Mức xếp loại chất lượng của năm.")}


class PlanningForm(RecordFormMixin, forms.ModelForm):
    editable_fields = PLANNING_EDITABLE_FIELDS

    position = SafePositionChoiceField(
        label=gettext_lazy("Chức danh quy hoạch"),
        queryset=Position.objects.none(),
        widget=AutocompleteSelect("position_autocomplete"),
        help_text=gettext_lazy(
            "Gõ tên chức danh hoặc đơn vị để tìm, trong phạm vi quản lý của bạn."
        ),
    )
    term = forms.CharField(
        label=gettext_lazy("Nhiệm kỳ"),
        max_length=9,
        help_text=gettext_lazy("Ghi theo dạng 2025-2030."),
    )

    class Meta:
        model = PlanningEntry
        fields = ["position", "term", "status", "approved_on", "basis"]
        field_classes = {"approved_on": SaneDateField}
        labels = {
            "status": gettext_lazy("Trạng thái"),
            "approved_on": gettext_lazy("Ngày phê duyệt"),
            "basis": gettext_lazy("Căn cứ (số quyết định)"),
        }
        help_texts = {
            "status": gettext_lazy("Đang trong quy hoạch, đã bổ nhiệm hoặc đưa ra khỏi quy hoạch."),
            "approved_on": gettext_lazy("Ngày quyết định phê duyệt quy hoạch, ví dụ 15/06/2025."),
            "basis": gettext_lazy("Số, ký hiệu quyết định phê duyệt, ví dụ 45-QĐ/TU."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        own = Q(pk=self.instance.position_id) if self.instance.position_id else Q(pk__in=[])
        self.fields["position"].queryset = Position.objects.filter(
            Q(pk__in=Position.objects.for_user(user).filter(is_active=True).values("pk")) | own
        ).select_related("org_unit")

    def clean_term(self):
        return "".join((self.cleaned_data.get("term") or "").split()).replace("–", "-")


class DisciplineForm(RecordFormMixin, forms.ModelForm):
    editable_fields = DISCIPLINE_EDITABLE_FIELDS

    duration_months = forms.IntegerField(
        label=gettext_lazy("Thời hạn (tháng)"),
        required=False,
        min_value=1,
        max_value=120,
        error_messages={
            "invalid": gettext_lazy("Thời hạn là số tháng, ví dụ 12."),
            "min_value": gettext_lazy("Thời hạn ít nhất %(limit_value)s tháng."),
            "max_value": gettext_lazy("Thời hạn không quá %(limit_value)s tháng."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=gettext_lazy("Thời gian chịu kỷ luật theo quyết định, nếu có."),
    )
    note = _note_field(gettext_lazy("Ghi chú"), gettext_lazy("Nội dung vi phạm, ghi chú khác."))

    class Meta:
        model = Discipline
        fields = ["kind", "level", "decided_on", "basis", "issued_by", "duration_months", "note"]
        field_classes = {"decided_on": SaneDateField}
        labels = {
            "kind": gettext_lazy("Hình thức kỷ luật"),
            "level": gettext_lazy("Cấp quyết định"),
            "decided_on": gettext_lazy("Ngày quyết định"),
            "basis": gettext_lazy("Số quyết định"),
            "issued_by": gettext_lazy("Cơ quan ra quyết định"),
        }
        help_texts = {
            "kind": gettext_lazy("Khiển trách, cảnh cáo, cách chức hoặc khai trừ, buộc thôi việc."),
            "level": gettext_lazy("Cấp của cơ quan quyết định kỷ luật (không bắt buộc)."),
            "decided_on": gettext_lazy(
                "Thời hạn chờ bổ nhiệm chức vụ cao hơn tính từ ngày này, ví dụ 10/03/2022."
            ),
            "basis": gettext_lazy("Số, ký hiệu quyết định kỷ luật, ví dụ 12-QĐ/UBKT."),
            "issued_by": gettext_lazy("Ví dụ: Ủy ban Kiểm tra Tỉnh ủy Hà Tĩnh."),
        }


class RewardForm(RecordFormMixin, forms.ModelForm):
    editable_fields = REWARD_EDITABLE_FIELDS

    note = _note_field(gettext_lazy("Ghi chú"), gettext_lazy("Thành tích, ghi chú khác."))

    class Meta:
        model = Reward
        fields = ["kind", "name", "level", "decided_on", "basis", "issued_by", "note"]
        field_classes = {"decided_on": SaneDateField}
        labels = {
            "kind": gettext_lazy("Hình thức khen thưởng"),
            "name": gettext_lazy("Tên khen thưởng"),
            "level": gettext_lazy("Cấp khen thưởng"),
            "decided_on": gettext_lazy("Ngày quyết định"),
            "basis": gettext_lazy("Số quyết định"),
            "issued_by": gettext_lazy("Cơ quan ra quyết định"),
        }
        help_texts = {
            "kind": gettext_lazy("Huân chương, huy chương, danh hiệu thi đua, bằng khen…"),
            "name": gettext_lazy("Ví dụ: Huân chương Lao động hạng Ba; Chiến sĩ thi đua cấp tỉnh."),
            "level": gettext_lazy("Cấp của cơ quan quyết định khen thưởng."),
            "decided_on": gettext_lazy("Ngày ký quyết định, ví dụ 02/09/2023."),
            "basis": gettext_lazy("Số, ký hiệu quyết định, ví dụ 1234/QĐ-UBND."),
            "issued_by": gettext_lazy("Ví dụ: Chủ tịch UBND tỉnh Hà Tĩnh."),
        }
