"""Snippets and highlights: where in an entry's text the searched words are, as character offsets.

Offsets (not HTML) so the browser inserts the text with textContent and marks the ranges itself.
"""

from __future__ import annotations

import re
from typing import Any

from kb.search.analysis import STEMMED

SNIPPET_CHARS = 200
YEAR_RE = re.compile(r"^year(\d{1,2})$")
STAGE_RE = re.compile(r"^ks(\d)$")


def highlights(text: str, wanted: set[str]) -> list[list[int]]:
    """[start, end) character offsets of words in `text` whose stems were searched for."""
    found = sorted((t.startchar, t.endchar) for t in STEMMED(text, chars=True, removestops=False) if t.text in wanted)
    ranges: list[list[int]] = []
    for start, end in found:  # a hyphenated word and its parts, or "Year 7" and "7", overlap: one range
        if ranges and start < ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    return ranges


def surfaces(stem: str) -> list[str]:
    """How a searched stem may be written: most stems are word prefixes; year groups and key stages are
    written many ways (search/tokens.py rule 3)."""
    year = YEAR_RE.match(stem)
    if year:
        return [f"year {year.group(1)}", f"years {year.group(1)}", f"y{year.group(1)}", f"year-{year.group(1)}"]
    stage = STAGE_RE.match(stem)
    if stage:
        return [stem, f"key stage {stage.group(1)}", f"ks {stage.group(1)}"]
    return [stem]


def _windows(lower: str, wanted: set[str], width: int) -> list[int]:
    """Where searched stems occur as text, so only a window is analysed."""
    found: list[int] = []
    for stem in (s for w in wanted for s in surfaces(w)):
        at = lower.find(stem)
        while at >= 0 and len(found) < 200:
            found.append(at)
            at = lower.find(stem, at + len(stem))
    return sorted(found)


def _found_in(window: str, forms: list[list[str]]) -> int:
    """How many of the searched words (each in any of its forms) the window has."""
    return sum(1 for written in forms if any(s in window for s in written))


def snippet(text: str, wanted: set[str], width: int = SNIPPET_CHARS) -> dict[str, Any]:
    """A window of plain text around the densest cluster of matches, with offsets to highlight.

    Offsets (not HTML) so the browser inserts the text with textContent and marks ranges itself.
    Only the chosen window is run through the analyser: bodies can be long, a snippet is short."""
    lower = text.lower()
    places = _windows(lower, wanted, width)
    start = 0
    if places:
        forms = [surfaces(w) for w in wanted]  # worked out once, and each window cut once, not per word and form
        best = max(places, key=lambda p: (_found_in(lower[p : p + width], forms), -p))
        start = max(0, best - 40)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < best else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    body = text[start:end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return {
        "text": prefix + body + suffix,
        "highlights": [[a + len(prefix), b + len(prefix)] for a, b in highlights(body, wanted)],
    }
