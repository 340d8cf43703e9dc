"""Party congress terms (nhiệm kỳ), from the ``TERMS`` setting; planning is per term too."""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings


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
    for term in terms():
        if term.start <= day <= term.end:
            return term
    # Outside the configured terms: five-year terms counted from the last one.
    last = terms()[-1]
    years = 5 * ((day.year - last.start.year) // 5)
    start = last.start + relativedelta(years=years)
    return Term(f"{start.year}-{start.year + 5}", start, start + relativedelta(years=5, days=-1))
