"""Whole calendar months between two days: the one month arithmetic of the project.

Working life left, months left of a rotation and the five-year steps of terms outside
the configured ones all count whole months the same way: from 15/03 to 14/04 is 0
months, to 15/04 is 1.
"""

import datetime as dt


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``, rounded down: negative when ``end`` is before
    ``start`` (from 15/04 back to 14/03 is -2: 15/02 is the last month-day not after it)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    return months - 1 if end.day < start.day else months
