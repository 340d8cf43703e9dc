"""Vietnamese text helpers."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold_vietnamese(text: str) -> str:
    """Lower-case ``text`` without diacritics ("Nguyễn Văn Đặng" -> "nguyen van dang").

    Used for the name search key, so a search typed without accents finds the
    accented name. đ/Đ are letters of their own, not a d with a mark, so they are
    mapped explicitly.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


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
