"""An official's current posting, computed from a list of postings in memory.

The same choice as ``selectors.current_primary_posting`` (the primary posting held today,
else the latest primary one begun before, else the latest of any), over postings that may
not be saved yet: the import checks scope with it before writing, and refreshes the
derived ``current_posting`` / ``current_unit`` of many officials with it after writing.
"""

import datetime as dt

UNSAVED = float("inf")  # an unsaved posting is newer than every saved one


def _order(posting):
    return (posting.start_date, posting.pk if posting.pk is not None else UNSAVED)


def current_of(postings, today: dt.date):
    started = [p for p in postings if p.is_primary and p.start_date <= today]
    held = [p for p in started if p.end_date is None or p.end_date >= today]
    for candidates in (held, started, postings):
        if candidates:
            return max(candidates, key=_order)
    return None
