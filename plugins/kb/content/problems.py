"""One shape for every fault found in content, so the CLI and the build say the same words."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from typing import Any

# Control characters (but tab and newline), lone surrogates and non-characters: what no page, feed or
# terminal may receive. content/validate.py refuses them in entries; a Problem never repeats them.
UNPRINTABLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
UNPRINTABLE_RE = re.compile(f"[{UNPRINTABLE}]")
# The same search, fast: Python's regular expressions test a class holding characters beyond U+FFFF one range at
# a time (35 ns a character, 2 s of a cold check at 10,000 entries), but one within U+FFFF against a table.
_UNPRINTABLE_BMP_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_BEYOND_BMP_RE = re.compile("[\U00010000-\U0010ffff]")


def find_unprintable(text: str) -> re.Match[str] | None:
    """UNPRINTABLE_RE.search(text): the first unprintable character, if any."""
    if _BEYOND_BMP_RE.search(text) is None:  # no emoji or other character beyond U+FFFF: the table is enough
        return _UNPRINTABLE_BMP_RE.search(text)
    return UNPRINTABLE_RE.search(text)


def shown(text: str) -> str:
    """Text with every unprintable character written as its code point, e.g. <U+001B>."""
    return UNPRINTABLE_RE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


@dataclass(frozen=True)
class Problem:
    """A fault in one file: where it is, what is wrong and how to fix it."""

    path: str
    line: int | None
    field: str | None
    message: str
    hint: str = ""
    severity: str = "error"  # error | warning

    def __post_init__(self) -> None:
        """Messages quote what a file says: a control character in one must not reach a terminal or a page."""
        for name in ("path", "field", "message", "hint"):
            value = getattr(self, name)
            if value is not None and find_unprintable(value):
                object.__setattr__(self, name, shown(value))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        """One plain-words line, used by `kb check` and by the build error alike."""
        where = self.path + (f":{self.line}" if self.line else "")
        what = f"{self.field}: " if self.field else ""
        text = f"{where}: {self.severity}: {what}{self.message}"
        return text + (f" Fix: {self.hint}" if self.hint else "")


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The nearest known value, for 'did you mean' hints."""
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def choice_hint(word: object, choices: Collection[str]) -> str:
    near = closest(word, choices)
    listed = ", ".join(choices) if len(choices) <= 12 else ", ".join(list(choices)[:12]) + ", …"
    return (f"did you mean '{near}'? " if near else "") + f"Choose one of: {listed}."


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def sort_for_people(problems: list[Problem]) -> list[Problem]:
    """Grouped by file, errors before warnings, then by line."""
    return sorted(problems, key=lambda p: (p.path, p.severity != "error", p.line or 0, p.field or ""))
