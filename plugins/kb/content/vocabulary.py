"""What each value of a controlled vocabulary means, read from the About page that explains it.

Each About page (model.VOCABULARY_PAGES) has a section per value, `## Hub {#hub}`: its heading is the
value's label ("Brokering partnerships", "Further education") and its first paragraph says what it
means. Search indexes both with every entry carrying the value and shows them as a "Did you know" card;
facets show the labels. A missing page or section is not an error here (the value keeps a label made
from its id); the About pages are ordinary pages of the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.content.model import CONTENT_DIR, VOCABULARIES, VOCABULARY_PAGES

SECTION_RE = re.compile(r"^##\s+(?P<label>.+?)\s*\{#(?P<id>[a-z0-9-]+)\}\s*$")
TITLE_RE = re.compile(r"^#\s+(?P<title>.+?)\s*$")
_INLINE = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"[*_`]+"), ""),  # emphasis and code
]


@dataclass(frozen=True)
class Meaning:
    """One value of a vocabulary, as its About page explains it."""

    vocabulary: str  # model, stage, functions, brokerage, approach, phases
    value: str  # the id used in front matter, e.g. "hub"
    label: str  # the section's heading, e.g. "Hub"
    text: str  # the section's first paragraph, plain text ("" when the page has no such section)
    page_title: str  # the About page's title, e.g. "Network models"
    url: str  # the section's address from the site root, e.g. "about/network-models/#hub"


def fallback_label(value: str) -> str:
    return value.replace("-", " ").capitalize()


def plain(markdown: str) -> str:
    for pattern, replacement in _INLINE:
        markdown = pattern.sub(replacement, markdown)
    return " ".join(markdown.split())


def read_page(text: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """(page title, {value: (label, first paragraph)}) of one About page's Markdown."""
    title = ""
    sections: dict[str, tuple[str, str]] = {}
    current: str | None = None
    paragraph: list[str] = []
    for line in text.splitlines() + [""]:
        heading, page_title = SECTION_RE.match(line), TITLE_RE.match(line)
        if heading or line.startswith("#"):
            current, paragraph = (heading.group("id"), []) if heading else (None, [])
            if heading:
                sections[heading.group("id")] = (plain(heading.group("label")), "")
            elif page_title and not title:
                title = plain(page_title.group("title"))
            continue
        if current is None or sections[current][1]:
            continue
        if line.strip():
            paragraph.append(line)
        elif paragraph:
            sections[current] = (sections[current][0], plain(" ".join(paragraph)))
    return title, sections


def read_vocabulary(root: Path) -> dict[str, dict[str, Meaning]]:
    """Every value of every vocabulary with an About page: {vocabulary: {value: Meaning}}."""
    out: dict[str, dict[str, Meaning]] = {}
    for name, page in VOCABULARY_PAGES.items():
        path = Path(root) / CONTENT_DIR / (page.rstrip("/") + ".md")
        try:
            title, sections = read_page(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            title, sections = "", {}
        out[name] = {
            value: Meaning(
                name,
                value,
                sections.get(value, (fallback_label(value), ""))[0],
                sections.get(value, ("", ""))[1],
                title or fallback_label(name),
                f"{page}#{value}",
            )
            for value in VOCABULARIES[name]
        }
    return out
