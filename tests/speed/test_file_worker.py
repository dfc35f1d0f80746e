"""Entry files checked on a second core (speed/file_worker.py): the same results as one process, whatever the child does."""

from __future__ import annotations

import os

import pytest

from kb.content import file_cache
from kb.content.files import scan
from kb.project import load_project
from kb.speed import file_worker
from kb.speed.file_worker import split_map
from kb_tools.corpus import generate_project
from tests.content.test_file_cache import _state


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch):
    """Earlier tests of the suite may leave a thread running (a server's), which makes can_fork() say no: these
    tests are about the fork, and their work is safe to fork with threads about."""
    monkeypatch.setattr(file_worker, "can_fork", lambda: True)


def _where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_the_second_half_is_worked_out_in_another_process_with_the_same_results():
    made = split_map(_where, list(range(1000)), min_items=10)
    assert [value for value, _ in made] == [i * i for i in range(1000)]
    pids = [pid for _, pid in made]
    assert set(pids[:500]) == {os.getpid()} and os.getpid() not in pids[500:]


def test_a_short_list_is_worked_out_here():
    assert {pid for _, pid in split_map(_where, list(range(50)), min_items=100)} == {os.getpid()}


def test_where_forking_is_unsafe_everything_is_worked_out_here(monkeypatch):
    monkeypatch.setattr(file_worker, "can_fork", lambda: False)
    assert {pid for _, pid in split_map(_where, list(range(1000)), min_items=10)} == {os.getpid()}


def test_a_child_that_fails_leaves_its_half_to_this_process():
    parent = os.getpid()

    def fails_in_the_child(item: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return item + 1

    assert split_map(fails_in_the_child, list(range(600)), min_items=10) == list(range(1, 601))


def test_a_child_that_dies_leaves_its_half_to_this_process():
    parent = os.getpid()

    def dies_in_the_child(item: int) -> int:
        if os.getpid() != parent:
            os._exit(9)
        return -item

    assert split_map(dies_in_the_child, list(range(600)), min_items=10) == [-i for i in range(600)]


def test_a_project_loaded_on_two_cores_is_the_project_loaded_on_one(tmp_path):
    """The catalogue and every problem (in their order) the same; then only files the cache does not know are handed
    to the second core."""
    root = tmp_path / "corpus"
    generate_project(root, 80, seed=5)
    (root / "content/case-studies/broken-one.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    a_case_study = next(p for p in sorted((root / "content/case-studies").glob("*.md")) if p.name != "broken-one.md")
    dangling = a_case_study.read_text(encoding="utf-8") + "\nSee [[no-such-entry]].\n"
    (root / "content/case-studies/dangling.md").write_text(dangling, encoding="utf-8")
    file_cache.clear()
    one, one_problems = load_project(root, members=True)
    file_cache.clear()
    handed: list[list] = []

    def two_cores(work, items):
        handed.append(list(items))
        return split_map(work, items, min_items=2)

    two, two_problems = load_project(root, members=True, map_files=two_cores)
    assert _state(two) == _state(one)
    assert two_problems == one_problems and any(p.path.endswith("broken-one.md") for p in two_problems)
    assert any(p.path.endswith("dangling.md") and "no-such-entry" in p.message for p in two_problems)
    assert [rel for rel, _ in handed[0]] == [rel for rel, _ in scan(root).entries]  # a cold load: every entry file
    linked = [entry.path for entry, _ in handed[1]]  # then every entry read, to resolve its links
    assert linked == [rel for rel, _ in scan(root).entries if not rel.endswith("broken-one.md")]
    (root / "content/case-studies/another-one.md").write_text(
        (root / "content/case-studies/broken-one.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    load_project(root, members=True, map_files=two_cores)
    assert [rel for rel, _ in handed[2]] == ["content/case-studies/another-one.md"]
    relinked = [entry.path for entry, _ in handed[3]]  # only entries with a link that failed last time
    assert relinked == ["content/case-studies/dangling.md"]  # the one whose link failed
