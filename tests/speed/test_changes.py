"""What a `kb serve` rebuild must redo (speed/changes.py): pure change detection between two snapshots of the content."""

from __future__ import annotations

import dataclasses

import pytest

from kb.site.plan import plan_pages
from kb.speed.changes import (
    Snapshot,
    body_fingerprints,
    changed_files,
    changed_pages,
    content_fingerprint,
    page_fingerprints,
    settings_fingerprint,
    shape_fingerprint,
)
from tests.conftest import MINI_CASE, MINI_TAGS

CASE = "content/case-studies/coaching-year-7.md"
PAGE = "case-studies/coaching-year-7.md"
OTHER = MINI_CASE.replace("Coaching in Year 7", "Mentoring in Year 9").replace("2026-03-12", "2026-02-01")


def snap(project) -> Snapshot:
    cat = project.catalogue()
    return Snapshot(shape_fingerprint(cat), body_fingerprints(cat))


@pytest.fixture
def two(project):
    project.write("content/case-studies/mentoring-year-9.md", OTHER)
    return project


def test_first_build_is_full(two):
    assert changed_pages(None, snap(two)) is None


def test_nothing_changed_redoes_nothing(two):
    assert changed_pages(snap(two), snap(two)) == set()


def test_body_only_edit_redoes_that_page_only(two):
    before = snap(two)
    two.write(CASE, MINI_CASE + "\nA new paragraph.\n")
    assert changed_pages(before, snap(two)) == {PAGE}


def test_editing_the_sentence_a_link_sits_in_changes_the_shape(two):
    two.write(CASE, MINI_CASE + "\nWe learnt from [[mentoring-year-9]] first.\n\nAnother paragraph.\n")
    before = snap(two)
    two.write(CASE, MINI_CASE + "\nWe learnt from [[mentoring-year-9]] first.\n\nAnother paragraph, longer.\n")
    assert changed_pages(before, snap(two)) == {PAGE}  # not the sentence: that page only
    two.write(CASE, MINI_CASE + "\nWe copied [[mentoring-year-9]] first.\n\nAnother paragraph, longer.\n")
    assert changed_pages(before, snap(two)) is None  # the cited page shows the sentence: compared page by page


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.write(CASE, MINI_CASE.replace("Coaching in Year 7", "Coaching in Year 8")),  # title
        lambda p: p.write(CASE, MINI_CASE.replace("tags: [coaching]", "tags: [coaching, attendance]")),  # tags
        lambda p: p.write(CASE, MINI_CASE + "\nSee [[mentoring-year-9]].\n"),  # a new link: backlinks change
        lambda p: p.write("content/case-studies/new-one.md", MINI_CASE.replace("Coaching in Year 7", "New one")),  # new entry
        lambda p: (p.root / "content/case-studies/mentoring-year-9.md").unlink(),  # deleted entry
        lambda p: p.write("content/tags.yml", MINI_TAGS.replace("Getting pupils to school.", "Being in school.")),  # vocabulary
        lambda p: p.write("content/case-studies/mentoring-year-9.md", OTHER.replace("status: published", "status: draft")),
    ],
    ids=["title", "tags", "link", "new-entry", "deleted-entry", "tags.yml", "unpublished"],
)
def test_anything_other_pages_show_rebuilds_everything(two, change):
    before = snap(two)
    change(two)
    assert changed_pages(before, snap(two)) is None


def test_today_is_part_of_the_shape(two):
    import datetime as dt

    from kb.project import load_project

    a = load_project(two.root, today=dt.date(2026, 11, 23))[0]
    b = load_project(two.root, today=dt.date(2026, 11, 24))[0]
    assert shape_fingerprint(a) != shape_fingerprint(b)


def test_generated_files_compared_by_content():
    old = Snapshot("s", {}, {"a.json": content_fingerprint("1"), "b.csv": content_fingerprint(b"x")})
    new = Snapshot(
        "s", {}, {"a.json": content_fingerprint("2"), "b.csv": content_fingerprint(b"x"), "c.ics": content_fingerprint("")}
    )
    assert changed_files(old, new) == {"a.json", "c.ics"}
    assert changed_files(None, new) == {"a.json", "b.csv", "c.ics"}


# --- a front-matter edit: the pages whose inputs changed, found by page_fingerprints -------------------------------


def full_snap(project) -> Snapshot:
    """A snapshot as `kb serve` takes it after a front-matter edit: settings and every page's fingerprint too."""
    cat = project.catalogue()
    pages = plan_pages(cat)
    return Snapshot(
        shape_fingerprint(cat),
        body_fingerprints(cat),
        settings=settings_fingerprint(cat, pages),
        pages=page_fingerprints(pages, {}, cat).prints,
    )


def test_a_title_edit_redoes_only_the_pages_that_show_the_entry(two):
    before = full_snap(two)
    two.write("content/case-studies/mentoring-year-9.md", OTHER.replace("Mentoring in Year 9", "Mentoring in Year 10"))
    after = full_snap(two)
    assert after.settings == before.settings and after.shape != before.shape
    redone = changed_pages(before, after)
    assert redone is not None
    assert {"case-studies/mentoring-year-9.md", "case-studies/index.md", "tags/coaching/index.md", "networks/equity.md"} <= redone
    assert redone.isdisjoint({"networks/send.md", "tags/attendance/index.md", "tags/index.md", "search/index.md"}), redone


