"""Ids typed into URLs and forms, checked before they reach a query (every app uses this)."""


def is_id(value) -> bool:
    """True for the text of a database id: ASCII digits only (``"²".isdigit()`` is true)
    and short enough for a bigint, so that a hostile value never reaches a query."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18
