"""Repeated load_project calls in one process (kb serve) reuse unchanged files' results, and equal a fresh load."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.content import file_cache as entry_cache
from kb.content import loader as catalogue_module
from kb.project import load_project
from tests.conftest import ROOT, build
from tests.factories import case


def _fresh(root: Path, **kw):
    """load_project with an empty cache, leaving the incremental cache as it was."""
    saved = dict(entry_cache._PROJECTS)
    entry_cache.clear()
    try:
        return load_project(root, **kw)
    finally:
        entry_cache._PROJECTS.clear()
        entry_cache._PROJECTS.update(saved)


def _state(cat) -> tuple:
    entries = [(e.ref, e.type, e.path, repr(e.meta), e.body, list(e.links), dict(e.lines)) for e in cat.entries.values()]
    return entries, cat.by_type, cat.by_network, cat.by_tag, cat.backlinks, cat.tags, [repr(t) for t in cat.terms]


def _assert_same_as_fresh(root: Path) -> tuple:
    for kw in ({}, {"members": True}, {"preview": True}):
        incremental, inc_problems = load_project(root, **kw)
        fresh, fresh_problems = _fresh(root, **kw)
        assert _state(incremental) == _state(fresh), kw
        assert inc_problems == fresh_problems, kw
    return incremental, inc_problems


@pytest.fixture(autouse=True)
def _empty_cache():
    entry_cache.clear()
    yield
    entry_cache.clear()


def _messages(problems) -> list[str]:
    return [f"{p.path}: {p.field}: {p.message}" for p in problems]


def test_incremental_loads_equal_fresh_loads_through_edits(project):
    root = project.root
    project.write("content/case-studies/target.md", case(title="Target study"))
    project.write(
        "content/case-studies/linker.md",
        case(title="Linker").replace(
            "We coached every new pupil.", "See [[target]] and [[coaching-year-7]].\n\nAlso [the target](target.md)."
        ),
    )
    _assert_same_as_fresh(root)

    # body edit
    project.write("content/case-studies/target.md", case(title="Target study").replace("We coached", "We mentored"))
    cat, _ = _assert_same_as_fresh(root)
    assert "We mentored" in cat.entries["case-studies/target"].body

    # title edit: the wiki-link label in another entry must follow
    project.write("content/case-studies/target.md", case(title="Renamed target"))
    cat, _ = _assert_same_as_fresh(root)
    assert "[Renamed target]" in cat.entries["case-studies/linker"].body

    # tags: a tag the vocabulary lacks, then the vocabulary gains it
    project.write("content/case-studies/target.md", case(title="Renamed target", tags="[brand-new]"))
    _, problems = _assert_same_as_fresh(root)
    assert any("brand-new" in m for m in _messages(problems))
    project.write("content/tags.yml", (root / "content/tags.yml").read_text() + "brand-new: {label: Brand new}\n")
    cat, problems = _assert_same_as_fresh(root)
    assert not any("brand-new" in m for m in _messages(problems))
    assert "case-studies/target" in cat.by_tag["brand-new"]

    # add an entry, then a network (the network vocabulary changes)
    project.write("content/case-studies/added.md", case(title="Added").replace("We coached", "See [[linker]]. We coached"))
    cat, _ = _assert_same_as_fresh(root)
    assert "case-studies/linker" in cat.backlinks and "case-studies/added" in cat.backlinks["case-studies/linker"]
    project.write("content/case-studies/in-new-network.md", case(title="New network", networks="[maths]"))
    _, problems = _assert_same_as_fresh(root)
    assert any("maths" in m for m in _messages(problems))
    project.write("content/networks/maths.md", (root / "content/networks/equity.md").read_text().replace("Equity", "Maths"))
    _, problems = _assert_same_as_fresh(root)
    assert not any("maths" in m for m in _messages(problems))

    # delete a link target: the linker's unchanged file now has link problems
    (root / "content/case-studies/target.md").unlink()
    cat, problems = _assert_same_as_fresh(root)
    assert "case-studies/target" not in cat.entries
    broken = [p for p in problems if p.path == "content/case-studies/linker.md" and p.field == "link"]
    assert len(broken) == 2, _messages(problems)  # the wiki link and the .md link

    # the target comes back as a draft: a published entry may not link to it
    project.write("content/case-studies/target.md", case(title="Target study", status="draft"))
    _, problems = _assert_same_as_fresh(root)
    assert any(p.path == "content/case-studies/linker.md" and "not published" in p.message for p in problems)

    # an unreadable file, then fixed
    project.write("content/case-studies/added.md", b"\xff\xfe not utf-8")
    _, problems = _assert_same_as_fresh(root)
    assert any(p.path == "content/case-studies/added.md" for p in problems)
    project.write("content/case-studies/added.md", case(title="Added again"))
    _assert_same_as_fresh(root)


def test_a_body_edit_rechecks_and_relinks_only_that_file(project, monkeypatch):
    for i in range(5):
        project.write(f"content/case-studies/study-{i}.md", case(title=f"Study {i}"))
    linking = {"study-0": "See [[study-3]].", "study-1": "See [[study-3|the third study]].", "study-2": "See [it](study-3.md)."}
    for name, text in linking.items():
        project.write(f"content/case-studies/{name}.md", case(title=name).replace("We coached", text + " We coached"))
    first, _ = load_project(project.root)
    validated, linked = [], []
    real_validate, real_link = catalogue_module.validate_entry, catalogue_module._link_entry
    monkeypatch.setattr(catalogue_module, "validate_entry", lambda raw, *a: validated.append(raw.path) or real_validate(raw, *a))
    monkeypatch.setattr(catalogue_module, "_link_entry", lambda entry, *a: linked.append(entry.path) or real_link(entry, *a))
    project.write("content/case-studies/study-3.md", case(title="Study 3").replace("We coached", "We also coached"))
    second, _ = load_project(project.root)
    assert validated == ["content/case-studies/study-3.md"] and linked == ["content/case-studies/study-3.md"]
    assert second.entries["case-studies/study-1"] is first.entries["case-studies/study-1"]
    assert second.entries["case-studies/study-3"] is not first.entries["case-studies/study-3"]

    # a title edit changes the labels of the links that borrow it: only the file that does is relinked (not revalidated)
    validated.clear(), linked.clear()
    project.write("content/case-studies/study-3.md", case(title="Study three"))
    third, _ = load_project(project.root)
    assert validated == ["content/case-studies/study-3.md"]
    assert sorted(linked) == ["content/case-studies/study-0.md", "content/case-studies/study-3.md"]
    assert "[Study three]" in third.entries["case-studies/study-0"].body
    assert third.entries["case-studies/study-1"] is first.entries["case-studies/study-1"]  # its own label: untouched

    # a new entry answers no earlier link differently: only it is linked
    validated.clear(), linked.clear()
    project.write("content/case-studies/study-9.md", case(title="Study 9"))
    load_project(project.root)
    assert validated == linked == ["content/case-studies/study-9.md"]

    # ... unless it does: a second 'study-3' makes the bare [[study-3]] ambiguous, and its file is relinked with the problem
    validated.clear(), linked.clear()
    project.write("register/study-3.md", "---\ntitle: A register entry\n---\nText.\n")
    _, problems = load_project(project.root)
    assert "content/case-studies/study-0.md" in linked and "content/case-studies/study-1.md" in linked
    assert "content/case-studies/study-2.md" not in linked  # a path link is not ambiguous
    assert any(p.path == "content/case-studies/study-0.md" and "more than one entry" in p.message for p in problems)
    _assert_same_as_fresh(project.root)


def test_unchanged_files_are_not_read_again_when_the_file_system_says_so(project, monkeypatch):
    """Files modified long enough ago are trusted by their size, times and inode; a recent one is hashed again."""
    import os

    for i in range(3):
        project.write(f"content/case-studies/study-{i}.md", case(title=f"Study {i}"))
    old = 1_600_000_000 * 10**9
    for path in (project.root / "content").rglob("*.md"):
        os.utime(path, ns=(old, old))
    load_project(project.root)
    read = []
    real_digest = entry_cache.file_digest
    monkeypatch.setattr(entry_cache, "file_digest", lambda path: read.append(path) or real_digest(path))
    load_project(project.root)
    assert read == []
    edited = project.write("content/case-studies/study-1.md", case(title="Study one"))  # just now: hashed, and hashed again
    cat, _ = load_project(project.root)
    assert read == [str(edited)] and cat.entries["case-studies/study-1"].title == "Study one"
    read.clear()
    load_project(project.root)
    assert read == [str(edited)]


def test_a_build_does_not_mutate_the_cached_entries(tmp_path):
    """Cached Entry objects are shared between serve rebuilds: rendering every page must leave them as read."""
    build(ROOT, tmp_path / "site")  # the plugin's load fills the cache with the entries the build then uses
    after_build, problems = load_project(ROOT)  # unchanged files: the very objects the build rendered from
    fresh, fresh_problems = _fresh(ROOT)
    assert _state(after_build) == _state(fresh)
    assert problems == fresh_problems


def test_the_vocabulary_is_compared_once_per_load_not_once_per_file(tmp_path):
    """A restored vocabulary is another object: equal, but comparing it per file cost a quarter of a warm check."""

    class Vocab:
        compared = 0

        def __eq__(self, other):
            Vocab.compared += 1
            return isinstance(other, Vocab)

        __hash__ = object.__hash__

    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    cache = entry_cache.ProjectCache()
    cache.begin()
    for name in ("a.md", "b.md", "c.md"):
        cache.checked(tmp_path, name, Vocab(), lambda: "first")
    cache.commit(Vocab())
    cache.begin()
    this_load = Vocab()
    results = [cache.checked(tmp_path, name, this_load, lambda: "again") for name in ("a.md", "b.md", "c.md")]
    assert Vocab.compared == 1 and cache.rechecked == 0 and results == ["first"] * 3


def test_the_convenor_checks_are_kept_until_a_minutes_file_or_today_changes(project, monkeypatch):
    """They read only the minutes: a case study's edit reuses them; a minutes edit or another day runs them again,
    and every load's problems equal a fresh load's."""
    import datetime as dt

    from kb.meetings import convenor
    from tests.meetings_fixture import write_meetings

    write_meetings(project)
    ran = []
    real = convenor.convenor_checks
    monkeypatch.setattr(convenor, "convenor_checks", lambda entries, today: ran.append(today) or real(entries, today))
    import kb.project

    monkeypatch.setattr(
        kb.project, "CHECKS", (catalogue_module.FilesCheck("convenor", frozenset({"minutes"}), convenor.convenor_checks),)
    )
    _, first = load_project(project.root)
    assert len(ran) == 1 and any("overdue" in p.message or "after it was due" in p.message for p in first)
    project.write("content/case-studies/old-case.md", case(title="An edited case"))
    _, second = load_project(project.root)
    assert len(ran) == 1  # reused
    assert [p for p in second if p.path.startswith("content/minutes/")] == [
        p for p in first if p.path.startswith("content/minutes/")
    ]
    sept = project.root / "content/minutes/equity/2026-09-10.md"
    sept.write_text(sept.read_text("utf-8").replace("status: open", "status: done", 1), encoding="utf-8")
    _, third = load_project(project.root)
    assert len(ran) == 2 and third != second
    load_project(project.root, today=dt.date(2027, 1, 5))
    assert len(ran) == 3 and ran[-1] == dt.date(2027, 1, 5)
    _assert_same_as_fresh(project.root)
