"""Finding org units and positions by name, with or without Vietnamese diacritics.

Units and positions carry no search key. A scope holds at most a few thousand of
them, so their names are folded in Python (``fold_vietnamese``, cached) and every
word typed must occur in the folded name: "huyen uy a" finds "Huyện ủy A". A scope
past ``FOLD_LIMIT`` rows falls back to the database's case-insensitive ``icontains``.
"""

import datetime as dt
from functools import lru_cache, reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import BootstrapFormMixin, DateInput

from .choices import Level
from .dates import SaneDateField
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


class AsOfForm(BootstrapFormMixin, forms.Form):
    """``?on=``: the day a page shows the organisation as it was (default today)."""

    on = SaneDateField(
        label=_("Tại ngày"),
        required=False,
        widget=DateInput(),
        help_text=_("Xem cơ cấu và người đảm nhiệm như tại ngày này (dd/mm/yyyy)."),
    )


def as_of(request) -> tuple[AsOfForm, dt.date]:
    """The form and the day asked for; an invalid or missing day gives today."""
    form = AsOfForm(request.GET or None)
    day = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("on")
    return form, day or timezone.localdate()


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
    status = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=[
            ("current", _("Đang hoạt động")),
            ("ended", _("Đã kết thúc")),
        ],
        empty_label=_("Tất cả"),
        method="filter_status",
        help_text=_("Tính tại ngày đang xem (mặc định: hôm nay)."),
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "level", "sector", "status"]
        form = UnitFilterForm

    def __init__(self, *args, as_of: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of or timezone.localdate()

    def filter_status(self, queryset, name, value):
        if value == "current":
            return queryset.valid_on(self.as_of)
        if value == "ended":
            return queryset.ended_by(self.as_of)
        return queryset

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
