"""Vietnamese text helpers."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


class _Folding(dict):
    """Each character's code to the character without its marks, worked out the first
    time it is met (an imported file folds hundreds of thousands of names)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = folded
        return folded


# đ/Đ are letters of their own, not a d with a mark: mapped explicitly.
_FOLDING = _Folding({ord("đ"): "d", ord("Đ"): "D"})


def fold_vietnamese(text: str) -> str:
    """Lower-case ``text`` without diacritics ("Nguyễn Văn Đặng" -> "nguyen van dang").

    Used for the name search key, so a search typed without accents finds the
    accented name. Character by character, as the decomposition of the whole text would
    give: the marks it removes are exactly those a decomposition puts after a letter.
    """
    return _SPACES.sub(" ", text.translate(_FOLDING)).strip().lower()


def format_day(day) -> str:
    """A date as Vietnamese records write it, dd/mm/yyyy ('' for none), in any UI language.

    The one formatter of dates in Python code (templates use the ``date`` filter, whose
    format is the same in both languages: config/formats)."""
    return day.strftime("%d/%m/%Y") if day else ""


def format_moment(moment) -> str:
    """A moment as "HH:MM dd/mm/yyyy" in the site's time zone ('' for none)."""
    from django.utils import timezone

    if not moment:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%H:%M} {format_day(moment)}"
