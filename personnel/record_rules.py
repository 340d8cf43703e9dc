"""The rules of an official's record, as pure functions: one place for every door.

The services call them before writing (staff pages, admin, commands, API all go through
the services), and the Excel import calls the same functions in memory, row by row,
against codes it has preloaded. Each returns ``{field: message}`` (empty when the values
hold); ``raise_errors`` turns that into the ValidationError the services raise. Messages
name the field and the rule in Vietnamese.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import OfficialStatus
from .text import format_day

#: No record of work, training or reward before the official turned 16 (the working age
#: of the Labour Code); Party dates keep their own minimum of 18 (``services.MIN_AGE``).
MIN_WORKING_AGE = 16

# Field labels named in the messages: lazy, translated only when a message is written
# (the import checks every row, and almost every row is right).
START_DATE = gettext_lazy("Ngày bắt đầu")
END_DATE = gettext_lazy("Ngày kết thúc")


def working_age_on(date_of_birth: dt.date) -> dt.date:
    """The 16th birthday (28 February for someone born on 29 February, in a year without
    one). Plain date arithmetic: the import calls this for every row."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + MIN_WORKING_AGE)
    except ValueError:  # 29 February in a common year
        return date_of_birth.replace(year=date_of_birth.year + MIN_WORKING_AGE, day=28)


def raise_errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _before_working_age(official, day: dt.date, label: str) -> str | None:
    born = getattr(official, "date_of_birth", None)
    if born is None or day is None:
        return None
    start = working_age_on(born)
    if day < start:
        return _(
            "%(label)s (%(day)s) trước ngày cán bộ đủ %(age)d tuổi (%(start)s, theo ngày sinh "
            "%(born)s)."
        ) % {
            "label": label,
            "day": format_day(day),
            "age": MIN_WORKING_AGE,
            "start": format_day(start),
            "born": format_day(born),
        }
    return None


def _after_leaving(official, day: dt.date, label: str) -> str | None:
    left_on = getattr(official, "left_on", None)
    if left_on is None or day is None or day <= left_on:
        return None
    return _("%(label)s (%(day)s) sau ngày thôi công tác của cán bộ (%(left)s).") % {
        "label": label,
        "day": format_day(day),
        "left": format_day(left_on),
    }


def posting_errors(
    *,
    official,
    start_date: dt.date,
    end_date: dt.date | None,
    is_new: bool,
    from_decision: bool = False,
    today: dt.date,
) -> dict[str, str]:
    """A posting lies within the official's working life.

    - it starts on or after the 16th birthday;
    - a new posting starts and ends by the day the official left (retired, left, died), so
      an official who left on a known day gets no open-ended new posting;
    - it does not start after today: a future posting is opened by a decision when it takes
      effect (``from_decision``), never typed in ahead ("01/08/2027 – nay" shown as current).
    """
    errors: dict[str, str] = {}
    message = _before_working_age(official, start_date, START_DATE)
    if message:
        errors["start_date"] = message
    if not from_decision and start_date is not None and start_date > today:
        errors.setdefault(
            "start_date",
            _(
                "Ngày bắt đầu (%(day)s) sau ngày hôm nay (%(today)s): vị trí công tác sắp tới "
                "được ghi bằng quyết định điều động, bổ nhiệm khi quyết định có hiệu lực."
            )
            % {"day": format_day(start_date), "today": format_day(today)},
        )
    if is_new:
        message = _after_leaving(official, start_date, START_DATE)
        if message:
            errors.setdefault("start_date", message)
        status = getattr(official, "status", OfficialStatus.ACTIVE)
        left_on = getattr(official, "left_on", None)
        if end_date is None and status != OfficialStatus.ACTIVE and left_on is not None:
            errors["end_date"] = _(
                "Cán bộ có tình trạng “%(status)s” từ %(left)s: vị trí công tác ghi thêm phải có "
                "ngày kết thúc."
            ) % {"status": OfficialStatus(status).label, "left": format_day(left_on)}
        else:
            message = _after_leaving(official, end_date, END_DATE)
            if message:
                errors["end_date"] = message
    return errors


