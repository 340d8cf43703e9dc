"""Template helpers shared by the staff pages."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with ``changes`` applied (None removes a key); page resets."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str):
    """A column header that sorts by ``field``, toggling ascending/descending."""
    current = context["request"].GET.get("sort", "")
    if current == field:
        target, arrow, state = f"-{field}", " ▲", "ascending"
    elif current == f"-{field}":
        target, arrow, state = field, " ▼", "descending"
    else:
        target, arrow, state = field, "", "none"
    url = query(context, sort=target)
    return format_html(
        '<a href="{}" class="sort-link" aria-sort="{}">{}{}</a>', url, state, label, arrow
    )
