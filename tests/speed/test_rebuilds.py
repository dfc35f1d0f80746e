"""kb serve rebuilds only what a save changed, and the result is the site a full rebuild makes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb_tools.bench_incremental import ServeSession
from tests.conftest import MINI_CASE

CASE = "content/case-studies/coaching-year-7.md"
PAGE = "case-studies/coaching-year-7.md"
OTHER = MINI_CASE.replace("Coaching in Year 7", "Mentoring in Year 9").replace("2026-03-12", "2026-02-01")


@pytest.fixture
def two(project):
    project.write("content/case-studies/mentoring-year-9.md", OTHER)
    return project


# --- two builds in one process, the way `kb serve` drives them -------------------------------------------------

OLD = 1_000_000_000  # a past mtime stamped on every output file, so a rewrite is seen whatever the clock's grain


def stamp_old(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD, OLD))


def rewritten(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.stat().st_mtime_ns != OLD}


def site_files(site: Path) -> dict[str, bytes]:
    skip = ("sitemap.xml.gz",)  # gzip header carries a timestamp
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.name not in skip}


EDITS = [
    ("body", lambda p: p.write(CASE, MINI_CASE + "\nBodyedit Pelicanword appears.\n")),
    ("title", lambda p: p.write(CASE, MINI_CASE.replace("Coaching in Year 7", "Coaching Heronword in Year 7"))),
    ("hand-written", lambda p: p.write("content/about/index.md", "# About Ibisword\n\nWho we are.\n")),
    ("broken", lambda p: p.write(CASE, MINI_CASE.replace("date: 2026-03-12", "date: 12 March"))),
    ("fixed", lambda p: p.write(CASE, MINI_CASE + "\nFixed Ternword.\n")),
    ("deleted", lambda p: (p.root / "content/case-studies/mentoring-year-9.md").unlink()),
]


def run_session(project, site: Path, dirty: bool) -> dict[str, dict]:
    """First build, then each edit and a rebuild; what the site held and which files were written after each."""
    session = ServeSession(project.root / "mkdocs.yml", site, dirty=dirty, search_index=site.with_name(site.name + ".search"))
    seen = {}
    try:
        session.rebuild()
        for name, edit in EDITS:
            stamp_old(site)
            edit(project)
            session.rebuild()
            seen[name] = {
                "files": site_files(site),
                "written": rewritten(site),
                "index": stored(site.with_name(site.name + ".search")),
                "redone": session.plugin.rebuilds.last_rebuilt if dirty else None,
            }
    finally:
        session.close()
    return seen


@pytest.fixture
def sessions(two, tmp_path):
    two.write("content/about/index.md", "# About\n\nWho we are.\n")  # a hand-written page in the navigation
    originals = {
        rel: (two.root / rel).read_text() for rel in (CASE, "content/about/index.md", "content/case-studies/mentoring-year-9.md")
    }
    dirty = run_session(two, tmp_path / "dirty", dirty=True)
    for rel, text in originals.items():
        two.write(rel, text)
    full = run_session(two, tmp_path / "full", dirty=False)
    return dirty, full


def test_incremental_rebuilds_match_full_rebuilds_and_skip_unchanged_pages(sessions):
    dirty, full = sessions
    for name, _ in EDITS:  # after every edit, the dirty site is byte for byte the site a full rebuild makes
        assert dirty[name]["files"].keys() == full[name]["files"].keys(), name
        differing = [f for f in full[name]["files"] if dirty[name]["files"][f] != full[name]["files"][f]]
        assert differing == [], (name, differing)
        assert dirty[name]["index"] == full[name]["index"], name  # the search API's index too

    body = dirty["body"]
    assert "Pelicanword" in body["files"]["case-studies/coaching-year-7/index.html"].decode()
    assert body["redone"] == {PAGE}
    assert "case-studies/coaching-year-7/index.html" in body["written"]
    assert "case-studies/mentoring-year-9/index.html" not in body["written"]  # unchanged page: not rewritten
    assert "case-studies/index.html" not in body["written"] and "tags/coaching/index.html" not in body["written"]
    assert "case-studies/mentoring-year-9/index.html" in full["body"]["written"]  # the full rebuild does rewrite it

    title = dirty["title"]  # other pages that show the title are redone, and only those
    assert {PAGE, "case-studies/index.md", "browse/index.md", "index.md"} <= title["redone"], title["redone"]
    assert "tags/index.md" not in title["redone"] and "about/index.md" not in title["redone"]
    print("title edit redid", sorted(title["redone"]))
    assert "Coaching Heronword in Year 7" in title["files"]["case-studies/index.html"].decode()
    assert "Coaching Heronword in Year 7" in title["files"]["browse/index.html"].decode()

    hand = dirty["hand-written"]  # its title is in every page's navigation, so every page is redone
    assert hand["redone"] is None and "About Ibisword" in hand["files"]["case-studies/mentoring-year-9/index.html"].decode()
    assert "The preview cannot show the site yet" in dirty["broken"]["files"]["about/index.html"].decode()  # hand-written too
    assert "Ternword" in dirty["fixed"]["files"]["case-studies/coaching-year-7/index.html"].decode()
    assert "case-studies/mentoring-year-9/index.html" not in dirty["deleted"]["files"]  # no stale page left behind


# --- the search API's index under kb serve --------------------------------------------------------------------


def stored(index_dir: Path) -> list[dict]:
    from kb.search.index import open_index

    ix, info, spelling = open_index(index_dir)
    with ix.searcher() as s:
        docs = sorted((dict(d) for d in s.all_stored_fields()), key=lambda d: d["ref"])
    ix.close()
    return docs + [{"manifest": info, "spelling": spelling.counts}]


def test_a_body_edit_changes_no_other_output_on_a_generated_site(tmp_path):
    """What incremental.py rests on: listings, feeds, calendars, hubs never show another entry's body."""
    from kb_tools.corpus import generate_project

    root = tmp_path / "corpus"
    generate_project(root, 60)
    edited = {}
    for folder in ("case-studies", "research", "summaries", "networks", "minutes"):
        path = sorted((root / "content" / folder).rglob("*.md"))[-1]
        edited[path] = path.read_text(encoding="utf-8")
    sites = []
    for round_ in (0, 1):
        if round_:
            for path, text in edited.items():
                path.write_text(text + "\nA new closing paragraph, Cassowaryword.\n", encoding="utf-8")
        session = ServeSession(root / "mkdocs.yml", tmp_path / f"site{round_}", dirty=False)
        try:
            session.rebuild()
        finally:
            session.close()
        sites.append(site_files(tmp_path / f"site{round_}"))
    changed = {f for f in sites[1] if sites[0].get(f) != sites[1][f]}
    assert sites[0].keys() == sites[1].keys()
    pages = {str(p.relative_to(root / "content").with_suffix("")) + "/index.html" for p in edited}
    assert changed == pages


