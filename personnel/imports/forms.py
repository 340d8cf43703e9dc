"""Forms of the import pages: the upload, and the mapping of a committee's own columns."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models_imports import ColumnMapping
from .columns import SHEETS, SHEETS_BY_KEY
from .reader import MAX_FILE_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Tệp theo mẫu nhập, hoặc tệp của đơn vị (sẽ ghép cột với mẫu ở bước sau)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    mapping = forms.ModelChoiceField(
        label=_("Cách ghép cột đã lưu"),
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label=_("Không dùng (tệp theo mẫu nhập)"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ColumnMapping.objects.for_user(user).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Tệp vượt quá %(max)d MB cho phép; hãy chia thành nhiều tệp."),
                params={"max": MAX_FILE_BYTES // 1024 // 1024},
            )
        return upload


class MappingForm(forms.Form):
    """One select per header of the file's sheet: which field of the template sheet it feeds."""

    name = forms.CharField(
        label=_("Tên cách ghép cột"),
        max_length=150,
        help_text=_("Lưu lại để dùng cho lần nhập sau, ví dụ “Danh sách cán bộ của Sở”."),
    )
    sheet = forms.ChoiceField(
        label=_("Trang của mẫu mà tệp này cung cấp"),
        choices=[(spec.key, spec.name) for spec in SHEETS],
    )

    def __init__(self, *args, headers=(), sheet_key="officials", **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        spec = SHEETS_BY_KEY.get(sheet_key) or SHEETS_BY_KEY["officials"]
        choices = [("", _("— bỏ qua cột này —"))] + [
            (c.field, f"{c.header_text}{' *' if c.required else ''}") for c in spec.columns
        ]
        for index, header in enumerate(self.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(cột không tiêu đề)"), choices=choices, required=False
            )
            self.initial.setdefault(f"col_{index}", _guess(spec, header))
        self.spec = spec

    def column_fields(self):
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(f"col_{i}") for i in range(len(self.headers))]
        picked = [name for name in chosen if name]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError(_("Mỗi trường của mẫu chỉ ghép với một cột."))
        missing = [
            c.header_text
            for c in self.spec.columns
            if c.required and c.field not in picked and c.field != "code"
        ]
        if missing:
            raise forms.ValidationError(
                _("Chưa ghép các trường bắt buộc: %(names)s."), params={"names": "; ".join(missing)}
            )
        cleaned["columns"] = {
            header: name
            for header, name in zip(self.headers, chosen, strict=True)
            if name and header
        }
        return cleaned


def _guess(spec, header: str) -> str:
    from ..text import fold_vietnamese

    key = fold_vietnamese(header or "")
    for column in spec.columns:
        if fold_vietnamese(column.header_text) == key:
            return column.field
    return ""
