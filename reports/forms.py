"""Forms of the report pages: running a report, and the report's own parameters."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.forms import BootstrapFormMixin, add_service_error
from personnel.dates import SaneDateField
from personnel.models import OrgUnit
from personnel.text import format_day

from . import periods
from .registry import ReportDefinition

PARAM_PREFIX = "param_"


class Preset:
    THIS_TERM = "this_term"
    LAST_TERM = "last_term"
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    LAST_QUARTER = "last_quarter"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"

    CHOICES = [
        (THIS_TERM, gettext_lazy("Từ đầu nhiệm kỳ đến nay")),
        (LAST_TERM, gettext_lazy("Nhiệm kỳ trước")),
        (THIS_YEAR, gettext_lazy("Từ đầu năm đến nay")),
        (LAST_YEAR, gettext_lazy("Năm trước")),
        (LAST_QUARTER, gettext_lazy("Quý trước")),
        (LAST_MONTH, gettext_lazy("Tháng trước")),
        (CUSTOM, gettext_lazy("Tùy chọn: nhập từ ngày, đến ngày")),
    ]

    RULES = {
        THIS_TERM: periods.PeriodRule.THIS_TERM_TO_DATE,
        THIS_YEAR: periods.PeriodRule.THIS_YEAR_TO_DATE,
        LAST_YEAR: periods.PeriodRule.LAST_YEAR,
        LAST_QUARTER: periods.PeriodRule.LAST_QUARTER,
        LAST_MONTH: periods.PeriodRule.LAST_MONTH,
    }


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The (from, to) dates, both inclusive, that a period preset means on ``today``."""
    if preset == Preset.LAST_TERM:
        previous = periods.term_on(periods.term_on(today).start - dt.timedelta(days=1))
        return previous.start, previous.end
    return periods.resolve(Preset.RULES[preset], today)


def param_fields(definition: ReportDefinition) -> dict[str, forms.Field]:
    """Form fields for the report's own parameters (``param_<name>``), defaults as initial."""
    fields = {}
    for param in definition.params:
        if param.kind == "int":
            attrs = {
                k: v for k, v in (("min", param.minimum), ("max", param.maximum)) if v is not None
            }
            field = forms.IntegerField(
                label=param.label,
                required=False,
                initial=param.default,
                widget=forms.NumberInput(attrs=attrs),
                error_messages={
                    "invalid": _("%(label)s phải là số nguyên.") % {"label": param.label}
                },
                help_text=(
                    _("Từ %(a)s đến %(b)s; để trống để dùng mặc định (%(d)s).")
                    % {"a": param.minimum, "b": param.maximum, "d": param.default}
                    if param.minimum is not None and param.maximum is not None
                    else ""
                ),
            )
        else:
            # The registry's own wording; Django fills in %(value)s.
            invalid = _("Giá trị “%(v)s” không hợp lệ cho %(label)s.") % {
                "v": "%(value)s",
                "label": param.label,
            }
            field = forms.ChoiceField(
                label=param.label,
                required=False,
                initial=param.default,
                choices=param.choices,
                error_messages={"invalid_choice": invalid},
            )
        fields[PARAM_PREFIX + param.name] = field
    return fields


def clean_param_fields(form: forms.Form, definition: ReportDefinition) -> dict | None:
    """The report's parameters checked by the definition; errors land on their fields."""
    raw = {p.name: form.cleaned_data.get(PARAM_PREFIX + p.name) for p in definition.params}
    try:
        return definition.clean_params(raw)
    except ValidationError as error:
        add_service_error(form, error, prefix=PARAM_PREFIX)
        return None


class ScopeChoiceField(forms.ModelChoiceField):
    """Units of the user's scope as an indented tree."""

    def label_from_instance(self, obj):
        depth = max(obj.depth - getattr(self, "base_depth", 1), 0)
        return f"{'— ' * depth}{obj.name}"


def scope_field(user, **kwargs) -> ScopeChoiceField:
    # Ended units stay choosable: a report of an earlier term counts the units as they were.
    queryset = OrgUnit.objects.for_user(user).order_by("path")
    field = ScopeChoiceField(
        queryset=queryset,
        label=gettext_lazy("Phạm vi"),
        empty_label=None,
        help_text=gettext_lazy("Cơ quan, đơn vị và các đơn vị trực thuộc được tính trong báo cáo."),
        **kwargs,
    )
    scope = getattr(user, "scope", None)
    field.base_depth = scope.depth if scope is not None and not user.is_superuser else 1
    return field


class ReportRunForm(BootstrapFormMixin, forms.Form):
    """Scope, period (a preset or two dates) and the report's own parameters."""

    scope = forms.ModelChoiceField(queryset=OrgUnit.objects.none())
    period = forms.ChoiceField(
        label=gettext_lazy("Kỳ báo cáo"), choices=Preset.CHOICES, initial=Preset.THIS_TERM
    )
    date_from = SaneDateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        help_text=gettext_lazy("Khi chọn kỳ “Tùy chọn”."),
    )
    date_to = SaneDateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        help_text=gettext_lazy("Khi chọn kỳ “Tùy chọn”."),
    )

    def __init__(self, *args, definition: ReportDefinition, user, today: dt.date, **kwargs):
        self.definition, self.today = definition, today
        # Fields built per user and report, set before the form (and its styling) is built.
        self.base_fields = {
            **type(self).base_fields,
            "scope": scope_field(user),
            **param_fields(definition),
        }
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (code, self._preset_label(code, label)) for code, label in Preset.CHOICES
        ]

    def _preset_label(self, code: str, label) -> str:
        if code == Preset.CUSTOM:
            return str(label)
        start, end = preset_period(code, self.today)
        return f"{label} ({format_day(start)} – {format_day(end)})"

    def param_bound_fields(self):
        return [self[PARAM_PREFIX + p.name] for p in self.definition.params]

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == Preset.CUSTOM:
            date_from, date_to = data.get("date_from"), data.get("date_to")
            if date_from is None and "date_from" not in self.errors:
                self.add_error("date_from", _("Nhập ngày bắt đầu của kỳ báo cáo (dd/mm/yyyy)."))
            if date_to is None and "date_to" not in self.errors:
                self.add_error("date_to", _("Nhập ngày kết thúc của kỳ báo cáo (dd/mm/yyyy)."))
            if date_from and date_to and date_from > date_to:
                self.add_error("date_from", _("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            data["range"] = (date_from, date_to)
        elif period:
            data["range"] = preset_period(period, self.today)
        data["params"] = clean_param_fields(self, self.definition)
        return data


def rerun_query(run) -> dict:
    """GET parameters that prefill the run form with a run's scope, dates and parameters."""
    query = {
        "scope": run.scope_id,
        "period": Preset.CUSTOM,
        "date_from": format_day(run.date_from),
        "date_to": format_day(run.date_to),
    }
    for name, value in (run.params or {}).items():
        query[PARAM_PREFIX + name] = value
    return query
