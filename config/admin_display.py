"""Admin text in words: schedules, dates and times, report titles and parameters, record
types, audit details and permissions, in place of crontab expressions, ISO timestamps,
model labels and report codes.

Dates and moments go through the project's formatters, ``personnel.text.format_day``
(dd/mm/yyyy) and ``format_moment`` ("07:00 01/05/2025"). Simple schedules are said by
``reports.forms_subscriptions.schedule_text``, the one rule the subscription form uses;
``crontab_text`` only adds words for the crontabs that form cannot express.
"""

import datetime as dt
import re

from django.apps import apps
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from personnel.text import format_day, format_moment

EMPTY = "—"


# --- dates and times ------------------------------------------------------------------


def datetime_text(value) -> str:
    """A date as dd/mm/yyyy, a moment as "07:00 01/05/2025" in the site's time zone."""
    if value is None:
        return EMPTY
    if isinstance(value, dt.datetime):
        return format_moment(value)
    if isinstance(value, dt.date):
        return format_day(value)
    return str(value)


# --- schedules ---------------------------------------------------------------------------

_NUMBER = re.compile(r"^\d{1,2}$")
_RANGE = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_STEP = re.compile(r"^(?:\*|0-59|0-23)/(\d{1,2})$")


def _numbers(field: str, low: int, high: int) -> list[int] | None:
    """The values of a crontab field made of numbers and ranges ("1,15", "1-5"), else None."""
    values: list[int] = []
    for part in field.split(","):
        if _NUMBER.match(part):
            values.append(int(part))
        elif match := _RANGE.match(part):
            start, end = int(match[1]), int(match[2])
            if start > end:
                return None
            values.extend(range(start, end + 1))
        else:
            return None
    if not values or any(v < low or v > high for v in values):
        return None
    return list(dict.fromkeys(values))


def _time_words(minute: str, hour: str) -> tuple[str, bool] | None:
    """(words, at set times) for the minute and hour fields: ("lúc 07:00", True),
    ("mỗi 5 phút", False); None when they are not of a form said here."""
    minutes = _numbers(minute, 0, 59)
    hours = _numbers(hour, 0, 23)
    if minutes is not None and len(minutes) == 1 and hours is not None:
        times = ", ".join(f"{h:02d}:{minutes[0]:02d}" for h in hours)
        return _("lúc %(times)s") % {"times": times}, True
    every_minutes = _STEP.match(minute)
    if every_minutes and hour == "*":
        return _("mỗi %(n)s phút") % {"n": int(every_minutes[1])}, False
    if minute == "*" and hour == "*":
        return _("mỗi phút"), False
    if minutes is not None and len(minutes) == 1:
        if hour == "*":
            return _("vào phút thứ %(m)s của mỗi giờ") % {"m": minutes[0]}, False
        every_hours = _STEP.match(hour)
        if every_hours:
            words = _("mỗi %(n)s giờ, vào phút thứ %(m)s") % {
                "n": int(every_hours[1]),
                "m": minutes[0],
            }
            return words, False
    return None


def _crontab_words(crontab) -> str | None:
    from reports.forms_subscriptions import WEEKDAYS

    time = _time_words(crontab.minute, crontab.hour)
    if time is None:
        return None
    time_words, at_set_times = time
    dom, dow, month = crontab.day_of_month, crontab.day_of_week, crontab.month_of_year
    months = None if month == "*" else _numbers(month, 1, 12)
    if month != "*" and months is None:
        return None
    if dom == "*" and dow == "*":
        if months is None and not at_set_times:
            return capfirst(time_words)  # "Mỗi 5 phút", not "Hằng ngày, mỗi 5 phút"
        days = _("Hằng ngày") if months is None else _("Hằng ngày trong")
    elif dow == "*":
        numbers = _numbers(dom, 1, 31)
        if numbers is None:
            return None
        listed = ", ".join(str(d) for d in numbers)
        days = _("Ngày %(days)s hằng tháng") % {"days": listed}
        if months is not None:
            days = _("Ngày %(days)s") % {"days": listed}
    elif dom == "*":
        numbers = _numbers(dow, 0, 7)
        if numbers is None:
            return None
        names = dict(WEEKDAYS)
        listed = ", ".join(str(names[str(d)]) for d in dict.fromkeys(n % 7 for n in numbers))
        days = (
            _("%(days)s hằng tuần") % {"days": listed}
            if months is None
            else _("%(days)s trong") % {"days": listed}
        )
    else:
        return None  # both a day of the month and a weekday: cron runs on either
    if months is not None:
        days = f"{days} " + _("tháng %(months)s") % {"months": ", ".join(map(str, months))}
    return f"{days}, {time_words}"


