"""Form rendering shared by every staff page: Bootstrap classes, accessible errors."""

from django import forms
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "partials/forms/div.html"
    field_template_name = "partials/forms/field.html"


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input (the format staff type; DATE_INPUT_FORMATS parses it)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%d/%m/%Y")


class BootstrapFormMixin:
    """Gives widgets Bootstrap's classes, and marks invalid fields for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if isinstance(widget, forms.DateInput):
                widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
                widget.attrs.setdefault("inputmode", "numeric")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"
                widget.attrs["aria-invalid"] = "true"


def add_service_error(form: forms.Form, error: Exception, prefix: str = "") -> None:
    """Put a service's refusal on the form: a ValidationError's messages on the fields it
    names when the form has them (``prefix`` + name first, for prefixed parameter
    fields; a disabled field cannot be corrected, so not there), else above the form; a
    PermissionDenied above the form. The one way every page and admin form shows a
    service's message."""
    from django.core.exceptions import PermissionDenied, ValidationError

    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    if not isinstance(error, ValidationError) or not hasattr(error, "error_dict"):
        form.add_error(None, getattr(error, "messages", [str(error)]))
        return
    for name, messages in error.message_dict.items():
        for candidate in (prefix + name, name):
            field = form.fields.get(candidate)
            if field is not None and not field.disabled:
                form.add_error(candidate, messages)
                break
        else:
            form.add_error(None, messages)
