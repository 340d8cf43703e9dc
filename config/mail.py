"""What every email the project sends shares: a subject that is one safe header line.

A subject is built from stored text (a decision's title is typed in a textarea, a
report title comes from data), and a header value with a line break makes Django
refuse the whole message (``BadHeaderError``). Every email therefore passes its
subject through :func:`subject_line`.
"""

import unicodedata

SUBJECT_MAX_LENGTH = 200
ELLIPSIS = "…"

# Line and paragraph separators, and control and format characters (Unicode Zl, Zp,
# Cc, Cf: \n, \r, \t, NUL, \x85, U+2028, zero-width marks…), become a space.
_BREAKING_CATEGORIES = frozenset({"Zl", "Zp", "Cc", "Cf"})


def subject_line(text, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """``text`` as one line: breaks and control characters become single spaces.

    Runs of whitespace collapse to one space, the result is NFC-normalised (a title
    pasted with combining accents reads the same) and cut at a word boundary to at most
    ``max_length`` characters, ending with "…" when cut.
    """
    text = unicodedata.normalize("NFC", str(text or ""))
    cleaned = "".join(
        " " if unicodedata.category(ch) in _BREAKING_CATEGORIES else ch for ch in text
    )
    line = " ".join(cleaned.split())
    if len(line) <= max_length:
        return line
    cut = line[: max_length - len(ELLIPSIS)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" –-,;:") + ELLIPSIS
