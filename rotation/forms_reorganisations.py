"""The reorganisation form of the staff pages: its header and its rows (old → new)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapFormMixin, DateInput
from personnel.dates import SaneDateField
from personnel.models import Locality, OrgUnit, Reorganisation

from .forms import AutocompleteSelect, url_or_empty


class ReorganisationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Reorganisation
        fields = ["kind", "name", "issued_by", "basis_number", "basis_date", "effective_on", "note"]
        field_classes = {"basis_date": SaneDateField, "effective_on": SaneDateField}
        widgets = {
            "basis_date": DateInput(),
            "effective_on": DateInput(),
            "issued_by": AutocompleteSelect(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuer = self.fields["issued_by"]
        issuer.queryset = OrgUnit.objects.for_user(user)
        issuer.widget.url = url_or_empty("unit_autocomplete")


class RowForm(BootstrapFormMixin, forms.Form):
    """One predecessor and where it continues; a blank row is ignored."""

    new_name = forms.CharField(label=_("hoặc tên đơn vị mới"), max_length=255, required=False)
    new_code = forms.CharField(
        label=_("Mã đơn vị mới"),
        max_length=32,
        required=False,
        help_text=_("Để trống để hệ thống tự đặt."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("predecessor") and any(
            data.get(name) for name in ("successor", "new_name", "new_code", "new_parent")
        ):
            self.add_error("predecessor", _("Chọn đơn vị cũ của dòng này."))
        if data.get("successor") and (data.get("new_name") or "").strip():
            self.add_error(
                "new_name", _("Chọn đơn vị kế thừa đã có hoặc nhập tên đơn vị mới, không cả hai.")
            )
        if data.get("predecessor") and data.get("predecessor") == data.get("successor"):
            self.add_error("successor", _("Đơn vị kế thừa phải khác đơn vị cũ."))
        return data

    @property
    def row(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("predecessor"):
            return None
        return {
            "predecessor": data["predecessor"],
            "successor": data.get("successor"),
            "new_name": (data.get("new_name") or "").strip(),
            "new_code": (data.get("new_code") or "").strip(),
            "new_parent": data.get("new_parent"),
        }


class UnitRowForm(RowForm):
    field_order = ["predecessor", "successor", "new_name", "new_code", "new_parent"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.for_user(user)
        url = url_or_empty("unit_autocomplete")
        for name, label, help_text in (
            ("predecessor", _("Đơn vị cũ"), ""),
            ("successor", _("Đơn vị kế thừa đã có"), ""),
            (
                "new_parent",
                _("Cấp trên của đơn vị mới"),
                _("Để trống: cùng cấp trên với đơn vị cũ."),
            ),
        ):
            self.fields[name] = forms.ModelChoiceField(
                queryset=units,
                label=label,
                required=False,
                help_text=help_text,
                widget=AutocompleteSelect(url, attrs={"class": "form-select"}),
                error_messages={
                    "invalid_choice": _("Đơn vị đã chọn không có trong phạm vi quản lý của bạn.")
                },
            )
        self.order_fields(self.field_order)


class LocalityRowForm(RowForm):
    field_order = ["predecessor", "successor", "new_name", "new_code", "new_parent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        url = url_or_empty("locality_autocomplete")
        for name, label in (
            ("predecessor", _("Đơn vị hành chính cũ")),
            ("successor", _("Đơn vị hành chính kế thừa đã có")),
            ("new_parent", _("Trực thuộc (đơn vị mới)")),
        ):
            self.fields[name] = forms.ModelChoiceField(
                queryset=Locality.objects.all(),
                label=label,
                required=False,
                widget=AutocompleteSelect(url, attrs={"class": "form-select"}),
            )
        self.fields["new_code"].max_length = 16
        self.fields["new_code"].help_text = _("Mã đơn vị hành chính mới; để trống để tự đặt.")
        self.order_fields(self.field_order)


UnitRowFormSet = forms.formset_factory(UnitRowForm, extra=2, max_num=500, validate_max=True)
LocalityRowFormSet = forms.formset_factory(LocalityRowForm, extra=2, max_num=500, validate_max=True)


def initial_rows(manager) -> list[dict]:
    return [
        {
            "predecessor": row.predecessor_id,
            "successor": row.successor_id,
            "new_name": row.new_name,
            "new_code": row.new_code,
            "new_parent": row.new_parent_id,
        }
        for row in manager.order_by("id")
    ]
