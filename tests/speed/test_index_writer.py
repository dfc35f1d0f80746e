"""`kb build`'s search index written in another process (speed/index_writer.py): a fork, or a fresh interpreter
where forking is unsafe; the same index as writing it directly, swapped in only when finished."""

from __future__ import annotations

import pytest

import kb.speed.index_writer as index_writer
from kb.search.index import build_index, open_index
from kb.speed.index_writer import BackgroundIndex


@pytest.mark.parametrize("fork", [True, False], ids=["forked writer", "fresh interpreter"])
def test_background_writer_makes_the_same_index(project, tmp_path, fork):
    out = tmp_path / "out"
    catalogue = project.catalogue()
    build_index(catalogue, out / "direct")
    assert BackgroundIndex(catalogue, out / "background", fork=fork).finish() == out / "background"
    assert stored_and_words(out / "background") == stored_and_words(out / "direct")
    assert sorted(p.name for p in out.iterdir()) == ["background", "direct"]  # nothing half-made left


@pytest.mark.parametrize("fork", [True, False], ids=["forked writer", "fresh interpreter"])
def test_background_writer_failure_says_why_and_leaves_the_old_index(project, tmp_path, monkeypatch, fork):
    out = tmp_path / "out"
    import kb.search.index as module

    target = out / "site.search"
    build_index(project.catalogue(), target)
    before = stored_and_words(target)
    real = module.document
    monkeypatch.setattr(module, "document", lambda e, c: {**real(e, c), "nosuchfield": "x"})  # Whoosh refuses it
    writer = BackgroundIndex(project.catalogue(), target, fork=fork)
    with pytest.raises(RuntimeError, match=r"the search index could not be written \(.*nosuchfield"):
        writer.finish()
    assert stored_and_words(target) == before
    assert [p.name for p in out.iterdir()] == ["site.search"]


@pytest.mark.parametrize("fork", [True, False], ids=["forked writer", "fresh interpreter"])
def test_cancelled_background_writer_leaves_nothing(project, tmp_path, fork):
    out = tmp_path / "out"
    out.mkdir()
    BackgroundIndex(project.catalogue(), out / "site.search", fork=fork).cancel()
    assert list(out.iterdir()) == []


def stored_and_words(index_dir) -> tuple[list, dict, dict]:
    ix, info, spelling = open_index(index_dir)
    with ix.searcher() as s:
        docs = sorted((dict(d) for d in s.all_stored_fields()), key=lambda d: d["ref"])
    ix.close()
    return docs, info, spelling.counts


@pytest.mark.parametrize("forkable", [True, False], ids=["fork", "no fork"])
def test_the_writer_forks_only_where_forking_is_safe(project, tmp_path, monkeypatch, forkable):
    monkeypatch.setattr(index_writer, "can_fork", lambda: forkable)
    out = tmp_path / "out"
    build_index(project.catalogue(), out / "direct")
    writer = BackgroundIndex(project.catalogue(), out / "background")
    assert (writer.pid is not None) == forkable and (writer.process is not None) == (not forkable)
    assert writer.finish() == out / "background"
    assert stored_and_words(out / "background") == stored_and_words(out / "direct")
    assert sorted(p.name for p in out.iterdir()) == ["background", "direct"]  # the handover file is gone too


def test_a_finished_writer_replaces_the_old_index_whole(project, tmp_path):
    target = tmp_path / "out" / "site.search"
    build_index(project.catalogue(), target)
    project.write(
        "content/case-studies/new-one.md",
        project.root.joinpath("content/case-studies/coaching-year-7.md")
        .read_text()
        .replace("Coaching in Year 7", "Pelicanword study"),
    )
    writer = BackgroundIndex(project.catalogue(), target, fork=True)
    assert "pelicanword" not in str(stored_and_words(target)[0]).lower()  # readers see the old index until finish()
    writer.finish()
    docs, info, _ = stored_and_words(target)
    assert info["entries"] == 4 and any(d["title"] == "Pelicanword study" for d in docs)
