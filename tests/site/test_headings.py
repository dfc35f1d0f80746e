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


def test_a_minutes_page_contents_lists_every_section(public_site):
    """The table of contents beside a meeting's minutes lists the sections our templates add, not only the body's."""
    html = (public_site / "minutes/send/2026-11-19/index.html").read_text(encoding="utf-8")
    contents = html.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
    listed = [
        " ".join(re.sub(r"<[^>]+>", "", item).split()) for item in re.findall(r'class="md-nav__link">(.*?)</a>', contents, re.S)
    ]
    for section in ("Agenda", "Attendance", "Decisions", "Actions", "Notes of discussion"):
        assert section in listed, listed
    assert listed.index("Agenda") < listed.index("Actions") < listed.index("Notes of discussion")  # in page order


def test_section_headings_are_read_in_order_without_permalink_marks():
    from kb.pages.render import section_headings

    html = '<h2 id="a">Agenda</h2><h3 id="b">Item <em>one</em></h3><h2 id="n">Notes<a class="headerlink" href="#n">¶</a></h2><h2>No id</h2>'
    assert section_headings(html) == [(2, "a", "Agenda"), (3, "b", "Item one"), (2, "n", "Notes")]
