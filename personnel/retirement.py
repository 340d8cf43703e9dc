"""Statutory retirement age and date under Decree 135/2020/ND-CP (DOMAIN.md rule 2).

From 2021 the age rises every year: men from 60 years 3 months by 3 months a year
up to 62 (reached in 2028); women from 55 years 4 months by 4 months a year up to
60 (reached in 2035). A person retires at the age in force in the year they reach
it; retirement takes effect at the end of the last day of that month.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from .choices import Gender
from .months import whole_months


@dataclass(frozen=True)
class RetirementSchedule:
    base_months: int  # age before the reform (in 2020)
    step_months: int  # yearly increase from 2021
    cap_months: int  # final age
    first_year: int = 2021

    def age_in_year(self, year: int) -> int:
        """Retirement age, in months, for someone reaching it in ``year``."""
        if year < self.first_year:
            return self.base_months
        steps = year - self.first_year + 1
        return min(self.base_months + steps * self.step_months, self.cap_months)


SCHEDULES = {
    Gender.MALE: RetirementSchedule(base_months=60 * 12, step_months=3, cap_months=62 * 12),
    Gender.FEMALE: RetirementSchedule(base_months=55 * 12, step_months=4, cap_months=60 * 12),
}


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def retirement_age_months(date_of_birth: dt.date, gender: str) -> int:
    """The retirement age, in months, that applies to a person born on ``date_of_birth``."""
    schedule = SCHEDULES[Gender(gender)]
    birth = _month_index(date_of_birth.year, date_of_birth.month)
    year = date_of_birth.year + schedule.base_months // 12
    while True:
        age = schedule.age_in_year(year)
        if (birth + age) // 12 <= year:
            return age
        year += 1


def retirement_date(date_of_birth: dt.date, gender: str) -> dt.date:
    """The last day of the month in which the person reaches retirement age."""
    reached = _month_index(date_of_birth.year, date_of_birth.month) + retirement_age_months(
        date_of_birth, gender
    )
    year, month = divmod(reached, 12)
    month += 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def working_months_left(date_of_birth: dt.date, gender: str, on: dt.date) -> int:
    """Whole months of working life left from ``on`` until the retirement date (never negative)."""
    return max(whole_months(on, retirement_date(date_of_birth, gender)), 0)