def test_kb_build_is_never_incremental_even_in_a_process_that_served(two, tmp_path):
    from kb.building.runner import build_site

    session = ServeSession(two.root / "mkdocs.yml", tmp_path / "served", dirty=True)
    try:
        session.rebuild()
        session.rebuild()  # nothing changed: a dirty rebuild skips every generated page
        assert session.plugin.rebuilds.last_rebuilt == set()
        build_site(two.root / "mkdocs.yml", tmp_path / "built")  # MkDocs hands `kb build` the same plugin instance
        assert session.plugin.rebuilds is None
    finally:
        session.close()
    for page in ("case-studies/coaching-year-7/index.html", "case-studies/index.html", "tags/coaching/index.html"):
        assert (tmp_path / "built" / page).is_file(), page


# --- front-matter edits on a generated site: only the pages that show the change are redone ----------------------


def _first(root: Path, folder: str, must: str = "status: published") -> Path:
    return next(p for p in sorted((root / "content" / folder).rglob("*.md")) if must in p.read_text(encoding="utf-8"))


def _sub(path: Path, pattern: str, replacement: str) -> None:
    import re

    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, (path, pattern)
    path.write_text(new, encoding="utf-8")


def _unlinked(root: Path, folder: str) -> Path:
    """A published entry that no other file mentions, so unpublishing it breaks no link."""
    import re

    texts = {p: p.read_text(encoding="utf-8") for folder in ("content", "register") for p in (root / folder).rglob("*.md")}
    for path in sorted((root / "content" / folder).rglob("*.md")):
        name = re.sub(r"^\d{4}-\d{2}-", "", path.stem)  # research files are named YYYY-MM-slug; links may use either
        if "status: published" in texts[path] and not any(name in t for p, t in texts.items() if p != path):
            return path
    raise LookupError(folder)


