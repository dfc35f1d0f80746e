"""Leak suite: entries that must never reach a public build (draft, review, members-only, of every
type, a network page and its minutes included), each carrying unique marker words in every field.

The strongest check is a comparison: the public build of the starter content plus these hidden
entries must equal, file for file, the public build of the starter content alone. That covers
every page, listing, count, tag page, backlink, related list, digest, feed, calendar, CSV,
sitemap and search file there is or will be."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, build

IGNORED_SUFFIXES = {".gz"}  # sitemap.xml.gz repeats sitemap.xml, compressed with a timestamp


def marker(kind: str, where: str) -> str:
    return f"Leak{kind}{where}Zq"


def hidden_entry(relpath: str, etype: str, kind: str, status: str, visibility: str = "public") -> tuple[str, str]:
    m = lambda where: marker(kind, where)  # noqa: E731
    common = {
        "title": f"Hidden {m('Title')}",
        "summary": f"Summary {m('Summary')}",
        "date": "2026-10-01",
        "networks": ["equity"],
        "tags": ["attendance"],
        "status": status,
        "visibility": visibility,
        "authors": [m("Author")],
        "organisations": [f"{m('Organisation')} School"],
    }
    extra = {
        "case-study": {"approach": "enquiring", "outcomes": m("Outcomes")},
        "register-entry": {"area": m("Area"), "offered_by": {"organisation": f"{m('Offerer')} College"}},
        "research": {"month": "2026-10", "reading": {"title": m("Reading"), "authors": [m("ReadingAuthor")], "year": 2020}},
        "learning-summary": {"period": {"from": "2026-09-01", "to": "2026-10-31"}, "sources": []},
        "minutes": {
            "meeting": {"start": "16:00", "end": "17:00", "format": "in-person", "location": m("Location"), "chair": m("Chair")},
            "agenda": [m("Agenda")],
            "attendees": [f"Head, {m('Attendee')} Academy"],
            "apologies": [m("Apology")],
            "decisions": [m("Decision")],
            "actions": [{"action": m("Action"), "owner": m("Owner"), "due": "2026-10-20", "status": "open"}],
            "papers": [{"title": m("Paper"), "file": f"papers/leak-{kind.lower()}.pdf"}],
            "updates": [{"action": "minutes/equity/2026-07-02#action-2", "status": "done", "note": m("Update")}],
            "approves": "minutes/equity/2026-07-02",
            "state": "postponed",
            "postponed_to": "2026-12-17",
        },
    }[etype]
    if etype == "minutes":
        common["date"] = Path(relpath).stem
        if "leak-network" in relpath:
            common["networks"] = ["leak-network"]
    meta = {**common, **extra}
    body = f"Body {m('Body')}. See [[case-studies/transition-coaching]].\n"
    return relpath, "---\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items()) + "\n---\n" + body


def hidden_network(kind: str, status: str, visibility: str = "public") -> tuple[str, str]:
    m = lambda where: marker(kind, where)  # noqa: E731
    text = (
        f"---\ntitle: Hidden network {m('Title')}\nsummary: {m('Summary')}\nmodel: loose\nstage: connecting\n"
        f"convener: {m('Convener')}\ncadence: termly\nfunctions: [peer-support]\nphases: [primary]\n"
        f"status: {status}\nvisibility: {visibility}\n---\nBody {m('Body')}\n"
    )
    return "content/networks/leak-network.md", text


VARIANTS = [("Draft", "draft", "public"), ("Review", "review", "public"), ("Members", "published", "members")]
TYPES = [
    ("content/case-studies/leak-{k}.md", "case-study"),
    ("register/leak-offer-{k}.md", "register-entry"),
    ("content/research/2026-10-leak-{k}.md", "research"),
    ("content/summaries/leak-summary-{k}.md", "learning-summary"),
    ("content/minutes/equity/2026-10-{d}.md", "minutes"),
]


def hidden_files(shown: bool = False) -> dict[str, str]:
    """Every hidden entry, and the paper each hidden meeting names (a file beside the minutes, with its marker);
    `shown`: the same files, published and public, with the same marker words."""
    draft, visible = ("published", "public") if shown else ("draft", "public"), ("published", "public")
    files = dict([hidden_network("Draft", *draft)])
    for kind, _, _ in [*VARIANTS, ("NetDraft", "", "")]:
        folder = "leak-network" if kind == "NetDraft" else "equity"
        files[f"content/minutes/{folder}/papers/leak-{kind.lower()}.pdf"] = f"%PDF-1.4 {marker(kind, 'PaperFile')}\n"
    files.update([hidden_entry("content/minutes/leak-network/2026-10-02.md", "minutes", "NetDraft", *draft)])
    for (kind, status, visibility), day in zip(VARIANTS, ("03", "04", "05")):
        for pattern, etype in TYPES:
            relpath = pattern.format(k=kind.lower(), d=day)
            files.update([hidden_entry(relpath, etype, kind, *(visible if shown else (status, visibility)))])
    return files


def copy_project(target: Path) -> Path:
    shutil.copytree(
        ROOT,
        target,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            ".cache",
            "site",
            "site-members",
            "test-artifacts",
            "bench-results",
            "__pycache__",
            "*.egg-info",
            ".kb-*",
        ),
    )
    return target


def output_files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.suffix not in IGNORED_SUFFIXES
    }


@pytest.fixture(scope="module")
def leak_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("leaks") / "project")
    for relpath, text in hidden_files().items():
        path = project / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project


def test_hidden_fixtures_are_valid_content(leak_project):
    from kb.project import load_project

    problems = [p for p in load_project(leak_project)[1] if p.severity == "error"]
    assert problems == []


@pytest.fixture(scope="module")
def leak_public_site(leak_project) -> Path:
    return build(leak_project, leak_project / "public-site")


def test_public_build_is_identical_with_or_without_hidden_entries(leak_public_site, public_site):
    with_hidden = output_files(leak_public_site)
    without = output_files(public_site)
    assert sorted(with_hidden) == sorted(without), "hidden entries added or removed files"
    changed = [name for name in without if with_hidden[name] != without[name]]
    assert changed == [], f"hidden entries changed these public files: {changed[:20]}"
    for name, data in with_hidden.items():
        assert b"Zq" not in data or b"Leak" not in data, f"a marker reached {name}"


def test_members_build_shows_members_markers_but_never_drafts(leak_project, tmp_path):
    site = build(leak_project, tmp_path / "members", members=True)
    everything = b"\n".join(output_files(site).values())
    assert marker("Members", "Title").encode() in everything
    assert marker("Members", "Action").encode() in everything
    assert marker("Members", "PaperFile").encode() in everything  # its paper is copied into the members' site
    assert marker("Members", "Update").encode() in everything  # and what it recorded about an earlier action is shown
    for kind in ("Draft", "Review", "NetDraft"):
        assert f"Leak{kind}".encode() not in everything, kind


def test_live_search_api_finds_no_hidden_marker(leak_public_site):
    import urllib.parse
    import urllib.request

    from tests.browser.conftest import serve_site_with_search

    url, stop = serve_site_with_search(leak_public_site)
    try:
        words = [
            marker(kind, where)
            for kind in ("Draft", "Review", "Members", "NetDraft")
            for where in ("Title", "Summary", "Body", "Author", "Organisation", "Action", "Attendee", "Outcomes", "Area")
        ]
        for word in words:
            with urllib.request.urlopen(url + "api/search?" + urllib.parse.urlencode({"q": word})) as response:
                answer = json.load(response)
            assert answer["total"] == 0, (word, answer)
        with urllib.request.urlopen(url + "api/search?" + urllib.parse.urlencode({"q": "transition"})) as response:
            assert json.load(response)["total"] > 0  # the service answers real queries: the zeros above mean something
    finally:
        stop()


def test_search_index_folder_holds_no_hidden_marker(leak_public_site, public_site):
    """The index beside the site (names, cards, labels, spelling words, Whoosh's segments): nothing hidden,
    and the manifest and spelling list are those of the starter content alone."""
    from kb.search.index import MANIFEST, index_dir_for

    with_hidden, without = index_dir_for(leak_public_site), index_dir_for(public_site)
    for path in with_hidden.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not (b"Leak" in data and b"Zq" in data), f"a marker reached {path.name}"
            assert b"leak-network" not in data and b"Hidden network" not in data, path.name
    assert (with_hidden / MANIFEST).read_bytes() == (without / MANIFEST).read_bytes()
    assert (with_hidden / "spelling.txt").read_bytes() == (without / "spelling.txt").read_bytes()


def test_entries_hidden_since_the_last_build_leave_every_output_of_a_warm_build(tmp_path, public_site):
    """The same hidden entries, first published and public (a build puts them everywhere and fills the build cache),
    then made draft, in review or members-only: the warm build that follows equals the public build without them."""
    from kb.search.index import open_index

    project = copy_project(tmp_path / "project")
    for relpath, text in hidden_files(shown=True).items():
        path = project / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    shown = build(project, tmp_path / "shown", cache_dir=str(cache))
    assert marker("Members", "Title").encode() in b"".join(output_files(shown).values())  # they were public: the cache holds them
    for relpath, text in hidden_files().items():
        (project / relpath).write_text(text, encoding="utf-8")
    warm = build(project, tmp_path / "warm", cache_dir=str(cache))
    with_hidden, without = output_files(warm), output_files(public_site)
    assert sorted(with_hidden) == sorted(without), "hidden entries added or removed files"
    changed = [name for name in without if with_hidden[name] != without[name]]
    assert changed == [], f"hidden entries changed these public files: {changed[:20]}"
    cached = cache / "public" / "site"
    reused = [
        p for p in warm.rglob("*.html") if (cached / p.relative_to(warm)).exists() and p.samefile(cached / p.relative_to(warm))
    ]
    assert len(reused) > 50  # a warm build: most pages came from the cache
    ix, _info, spelling = open_index(warm.with_name("warm.search"))
    with ix.searcher() as searcher:
        stored = repr(list(searcher.all_stored_fields()))
    ix.close()
    for kind in ("Draft", "Review", "Members", "NetDraft"):
        assert f"Leak{kind}" not in stored and not any(f"leak{kind.lower()}" in word for word in spelling.counts), kind
