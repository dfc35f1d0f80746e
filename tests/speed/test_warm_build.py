"""kb build with the build cache (speed/warm_build.py): after every kind of edit, a warm build is byte for byte
the cold build, renders only what the edit reached, and a damaged cache is ignored, never trusted."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import pytest

from kb.building.runner import build_site
from kb.content import file_cache
from kb.output import folders
from kb.site import related
from kb.site.related import key_terms
from kb.speed import build_cache, reach, warm_build
from kb_tools.corpus import generate_project
from tests.speed.test_rebuilds import stored


def site_files(site: Path) -> dict[str, bytes]:
    """Every file with its bytes, and every folder (ending in /): a warm build leaves no folder a cold one has not."""
    return {
        p.relative_to(site).as_posix() + ("/" if p.is_dir() else ""): b"" if p.is_dir() else p.read_bytes()
        for p in sorted(site.rglob("*"))
    }


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, replacement, text, count=1, flags=re.M)
    assert new != text, (path, pattern)
    path.write_text(new, encoding="utf-8")


def first(root: Path, folder: str, must: str = "status: published") -> Path:
    return next(p for p in sorted((root / "content" / folder).rglob("*.md")) if must in p.read_text(encoding="utf-8"))


def unlinked(root: Path, folder: str) -> Path:
    """A published public entry that no other file mentions, so hiding or deleting it breaks no link."""
    texts = {p: p.read_text(encoding="utf-8") for p in (root / "content").rglob("*.md")}
    for path in sorted((root / "content" / folder).rglob("*.md")):
        name = re.sub(r"^\d{4}-\d{2}-", "", path.stem)
        text = texts[path]
        if (
            "status: published" in text
            and "visibility: members" not in text
            and not any(name in t for p, t in texts.items() if p != path)
        ):
            return path
    raise LookupError(folder)


class Warm:
    """One project built again and again with its cache, each time beside a cold build of the same content."""

    def __init__(self, root: Path, work: Path) -> None:
        self.root, self.work, self.n = root, work, 0
        self.cache_dir = work / "cache"

    def build(self, **settings):
        """(warm site files, cold site files, the warm build's record of what it rendered). The warm site is built in
        one folder, as `kb build` does, so from the third build on it is built in the site before last."""
        self.n += 1
        warm, cold = self.work / "warm", self.work / f"cold{self.n}"
        seen = {"kept": None}
        real_finish, real_clear = warm_build.WarmBuild.finish_build, warm_build.WarmBuild.clear_recycled

        def finish(self_, building, catalogue):  # the warm build's decisions, read when it saves them
            seen["redone"], seen["reused"], seen["files_kept"] = self_.redone, len(self_.reuse), set(self_.files_kept)
            return real_finish(self_, building, catalogue)

        def clear(self_, folder):  # how many files of the site before last it kept
            before = {p for p in folder.rglob("*") if p.is_file()}
            real_clear(self_, folder)
            seen["kept"] = len(before & {p for p in folder.rglob("*") if p.is_file()})

        def counted(cat):  # the key terms of every entry: made only when the shape changed
            seen["key_terms"] += 1
            return key_terms(cat)

        seen["key_terms"] = 0
        file_cache.clear()  # as in a new process: what the build knows comes from the cache
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(warm_build.WarmBuild, "finish_build", finish)
            mp.setattr(warm_build.WarmBuild, "clear_recycled", clear)
            mp.setattr(related, "key_terms", counted)
            mp.setattr(reach, "key_terms", counted)
            build_site(self.root / "mkdocs.yml", warm, cache_dir=str(self.cache_dir), **settings)
        files, cold = self.cold(cold, settings)
        return site_files(warm), files, seen, (warm.with_name(warm.name + ".search"), cold.with_name(cold.name + ".search"))

    def cold(self, site: Path, settings: dict) -> tuple[dict[str, bytes], Path]:
        """A cold build of the project as it is now, once per content, settings and today: the tests build the same
        content again and again (a damaged cache, then a repaired one), and a cold build is made from these alone."""
        key = (
            tuple((p.relative_to(self.root).as_posix(), p.read_bytes()) for p in sorted(self.root.rglob("*")) if p.is_file()),
            repr(sorted(settings.items())),
            os.environ.get("KB_TODAY"),
        )
        if key not in COLD:
            file_cache.clear()
            build_site(self.root / "mkdocs.yml", site, cache=False, **settings)
            COLD[key] = (site_files(site), site)
        return COLD[key]


COLD: dict[tuple, tuple[dict[str, bytes], Path]] = {}  # Warm.cold's builds, for the module's tests


def assert_same(warm: dict, cold: dict, what: str) -> None:
    assert warm.keys() == cold.keys(), (what, sorted(warm.keys() ^ cold.keys())[:10])
    differing = [name for name in cold if warm[name] != cold[name]]
    assert differing == [], (what, differing[:10])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("warm") / "corpus"
    generate_project(root, 60, seed=3)
    return root


EDITS = [
    ("body", lambda r: edit(first(r, "case-studies"), r"\Z", "\nA closing paragraph, Pelicanword.\n")),
    ("title", lambda r: edit(first(r, "case-studies"), r"^title: .*$", "title: Heronword study of reading")),
    ("tags", lambda r: edit(first(r, "case-studies"), r"^tags: \[[^\]]*\]", "tags: [oracy, sustainability]")),
    ("date", lambda r: edit(first(r, "case-studies"), r"^date: .*$", "date: 2026-11-20")),
    ("visibility", lambda r: edit(unlinked(r, "case-studies"), r"^status: published$", "status: published\nvisibility: members")),
    ("draft", lambda r: edit(unlinked(r, "research"), r"^status: published$", "status: draft")),
    ("deleted", lambda r: unlinked(r, "case-studies").unlink()),
    ("new", lambda r: shutil.copy(first(r, "case-studies"), r / "content/case-studies/a-new-kiwiword-study.md")),
    ("action", lambda r: edit(first(r, "minutes", "status: open"), r"status: open", "status: done")),
    ("network-title", lambda r: edit(r / "content/networks/careers.md", r"^title: .*$", "title: Careers Kiteword network")),
    (
        "new-tag",
        lambda r: (r / "content/tags.yml").write_text((r / "content/tags.yml").read_text() + "ibisword: {label: Ibisword}\n"),
    ),
    ("hand-written", lambda r: (r / "content/about/index.md").write_text("# About Ternword\n\nWho we are.\n")),
]


def test_warm_builds_equal_cold_builds_after_every_kind_of_edit(corpus, tmp_path):
    run = Warm(corpus, tmp_path)
    warm, cold, seen, _ = run.build()
    assert_same(warm, cold, "first")
    assert seen["redone"] is None  # no cache yet: every page rendered
    warm, cold, seen, (warm_index, cold_index) = run.build()
    assert_same(warm, cold, "again")
    assert seen["redone"] == set() and seen["reused"] > 100  # nothing changed: every page from the cache
    assert seen["key_terms"] == 0
    assert seen["kept"] is None  # no site before last yet: built in a new folder
    assert stored(warm_index) == stored(cold_index)
    pages = sum(1 for name in cold if name.endswith(".html"))
    for name, change in EDITS:
        change(corpus)
        warm, cold, seen, (warm_index, cold_index) = run.build()
        assert_same(warm, cold, name)
        assert stored(warm_index) == stored(cold_index), name
        redone = seen["redone"]
        calendars = {"calendar/all.ics", "actions/actions.csv"} <= seen["files_kept"]
        assert calendars == (name not in ("action", "network-title", "new-tag")), (
            name
        )  # what they read: minutes, networks, settings
        if name == "body":
            assert len(redone) == 1, redone
            assert seen["key_terms"] == 0  # related lists as the last build made them: the shape is the same
        elif name in ("new-tag", "hand-written"):  # settings every page shows: all of them again
            assert redone is None, (name, redone and len(redone))
        else:
            assert redone is not None and 0 < len(redone) < pages / 2, (name, redone and len(redone), pages)
        if redone is not None:  # built in the site before last, keeping most of its pages
            assert seen["kept"] > seen["reused"] / 2, (name, seen)
    assert b"Pelicanword" in b"".join(warm.values()) and b"Heronword" in b"".join(warm.values())


def test_what_else_the_site_before_last_holds_is_not_kept(corpus, tmp_path):
    """A page of the spare that is not the cache's file (rewritten by hand), a stray file and folder: all go."""
    run = Warm(corpus, tmp_path)
    run.build()
    run.build()
    spare = tmp_path / ".warm.spare"
    page = next(p for p in sorted((spare / "case-studies").rglob("index.html")))
    text = page.read_bytes()
    page.unlink()
    page.write_bytes(text.replace(b"</h1>", b" Magpieword</h1>", 1))
    (spare / "stray.html").write_text("Magpieword")
    (spare / "stray/deeper").mkdir(parents=True)
    edit(first(corpus, "case-studies"), r"\Z", "\nA closing paragraph, Wrenword.\n")
    warm, cold, seen, _ = run.build()
    assert_same(warm, cold, "spare")
    assert seen["kept"] > 100
    assert b"Magpieword" not in b"".join(warm.values()) and b"Wrenword" in b"".join(warm.values())


def test_a_cold_build_removes_the_spare_it_does_not_use_while_it_runs(corpus, tmp_path, monkeypatch):
    """The cache gone, the site before last is no use: it is removed in the background as the build starts, and at
    the end the last site becomes the spare, with nothing left beside them."""
    run = Warm(corpus, tmp_path)
    run.build()
    run.build()  # now there is a spare: the first build's site
    shutil.rmtree(run.cache_dir)
    started = []
    real_start = folders.BackgroundRemoval.start
    monkeypatch.setattr(folders.BackgroundRemoval, "start", lambda *a: started.append(a) or real_start(*a))
    last = {p.name: p.stat().st_ino for p in (tmp_path / "warm").iterdir()}
    warm, cold, _, _ = run.build()
    assert_same(warm, cold, "cold again")
    assert [a[0].name for a in started] == [".warm.spare"]
    assert {p.name: p.stat().st_ino for p in (tmp_path / ".warm.spare").iterdir()} == last  # the last site, kept whole
    assert not [p.name for p in tmp_path.iterdir() if ".removing-" in p.name]


def test_a_change_of_code_or_dependencies_makes_a_cold_build(corpus, tmp_path, monkeypatch):
    run = Warm(corpus, tmp_path)
    run.build()
    build_cache.code_key.cache_clear()
    monkeypatch.setattr(build_cache, "installed_distributions", lambda: ["mkdocs_material-9.9.99.dist-info"])
    try:
        warm, cold, seen, _ = run.build()
    finally:
        build_cache.code_key.cache_clear()
    assert_same(warm, cold, "dependency")
    assert seen["redone"] is None  # nothing reused: another version could render differently


def test_a_template_change_makes_every_page_again(corpus, tmp_path):
    run = Warm(corpus, tmp_path)
    (corpus / "overrides").mkdir(exist_ok=True)
    yml = corpus / "mkdocs.yml"
    original = yml.read_text()
    yml.write_text(original.replace("theme:\n  name: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"))
    try:
        run.build()
        (corpus / "overrides/main.html").write_text(
            '{% extends "base.html" %}\n{% block announce %}Osprey announcement{% endblock %}\n'
        )
        warm, cold, seen, _ = run.build()
        assert_same(warm, cold, "template")
        assert seen["redone"] is None and b"Osprey announcement" in warm["index.html"]
    finally:
        yml.write_text(original)
        shutil.rmtree(corpus / "overrides")


# --- damaged, partial and foreign caches -------------------------------------------------------------------------------


def damage_page(cache: Path) -> None:
    page = next(p for p in sorted((cache / "public/site/case-studies").rglob("index.html")))
    page.write_bytes(page.read_bytes().replace(b"</h1>", b" Vultureword</h1>", 1))


def truncate_entries(cache: Path) -> None:
    part = next((cache / "public").glob("entries-*.pickle"))
    part.write_bytes(part.read_bytes()[:1000])


def remove_a_page(cache: Path) -> None:
    next(p for p in sorted((cache / "public/site/research").rglob("index.html"))).unlink()


def other_format(cache: Path) -> None:
    manifest = cache / "public/manifest.json"
    manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 99'))


def junk_manifest(cache: Path) -> None:
    (cache / "public/manifest.json").write_text("{not json")


DAMAGE = [
    (damage_page, "was changed or damaged"),
    (truncate_entries, "does not match its checksum"),
    (remove_a_page, "incomplete"),
    (other_format, "another format"),
    (junk_manifest, "cannot be read"),
]


@pytest.mark.parametrize("damage, said", DAMAGE, ids=[d.__name__ for d, _ in DAMAGE])
def test_a_damaged_cache_is_ignored_with_one_line_and_the_build_is_right(corpus, tmp_path, caplog, damage, said):
    run = Warm(corpus, tmp_path)
    run.build()
    damage(run.cache_dir)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.kb"):
        warm, cold, _, _ = run.build()
    lines = [r.getMessage() for r in caplog.records if "build cache is ignored" in r.getMessage()]
    assert len(lines) == 1 and said in lines[0], lines
    assert_same(warm, cold, damage.__name__)
    assert b"Vultureword" not in b"".join(warm.values())
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.kb"):
        again, cold, seen, _ = run.build()  # the cache was rewritten whole: trusted again, and right
    assert not [r for r in caplog.records if "build cache is ignored" in r.getMessage()]
    assert_same(again, cold, "after " + damage.__name__)
    assert seen["redone"] == set()


def test_a_new_today_or_new_term_dates_make_every_page_again(corpus, tmp_path, monkeypatch):
    """What every page may show that belongs to no entry (overdue actions, this term's digest) is part of the key."""
    run = Warm(corpus, tmp_path)
    run.build()
    monkeypatch.setenv("KB_TODAY", "2026-12-21")  # after the autumn term: digests and overdue actions change
    warm, cold, seen, _ = run.build()
    assert_same(warm, cold, "today")
    assert seen["redone"] is None
    terms = corpus / "content/terms.yml"
    original = terms.read_text()
    moved = original.replace("autumn: {start: 2026-09-01, end: 2026-12-18}", "autumn: {start: 2026-09-02, end: 2026-12-22}")
    assert moved != original
    try:
        terms.write_text(moved)
        warm, cold, seen, _ = run.build()
        assert_same(warm, cold, "terms")
        assert seen["redone"] is None
    finally:
        terms.write_text(original)


def test_compiled_templates_are_kept_and_damaged_ones_compiled_again(corpus, tmp_path):
    run = Warm(corpus, tmp_path)
    run.build()
    (kept,) = (run.cache_dir / "public").glob(f"{warm_build.TEMPLATES}*")
    compiled = sorted(kept.iterdir())
    assert len(compiled) > 20  # Material's templates and ours
    for i, path in enumerate(compiled):  # cut short, emptied, or another template's bytes
        path.write_bytes(path.read_bytes()[:40] if i % 3 == 0 else b"" if i % 3 == 1 else compiled[0].read_bytes())
    warm, cold, _, _ = run.build()
    assert_same(warm, cold, "damaged templates")


def test_compiled_templates_of_other_code_are_removed(tmp_path):
    old = warm_build.compiled_templates(tmp_path, "a" * 64)
    (old.folder / "x.cache").write_bytes(b"old")
    new = warm_build.compiled_templates(tmp_path, "b" * 64)
    assert [p.name for p in tmp_path.iterdir()] == [new.folder.name]