def crontab_text(crontab) -> str:
    """A django-celery-beat crontab in words: "Ngày 1 hằng tháng, lúc 07:00"."""
    from reports.forms_subscriptions import schedule_fields, schedule_text

    if crontab is None:
        return EMPTY
    if schedule_fields(crontab) is not None:
        return schedule_text(crontab)
    words = _crontab_words(crontab)
    if words is None:
        return schedule_text(crontab)  # "Lịch riêng (crontab: …)"
    if str(crontab.timezone) != settings.TIME_ZONE:
        words = _("%(schedule)s (múi giờ %(tz)s)") % {"schedule": words, "tz": crontab.timezone}
    return words


def clocked_text(clocked) -> str:
    """A one-off (clocked) schedule in words."""
    if clocked is None:
        return EMPTY
    return _("Một lần, lúc %(at)s") % {"at": datetime_text(clocked.clocked_time)}


def task_schedule_text(task) -> str:
    """The schedule of a django-celery-beat periodic task, whichever kind it has."""
    if task.crontab_id:
        return crontab_text(task.crontab)
    if task.clocked_id:
        return clocked_text(task.clocked)
    if task.interval_id:
        return capfirst(str(task.interval))
    if task.solar_id:
        return str(task.solar)
    return EMPTY


# --- records and reports ---------------------------------------------------------------------


def model_text(label: str) -> str:
    """A model label ("reports.ReportRun") as its Vietnamese name ("Lượt chạy báo cáo")."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return capfirst(model._meta.verbose_name)


def report_title(code: str) -> str:
    """A report's title from its code; the code itself if no report has it any more."""
    from reports import registry

    definition = {d.code: d for d in registry.all_reports()}.get(code)
    return str(definition.title) if definition else code


def params_text(code: str, params: dict | None) -> str:
    """A report's parameters as "label: value" in words, in the report's own order."""
    from reports import registry

    if not params:
        return EMPTY
    definition = {d.code: d for d in registry.all_reports()}.get(code)
    known = {p.name: p for p in definition.params} if definition else {}
    parts = []
    for name, value in params.items():
        param = known.get(name)
        if param is None:
            parts.append(f"{name}: {value}")
            continue
        shown = dict(param.choices).get(str(value), value) if param.choices else value
        parts.append(f"{capfirst(param.label)}: {shown}")
    return "; ".join(parts)


# --- the audit list ----------------------------------------------------------------------------

_FORMATS = {"xlsx": "Excel", "csv": "CSV"}
_DOWNLOAD = re.compile(r"^(?P<code>\w+) (?P<fmt>xlsx|csv): (?P<file>.+)$")
_DRILL = re.compile(r"^(?P<code>\w+): (?P<table>\w+)\[(?P<row>\d+)\]$")
_ADMIN = re.compile(r"^admin(?: (?P<rest>.+))?$")
_VERSION = re.compile(r"^history version (?P<id>\d+)$")
_EMAIL = re.compile(
    r"^(?P<kind>\w+); unit=(?P<unit>\d+); movements=(?P<m>\d+); recipients=(?P<r>\d+)$"
)


def _email_kinds() -> dict:
    return {
        "consultation_request": _("xin ý kiến"),
        "decision_approved": _("thông báo quyết định đã ban hành"),
    }


def audit_detail_text(detail: str) -> str:
    """The detail of an audit row in words; a detail of an unknown form is shown as written."""
    from reports import registry

    if not detail:
        return EMPTY
    if match := _ADMIN.match(detail):
        rest = match["rest"] or ""
        if not rest:
            return _("Trang quản trị")
        if rest == "history":
            return _("Trang quản trị, lịch sử thay đổi")
        if version := _VERSION.match(rest):
            return _("Trang quản trị, phiên bản lịch sử số %(id)s") % {"id": version["id"]}
        if rest in _FORMATS:
            return _("Trang quản trị, tải tệp %(fmt)s") % {"fmt": _FORMATS[rest]}
        return detail
    if match := _EMAIL.match(detail):
        kind = _email_kinds().get(match["kind"], match["kind"])
        return _("Thư %(kind)s gửi đơn vị số %(unit)s: %(m)s lượt, %(r)s người nhận") % {
            "kind": kind,
            "unit": match["unit"],
            "m": match["m"],
            "r": match["r"],
        }
    codes = {d.code for d in registry.all_reports()}
    if detail in codes:
        return report_title(detail)
    if (match := _DOWNLOAD.match(detail)) and match["code"] in codes:
        return _("%(title)s, tải tệp %(fmt)s: %(file)s") % {
            "title": report_title(match["code"]),
            "fmt": _FORMATS[match["fmt"]],
            "file": match["file"],
        }
    if (match := _DRILL.match(detail)) and match["code"] in codes:
        return _("%(title)s, danh sách người của dòng %(row)d (bảng %(table)s)") % {
            "title": report_title(match["code"]),
            "row": int(match["row"]) + 1,
            "table": match["table"],
        }
    return detail


