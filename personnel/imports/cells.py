"""Reading one cell: text, dates, numbers, yes/no and enumerations by their Vietnamese labels.

Each reader returns the value or raises ``CellError`` with a Vietnamese message; nothing
hostile (NUL bytes, year 9999, 10^30, a formula) gets past a reader.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..dates import is_sane, out_of_range_message
from ..text import fold_vietnamese
from .columns import BOOL, CHOICE, CODE, DATE, DECIMAL, INT, TEXT, Column

MAX_TEXT = 4000
#: formula cells as the reader marks them (and openpyxl's array and table formulas)
FORMULA_TYPES = frozenset({"Formula", "ArrayFormula", "DataTableFormula"})
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
YES = frozenset({"co", "x", "1", "true", "yes"})
NO = frozenset({"khong", "0", "false", "no"})


class CellError(ValueError):
    """A cell whose value cannot be read; the message says why, in Vietnamese."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """Any cell value as text: 12345.0 → "12345", a date → "dd/mm/yyyy"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def read_text(value, column: Column) -> str:
    raw = as_text(value)
    if "\x00" in raw:
        raise CellError(_("Ô có ký tự không hợp lệ (NUL)."))
    limit = column.max_length or MAX_TEXT
    # Names and codes are one line; notes keep their line breaks.
    result = " ".join(raw.split()) if limit <= 255 else raw.strip()
    if len(result) > limit:
        raise CellError(
            _("Dài %(length)d ký tự, vượt quá %(max)d ký tự cho phép.")
            % {"length": len(result), "max": limit}
        )
    return result


def read_date(value, column: Column) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _date_from_text(value.strip())
    else:
        raise CellError(_("Không phải ngày; hãy ghi ngày dạng dd/mm/yyyy, ví dụ 17/05/1975."))
    if not is_sane(day):
        raise CellError(out_of_range_message())
    return day


def _date_from_text(text: str) -> dt.date:
    if "\x00" in text:
        raise CellError(_("Ô có ký tự không hợp lệ (NUL)."))
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise CellError(
                _("“%(value)s” không phải ngày dạng dd/mm/yyyy (ví dụ 17/05/1975).")
                % {"value": text[:40]}
            )
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            _("Ngày %(value)s không có thật trên lịch.") % {"value": text[:40]}
        ) from None


def read_int(value, column: Column) -> int:
    if isinstance(value, bool):
        raise CellError(_("Không phải số nguyên."))
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Phải là số nguyên."))
        number = int(value) if abs(value) < 1e18 else None
    elif isinstance(value, int):
        number = value
    else:
        text_value = str(value).strip()
        if not (text_value.isascii() and text_value.lstrip("-").isdigit()) or len(text_value) > 18:
            raise CellError(_("“%(value)s” không phải số nguyên.") % {"value": text_value[:40]})
        number = int(text_value)
    low = column.minimum if column.minimum is not None else -(2**31)
    high = column.maximum if column.maximum is not None else 2**31 - 1
    if number is None or not low <= number <= high:
        raise CellError(_("Phải từ %(low)d đến %(high)d.") % {"low": low, "high": high})
    return number


def read_decimal(value, column: Column) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Không phải số."))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise CellError(_("“%(value)s” không phải số.") % {"value": str(value)[:40]}) from None
    if not number.is_finite():
        raise CellError(_("Không phải số."))
    low = column.minimum if column.minimum is not None else 0
    high = column.maximum if column.maximum is not None else 10**6
    if not low <= number <= high:
        raise CellError(_("Phải từ %(low)d đến %(high)d.") % {"low": low, "high": high})
    rounded = number.quantize(Decimal("0.01"))
    if rounded != number:
        raise CellError(_("Tối đa 2 chữ số thập phân."))
    return rounded


def read_bool(value, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    key = fold_vietnamese(as_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("Ghi “Có” hoặc “Không”."))


_CHOICE_MAPS: dict[type, dict[str, str]] = {}


def choice_map(choices) -> dict[str, str]:
    """Folded label (and the stored value itself) → stored value."""
    known = _CHOICE_MAPS.get(choices)
    if known is None:
        known = {}
        for value, label in choices.choices:
            known[fold_vietnamese(str(label))] = value
            known[fold_vietnamese(value)] = value
        _CHOICE_MAPS[choices] = known
    return known


def choice_labels(choices) -> list[str]:
    return [str(label) for _value, label in choices.choices]


_SEEN_CHOICES: dict[tuple, str] = {}


def read_choice(value, column: Column) -> str:
    seen = _SEEN_CHOICES.get((column.choices, value)) if isinstance(value, str) else None
    if seen is not None:
        return seen
    key = fold_vietnamese(as_text(value))
    found = choice_map(column.choices).get(key)
    if found is None:
        raise CellError(
            _("“%(value)s” không có trong danh sách: %(allowed)s.")
            % {"value": as_text(value)[:60], "allowed": "; ".join(choice_labels(column.choices))}
        )
    if isinstance(value, str) and len(_SEEN_CHOICES) < 10_000:
        _SEEN_CHOICES[(column.choices, value)] = found
    return found


def read_code(value, column: Column) -> str:
    return read_text(value, column)


READERS = {
    TEXT: read_text,
    CODE: read_code,
    DATE: read_date,
    INT: read_int,
    DECIMAL: read_decimal,
    BOOL: read_bool,
    CHOICE: read_choice,
}


def read_cell(value, column: Column):
    """The value of a cell for ``column``; None for a blank cell."""
    if is_blank(value):
        return None
    if type(value).__name__ in FORMULA_TYPES:
        raise CellError(_("Ô chứa công thức; hãy dán giá trị (Paste Values) thay cho công thức."))
    return READERS[column.kind](value, column)


def display(value, column: Column) -> str:
    """A stored value as the template writes it (for previews and the export)."""
    if value is None or value == "":
        return ""
    if column.kind == CHOICE:
        return str(dict(column.choices.choices).get(value, value))
    if column.kind == BOOL:
        return _("Có") if value else _("Không")
    if column.kind == DATE:
        return value.strftime("%d/%m/%Y")
    return as_text(value)
