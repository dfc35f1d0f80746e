"""Contextual backlinks: under "Referenced by", the sentence each entry links from.

Why: a list of titles says that an entry is cited, not what is said about it. The sentence around the
link says it ("The Equity Network's analysis of who is suspended has shown ..."). It is found in the
citing entry's body, where content/links.py rewrote the link to a known relative path, reduced to plain
text (the template escapes it) and cut to about CONTEXT_CHARS around the link. Only entries of the
catalogue cite (a draft's sentence never reaches a public page); each page looks only at its own citers.
"""

from __future__ import annotations

import re

from kb.content.catalogue import Catalogue, Entry
from kb.content.links import LINKED_TEXT_RE, link_path

CONTEXT_CHARS = 240
BLOCK_START = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.)\s|^\s{0,3}#{1,6}\s|^\s*$")  # a list item, heading or blank line begins a block
_MARKDOWN = [
    (LINKED_TEXT_RE, r"\1"),  # links and images: their text
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),  # headings, quotes, list marks
]
_EMPHASIS = str.maketrans("", "", "*_`")  # emphasis and code: every such character goes, as [*_`]+ did
_AFTER = [
    (re.compile(r"\{[:#.][^}]*\}"), ""),  # attribute lists
    (re.compile(r"\\([\[\]\\])"), r"\1"),  # escaped brackets in link text
]
# Any Markdown link, its text and its path (fragment and title apart): compiled once, not once per link (at 10,000
# entries a pattern per cited link cost 10 s of every kb serve rebuild in re.compile, Python's cache holding 512).
LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(<?([^)\s>#]*)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(\[]?[A-Z0-9])")
START, END = "\x02", "\x03"  # mark the link's text while the Markdown is taken away


def _block(body: str, at: int) -> tuple[str, int]:
    """The paragraph or list item holding character `at`, and where it starts in `body`: found by walking the
    lines around `at`, not by splitting the whole body (41,000 citations at 10,000 entries)."""
    first = body.rfind("\n", 0, at) + 1  # the start of the line holding `at`
    while first > 0 and not BLOCK_START.match(_line(body, first)):
        before = body.rfind("\n", 0, first - 1) + 1
        if not body[before : first - 1].strip():
            break
        first = before
    end = _line_end(body, at)
    while end < len(body):
        following = _line(body, end + 1)
        if not following.strip() or BLOCK_START.match(following):
            break
        end += 1 + len(following)
    return body[first:end], first


def _line_end(body: str, at: int) -> int:
    end = body.find("\n", at)
    return len(body) if end < 0 else end


def _line(body: str, start: int) -> str:
    return body[start : _line_end(body, start)]


def context(source: Entry, target_ref: str) -> tuple[str, str, str] | None:
    """(text before, the link's text, text after) of the sentence in `source` that links to `target_ref`; kept with
    the entry (Entry.memo), so kb serve works it out again only for the entries a save changed."""
    return source.remembered(f"cited:{target_ref}", lambda entry: _context(entry, target_ref))


def _context(source: Entry, target_ref: str) -> tuple[str, str, str] | None:
    path = link_path(source.ref, target_ref)
    body = source.body
    found = next((m for m in LINK.finditer(body) if m.group(2) == path), None) if path in body else None
    if found is None:
        return None  # linked from front matter (a summary's sources), not from a sentence
    block, start = _block(body, found.start())
    at, end = found.start() - start, found.end() - start
    block = block[:at] + START + found.group(1) + END + block[end:]
    for pattern, replacement in _MARKDOWN:
        block = pattern.sub(replacement, block)
    block = block.translate(_EMPHASIS)
    for pattern, replacement in _AFTER:
        block = pattern.sub(replacement, block)
    text = " ".join(block.split())
    sentence = next((s for s in SENTENCE_END.split(text) if START in s), text)
    before, _, rest = sentence.partition(START)
    linked, _, after = rest.partition(END)
    room = max(0, CONTEXT_CHARS - len(linked)) // 2
    if len(before) > room:
        before = "… " + before[len(before) - room :].split(" ", 1)[-1]
    if len(after) > room:
        after = after[:room].rsplit(" ", 1)[0] + " …"
    return before, linked, after


def backlinks_context(entry: Entry, cat: Catalogue) -> dict:
    """ENTRY_CONTEXT hook: the entries citing this one, each with the sentence it is cited in (or None)."""
    return {"referenced": [(cat.entries[ref], context(cat.entries[ref], entry.ref)) for ref in cat.backlinks.get(entry.ref, [])]}


def cited_sentences(cat: Catalogue) -> list[tuple[str, str, tuple[str, str, str] | None]]:
    """Every (cited ref, citing ref, sentence): what bodies show on other pages, for `kb serve` to notice
    (speed/changes.py puts it in the shape, so editing a citing sentence redoes the cited page)."""
    return [(ref, citer, context(cat.entries[citer], ref)) for ref, citers in cat.backlinks.items() for citer in citers]
