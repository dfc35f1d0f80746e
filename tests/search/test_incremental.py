"""The search index of `kb serve` (search/incremental.py): updated for the entries a save changed, and then the
index a fresh build makes; rebuilt whole when what every document borrows changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import kb.search.incremental as incremental
from kb.search.incremental import entry_fingerprints, index_changes, index_context_fingerprint, refresh_index
from kb.search.index import MANIFEST, build_index, open_index
from kb.search.query import SearchEngine
from tests.conftest import MINI_CASE, MINI_NETWORK, MINI_TAGS

CASE = "content/case-studies/coaching-year-7.md"
OTHER = MINI_CASE.replace("Coaching in Year 7", "Mentoring in Year 9").replace("2026-03-12", "2026-02-01")
QUERIES = ["", "coaching", "coached", "mentoring", "ostrichword", "kiwiword", "coachng", '"year 9"', "coaching -mentoring"]


@pytest.fixture
def two(project):
    project.write("content/case-studies/mentoring-year-9.md", OTHER)
    return project


def stored(index_dir: Path) -> list[dict]:
    ix, info, spelling = open_index(index_dir)
    with ix.searcher() as s:
        docs = sorted((dict(d) for d in s.all_stored_fields()), key=lambda d: d["ref"])
    ix.close()
    return docs + [{"manifest": info, "spelling": spelling.counts}]


def answers(index_dir: Path, scores: bool = False) -> list[dict]:
    """Every answer to QUERIES, with and without filters; the scores left out unless asked for."""
    engine = SearchEngine(index_dir)
    found = [engine.search(q, **filters) for q in QUERIES for filters in ({}, {"network": "equity"}, {"type": "network"})]
    if not scores:
        for answer in found:
            for hit in answer["results"]:
                hit.pop("score")
    return found


# --- fingerprints and what changed ---------------------------------------------------------------------------------


def test_entry_fingerprints_change_only_for_the_edited_entry(two):
    before = entry_fingerprints(two.catalogue())
    assert set(before) == set(two.catalogue().entries) and len(set(before.values())) == len(before)
    assert entry_fingerprints(two.catalogue()) == before
    two.write(CASE, MINI_CASE + "\nA new paragraph.\n")  # the body alone
    after = entry_fingerprints(two.catalogue())
    assert {ref for ref in after if after[ref] != before[ref]} == {"case-studies/coaching-year-7"}
    two.write(CASE, MINI_CASE.replace("tags: [coaching]", "tags: [attendance]") + "\nA new paragraph.\n")  # front matter
    assert {ref for ref, fp in entry_fingerprints(two.catalogue()).items() if fp != after[ref]} == {
        "case-studies/coaching-year-7"
    }


def test_context_fingerprint_follows_what_every_document_borrows(two):
    base = index_context_fingerprint(two.catalogue())
    two.write(CASE, MINI_CASE.replace("Coaching in Year 7", "Coaching in Year 8") + "\nMore.\n")
    assert index_context_fingerprint(two.catalogue()) == base  # one entry's own text: not the context
    assert index_context_fingerprint(two.catalogue(members=True)) != base  # the audience
    two.write("content/tags.yml", MINI_TAGS.replace("label: Coaching", "label: Peer coaching"))
    tags = index_context_fingerprint(two.catalogue())
    assert tags != base
    two.write("content/networks/send.md", MINI_NETWORK.format(title="Inclusion"))
    assert index_context_fingerprint(two.catalogue()) not in {base, tags}  # a network's title


def test_index_changes_lists_new_edited_and_removed_refs():
    previous = {"a": "1", "b": "2", "c": "3"}
    assert index_changes(previous, previous) == (set(), set())
    assert index_changes(previous, {"a": "1", "b": "9", "d": "4"}) == ({"b", "d"}, {"c"})
    assert index_changes({}, {"a": "1"}) == ({"a"}, set())
    assert index_changes(previous, {}) == (set(), {"a", "b", "c"})


# --- refresh_index ---------------------------------------------------------------------------------------------------


def test_first_refresh_is_full_then_unchanged(two, tmp_path):
    target = tmp_path / "serve.search"
    state, how = refresh_index(two.catalogue(), target, None)
    assert how == "full" and state.target == target and set(state.entries) == set(two.catalogue().entries)
    assert set(state.words) == set(state.entries) and state.spelling["coached"] == 2
    again, how = refresh_index(two.catalogue(), target, state)
    assert how == "unchanged" and again.words == state.words and again.spelling == state.spelling


def test_one_edit_updates_one_document_and_answers_as_a_fresh_build(two, tmp_path):
    target = tmp_path / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    two.write(CASE, MINI_CASE + "\nOstrichword paragraph.\n")
    state, how = refresh_index(two.catalogue(), target, state)
    assert how == "1 updated"
    fresh = build_index(two.catalogue(), tmp_path / "fresh")
    assert stored(target) == stored(fresh)
    assert answers(target) == answers(fresh)
    assert SearchEngine(target).search("ostrichword")["total"] == 1
    assert state.spelling["ostrichword"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no building folder left


@pytest.mark.xfail(
    strict=True,
    reason="bug in search/incremental.py: the copy keeps the replaced document (deleted, not merged away), so BM25's "
    "document frequencies and average field lengths, and so the scores, differ from a fresh build's",
)
def test_scores_after_an_update_equal_a_fresh_builds(two, tmp_path):
    target = tmp_path / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    two.write(CASE, MINI_CASE + "\nOstrichword paragraph.\n")
    refresh_index(two.catalogue(), target, state)
    assert answers(target, scores=True) == answers(build_index(two.catalogue(), tmp_path / "fresh"), scores=True)


def test_several_edits_at_once_are_counted(two, tmp_path):
    target = tmp_path / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    two.write(CASE, MINI_CASE + "\nOne.\n")
    (two.root / "content/case-studies/mentoring-year-9.md").unlink()
    two.write(
        "content/case-studies/new-one.md",
        MINI_CASE.replace("Coaching in Year 7", "Kiwiword study").replace("2026-03-12", "2026-04-01"),  # no tie on date
    )
    state, how = refresh_index(two.catalogue(), target, state)
    assert how == "3 updated"
    assert answers(target) == answers(build_index(two.catalogue(), tmp_path / "fresh"))
    assert "case-studies/mentoring-year-9" not in state.words


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.write("content/tags.yml", MINI_TAGS.replace("label: Coaching", "label: Emuword coaching")),
        lambda p: p.write("content/networks/equity.md", MINI_NETWORK.format(title="Fairness")),
    ],
    ids=["tag-label", "network-title"],
)
def test_a_change_every_document_borrows_rebuilds_whole(two, tmp_path, change):
    target = tmp_path / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    change(two)
    state, how = refresh_index(two.catalogue(), target, state)
    assert how == "full"
    assert stored(target) == stored(build_index(two.catalogue(), tmp_path / "fresh"))


def test_a_missing_or_moved_index_is_rebuilt_whole(two, tmp_path):
    target = tmp_path / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    assert refresh_index(two.catalogue(), tmp_path / "elsewhere.search", state)[1] == "full"
    (target / MANIFEST).unlink()
    state, how = refresh_index(two.catalogue(), target, state)
    assert how == "full" and (target / MANIFEST).exists()


def test_a_failed_update_keeps_the_old_index(two, tmp_path, monkeypatch):
    target = tmp_path / "out" / "serve.search"
    state, _ = refresh_index(two.catalogue(), target, None)
    before = stored(target)
    real = incremental.document
    monkeypatch.setattr(incremental, "document", lambda e, c: {**real(e, c), "nosuchfield": "x"})  # Whoosh refuses it
    two.write(CASE, MINI_CASE + "\nOstrichword paragraph.\n")
    with pytest.raises(Exception, match="nosuchfield"):
        refresh_index(two.catalogue(), target, state)
    assert stored(target) == before
    assert [p.name for p in target.parent.iterdir()] == ["serve.search"]


def test_search_index_updated_in_place_matches_a_fresh_one(two, tmp_path):
    target = tmp_path / "serve.search"
    state, how = refresh_index(two.catalogue(), target, None)
    assert how == "full"
    engine = SearchEngine(target)  # the running search API, opened before the edits
    steps = [
        (lambda: two.write(CASE, MINI_CASE + "\nOstrichword paragraph.\n"), "1 updated"),
        (lambda: None, "unchanged"),
        (
            lambda: two.write("content/case-studies/new-one.md", MINI_CASE.replace("Coaching in Year 7", "Kiwiword study")),
            "1 updated",
        ),
        (lambda: (two.root / "content/case-studies/mentoring-year-9.md").unlink(), "1 updated"),
        (lambda: two.write("content/tags.yml", MINI_TAGS.replace("label: Coaching", "label: Emuword coaching")), "full"),
    ]
    for i, (edit, expected) in enumerate(steps):
        edit()
        cat = two.catalogue()
        state, how = refresh_index(cat, target, state)
        assert how == expected, i
        build_index(cat, tmp_path / f"fresh{i}")
        assert stored(target) == stored(tmp_path / f"fresh{i}"), i
    refs = {hit["url"] for hit in engine.search("ostrichword")["results"]}
    assert any("coaching-year-7" in url for url in refs)  # the open engine picked up the swapped-in index
    assert engine.search("kiwiword")["total"] == 1
    assert not any("mentoring-year-9" in hit["url"] for hit in engine.search("mentoring")["results"])  # deleted
