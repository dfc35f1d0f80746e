"""Issue 19: in the preview, drafts with errors are left out and listed on top of every page (the rest of the
site is shown); an error in a published entry still replaces the site; drafts carry a Draft badge in every
listing and in search. A public build has neither: it never holds a draft."""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from kb.building.runner import BuildError, build_site
from kb.project import load_project
from kb.search.index import build_index
from kb.search.query import SearchEngine
from tests.conftest import MINI_CASE
from tests.site.test_preview import DRAFT, MEMBERS, serve_build, text_of

BROKEN = "content/case-studies/broken-draft.md"
BROKEN_DRAFT = (
    MINI_CASE.replace("Coaching in Year 7", "Wombatbroken draft study")
    .replace("status: published", "status: draft")
    .replace("date: 2026-03-12", "date: 12/03/2026")
)
# A tab in the YAML: the file cannot be read at all, but it says it is a draft.
TAB_DRAFT = "---\ntitle: Tabbed draft\nstatus: draft\nnetworks:\n\t- equity\n---\nBody.\n"
BANNER = "kb-preview-banner"


def site_text(site):
    return {
        p.relative_to(site).as_posix(): p.read_text(errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".xml", ".json", ".ics", ".csv", ".txt"}
    }


@pytest.fixture
def broken_draft(project):
    project.write("content/case-studies/draft-study.md", DRAFT)
    project.write(BROKEN, BROKEN_DRAFT)
    return project


def test_a_broken_draft_leaves_the_rest_of_the_preview_with_a_banner_on_every_page(broken_draft, tmp_path):
    site = serve_build(broken_draft.root, tmp_path / "preview")
    pages = (
        "index.html",
        "case-studies/coaching-year-7/index.html",
        "case-studies/draft-study/index.html",
        "browse/index.html",
        "case-studies/index.html",
        "search/index.html",
        "networks/equity/index.html",
        "tags/coaching/index.html",
    )
    for page in pages:
        html = text_of(site / page)
        assert "The preview cannot show the site yet" not in html, page
        banner = re.search(rf'<section class="{BANNER}".*?</section>', html)
        assert banner, page
        words = banner.group(0)
        assert "Preview: 1 problem in 1 draft." in words
        href = re.search(rf'<a href="([^"]*)"><code>{BROKEN}</code></a>', words)
        assert href and posixpath.normpath(posixpath.join(posixpath.dirname(page), href.group(1))) == "case-studies/broken-draft"
        assert "line 4, <code>date</code>: &#39;12/03/2026&#39; is not a date written YYYY-MM-DD." in words
        assert "Fix: dates are written like date: 2026-03-12." in words
    assert "Coaching in Year 7" in text_of(site / "case-studies/coaching-year-7/index.html")  # the site is shown
    assert "Zanzibarquill draft study" in text_of(site / "browse/index.html")  # and the drafts without errors
    # The broken draft is left out of every listing; its own page says what to fix in it.
    assert "Wombatbroken" not in text_of(site / "browse/index.html") + text_of(site / "index.html")
    own = text_of(site / "case-studies/broken-draft/index.html")
    assert "This draft cannot be shown yet" in own and "this draft is left out of the preview" in own
    assert "is not a date written YYYY-MM-DD" in own


def test_a_published_entry_with_an_error_still_replaces_the_whole_preview(broken_draft, tmp_path):
    """A published page must not look fine while it is broken (kb build would refuse it): today's error page."""
    broken_draft.write("content/case-studies/coaching-year-7.md", MINI_CASE.replace("tags: [coaching]", "tags: [coachin]"))
    site = serve_build(broken_draft.root, tmp_path / "preview")
    html = text_of(site / "index.html")
    assert "The preview cannot show the site yet" in html and "2 problems must be fixed first" in html
    assert BROKEN in html and "content/case-studies/coaching-year-7.md" in html
    assert BANNER not in html and not (site / "case-studies/index.html").exists()
    draft = text_of(site / "case-studies/draft-study/index.html")
    assert "The preview cannot show the site yet" in draft and "Zanzibarquill" not in draft


