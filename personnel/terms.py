"""Party congress terms (nhiệm kỳ), from the ``TERMS`` setting; planning is per term too."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from .months import whole_months

TERM_MONTHS = 60


@dataclass(frozen=True)
class Term:
    name: str
    start: dt.date
    end: dt.date


def terms() -> list[Term]:
    return [
        Term(name, dt.date.fromisoformat(start), dt.date.fromisoformat(end))
        for name, start, end in settings.TERMS
    ]


def term_on(day: dt.date) -> Term:
    """The term containing ``day``: a configured one, or else a five-year term counted in
    whole five-year steps from the nearest configured term (after the last, before the
    first)."""
    known = terms()
    for term in known:
        if term.start <= day <= term.end:
            return term
    anchor = known[-1].start if day > known[-1].end else known[0].start
    steps = whole_months(anchor, day) // TERM_MONTHS
    start = anchor + relativedelta(months=steps * TERM_MONTHS)
    return Term(f"{start.year}-{start.year + 5}", start, start + relativedelta(years=5, days=-1))
