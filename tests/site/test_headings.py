"""Heading levels go down one step at a time on every page (WCAG 1.3.1; axe heading-order), so a screen reader's
list of headings reads as an outline: no h3 cards straight after a page's h1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

HEADING = re.compile(r"<h([1-6])[\s>]")


def skipped_levels(html: str) -> list[tuple[int, int]]:
    """(level before, level after) wherever the page's content jumps down more than one level."""
    content = html.split("<article", 1)[-1].split("</article>", 1)[0]
    levels = [int(level) for level in HEADING.findall(content)]
    return [(before, after) for before, after in zip([0, *levels], levels) if after > before + 1]


def test_the_rule_sees_a_skip():
    assert skipped_levels("<article><h1>A</h1><h3>B</h3></article>") == [(1, 3)]
    assert skipped_levels("<article><h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2></article>") == []


@pytest.mark.parametrize("which", ["public_site", "members_site"])
def test_no_page_skips_a_heading_level(request, which):
    site: Path = request.getfixturevalue(which)
    skips = {}
    for path in site.rglob("*.html"):
        found = skipped_levels(path.read_text(encoding="utf-8"))
        if found:
            skips[path.relative_to(site).as_posix()] = found
    assert skips == {}
