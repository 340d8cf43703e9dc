"""Where a place or a unit continues after reorganisations (the successor links).

The record keeps a locality as declared (birthplace, hometown); the standard CV writes
it with today's administrative name beside it, following the successor chain.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import Locality, LocalitySuccession

#: a chain longer than this is a data loop, not history
MAX_STEPS = 20


def locality_today(locality: Locality | None, on: dt.date | None = None) -> Locality | None:
    """The locality that ``locality`` continues as on ``on`` (today): itself while valid,
    else its successor's, followed; None when it ended with no single successor."""
    on = on or timezone.localdate()
    current, seen = locality, set()
    while current is not None and not current.is_valid_on(on) and len(seen) < MAX_STEPS:
        seen.add(current.pk)
        successors = list(
            LocalitySuccession.objects.filter(
                predecessor=current, successor__isnull=False
            ).select_related("successor__parent")[:2]
        )
        if len(successors) != 1 or successors[0].successor_id in seen:
            return None
        current = successors[0].successor
    return current if current is not None and current.is_valid_on(on) else None


@dataclass(frozen=True)
class Place:
    declared: Locality
    today: Locality | None

    @property
    def renamed(self) -> bool:
        return self.today is not None and self.today.pk != self.declared.pk


def declared_and_today(locality: Locality | None) -> Place | None:
    """The place as declared and, when it changed, as it is called today."""
    if locality is None:
        return None
    return Place(declared=locality, today=locality_today(locality))
