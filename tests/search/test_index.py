"""The index: beside the site (never inside it), built only from the catalogue, swapped in whole."""

from __future__ import annotations

import pytest

from kb.search.index import build_index, document, index_dir_for, open_index, plain_text
from kb.search.query import SearchEngine
from tests.conftest import ROOT

SECRET_WORDS = ("zanzibarquill", "quokkamembers")


def lexicon(index_dir) -> set[str]:
    """Every word the index folder holds: the spelling list and the terms of every field."""
    ix, _, spelling = open_index(index_dir)
    with ix.searcher() as s:
        reader = s.reader()
        return set(spelling.words) | {t for f in ix.schema.names() for t in reader.field_terms(f)}


def test_each_build_has_its_index_beside_the_site(public_site, members_site):
    for site in (public_site, members_site):
        index_dir = index_dir_for(site)
        assert index_dir.parent == site.parent and index_dir.name == site.name + ".search"
        assert (index_dir / "kb-search.json").exists()
        assert not [p for p in site.rglob("*") if p.suffix in {".seg", ".toc"} or p.name == "kb-search.json"]


def test_public_index_holds_no_draft_or_members_text(public_site):
    index_dir = index_dir_for(public_site)
    words = lexicon(index_dir)
    assert not words & set(SECRET_WORDS)
    assert not {w for w in words if any(w.startswith(secret[:8]) for secret in SECRET_WORDS)}  # nor their stems
    engine = SearchEngine(index_dir)
    for word in ("Zanzibarquill", "Quokkamembers", "zanzibarquil", "quokkamember"):
        assert engine.search(word)["total"] == 0, word
    ix, info, _ = open_index(index_dir)
    with ix.searcher() as s:
        stored = repr(list(s.reader().all_stored_fields())).lower()
    assert "zanzibarquill" not in stored and "quokkamembers" not in stored
    assert info["members"] is False


def test_members_index_has_members_text_but_no_draft(members_site):
    """Proves the public test above could fail: the same words are found where they belong."""
    engine = SearchEngine(index_dir_for(members_site))
    assert engine.search("Quokkamembers")["total"] >= 1
    assert "quokkamembers" in lexicon(index_dir_for(members_site)) and "zanzibarquill" not in lexicon(index_dir_for(members_site))
    assert engine.search("Zanzibarquill")["total"] == 0


def test_document_carries_type_specific_text(public_site):

    from kb.project import load_project

    catalogue, _ = load_project(ROOT)
    minutes = next(e for e in catalogue.entries.values() if e.type == "minutes" and e.meta.get("actions"))
    doc = document(minutes, catalogue)
    assert minutes.meta["actions"][0]["action"] in doc["extra"]
    research = catalogue.of_type("research")[0]
    assert research.meta["reading"]["title"] in document(research, catalogue)["extra"]
    register = catalogue.of_type("register-entry")[0]
    assert register.meta["area"] in document(register, catalogue)["extra"]
    assert doc["tags"] == ",".join(minutes.tags) and doc["date"] == minutes.date.isoformat()


def test_plain_text_drops_markdown():
    assert plain_text("## Heading\n\n- **bold** [link](../x/) `code` <b>x</b>") == "Heading bold link code x"


def test_plain_text_is_what_the_five_expressions_made():
    """plain_text skips ahead to links and drops emphasis with str.translate: the text is the one the five
    substitutions it replaced made, one after the other, on links, images, attribute lists and their edge cases."""
    import re

    steps = [
        (re.compile(r"<[^>]+>"), " "),
        (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),
        (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),
        (re.compile(r"[*_`~|]+"), ""),
        (re.compile(r"\{[:#.][^}]*\}"), ""),
    ]
    texts = [
        "![a](b) ![c] [d](e) !x[f](g) {: .x} a*b*_c_ `d` ~e~ |f| {#id} {x}",
        "!![a](b) [a]![b](c) ![a](b [x]! (y) ![](z)",
        "{*: x} {_#y} {`.z} *{: .w}*",
        "# H {#h}\n> quote\n1. one ![i](p.png)\n- [ ] box\n\n| a | b |\n|---|---|\n| *c* | `d` |",
    ]
    for text in texts:
        made = text
        for pattern, replacement in steps:
            made = pattern.sub(replacement, made)
        assert plain_text(text) == " ".join(made.split()), text


def test_rebuild_swaps_whole_and_engine_sees_it(project, tmp_path):
    target = tmp_path / "out" / "site.search"
    build_index(project.catalogue(), target)
    engine = SearchEngine(target)
    assert engine.search("trios")["total"] == 0
    project.write(
        "content/case-studies/trios.md",
        """\
---
title: Coaching trios
summary: Three teachers.
date: 2026-05-01
networks: [equity]
status: published
approach: enquiring
---
Trios met weekly.
""",
    )
    build_index(project.catalogue(), target)
    assert engine.search("trios")["total"] == 1  # reopened on the next search
    assert not [p for p in target.parent.iterdir() if p.name != "site.search"]  # no temporary folders left


def test_failed_build_keeps_the_old_index(project, tmp_path, monkeypatch):
    target = tmp_path / "out" / "site.search"
    build_index(project.catalogue(), target)
    import kb.search.index as module

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "document", broken)
    with pytest.raises(RuntimeError):
        build_index(project.catalogue(), target)
    assert SearchEngine(target).search("coached")["total"] == 1
    assert [p.name for p in target.parent.iterdir()] == ["site.search"]


def test_missing_index_is_a_clear_message(tmp_path):
    from kb.search.index import IndexMissing

    with pytest.raises(IndexMissing, match="kb build"):
        open_index(tmp_path / "nothing")


def test_build_writes_the_index_beside_the_site_and_leaves_no_temporary_folders(project):
    from kb.building.runner import build_site

    build_site(project.root / "mkdocs.yml", project.root / "site")
    assert SearchEngine(project.root / "site.search").search("coached")["total"] == 1
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith(".")]
    assert leftovers == [".cache"]  # the build cache (.cache/kb/), kept on purpose; nothing half-made in it either
    cache = project.root / ".cache/kb/public"
    assert (cache / "manifest.json").exists() and [p for p in cache.rglob(".*") if p.is_file()] == []


def test_an_index_of_another_format_is_refused_in_plain_words(project, tmp_path):
    import json

    from kb.search.index import INDEX_VERSION, MANIFEST, IndexMissing

    target = build_index(project.catalogue(), tmp_path / "site.search")
    assert open_index(target)[1]["version"] == INDEX_VERSION
    info = json.loads((target / MANIFEST).read_text())
    (target / MANIFEST).write_text(json.dumps({**info, "version": 1}))  # as kb wrote it before spelling.txt
    with pytest.raises(
        IndexMissing, match=r"another version of kb \(format 1; this one reads format \d+\)\. Build the site again"
    ):
        open_index(target)
