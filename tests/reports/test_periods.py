"""Named periods (last month, last quarter…), the terms they start from, and how staff
write a period: each rule at the edges of months, quarters, years and terms."""

import datetime as dt

import pytest

from reports import periods
from reports.periods import PeriodRule

D = dt.date


@pytest.mark.parametrize(
    ("rule", "today", "expected"),
    [
        (PeriodRule.LAST_MONTH, D(2025, 3, 31), (D(2025, 2, 1), D(2025, 2, 28))),
        (PeriodRule.LAST_MONTH, D(2025, 1, 1), (D(2024, 12, 1), D(2024, 12, 31))),
        (PeriodRule.LAST_MONTH, D(2024, 3, 15), (D(2024, 2, 1), D(2024, 2, 29))),
        (PeriodRule.LAST_QUARTER, D(2025, 1, 1), (D(2024, 10, 1), D(2024, 12, 31))),
        (PeriodRule.LAST_QUARTER, D(2025, 3, 31), (D(2024, 10, 1), D(2024, 12, 31))),
        (PeriodRule.LAST_QUARTER, D(2025, 4, 1), (D(2025, 1, 1), D(2025, 3, 31))),
        (PeriodRule.LAST_QUARTER, D(2025, 6, 30), (D(2025, 1, 1), D(2025, 3, 31))),
        (PeriodRule.LAST_QUARTER, D(2025, 7, 1), (D(2025, 4, 1), D(2025, 6, 30))),
        (PeriodRule.LAST_QUARTER, D(2025, 12, 31), (D(2025, 7, 1), D(2025, 9, 30))),
        (PeriodRule.THIS_QUARTER_TO_DATE, D(2025, 3, 31), (D(2025, 1, 1), D(2025, 3, 31))),
        (PeriodRule.THIS_QUARTER_TO_DATE, D(2025, 4, 1), (D(2025, 4, 1), D(2025, 4, 1))),
        (PeriodRule.THIS_QUARTER_TO_DATE, D(2025, 11, 20), (D(2025, 10, 1), D(2025, 11, 20))),
        (PeriodRule.THIS_YEAR_TO_DATE, D(2025, 1, 1), (D(2025, 1, 1), D(2025, 1, 1))),
        (PeriodRule.THIS_YEAR_TO_DATE, D(2025, 8, 9), (D(2025, 1, 1), D(2025, 8, 9))),
        (PeriodRule.LAST_YEAR, D(2025, 1, 1), (D(2024, 1, 1), D(2024, 12, 31))),
        (PeriodRule.THIS_TERM_TO_DATE, D(2025, 9, 30), (D(2020, 10, 1), D(2025, 9, 30))),
        (PeriodRule.THIS_TERM_TO_DATE, D(2025, 10, 1), (D(2025, 10, 1), D(2025, 10, 1))),
    ],
)
def test_a_named_period_on_a_given_day(rule, today, expected):
    assert periods.resolve(rule, today) == expected


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="next_decade"):
        periods.resolve("next_decade", D(2025, 1, 1))


@pytest.mark.parametrize(
    ("date_from", "date_to", "today", "text"),
    [
        # From the start of a term.
        (D(2020, 10, 1), D(2025, 3, 3), D(2025, 3, 3), "Từ đầu nhiệm kỳ đến nay"),
        (D(2020, 10, 1), D(2022, 12, 31), None, "Từ đầu nhiệm kỳ đến hết năm 2022"),
        (D(2020, 10, 1), D(2022, 12, 31), D(2023, 1, 5), "Từ đầu nhiệm kỳ đến hết năm 2022"),
        (D(2020, 10, 1), D(2020, 12, 31), None, "Từ đầu nhiệm kỳ đến hết năm 2020"),
        (D(2020, 10, 1), D(2022, 12, 30), None, "Từ đầu nhiệm kỳ đến ngày 30/12/2022"),
        (D(2020, 10, 1), D(2023, 1, 31), None, "Từ đầu nhiệm kỳ đến ngày 31/01/2023"),
        (D(2020, 10, 1), D(2023, 11, 30), None, "Từ đầu nhiệm kỳ đến ngày 30/11/2023"),
        # A calendar year, and almost one.
        (D(2024, 1, 1), D(2024, 12, 31), None, "Năm 2024"),
        (D(2024, 1, 1), D(2024, 12, 30), None, "Từ ngày 01/01/2024 đến ngày 30/12/2024"),
        (D(2024, 1, 2), D(2024, 12, 31), None, "Từ ngày 02/01/2024 đến ngày 31/12/2024"),
        (D(2024, 1, 1), D(2025, 12, 31), None, "Từ ngày 01/01/2024 đến ngày 31/12/2025"),
        # Quarters.
        (D(2024, 1, 1), D(2024, 3, 31), None, "Quý I năm 2024"),
        (D(2024, 4, 1), D(2024, 6, 30), None, "Quý II năm 2024"),
        (D(2024, 7, 1), D(2024, 9, 30), None, "Quý III năm 2024"),
        (D(2024, 10, 1), D(2024, 12, 31), None, "Quý IV năm 2024"),
        (D(2024, 2, 1), D(2024, 4, 30), None, "Từ ngày 01/02/2024 đến ngày 30/04/2024"),
        (D(2024, 5, 1), D(2024, 7, 31), None, "Từ ngày 01/05/2024 đến ngày 31/07/2024"),
        (D(2024, 8, 1), D(2024, 10, 31), None, "Từ ngày 01/08/2024 đến ngày 31/10/2024"),
        (D(2024, 11, 1), D(2025, 1, 31), None, "Từ ngày 01/11/2024 đến ngày 31/01/2025"),
        (D(2024, 4, 1), D(2024, 6, 29), None, "Từ ngày 01/04/2024 đến ngày 29/06/2024"),
        (D(2024, 4, 2), D(2024, 7, 1), None, "Từ ngày 02/04/2024 đến ngày 01/07/2024"),
        # Months.
        (D(2024, 2, 1), D(2024, 2, 29), None, "Tháng 2 năm 2024"),
        (D(2024, 4, 1), D(2024, 4, 30), None, "Tháng 4 năm 2024"),
        (D(2024, 12, 1), D(2024, 12, 31), None, "Tháng 12 năm 2024"),
        (D(2024, 2, 1), D(2024, 2, 28), None, "Từ ngày 01/02/2024 đến ngày 28/02/2024"),
        (D(2024, 2, 2), D(2024, 3, 1), None, "Từ ngày 02/02/2024 đến ngày 01/03/2024"),
        (D(2024, 2, 1), D(2024, 3, 1), None, "Từ ngày 01/02/2024 đến ngày 01/03/2024"),
        # Anything else.
        (D(2024, 3, 5), D(2024, 3, 5), D(2024, 3, 5), "Từ ngày 05/03/2024 đến ngày 05/03/2024"),
    ],
)
def test_a_period_is_phrased_as_staff_write_it(date_from, date_to, today, text):
    assert periods.phrase(date_from, date_to, today) == text


