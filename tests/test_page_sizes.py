"""Pages stay light enough for a phone however big the knowledge base grows.

Two generated corpora (500 and 1,500 entries) are built. Every HTML page of the larger one must be
under 100 KB, and the pages that list a growing number of things (tracker, network hubs, tag
pages, term digests, organisations) must not grow in step with the corpus: they show a bounded
first part and link to the full listing, JSON rows or CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from kb.meetings.pages import HUB_ATTENDANCE_ROWS
from kb.site.tags import TAG_PAGE_ENTRIES
from kb_tools.corpus import generate_project
from tests.conftest import build

SIZES = (500, 1500)
PAGE_BUDGET = 100_000  # bytes of HTML per page
MAX_GROWTH = 1.6  # a capped page at 3x the entries (lists below their cap at 500 entries still fill up)
CAPPED = {  # pages that list a growing number of things -> where they are
    "network hubs": "networks/*/index.html",
    "term digests": "board/digest/*/index.html",
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("page-sizes")
    out = {}
    for n in SIZES:
        generate_project(base / f"project-{n}", n, seed=3)
        out[n] = build(base / f"project-{n}", base / f"site-{n}")
    return out


def largest(site: Path, pattern: str) -> tuple[int, str]:
    sizes = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.glob(pattern)]
    assert sizes, f"no page matches {pattern}"
    return max(sizes)


def test_every_page_is_under_the_budget(sites):
    site = sites[SIZES[-1]]
    pages = list(site.rglob("*.html"))
    assert len(pages) > SIZES[-1]  # the entry pages are there too
    too_big = sorted(
        ((p.stat().st_size, p.relative_to(site).as_posix()) for p in pages if p.stat().st_size >= PAGE_BUDGET), reverse=True
    )
    assert too_big == [], f"pages over {PAGE_BUDGET} bytes: {too_big[:10]}"


@pytest.mark.parametrize("group", sorted(CAPPED))
def test_capped_pages_do_not_grow_with_the_corpus(sites, group):
    small, big = (largest(sites[n], CAPPED[group]) for n in SIZES)
    assert big[0] <= small[0] * MAX_GROWTH, f"{group}: {small} at {SIZES[0]} entries, {big} at {SIZES[-1]}"


def test_lists_are_cut_at_their_caps(sites):
    """The caps themselves, counted in the built pages: hub attendance, tag cards, digest lists."""
    site = sites[SIZES[-1]]
    for hub in site.glob("networks/*/index.html"):
        html = hub.read_text(encoding="utf-8")
        assert html.count('<tr><th scope="row">') <= HUB_ATTENDANCE_ROWS, hub
    capped_hubs = [
        h for h in site.glob("networks/*/index.html") if "most frequent attenders are shown" in h.read_text(encoding="utf-8")
    ]
    assert capped_hubs  # at 1,500 entries the cap is reached, so it is tested
    for tag in site.glob("tags/*/index.html"):
        assert tag.read_text(encoding="utf-8").count('class="kb-card kb-card--') <= TAG_PAGE_ENTRIES, tag
    for digest in site.glob("board/digest/*/index.html"):
        html = digest.read_text(encoding="utf-8")
        for ul in re.findall(r'<ul class="kb-digest-actions[^"]*">(.*?)</ul>', html, re.S):
            assert ul.count("<li") <= 3, digest  # 2 actions and the "and N more" line
    orgs = (site / "organisations/index.html").read_text(encoding="utf-8")
    assert orgs.count('<tr><th scope="row">') <= 40
    for org in site.glob("organisations/*/index.html"):
        article = org.read_text(encoding="utf-8").split('class="kb-meetings-page"', 1)[-1]
        for ul in re.findall(r"<ul>(.*?)</ul>", article, re.S):
            assert ul.count("<li>") <= 25, org
    board = (site / "board/index.html").read_text(encoding="utf-8")
    assert board.count('<li class="kb-card kb-card--learning-summary">') <= 20


def test_tracker_rows_and_csv_hold_every_action(sites):
    """What the page no longer carries is in the files: every open action in the CSV and open.json, every action in rows/."""
    site = sites[SIZES[-1]]
    open_rows = json.loads((site / "actions/open.json").read_text(encoding="utf-8"))
    every_row = [r for f in sorted((site / "actions/rows").glob("*.json")) for r in json.loads(f.read_text(encoding="utf-8"))]
    listed = list(csv.reader(io.StringIO((site / "actions/actions.csv").read_text(encoding="utf-8"))))[1:]
    assert len(open_rows) == len(listed) > 0
    assert [r["csv"][2] for r in sorted(open_rows, key=lambda r: r["rank"])] == [row[2] for row in listed]
    assert sorted(r["key"] for r in every_row if r["status"] == "open") == sorted(r["key"] for r in open_rows)
    assert {r["status"] for r in every_row} >= {"open", "done"}
    page = (site / "actions/index.html").read_text(encoding="utf-8")
    assert page.count('class="kb-tracker-row') < len(every_row)  # the page itself holds a bounded part


def test_tag_page_links_to_the_rest(sites):
    site = sites[SIZES[-1]]
    _size, path = largest(site, "tags/*/index.html")
    html = (site / path).read_text(encoding="utf-8")
    assert "See all" in html and "browse/?tag=" in html


def test_tracker_page_renders_only_its_first_rows(sites, monkeypatch):
    """With more open actions than PAGE_ROWS, the page holds PAGE_ROWS rows, overdue first, and says so."""
    import datetime as dt

    from kb.meetings import pages as meeting_pages
    from kb.project import load_project

    cat, _ = load_project(sites[SIZES[-1]].parent / f"project-{SIZES[-1]}", today=dt.date(2026, 11, 23))
    monkeypatch.setattr(meeting_pages, "PAGE_ROWS", 10)
    tracker = next(p for p in meeting_pages.meeting_pages(cat) if p.src_uri == "actions/index.md")
    html = tracker.render_html("actions/")
    assert html.count('class="kb-tracker-row') == 10
    open_count = len(json.loads((sites[SIZES[-1]] / "actions/open.json").read_text(encoding="utf-8")))
    assert f"{open_count} open actions; the first 10 are shown." in html
    flags = re.findall(r'data-overdue="(\d)"', html)
    assert flags[0] == "1"  # overdue first