def test_a_draft_too_broken_to_read_is_told_by_its_status_line(project, tmp_path):
    project.write("content/case-studies/tabbed.md", TAB_DRAFT)
    site = serve_build(project.root, tmp_path / "draft")
    html = text_of(site / "index.html")
    assert BANNER in html and "content/case-studies/tabbed.md" in html and "tab" in html
    assert "Coaching in Year 7" in html
    assert "This draft cannot be shown yet" in text_of(site / "case-studies/tabbed/index.html")

    project.write("content/case-studies/tabbed.md", TAB_DRAFT.replace("status: draft", "status: published"))
    site = serve_build(project.root, tmp_path / "published")
    html = text_of(site / "index.html")
    assert "The preview cannot show the site yet" in html and BANNER not in html


def test_a_fixed_draft_comes_back_and_the_banner_goes(broken_draft, tmp_path):
    serve_build(broken_draft.root, tmp_path / "preview")
    broken_draft.write(BROKEN, BROKEN_DRAFT.replace("date: 12/03/2026", "date: 2026-03-12"))
    site = serve_build(broken_draft.root, tmp_path / "preview")
    assert BANNER not in text_of(site / "index.html")
    assert "Wombatbroken draft study" in text_of(site / "browse/index.html")


def test_kb_build_never_shows_a_banner_nor_a_draft_badge(broken_draft, tmp_path):
    config = broken_draft.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      preview: true\n"))
    with pytest.raises(BuildError, match=r"broken-draft\.md") as failed:  # a broken draft still stops a build
        build_site(config, tmp_path / "site")
    assert "Wombatbroken" not in str(failed.value) and "12/03/2026" not in str(failed.value)  # withheld words
    broken_draft.write(BROKEN, BROKEN_DRAFT.replace("date: 12/03/2026", "date: 2026-03-12"))
    broken_draft.write("content/case-studies/members-study.md", MEMBERS)
    site = build_site(config, tmp_path / "site") or tmp_path / "site"
    everything = site_text(site)
    assert "case-studies/index.html" in everything and "search/fallback.json" in everything
    for path, text in everything.items():
        assert BANNER not in text and "kb-badge--draft" not in text, path
        assert "Zanzibarquill" not in text and "Wombatbroken" not in text and "Quokkamembers" not in text, path
    assert all(row[-1] == "" for row in json.loads(everything["case-studies/rows.json"])["rows"])


@pytest.fixture
def with_draft(project):
    project.write("content/case-studies/draft-study.md", DRAFT)
    return project


def badged_titles(html):
    """The headings' text of cards that carry a Draft badge."""
    return re.findall(r'<a href="[^"]*">([^<]*)</a> <span class="kb-badge kb-badge--draft">Draft</span></h\d>', html)


def test_drafts_carry_a_badge_in_every_listing_of_the_preview(with_draft, tmp_path):
    site = serve_build(with_draft.root, tmp_path / "preview")
    for page in (
        "index.html",
        "browse/index.html",
        "case-studies/index.html",
        "networks/equity/index.html",
        "tags/coaching/index.html",
    ):
        html = text_of(site / page)
        assert badged_titles(html) == ["Zanzibarquill draft study"], page
        assert "Coaching in Year 7" in html, page  # published: listed, no badge
    rows = json.loads((site / "browse/rows.json").read_text())
    draft = rows["columns"].index("draft")
    assert {row[1]: row[draft] for row in rows["rows"]} == {"Zanzibarquill draft study": "Draft", "Coaching in Year 7": ""}
    fallback = json.loads((site / "search/fallback.json").read_text())["rows"]
    marked = {row["t"]: row.get("x") for row in fallback if row["y"] == "case-study"}
    assert marked == {"Zanzibarquill draft study": "Draft", "Coaching in Year 7": None}