def test_a_new_shape_without_page_fingerprints_redoes_everything(two):
    before = full_snap(two)
    two.write("content/case-studies/mentoring-year-9.md", OTHER.replace("Mentoring in Year 9", "Mentoring in Year 10"))
    after = full_snap(two)
    assert changed_pages(dataclasses.replace(before, pages=None), after) is None
    assert changed_pages(before, dataclasses.replace(after, pages=None)) is None


def test_page_fingerprints_ignore_another_entrys_body(two):
    cat = two.catalogue()
    before = page_fingerprints(plan_pages(cat), {}, cat)
    two.write("content/case-studies/mentoring-year-9.md", OTHER + "\nA new paragraph.\n")
    cat = two.catalogue()
    after = page_fingerprints(plan_pages(cat), {}, cat)
    assert after.prints == before.prints  # bodies are compared apart (Snapshot.bodies)
    assert PAGE in after.contexts and "tags/coaching/index.md" in after.html  # kept for the render to reuse
    assert "case-studies/index.md" not in after.html  # a listing is compared by what it shows, never rendered here


def listing_views(project) -> dict[str, tuple[str, str]]:
    """Each listing page's (fingerprint, rendered HTML)."""
    cat = project.catalogue()
    pages = {uri: page for uri, page in plan_pages(cat).items() if page.shows is not None}
    prints = page_fingerprints(pages, {}, cat).prints
    return {uri: (prints[uri], page.render_html("x/")) for uri, page in pages.items()}


@pytest.mark.parametrize(
    "edit",
    [
        ("Coaching in Year 7", "Coaching in Year Seven"),  # title
        ("2026-03-12", "2026-01-02"),  # date: the order of the cards
        ("tags: [coaching]", "tags: [attendance, coaching]"),  # filter counts
        ("status: published", "status: draft"),  # off every public listing
    ],
)
def test_a_listing_fingerprint_changes_whenever_its_page_would(two, edit, monkeypatch):
    from kb.site import listings

    monkeypatch.setattr(listings, "PER_PAGE", 1)  # one card a page: the other entry's page shows the filter counts
    monkeypatch.setattr(listings.page_numbers, "__defaults__", (1,))
    assert edit[0] in MINI_CASE
    before = listing_views(two)
    two.write(CASE, MINI_CASE.replace(*edit))
    after = listing_views(two)
    assert {"case-studies/index.md", "case-studies/page/2/index.md"} <= before.keys()
    kept = after.keys() & before.keys()  # a page that comes or goes is made or removed whatever its fingerprint
    html_changed = {uri for uri in kept if after[uri][1] != before[uri][1]}
    print_changed = {uri for uri in kept if after[uri][0] != before[uri][0]}
    assert html_changed and html_changed <= print_changed, (html_changed, print_changed)


def test_a_listing_fingerprint_ignores_a_body_edit(two):
    before = listing_views(two)
    two.write(CASE, MINI_CASE + "\nA new paragraph.\n")
    assert listing_views(two) == before


def test_settings_fingerprint_follows_the_navigation_and_the_callers_extras(project):
    cat = project.catalogue()
    pages = plan_pages(cat)
    base = settings_fingerprint(cat, pages)
    assert settings_fingerprint(cat, pages) == base
    nav = next(uri for uri, p in pages.items() if p.meta.get("nav") is True)
    renamed = {**pages, nav: dataclasses.replace(pages[nav], title="Renamed")}
    assert settings_fingerprint(cat, renamed) != base
    entry_page = {**pages, PAGE: dataclasses.replace(pages[PAGE], title="Renamed")}  # not in the navigation
    assert settings_fingerprint(cat, entry_page) == base
    assert settings_fingerprint(cat, pages, ["mkdocs.yml changed"]) != base


def test_new_settings_redo_everything(two):
    before = full_snap(two)
    assert changed_pages(dataclasses.replace(before, settings="other"), before) is None


def test_a_build_constant_is_pictured_once_per_build_as_it_would_be_each_time(monkeypatch):
    """A term's digest (a BuildConstant) shown by many learning summaries: pictured once for the build, the same
    picture as one made afresh for every page; other values are pictured afresh for every page."""
    from kb.content.fingerprints import BuildConstant
    from kb.speed import changes

    class Digest(BuildConstant):
        def __init__(self, rows):
            self.rows = rows

    shared = Digest([{"network": "send", "held": 3}, [1, 2, 3]])
    pictured: list[int] = []
    real = changes.Inputs._picture

    def counting(self, value):
        pictured.append(id(value))
        return real(self, value)

    fresh = [changes.Inputs()({"digest": shared, "page": n}) for n in range(3)]
    monkeypatch.setattr(changes.Inputs, "_picture", counting)
    constants: dict = {}
    kept = [changes.Inputs(constants)({"digest": shared, "page": n}) for n in range(3)]
    assert kept == fresh and len(set(fresh)) == 3  # the same pictures; each page's own still differs
    assert pictured.count(id(shared)) == 1 and pictured.count(id(shared.rows)) == 1
    assert constants[id(shared)][0] is shared  # kept alive with its picture: its id cannot be reused meanwhile


def test_a_term_digest_is_a_build_constant():
    from kb.board.digest import TermDigest
    from kb.content.fingerprints import BuildConstant

    assert issubclass(TermDigest, BuildConstant)
