"""A small reader of gettext .po files (no new dependency, no gettext tools needed)."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

# A letter only Vietnamese writes (a vowel with a tone or hat, đ): tells our own
# Vietnamese msgids from the English ones we translate.
VIETNAMESE_LETTER = re.compile(r"[À-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def vietnamese_msgid(self) -> bool:
        return bool(VIETNAMESE_LETTER.search(self.msgid))


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """(header, entries) of a .po file; obsolete (``#~``) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    key: tuple | None = None

    def close():
        nonlocal current
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if current is not None and current.msgstr:
                close()
            current = current or Entry(line=number)
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if key[0] == "msgstr":
                current.msgstr[key[1]] += value
            else:
                setattr(current, key[0], getattr(current, key[0]) + value)
            continue
        word, _space, rest = line.partition(" ")
        value = ast.literal_eval(rest)
        if word in ("msgctxt", "msgid") and current is not None and current.msgstr:
            close()
        current = current or Entry(line=number)
        if word.startswith("msgstr"):
            index = int(word[7:-1]) if "[" in word else 0
            current.msgstr[index] = value
            key = ("msgstr", index)
        else:
            setattr(current, word, value)
            key = (word,)
    close()
    header = next((e for e in entries if e.msgid == "" and e.msgctxt is None), Entry())
    return header, [e for e in entries if e.msgid]
