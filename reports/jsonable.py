"""Report results are plain JSON by construction.

Every value a report puts in its result passes through ``plain``: lazy translated
labels become text, dates ISO strings, decimals numbers, choices their stored value.
Anything else is refused at once (``TypeError``), inside the computation, so that a
result that could not be stored fails its run with the error recorded instead of
leaving the run "running" when it is saved.
"""

import datetime as dt
import enum
import json
import math
from decimal import Decimal

from django.utils.functional import Promise


def plain(value):
    """``value`` as plain JSON data (dict, list, str, int, float, bool, None)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, str | Promise):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError("a report figure is not a finite number")
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    raise TypeError(f"{type(value).__name__} cannot be stored in a report result")


def check_storable(result: dict) -> dict:
    """``result`` unchanged if JSON can store it exactly; TypeError/ValueError otherwise."""
    json.dumps(result, allow_nan=False)
    return result