FRONT_MATTER_EDITS = [
    ("title", lambda r: _sub(_first(r, "case-studies"), r"^title: .*$", "title: Heronword study of reading")),
    ("summary", lambda r: _sub(_first(r, "research"), r"^summary: .*$", "summary: Egretword, a new summary.")),
    ("tags", lambda r: _sub(_first(r, "case-studies"), r"^tags: \[", "tags: [oracy, ")),
    ("network", lambda r: _sub(_first(r, "case-studies"), r"^networks: \[[^\]]*\]", "networks: [send]")),
    ("date", lambda r: _sub(_first(r, "case-studies"), r"^date: .*$", "date: 2026-11-20")),
    ("action", lambda r: _sub(_first(r, "minutes", "status: open"), r"status: open", "status: done")),
    ("network-title", lambda r: _sub(r / "content/networks/careers.md", r"^title: .*$", "title: Careers Kiteword network")),
    ("unpublished", lambda r: _sub(_unlinked(r, "case-studies"), r"^status: published$", "status: draft")),
    ("broken", lambda r: _sub(_first(r, "research"), r"^status: published$", "status: draft")),  # a link now fails
    ("fixed", lambda r: _sub(_first(r, "research", "status: draft"), r"^status: draft$", "status: published")),
]


def run_corpus_session(root: Path, site: Path, dirty: bool) -> dict[str, dict]:
    session = ServeSession(root / "mkdocs.yml", site, dirty=dirty)
    seen = {}
    try:
        session.rebuild()
        for name, edit in FRONT_MATTER_EDITS:
            edit(root)
            session.rebuild()
            rebuilds = session.plugin.rebuilds
            seen[name] = {
                "files": site_files(site),
                "redone": rebuilds.last_rebuilt if dirty else None,
                "compared": rebuilds.compared if dirty else None,
                "entries": len(rebuilds.previous.entries) if dirty and rebuilds.previous is not None else None,
            }
    finally:
        session.close()
    return seen


def test_front_matter_edits_redo_only_pages_that_show_them_and_match_full_rebuilds(tmp_path):
    import shutil

    from kb_tools.corpus import generate_project

    generate_project(tmp_path / "a", 80)
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    dirty = run_corpus_session(tmp_path / "a", tmp_path / "dirty", dirty=True)
    full = run_corpus_session(tmp_path / "b", tmp_path / "full", dirty=False)
    pages = sum(1 for f in full["title"]["files"] if f.endswith(".html"))
    for name, _ in FRONT_MATTER_EDITS:
        assert dirty[name]["files"].keys() == full[name]["files"].keys(), name
        differing = [f for f in full[name]["files"] if dirty[name]["files"][f] != full[name]["files"][f]]
        assert differing == [], (name, differing)
        redone = dirty[name]["redone"]
        if name in ("broken", "fixed"):  # the error list replaces every page, and the next build is full
            assert redone is None and ("cannot show the site" in dirty[name]["files"]["index.html"].decode()) == (
                name == "broken"
            )
        else:
            assert redone is not None and 0 < len(redone) < pages / 2, (name, redone and len(redone), pages)
            compared, entries = dirty[name]["compared"], dirty[name]["entries"]  # only the entry pages it can reach
            print(name, "compared", compared, "of", entries, "entry pages")
            assert compared is not None and compared < entries, (name, compared, entries)
    assert "Heronword" in full["title"]["files"]["case-studies/index.html"].decode()
    assert "Kiteword" in full["network-title"]["files"]["networks/index.html"].decode()


def test_after_the_first_serve_build_memory_is_settled_once_and_released_at_the_end(two, tmp_path):
    """kb serve freezes what the first build leaves alive, so later garbage collections skip it (and unfreezes on exit)."""
    import gc

    session = ServeSession(two.root / "mkdocs.yml", tmp_path / "site", dirty=True)
    try:
        session.rebuild()
        timer = session.plugin.rebuilds.settling
        assert timer is not None
        timer.join(10)
        assert gc.get_freeze_count() > 0
        session.rebuild()
        assert session.plugin.rebuilds.settling is timer  # once per session, not per rebuild
    finally:
        session.close()
    assert gc.get_freeze_count() == 0
