"""Hand-written pages (the About and Contribute pages, content/model.py's PAGE_FILES and PAGE_FOLDERS): always public.

Why: MkDocs builds them itself, outside the catalogue and its privacy rule, so a page that says
`status: draft` or `visibility: members` would be published all the same. Such a page is refused
with a message pointing to the entry types, which do honour those fields. Their front matter is read
with the same YAML rules as entries' (no key twice, no aliases), and the characters no page can carry
are refused in them too; their HTML is sanitised in the build like entry bodies (building/session.py).
"""

from __future__ import annotations

import os
from typing import Any

from kb.content.characters import unprintable_problems
from kb.content.limits import DEFAULT_LIMITS, Limits
from kb.content.problems import Problem
from kb.content.source import RawEntry, decode, parse_front_matter, read_file

# A page may say what is true of every page; anything else would need the privacy rule that only entries have.
ALLOWED_VALUES = {"status": ("published",), "visibility": ("public",)}


def page_problems(root: str | os.PathLike[str], rels: list[str], limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Everything wrong with the hand-written pages at these project-relative paths."""
    return [p for rel in rels for p in check_page(os.fspath(root), rel, limits)]


def check_page(root: str, rel: str, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    try:
        data = read_file(os.path.join(root, rel), limits.entry_max_kb * 1024 + 1)
    except OSError as exc:
        return [Problem(rel, None, None, f"the page cannot be read ({exc.strerror}).", "check that it is an ordinary file.")]
    if len(data) > limits.entry_max_kb * 1024:
        return [Problem(rel, None, None, f"the page is larger than {limits.entry_max_kb:,} KB.", "split it into shorter pages.")]
    text, problems = decode(rel, data)
    if text is None:
        return problems
    if not text.startswith("---"):
        return unprintable_problems(RawEntry(rel, {}, text))
    raw, problems = parse_front_matter(rel, text)
    if raw is None:
        return problems
    problems = unprintable_problems(raw)
    for name, allowed in ALLOWED_VALUES.items():
        value: Any = raw.meta.get(name)
        if value is not None and value not in allowed:
            problems.append(
                Problem(
                    rel,
                    raw.lines.get(name),
                    name,
                    f"is '{value}', but a hand-written page is always published for everyone: "
                    f"only entries can be drafts or members-only.",
                    f"remove the {name} line, or write this text as an entry (e.g. a learning summary in content/summaries/), "
                    "whose status and visibility are honoured.",
                )
            )
    return problems