def dated_record_errors(
    *, official, field: str, day: dt.date | None, label: str, today: dt.date
) -> dict[str, str]:
    """A training start, a reward or another dated entry: within the official's life, and
    not after today."""
    if day is None:
        return {}
    message = _before_working_age(official, day, label)
    if message is None and day > today:
        message = _("%(label)s (%(day)s) không được sau ngày hôm nay.") % {
            "label": label,
            "day": format_day(day),
        }
    return {field: message} if message else {}


def training_errors(
    *, official, start_date: dt.date | None, end_date: dt.date | None, today: dt.date
) -> dict[str, str]:
    """A course or degree begun within the working life and not after today; ended (if it
    has) on or after the start, and not after today either (one under way has no end)."""
    errors = dated_record_errors(
        official=official, field="start_date", day=start_date, label=START_DATE, today=today
    )
    if end_date is not None and start_date is not None and end_date < start_date:
        errors.setdefault("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
    elif end_date is not None:
        for field, message in dated_record_errors(
            official=official, field="end_date", day=end_date, label=END_DATE, today=today
        ).items():
            errors.setdefault(field, message)
    return errors


def term_years(term: str | None) -> tuple[int, int] | None:
    """(first, last) of a term written "2025-2030", else None."""
    first, dash, last = (term or "").partition("-")
    digits = first.isascii() and first.isdigit() and last.isascii() and last.isdigit()
    if not dash or not digits or len(first) != 4 or len(last) != 4:
        return None
    return int(first), int(last)


def term_errors(term: str | None) -> dict[str, str]:
    """A planning term: "2025-2030", the last year after the first, at most 10 years."""
    years = term_years(term)
    if years is None:
        return {"term": _("Nhiệm kỳ ghi theo dạng 2025-2030.")}
    if not (1900 <= years[0] < years[1] <= years[0] + 10):
        return {
            "term": _(
                "Nhiệm kỳ “%(term)s” không hợp lệ: năm cuối phải sau năm đầu, không quá 10 năm."
            )
            % {"term": term}
        }
    return {}


def evaluation_errors(*, official, year: int | None, today: dt.date) -> dict[str, str]:
    """A yearly rating is for a year the official could work in, and not a future year."""
    if year is None:
        return {}
    born = getattr(official, "date_of_birth", None)
    if year > today.year:
        return {
            "year": _("Năm đánh giá (%(year)d) không được sau năm nay (%(now)d).")
            % {"year": year, "now": today.year}
        }
    if born is not None and year < working_age_on(born).year:
        return {
            "year": _("Năm đánh giá (%(year)d) trước năm cán bộ đủ %(age)d tuổi (%(first)d).")
            % {"year": year, "age": MIN_WORKING_AGE, "first": working_age_on(born).year}
        }
    left_on = getattr(official, "left_on", None)
    if left_on is not None and year > left_on.year:
        return {
            "year": _("Năm đánh giá (%(year)d) sau năm cán bộ thôi công tác (%(left)s).")
            % {"year": year, "left": format_day(left_on)}
        }
    return {}


def left_on_errors(*, official, today: dt.date) -> dict[str, str]:
    """The day an official left service goes with a status that says so, after the 16th
    birthday and not after today."""
    left_on = getattr(official, "left_on", None)
    if left_on is None:
        return {}
    if official.status == OfficialStatus.ACTIVE:
        return {
            "left_on": _(
                "Cán bộ đang công tác thì không có ngày thôi công tác; hãy chọn lại tình trạng "
                "hoặc để trống ngày này."
            )
        }
    return dated_record_errors(
        official=official, field="left_on", day=left_on, label=_("Ngày thôi công tác"), today=today
    )