def test_the_preview_search_marks_drafts_and_a_public_index_has_none(with_draft, tmp_path):
    engine = SearchEngine(build_index(load_project(with_draft.root, preview=True)[0], tmp_path / "preview.search"))
    hits = {h["title"]: h["draft"] for h in engine.search("coaching")["results"]}
    assert hits == {"Zanzibarquill draft study": "Draft", "Coaching in Year 7": ""}
    with_draft.write("content/case-studies/draft-study.md", DRAFT.replace("status: draft", "status: review"))
    engine = SearchEngine(build_index(load_project(with_draft.root, preview=True)[0], tmp_path / "review.search"))
    assert {h["title"]: h["draft"] for h in engine.search("coaching")["results"]}[
        "Zanzibarquill draft study"
    ] == "Draft (in review)"
    public = SearchEngine(build_index(load_project(with_draft.root)[0], tmp_path / "public.search"))
    assert [h["draft"] for h in public.search("coaching")["results"]] == [""]


HELD = (
    "---\ntitle: Equity, 1 October\nsummary: S.\ndate: 2026-10-01\nnetworks: [equity]\nstatus: draft\n"
    'attendees: ["Amira Khan, Westbrook Academy"]\napologies: []\ndecisions: ["One"]\nnext_meeting: 2026-12-10\n'
    "actions:\n  - action: Write the Quokkadraft plan\n    owner: Amira Khan\n    due: 2026-12-01\n    status: open\n---\nN.\n"
)
COMING = (
    "---\ntitle: Equity, 10 December\nsummary: S.\ndate: 2026-12-10\nnetworks: [equity]\nstatus: draft\n"
    'agenda: ["Quokkadraft plan"]\n---\nN.\n'
)


def test_draft_minutes_carry_the_badge_on_the_meetings_and_actions_pages(project, tmp_path):
    project.write("content/minutes/equity/2026-10-01.md", HELD)
    project.write("content/minutes/equity/2026-12-10.md", COMING)
    site = serve_build(project.root, tmp_path / "preview")
    assert BANNER not in text_of(site / "index.html")  # no errors: both drafts shown
    tracker = text_of(site / "actions/index.html")
    assert "Write the Quokkadraft plan" in tracker
    assert re.search(r'1 October 2026</a> <span class="kb-badge kb-badge--draft">Draft</span></td>', tracker)
    meetings = text_of(site / "meetings/index.html")
    assert re.search(r'>Equity, 10 December</a> <span class="kb-badge kb-badge--draft">Draft</span></h\d>', meetings)
    assert badged_titles(text_of(site / "minutes/index.html")) == ["Equity, 10 December", "Equity, 1 October"]


def test_the_terminal_says_which_drafts_are_left_out_once_a_session(broken_draft, tmp_path, caplog):
    from mkdocs.commands.build import build as mkdocs_build

    from kb.building.runner import load_site_config

    config = load_site_config(broken_draft.root / "mkdocs.yml", site_dir=tmp_path / "preview", preview=True)
    config.plugins.on_startup(command="serve", dirty=False)

    def errors_of_one_build() -> list[str]:
        caplog.clear()
        mkdocs_build(config)
        return [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]

    (first,) = errors_of_one_build()
    assert first.startswith("Drafts left out of the preview until fixed") and f"{BROKEN}:4: error: date:" in first
    assert errors_of_one_build() == []  # a save that changes nothing says nothing again
    broken_draft.write(BROKEN, BROKEN_DRAFT.replace("tags: [coaching]", "tags: [coachin]"))
    (again,) = errors_of_one_build()
    assert "coachin" in again and "date:" not in again  # only the new one
    assert BANNER in text_of(tmp_path / "preview/index.html")  # the banner still lists both
    assert "Preview: 2 problems in 1 draft." in text_of(tmp_path / "preview/case-studies/index.html")
