"""Finding org units and positions by name, with or without Vietnamese diacritics.

Units and positions carry no search key. A scope holds at most a few thousand of
them, so their names are folded in Python (``fold_vietnamese``, cached) and every
word typed must occur in the folded name: "huyen uy a" finds "Huyện ủy A". A scope
past ``FOLD_LIMIT`` rows falls back to the database's case-insensitive ``icontains``.
"""

from functools import lru_cache, reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapFormMixin

from .choices import Level
from .models import OrgUnit, Position, Sector
from .text import fold_vietnamese

FOLD_LIMIT = 5_000
POSITION_FOLD_LIMIT = 20_000


@lru_cache(maxsize=65_536)
def folded(text: str) -> str:
    return fold_vietnamese(text)


def search_words(text: str) -> list[str]:
    return folded(text or "").split()


def matches(words: list[str], *texts: str) -> bool:
    """True when every typed word begins a word of the folded ``texts``.

    Word starts, not substrings: "huyen uy a" finds "Huyện ủy A" but not
    "UBND huyện A", whose "huyện" merely contains "uy".
    """
    haystack = " ".join(folded(text or "") for text in texts).split()
    return all(any(part.startswith(word) for part in haystack) for word in words)


def _icontains_all(text: str, *fields: str) -> Q:
    """Every typed word in one of ``fields`` (the fallback for very large scopes)."""
    condition = Q()
    for word in text.split():
        condition &= reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
    return condition


def search_folded(
    queryset: QuerySet, text: str, fields: tuple[str, ...], *, limit: int = FOLD_LIMIT
):
    """Rows of ``queryset`` where every word of ``text`` begins a word of ``fields``,
    diacritics and case ignored, words in any order; past ``limit`` rows, the
    database's ``icontains`` on each word."""
    words = search_words(text)
    if not words:
        return queryset
    rows = list(queryset.order_by().values_list("pk", *fields)[: limit + 1])
    if len(rows) > limit:
        return queryset.filter(_icontains_all(text, *fields))
    return queryset.filter(pk__in=[row[0] for row in rows if matches(words, *row[1:])])


def search_units(queryset: QuerySet[OrgUnit], text: str) -> QuerySet[OrgUnit]:
    """Units whose name or code contains every word of ``text``, diacritics ignored."""
    return search_folded(queryset, text, ("name", "code"))


def autocomplete_units(queryset: QuerySet[OrgUnit], text: str, *, limit: int = 20):
    """(id, name) of the first ``limit`` matching units in tree order."""
    words = search_words(text)
    ordered = queryset.order_by("path")
    if not words:
        return list(ordered.values_list("pk", "name")[:limit])
    rows = list(ordered.values_list("pk", "name", "code")[: FOLD_LIMIT + 1])
    if len(rows) > FOLD_LIMIT:
        matching = ordered.filter(_icontains_all(text, "name", "code"))
        return list(matching.values_list("pk", "name")[:limit])
    return [(pk, name) for pk, name, code in rows if matches(words, name, code)][:limit]


def autocomplete_positions(queryset: QuerySet[Position], text: str, *, limit: int = 20):
    """(id, "Title – Unit name") of the first ``limit`` positions matching title or unit name."""
    words = search_words(text)
    ordered = queryset.order_by("org_unit__path", "display_order", "title", "pk")
    columns = ("pk", "title", "org_unit__name")
    if not words:
        rows = list(ordered.values_list(*columns)[:limit])
    else:
        rows = list(ordered.values_list(*columns)[: POSITION_FOLD_LIMIT + 1])
        if len(rows) > POSITION_FOLD_LIMIT:
            matching = ordered.filter(_icontains_all(text, "title", "org_unit__name"))
            rows = list(matching.values_list(*columns)[:limit])
        else:
            rows = [row for row in rows if matches(words, row[1], row[2])][:limit]
    return [(pk, f"{title} – {unit_name}") for pk, title, unit_name in rows]


class UnitFilterForm(BootstrapFormMixin, forms.Form):
    pass


class UnitFilterSet(django_filters.FilterSet):
    """Search of the unit tree page: name (diacritics-insensitive), level, sector, state."""

    SORTS = {
        "name": ("name", "pk"),
        "code": ("code", "pk"),
        "level": ("level", "path"),
        "sector": ("sector__name", "path"),
    }

    q = django_filters.CharFilter(
        label=_("Tên hoặc mã cơ quan, đơn vị"),
        method="filter_q",
        help_text=_("Gõ có dấu hoặc không dấu, ví dụ: huyen uy."),
    )
    level = django_filters.ChoiceFilter(
        label=_("Cấp"), choices=Level.choices, empty_label=_("Tất cả các cấp")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Ngành, khối"), queryset=Sector.objects.all(), empty_label=_("Tất cả ngành, khối")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Tình trạng"),
        widget=forms.Select(
            choices=[
                ("", _("Tất cả")),
                ("true", _("Đang hoạt động")),
                ("false", _("Ngừng hoạt động")),
            ]
        ),
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "level", "sector", "is_active"]
        form = UnitFilterForm

    def filter_q(self, queryset, name, value):
        return search_units(queryset, value)

    @property
    def qs(self):
        queryset = super().qs
        sort = self.request.GET.get("sort", "") if self.request else ""
        fields = self.SORTS.get(sort.lstrip("-"))
        if fields is None:
            return queryset.order_by("path")
        if sort.startswith("-"):
            fields = tuple(f"-{field}" for field in fields)
        return queryset.order_by(*fields)

    @property
    def is_searching(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.filters)
