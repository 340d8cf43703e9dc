"""Where the apps above personnel add to its pages, without personnel importing them.

Dependencies point one way (reports → rotation → personnel → accounts), yet the
officials list filters by rotation and an official's page shows movements and alerts.
An app above registers here when it loads (its ``AppConfig.ready``): the FilterSet the
officials list and export use, the annotations of the list, its extra filters, and what
it adds to an official's page (timeline entries and context that its own partials,
included by name in personnel's templates, render).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class OfficialPages:
    #: the FilterSet of the officials list and export; a subclass of ``OfficialFilterSet``
    list_filterset: type | None = None
    #: queryset -> queryset: annotations the exported rows show (``is_rotated``), read
    #: with the whole result
    list_annotations: list[Callable] = field(default_factory=list)
    #: list of officials -> None: the same facts set on one page's rows, in one query for
    #: the page (a subquery per row of the whole list would be planned for all of it)
    page_annotations: list[Callable] = field(default_factory=list)
    #: names of the registered FilterSet's own filters, shown with the advanced filters
    list_filters: list[str] = field(default_factory=list)
    #: (official, user) -> dict: context an official's page adds. The key ``timeline``
    #: holds (kind, date, item) entries merged with the postings, newest first.
    page_context: list[Callable] = field(default_factory=list)
    #: templates of the sections an app adds at the top of an official's page, by name
    page_sections: list[str] = field(default_factory=list)
    #: timeline entry kind -> the template that renders one entry of it (``item``)
    timeline_templates: dict[str, str] = field(default_factory=dict)


OFFICIAL_PAGES = OfficialPages()


def official_list_filterset() -> type:
    from .filters import OfficialFilterSet

    return OFFICIAL_PAGES.list_filterset or OfficialFilterSet


def annotate_official_list(queryset):
    for annotate in OFFICIAL_PAGES.list_annotations:
        queryset = annotate(queryset)
    return queryset


def annotate_official_page(officials: list) -> list:
    """What the registered apps show on each row of one page of the list (set in place)."""
    for annotate in OFFICIAL_PAGES.page_annotations:
        annotate(officials)
    return officials


def timeline_template(kind: str) -> str:
    return OFFICIAL_PAGES.timeline_templates[kind]


def official_page_context(official, user) -> dict:
    """What the registered apps add to an official's page, merged (timelines concatenated)."""
    merged: dict = {"timeline": [], "page_sections": list(OFFICIAL_PAGES.page_sections)}
    for provide in OFFICIAL_PAGES.page_context:
        added = dict(provide(official, user))
        merged["timeline"] += added.pop("timeline", [])
        merged.update(added)
    return merged