# --- permissions -------------------------------------------------------------------------------


def _model_name(model) -> str:
    original = getattr(model, "instance_type", None)  # a django-simple-history table
    if original is not None:
        return _("lịch sử %(name)s") % {"name": original._meta.verbose_name}
    return str(model._meta.verbose_name)


def permission_text(permission) -> str:
    """A permission as "Hồ sơ cán bộ | Cán bộ | Thêm cán bộ" (the stored name is English)."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:
        return str(permission)
    actions = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xóa"), "view": _("Xem")}
    action, _sep, model_name = permission.codename.partition("_")
    name = _model_name(model)
    if action in actions and model_name == model._meta.model_name:
        words = f"{actions[action]} {name}"
    else:
        words = _(permission.name)  # noqa: INT001 - a declared permission's own name
    app = apps.get_app_config(content_type.app_label).verbose_name
    return f"{capfirst(app)} | {capfirst(name)} | {words}"


# --- history pages ----------------------------------------------------------------------------


def value_text(field, value) -> str:
    """A stored value as a person reads it: choices by label, dates dd/mm/yyyy, yes/no."""
    if value is None or value == "":
        return EMPTY
    if getattr(field, "choices", None) and isinstance(value, str | int):
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.date):
        return datetime_text(value)
    return str(value)


class WordsHistoryContextHelper(HistoricalRecordContextHelper):
    """django-simple-history's list of changes with the values in words ("—" for none,
    dd/mm/yyyy, choice labels), not as Python writes them ("None", ISO dates, codes)."""

    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        if isinstance(prepared, list):
            return prepared
        return value_text(self.model._meta.get_field(change.field), prepared)


# --- the packages' own objects ------------------------------------------------------------------


def _boolean_icon(value):
    """Django admin's yes/no/unknown icon, its text alternative in the user's language
    (Django writes "True", "False" or "None")."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    name, words = {
        True: ("yes", _("Có")),
        False: ("no", _("Không")),
        None: ("unknown", _("Không rõ")),
    }[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), words)


def _access_attempt_str(attempt) -> str:
    return _("Đăng nhập sai: %(user)s, từ %(ip)s, lúc %(at)s") % {
        "user": attempt.username,
        "ip": attempt.ip_address,
        "at": datetime_text(attempt.attempt_time),
    }


def _access_failure_str(failure) -> str:
    text = _("Đăng nhập thất bại: %(user)s, từ %(ip)s, lúc %(at)s") % {
        "user": failure.username,
        "ip": failure.ip_address,
        "at": datetime_text(failure.attempt_time),
    }
    return f"{text} ({_('đã khóa')})" if failure.locked_out else text


def _access_log_str(log) -> str:
    return _("Đăng nhập của %(user)s lúc %(at)s") % {
        "user": log.username,
        "at": datetime_text(log.attempt_time),
    }


def use_words_in_packages() -> None:
    """Name the packages' objects in words wherever admin shows them (titles, breadcrumbs,
    selects, delete confirmations, screen-reader labels): their ``__str__`` writes a crontab
    expression, an ISO timestamp or English. Called once, from ``accounts/admin.py``."""
    from django.contrib.admin.templatetags import admin_list
    from django.utils.translation import gettext_lazy

    admin_list._boolean_icon = _boolean_icon  # read at call time by admin's utils and helpers
    if apps.is_installed("django_celery_beat"):
        from django_celery_beat.models import ClockedSchedule, CrontabSchedule, PeriodicTask

        CrontabSchedule.__str__ = crontab_text
        ClockedSchedule.__str__ = clocked_text
        # Declared without gettext ("Task Name"): a column, a filter and a form label.
        PeriodicTask._meta.get_field("task").verbose_name = gettext_lazy("tác vụ")
    if apps.is_installed("axes"):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _access_attempt_str
        AccessFailureLog.__str__ = _access_failure_str
        AccessLog.__str__ = _access_log_str
        # django-axes names no app: admin would title its section "Axes".
        apps.get_app_config("axes").verbose_name = gettext_lazy("Đăng nhập và khóa tài khoản")
