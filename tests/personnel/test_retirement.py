"""Retirement age and date under Decree 135/2020 (DOMAIN.md rule 2).

Expected dates are read off the decree's appendix tables, not recomputed.
"""

import datetime as dt

import pytest

from personnel.choices import Gender
from personnel.retirement import retirement_age_months, retirement_date, working_months_left

M, F = Gender.MALE, Gender.FEMALE


@pytest.mark.parametrize(
    ("born", "gender", "age_months", "retires_on"),
    [
        # Men: before the reform, 60 years.
        (dt.date(1955, 6, 10), M, 720, dt.date(2015, 6, 30)),
        (dt.date(1960, 12, 1), M, 720, dt.date(2020, 12, 31)),
        # 2021: 60y3m for those born 1/1961 – 9/1961.
        (dt.date(1961, 1, 15), M, 723, dt.date(2021, 4, 30)),
        (dt.date(1961, 9, 30), M, 723, dt.date(2021, 12, 31)),
        # Transition: born 10/1961 no longer reaches 60y3m in 2021 → 60y6m in 2022.
        (dt.date(1961, 10, 1), M, 726, dt.date(2022, 4, 30)),
        (dt.date(1962, 6, 20), M, 726, dt.date(2022, 12, 31)),
        # 2025 is 61y3m, reached only in 4/2026 → 61y6m in 2026.
        (dt.date(1965, 1, 5), M, 738, dt.date(2026, 7, 31)),
        # 62 from 2028 on.
        (dt.date(1966, 4, 1), M, 744, dt.date(2028, 4, 30)),
        (dt.date(1980, 2, 29), M, 744, dt.date(2042, 2, 28)),
        # Women: 55 before, 55y4m in 2021.
        (dt.date(1965, 3, 3), F, 660, dt.date(2020, 3, 31)),
        (dt.date(1966, 1, 1), F, 664, dt.date(2021, 5, 31)),
        (dt.date(1966, 8, 31), F, 664, dt.date(2021, 12, 31)),
        # Transition: born 9/1966 → 55y8m in 2022.
        (dt.date(1966, 9, 1), F, 668, dt.date(2022, 5, 31)),
        (dt.date(1970, 7, 12), F, 688, dt.date(2027, 11, 30)),
        # 2034 is 59y8m, reached in 9/2034.
        (dt.date(1975, 1, 1), F, 716, dt.date(2034, 9, 30)),
        # 60 from 2035 on.
        (dt.date(1976, 1, 1), F, 720, dt.date(2036, 1, 31)),
        (dt.date(1990, 12, 25), F, 720, dt.date(2050, 12, 31)),
    ],
)
def test_retirement_follows_decree_135(born, gender, age_months, retires_on):
    assert retirement_age_months(born, gender) == age_months
    assert retirement_date(born, gender) == retires_on


def test_working_months_left_counts_whole_months_and_never_goes_negative():
    born = dt.date(1975, 1, 1)  # woman retiring 30/09/2034
    assert working_months_left(born, F, dt.date(2024, 9, 30)) == 120
    assert working_months_left(born, F, dt.date(2024, 10, 1)) == 119
    assert working_months_left(born, F, dt.date(2040, 1, 1)) == 0
