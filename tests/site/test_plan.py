"""Every generated page and file of the site, planned from the one catalogue (plan.py)."""

from __future__ import annotations

import shutil
from collections import Counter

import jinja2.meta
import pytest
from jinja2 import nodes
from markupsafe import escape

from kb.feeds.atom import FORMATS
from kb.pages.page import VirtualPage
from kb.pages.render import environment
from kb.project import load_project
from kb.site.plan import (
    FILE_GENERATORS,
    FILE_READS,
    GENERATORS,
    entry_context,
    generated_pages,
    plan_files,
    plan_pages,
    planned_files,
    render_entry,
)
from tests.conftest import ROOT
from tests.meetings_fixture import DRAFT_MARKER, MEMBERS_MARKER, write_meetings

DRAFT_SRC = "minutes/equity/2026-12-10.md"
MEMBERS_SRC = "minutes/equity/2026-11-05.md"


@pytest.fixture
def small(project):
    """The small project with meetings (a draft and a members-only one among them) and term dates."""
    write_meetings(project)
    shutil.copy(ROOT / "content" / "terms.yml", project.root / "content" / "terms.yml")
    return project


@pytest.fixture(params=["small", "starter", "starter-members"])
def any_cat(request):
    """Catalogues to plan: the small project, and the starter content as the public and the members' site."""
    if request.param == "small":
        return request.getfixturevalue("small").catalogue()
    cat, problems = load_project(ROOT, members=request.param == "starter-members")
    assert not [p for p in problems if p.severity == "error"]
    return cat


def test_one_page_per_visible_entry_plus_the_generated_pages(small):
    cat = small.catalogue()
    pages = plan_pages(cat)
    entry_pages = {src: p for src, p in pages.items() if p.entry is not None}
    assert set(entry_pages) == {e.src_uri for e in cat.entries.values()}
    for src, page in entry_pages.items():
        assert page.entry is cat.entries[src.removesuffix(".md")]
        assert (page.title, page.description) == (page.entry.title, page.entry.summary)
    generated = generated_pages(cat)
    assert len(pages) == len(cat.entries) + len(generated)  # no generated page takes an entry's place
    assert {"index.md", "tags/index.md", "actions/index.md", "board/index.md", "search/index.md"} <= set(generated)
    assert all(p.entry is None and p.render_html is not None for p in generated.values())


def test_no_page_for_a_draft_and_members_pages_only_for_members(small):
    public = plan_pages(small.catalogue())
    assert DRAFT_SRC not in public and MEMBERS_SRC not in public
    assert all(p.entry.status == "published" and p.entry.visibility == "public" for p in public.values() if p.entry)
    members = plan_pages(small.catalogue(members=True))
    assert MEMBERS_SRC in members and DRAFT_SRC not in members


def test_plan_pages_reuses_generated_pages_when_given(small):
    cat = small.catalogue()
    mine = {"elsewhere/index.md": VirtualPage("elsewhere/index.md", "Elsewhere")}
    pages = plan_pages(cat, generated=mine)
    assert pages["elsewhere/index.md"] is mine["elsewhere/index.md"]
    assert "tags/index.md" not in pages  # the generators were not run again
    assert len(pages) == len(cat.entries) + 1


def test_generated_pages_have_unique_sources_across_generators(any_cat):
    made = [p.src_uri for generate in GENERATORS for p in generate(any_cat)]
    assert [src for src, n in Counter(made).items() if n > 1] == []
    assert not set(made) & {e.src_uri for e in any_cat.entries.values()}  # none would hide an entry's page


def test_planned_files_have_unique_paths_across_generators(any_cat):
    any_cat.site_url = "https://learning.example.org/"
    paths = [path for generate in FILE_GENERATORS for path in generate(any_cat)]
    assert [path for path, n in Counter(paths).items() if n > 1] == []
    assert set(plan_files(any_cat)) == set(paths)


def test_a_generator_that_reads_some_types_is_skipped_while_they_and_the_settings_are_as_they_were(small):
    """planned_files: the calendars, tracker and cards keep the last build's files after an edit elsewhere, and are
    made again when a minutes file, a network or a setting changes; the others are made every time."""
    cat = small.catalogue()
    first = planned_files(cat)
    assert {name for name, (key, _) in first.items() if key is not None} == set(FILE_READS) != set()
    last = {name: key for name, (key, _) in first.items()}
    again = planned_files(cat, last)
    assert {name for name, (_, files) in again.items() if files is None} == set(FILE_READS)
    assert again["listing_files"][1] == first["listing_files"][1]  # made again, the same
    case = next(e for e in cat.entries.values() if e.type == "case-study")
    case.meta["title"] = "Another title"
    case.memo.clear()
    assert {name for name, (_, files) in planned_files(cat, last).items() if files is None} == set(FILE_READS)
    minutes = next(e for e in cat.entries.values() if e.type == "minutes")
    minutes.meta["title"] = "Another meeting"
    minutes.memo.clear()
    assert {name for name, (_, files) in planned_files(cat, last).items() if files is None} == {"card_files"}
    cat.site_name = "Another site"  # a setting: every generator again
    assert [name for name, (_, files) in planned_files(cat, last).items() if files is None] == []


