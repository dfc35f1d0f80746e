"""The long posting lists written beside the index (search/side_postings.py): the same postings as Whoosh's,
the same answers, on a fresh index and on one updated in place; damaged or foreign lists are not used."""

from __future__ import annotations

import json
import shutil

import pytest

from kb.project import load_project
from kb.search.incremental import refresh_index
from kb.search.index import open_index
from kb.search.query import SearchEngine
from kb.search.side_postings import PREFIX, SideIndex, remove_stale
from kb_tools.corpus import generate_project
from tests.search.test_match import FILTERS, QUERIES


def whoosh_lists(reader, field: str, text: str) -> tuple[dict, dict]:
    """{entry: weight}, {entry: positions} as Whoosh's own matcher steps through them (deleted entries left out)."""
    m = reader.postings(field, text)
    fmt = reader.schema[field].format
    weights, values = {}, {}
    while m.is_active():
        weights[m.id()], value = m.weight(), m.value()
        values[m.id()] = fmt.decode_positions(value) if fmt.supports("positions") else []  # keywords keep none
        m.next()
    return weights, values


def answers(index_dir, fast: bool) -> list:
    engine = SearchEngine(index_dir, fast=fast)
    return [engine.search(q, size=20, **filters) for q in QUERIES for filters in FILTERS[:4]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("side") / "project"
    generate_project(root, 400)
    index_dir = root.parent / "index"
    state, how = refresh_index(load_project(root)[0], index_dir, None)
    assert how == "full"
    return root, index_dir, state


def test_every_long_list_is_written_and_is_whooshs_own(corpus):
    _, index_dir, _ = corpus
    ix, _, _ = open_index(index_dir)
    with ix.searcher() as s:
        reader = s.reader()
        side = SideIndex.open(index_dir, reader)
        assert side is not None and len(side.segments) == 1
        lists = side.lists_for(reader)
        assert lists is not None
        checked = 0
        for field, terms in lists.terms.items():
            for text in terms:
                weights, values = lists.postings(field, text, True)
                assert values is not None
                expected_weights, expected_values = whoosh_lists(reader, field, text)
                assert weights == expected_weights, (field, text)
                assert {d: list(p) for d, p in values.items()} == expected_values, (field, text)
                checked += 1
        long_lists = sum(1 for f, t in reader.all_terms() if reader.doc_frequency(f, t) >= 128)
        assert checked == long_lists > 50  # every list of 128 entries or more, and there are many
    ix.close()


def test_answers_are_the_same_as_reading_whoosh_alone(corpus):
    _, index_dir, _ = corpus
    assert SearchEngine(index_dir)._now().side is not None
    assert answers(index_dir, fast=True) == answers(index_dir, fast=False)


def test_an_index_updated_in_place_reads_the_old_segment_from_its_lists_without_deleted_entries(corpus, tmp_path):
    root, index_dir, state = corpus
    project = tmp_path / "project"
    shutil.copytree(root, project)
    updated = tmp_path / "index"
    shutil.copytree(index_dir, updated)
    state.target = updated
    entries = sorted((project / "content" / "case-studies").glob("*.md"))
    entries[0].write_text(entries[0].read_text(encoding="utf-8") + "\nData about pupils, added later.\n", encoding="utf-8")
    entries[1].unlink()
    _, how = refresh_index(load_project(project)[0], updated, state)
    assert how == "2 updated"
    engine = SearchEngine(updated)
    with engine.ix.searcher() as s:
        reader = s.reader()
        assert not reader.is_atomic() and reader.has_deletions()  # two segments, entries deleted from the first
        assert engine._now().side is not None and len(engine._now().side.segments) == 1
    assert answers(updated, fast=True) == answers(updated, fast=False)
    deleted_ref = "case-studies/" + entries[1].stem
    assert all(hit["ref"] != deleted_ref for answer in answers(updated, fast=True) for hit in answer["results"])


@pytest.mark.parametrize("damage", ["truncated", "foreign", "missing"])
def test_damaged_or_foreign_lists_are_not_used(corpus, tmp_path, damage):
    _, index_dir, _ = corpus
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    (directory,) = copy.glob(PREFIX + "*.json")
    if damage == "truncated":
        directory.write_text(directory.read_text(encoding="utf-8")[:100], encoding="utf-8")
    elif damage == "foreign":  # lists written for another index's segment, under this segment's name
        listed = json.loads(directory.read_text(encoding="utf-8"))
        listed["docs"] += 1
        directory.write_text(json.dumps(listed), encoding="utf-8")
    else:
        directory.with_suffix(".bin").unlink()
    engine = SearchEngine(copy)
    assert engine._now().side is None
    assert answers(copy, fast=True) == answers(index_dir, fast=False)


def test_lists_of_segments_merged_away_are_removed(tmp_path):
    for name in ("MAIN_keep.bin", "MAIN_keep.json", "MAIN_gone.bin", "MAIN_gone.json"):
        (tmp_path / (PREFIX + name)).write_text("x")
    (tmp_path / "MAIN_gone.seg").write_text("not ours")
    remove_stale(tmp_path, {"MAIN_keep"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [PREFIX + "MAIN_keep.bin", PREFIX + "MAIN_keep.json", "MAIN_gone.seg"]
    )
