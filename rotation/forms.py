"""Forms of the decision pages: a decision, its movements, consultation answers, actions.

Forms only read and check input; every write goes through ``rotation.services``.
"""

from django import forms
from django.core.validators import MinValueValidator
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapFormMixin, DateInput
from config.ids import is_id
from personnel.dates import SaneDateField
from personnel.models import Official, OrgUnit, Position

from .choices import PERSONNEL_KINDS, ConsultationOpinion, MovementKind
from .models import Decision, Movement
from .services import MOVEMENT_CHOSEN_FIELDS


def url_or_empty(name: str) -> str:
    """The URL of ``name``, or '' while another area has not published it yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


class AutocompleteSelect(forms.Select):
    """A select filled by Tom Select from ``url``; renders only the selected option.

    Without a URL (the endpoint not built yet) it falls back to a plain select with
    every choice, so the page keeps working.
    """

    def __init__(self, url: str = "", attrs=None):
        super().__init__(attrs)
        self.url = url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.url:
            context["widget"]["attrs"]["data-autocomplete-url"] = self.url
            context["widget"]["attrs"]["data-no-results"] = str(_("Không tìm thấy."))
        return context

    def optgroups(self, name, value, attrs=None):
        if not self.url:
            return super().optgroups(name, value, attrs)
        field = self.choices.field
        # Only ids reach the query: a huge or non-numeric value typed into the URL is dropped.
        selected = [v for v in value if is_id(v)]
        empty_label = getattr(field, "empty_label", None) or ""
        options = [self.create_option(name, "", empty_label, not selected, 0)]
        if selected:
            try:
                objects = list(self.choices.queryset.filter(pk__in=selected))
            except (ValueError, TypeError):
                objects = []
            for index, obj in enumerate(objects, start=1):
                label = field.label_from_instance(obj)
                options.append(self.create_option(name, str(obj.pk), label, True, index))
        return [(None, options, 0)]


INVALID_DATE = _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 15/08/2025.")


class FilterForm(BootstrapFormMixin, forms.Form):
    """The decisions list's filter form, styled like every other form."""


class DecisionForm(BootstrapFormMixin, forms.ModelForm):
    """A decision's header. The issuer is chosen on creation only (it scopes the decision)."""

    class Meta:
        model = Decision
        fields = ["number", "issued_by", "title", "signed_on", "note"]
        field_classes = {"signed_on": SaneDateField}
        widgets = {
            "issued_by": AutocompleteSelect(),
            "signed_on": DateInput(),
            "title": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "signed_on": {"invalid": INVALID_DATE},
            "issued_by": {
                "invalid_choice": _("Cơ quan đã chọn không có trong phạm vi quản lý của bạn.")
            },
        }
        help_texts = {
            "issued_by": _("Chỉ chọn được cơ quan trong phạm vi quản lý của bạn."),
            "signed_on": _("Định dạng ngày/tháng/năm. Có thể để trống khi còn dự thảo."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = self.fields["issued_by"]
        issuer.queryset = OrgUnit.objects.for_user(user).current()
        issuer.widget.url = url_or_empty("unit_autocomplete")
        if self.instance.pk:
            issuer.disabled = True
            issuer.help_text = _("Không đổi được cơ quan ban hành của quyết định đã tạo.")

    def _get_validation_exclusions(self):
        # The number's uniqueness per issuer is checked in clean() with a message on the
        # field itself; skipping it here keeps the model constraint from repeating it.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("number")
        return exclusions

    def clean(self):
        data = super().clean()
        number, issuer = data.get("number"), data.get("issued_by")
        if number and issuer:
            taken = Decision.objects.filter(issued_by=issuer, number=number)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("number", _("Cơ quan này đã có quyết định mang số, ký hiệu này."))
        return data


class MovementForm(BootstrapFormMixin, forms.ModelForm):
    """One official's leg of a decision; the official is fixed once the movement exists."""

    class Meta:
        model = Movement
        fields = ["official", *MOVEMENT_CHOSEN_FIELDS]
        field_classes = {"effective_on": SaneDateField}
        widgets = {
            "official": AutocompleteSelect(),
            "to_position": AutocompleteSelect(),
            "effective_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "effective_on": {"invalid": INVALID_DATE},
            "official": {
                "invalid_choice": _("Cán bộ đã chọn không có trong phạm vi quản lý của bạn.")
            },
            "to_position": {
                "invalid_choice": _("Chức vụ đã chọn không có trong phạm vi quản lý của bạn.")
            },
        }
        help_texts = {
            "official": _("Gõ ít nhất 2 ký tự của họ tên hoặc số hiệu hồ sơ."),
            "to_position": _("Gõ ít nhất 2 ký tự của tên chức danh hoặc cơ quan."),
            "effective_on": _("Định dạng ngày/tháng/năm."),
            "term_months": _("Luân chuyển: ít nhất 36 tháng; biệt phái: tối đa 36 tháng."),
        }

    def __init__(self, *args, user, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.decision = decision
        official = self.fields["official"]
        official.queryset = Official.objects.for_user(user).select_related("current_posting")
        official.label_from_instance = official_label
        official.widget.url = url_or_empty("official_autocomplete")
        position = self.fields["to_position"]
        position.queryset = Position.objects.for_user(user).select_related("org_unit")
        position.widget.url = url_or_empty("position_autocomplete")
        self.fields["kind"].choices = [
            ("", _("— Chọn hình thức —")),
            *[(code, label) for code, label in MovementKind.choices if code in PERSONNEL_KINDS],
        ]
        term = self.fields["term_months"]
        term.validators.append(MinValueValidator(1))
        term.widget.attrs["min"] = 1
        term.error_messages["min_value"] = _("Thời hạn phải lớn hơn 0 tháng.")
        if self.instance.pk:
            official.disabled = True
            official.help_text = _("Muốn đổi cán bộ, hãy xóa lượt này và thêm lượt mới.")


def official_label(official: Official) -> str:
    """Same label as the officials' autocomplete: "Full name (code) – current title"."""
    title = official.current_posting.title if official.current_posting_id else ""
    return f"{official} – {title}" if title else str(official)


class ConsultationAnswerForm(BootstrapFormMixin, forms.Form):
    opinion = forms.ChoiceField(
        label=_("Ý kiến"),
        choices=[("", _("— Chọn ý kiến —")), *ConsultationOpinion.choices],
        error_messages={"required": _("Chưa chọn ý kiến.")},
    )
    opinion_text = forms.CharField(
        label=_("Nội dung ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Tóm tắt văn bản trả lời, nếu có ý kiến khác."),
    )
    answered_on = SaneDateField(
        label=_("Ngày trả lời"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Chưa nhập ngày trả lời."), "invalid": INVALID_DATE},
    )

    def __init__(self, *args, consultation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consultation is not None:
            # Distinct ids: one answer form per consultation on the same page.
            self.auto_id = f"id_c{consultation.pk}_%s"


class ApproveForm(BootstrapFormMixin, forms.Form):
    signed_on = SaneDateField(
        label=_("Ngày ký"),
        widget=DateInput(),
        help_text=_("Ngày lãnh đạo ký quyết định (ngày/tháng/năm), không sau ngày hôm nay."),
        error_messages={
            "required": _("Cần nhập ngày ký trước khi ban hành."),
            "invalid": INVALID_DATE,
        },
    )


class CancelForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần nêu lý do hủy quyết định.")},
    )