@pytest.mark.parametrize(
    ("rule", "today", "text"),
    [
        (PeriodRule.LAST_MONTH, D(2025, 3, 10), "Tháng 2 năm 2025"),
        (PeriodRule.LAST_QUARTER, D(2025, 5, 10), "Quý I năm 2025"),
        (PeriodRule.LAST_QUARTER, D(2025, 1, 10), "Quý IV năm 2024"),
        (PeriodRule.LAST_YEAR, D(2025, 5, 10), "Năm 2024"),
        (PeriodRule.THIS_TERM_TO_DATE, D(2025, 5, 10), "Từ đầu nhiệm kỳ đến nay"),
    ],
)
def test_named_periods_read_naturally(rule, today, text):
    assert periods.phrase(*periods.resolve(rule, today), today) == text


class TestTerms:
    @pytest.mark.parametrize(
        ("day", "name", "start", "end"),
        [
            (D(2015, 10, 1), "2015-2020", D(2015, 10, 1), D(2020, 9, 30)),
            (D(2020, 9, 30), "2015-2020", D(2015, 10, 1), D(2020, 9, 30)),
            (D(2020, 10, 1), "2020-2025", D(2020, 10, 1), D(2025, 9, 30)),
            (D(2030, 9, 30), "2025-2030", D(2025, 10, 1), D(2030, 9, 30)),
            (D(2030, 10, 1), "2030-2035", D(2030, 10, 1), D(2035, 9, 30)),
            (D(2035, 9, 30), "2030-2035", D(2030, 10, 1), D(2035, 9, 30)),
            (D(2035, 10, 1), "2035-2040", D(2035, 10, 1), D(2040, 9, 30)),
            (D(2015, 9, 30), "2010-2015", D(2010, 10, 1), D(2015, 9, 30)),
            (D(2010, 10, 1), "2010-2015", D(2010, 10, 1), D(2015, 9, 30)),
            (D(2010, 9, 30), "2005-2010", D(2005, 10, 1), D(2010, 9, 30)),
        ],
    )
    def test_the_term_of_a_day(self, day, name, start, end):
        term = periods.term_on(day)
        assert (term.name, term.start, term.end) == (name, start, end)

    # Terms that do not follow one another in five-year steps: outside them, the steps
    # are counted from the nearest one (the first before, the last after).
    UNEVEN = [
        ("2016-2021", "2016-07-01", "2021-06-30"),
        ("2021-2026", "2021-10-01", "2026-09-30"),
    ]

    @pytest.mark.parametrize(
        ("day", "start"),
        [
            (D(2012, 1, 1), D(2011, 7, 1)),
            (D(2016, 6, 30), D(2011, 7, 1)),
            (D(2021, 8, 1), D(2021, 7, 1)),  # between the two: after the first
            (D(2021, 10, 1), D(2021, 10, 1)),  # a configured term's first day
            (D(2026, 9, 30), D(2021, 10, 1)),  # and its last day
            (D(2027, 1, 1), D(2026, 10, 1)),
            (D(2031, 10, 1), D(2031, 10, 1)),
        ],
    )
    def test_days_outside_uneven_terms_count_from_the_nearest_one(self, settings, day, start):
        settings.TERMS = self.UNEVEN
        term = periods.term_on(day)
        assert term.start == start and term.start <= day <= term.end