def test_planned_files_include_calendar_tracker_and_search_and_feeds_only_with_site_url(small):
    cat = small.catalogue()
    files = plan_files(cat)
    assert {"calendar/all.ics", "calendar/equity.ics", "actions/actions.csv", "actions/open.json", "search/fallback.json"} <= set(
        files
    )
    assert {"browse/rows.json", "case-studies/rows.json"} <= set(files)
    assert not [path for path in files if path.startswith("feeds/")]  # feeds need absolute links
    cat.site_url = "https://learning.example.org/"
    with_feeds = plan_files(cat)
    assert {f"feeds/all.{fmt}.xml" for fmt in FORMATS} <= set(with_feeds)
    assert {f"feeds/networks/equity.{fmt}.xml" for fmt in FORMATS} <= set(with_feeds)
    assert set(with_feeds) - set(files) == {path for path in with_feeds if path.startswith("feeds/")}
    for path, data in with_feeds.items():
        text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
        assert DRAFT_MARKER not in text and MEMBERS_MARKER not in text, path


def templates_used(template: str, etype: str, seen: set[str]) -> set[str]:
    """Names an entry page's template reads from its context, following includes as they are for this type."""
    env = environment()
    if template in seen or template not in env.globals["templates"]:
        return set()
    if template == "sections/network.html" and etype != "network":  # included only on a network's page
        return set()
    seen.add(template)
    ast = env.parse(env.loader.get_source(env, template)[0])
    targets = [node.target for node in ast.find_all((nodes.Assign, nodes.For))]  # {% set %} and loop names
    local = {n.name for t in targets for n in [t, *t.find_all(nodes.Name)] if isinstance(n, nodes.Name)}
    used = jinja2.meta.find_undeclared_variables(ast) - local
    referenced = list(jinja2.meta.find_referenced_templates(ast))
    dynamic = [f"facts/{etype}.html", f"sections/{etype}.html"] if None in referenced else []
    for name in [r for r in referenced if r] + dynamic:
        used |= templates_used(name, etype, seen)
    return used


def test_entry_context_holds_every_name_the_entry_templates_read():
    cat, _ = load_project(ROOT, members=True)
    env = environment()
    assert set(cat.by_type) == {"network", "case-study", "minutes", "research", "learning-summary", "register-entry"}
    seen_anywhere = set()
    for etype in cat.by_type:
        used = templates_used("entry_header.html", etype, set()) | templates_used("entry_footer.html", etype, set())
        seen_anywhere |= used
        for entry in cat.of_type(etype):
            context = entry_context(entry, cat)
            assert used - set(context) - set(env.globals) - {"url"} == set(), entry.ref  # url is render_entry's
    # the walk reaches the per-type includes, so it sees what each feature module adds
    assert {"minutes", "network_meetings", "board", "hub", "review", "contact", "citation", "month", "sources"} <= seen_anywhere


@pytest.mark.parametrize(
    "etype, keys",
    [
        ("case-study", set()),
        ("minutes", {"minutes"}),
        ("research", {"citation", "month"}),
        ("register-entry", {"review", "contact"}),
        ("learning-summary", {"sources", "board"}),
        ("network", {"hub", "network_meetings", "board"}),
    ],
)
def test_entry_context_keys_by_type(etype, keys):
    cat, _ = load_project(ROOT)
    entry = cat.of_type(etype)[0]
    context = entry_context(entry, cat)
    assert set(context) == {"entry", "meta", "cat", "referenced", "related", "edit_links"} | keys
    assert context["entry"] is entry and context["meta"] is entry.meta and context["cat"] is cat


def test_every_entry_page_renders_with_its_context():
    for members in (False, True):
        cat, _ = load_project(ROOT, members=members)
        for entry in cat.entries.values():
            html = render_entry(entry, "<p>Body.</p>", entry.url, cat)
            assert "<p>Body.</p>" in html and f"<h1>{escape(entry.title)}</h1>" in html


def test_render_entry_sanitises_the_body(small):
    cat = small.catalogue()
    entry = cat.entries["case-studies/coaching-year-7"]
    body = '<p>Kept</p><script>alert("x")</script><a href="javascript:alert(1)">link</a><img src=x onerror="alert(2)">'
    html = render_entry(entry, body, entry.url, cat)
    assert "<p>Kept</p>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert "<h1>Coaching in Year 7</h1>" in html  # the header comes first, then the body


def test_render_entry_with_a_context_given_matches_one_worked_out(small):
    cat = small.catalogue()
    entry = cat.entries["networks/equity"]
    context = entry_context(entry, cat)
    assert render_entry(entry, "<p>x</p>", entry.url, cat, context) == render_entry(entry, "<p>x</p>", entry.url, cat)
    assert "url" not in context  # the link maker is added per page, not kept in the context


def test_an_entry_page_is_never_silently_replaced_by_a_generated_one():
    """An entry whose page would sit where the site makes a page of its own (case-studies/index) is refused
    (kb check names such a file too: tests/content/test_validate.py)."""
    from kb.site.plan import PageClash
    from tests.factories import catalogue, entry

    clash = catalogue([entry("case-studies/index"), entry("case-studies/fine")])
    with pytest.raises(PageClash, match=r"case-studies/index\.md would be published at the address"):
        plan_pages(clash)
    assert "case-studies/fine.md" in plan_pages(catalogue([entry("case-studies/fine")]))


def test_generated_pages_are_full_width_unless_they_say_otherwise(small):
    made = generated_pages(small.catalogue())
    assert made["actions/index.md"].meta["hide"] == ["navigation", "toc"]
    assert made["index.md"].meta["hide"] == ["navigation", "toc"]
    assert made["contribute/index.md"].meta["hide"] == []  # keeps the sidebar leading on to the guide
    assert all(entry_page.meta == {} for entry_page in plan_pages(small.catalogue()).values() if entry_page.entry)
