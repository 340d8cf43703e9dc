"""Terms outside the configured ones, and the one month arithmetic they and others use."""

import datetime as dt

import pytest

from personnel.months import whole_months
from personnel.terms import term_on

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2025, 3, 15), D(2025, 4, 14), 0),
        (D(2025, 3, 15), D(2025, 4, 15), 1),
        (D(2025, 3, 15), D(2025, 3, 15), 0),
        (D(2025, 4, 15), D(2025, 3, 14), -2),
        (D(2025, 4, 15), D(2025, 3, 15), -1),
        (D(2020, 10, 1), D(2025, 9, 30), 59),
        (D(2020, 10, 1), D(2025, 10, 1), 60),
    ],
)
def test_whole_months_round_down(start, end, months):
    assert whole_months(start, end) == months


@pytest.mark.parametrize(
    ("day", "name", "start", "end"),
    [
        (D(2025, 9, 30), "2020-2025", D(2020, 10, 1), D(2025, 9, 30)),
        (D(2025, 10, 1), "2025-2030", D(2025, 10, 1), D(2030, 9, 30)),
        # After the configured terms: January–September belong to the term begun before.
        (D(2035, 8, 1), "2030-2035", D(2030, 10, 1), D(2035, 9, 30)),
        (D(2035, 9, 30), "2030-2035", D(2030, 10, 1), D(2035, 9, 30)),
        (D(2035, 10, 1), "2035-2040", D(2035, 10, 1), D(2040, 9, 30)),
        (D(2030, 10, 1), "2030-2035", D(2030, 10, 1), D(2035, 9, 30)),
        # Before them: counted back from the first.
        (D(2015, 9, 30), "2010-2015", D(2010, 10, 1), D(2015, 9, 30)),
        (D(2010, 9, 30), "2005-2010", D(2005, 10, 1), D(2010, 9, 30)),
        (D(1990, 1, 1), "1985-1990", D(1985, 10, 1), D(1990, 9, 30)),
    ],
)
def test_a_day_outside_the_configured_terms_lies_in_its_term(day, name, start, end):
    term = term_on(day)
    assert (term.name, term.start, term.end) == (name, start, end)
    assert term.start <= day <= term.end


def test_this_term_to_date_outside_the_configured_terms_starts_before_the_day():
    from reports.periods import resolve

    date_from, date_to = resolve("this_term_to_date", D(2035, 8, 1))
    assert (date_from, date_to) == (D(2030, 10, 1), D(2035, 8, 1))
