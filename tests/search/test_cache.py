"""`kb search`'s index cache (search/cache.py): one folder per content fingerprint, reused until the content changes."""

from __future__ import annotations

import tempfile

import pytest

import kb.search.cache as cache
from kb.search.cache import cached_index, fingerprint
from kb.search.index import INDEX_VERSION, open_index
from kb.search.query import SearchEngine
from tests.conftest import MINI_CASE, MINI_TAGS

CASE = "content/case-studies/coaching-year-7.md"


@pytest.fixture
def temp(tmp_path, monkeypatch):
    """The cache's temporary folder, inside the test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch):
    """Every index the cache builds, by folder."""
    made = []
    real = cache.build_index

    def counting(catalogue, target, **kwargs):
        made.append(target)
        return real(catalogue, target, **kwargs)

    monkeypatch.setattr(cache, "build_index", counting)
    return made


def test_fingerprint_is_the_same_for_the_same_content(project):
    assert fingerprint(project.catalogue()) == fingerprint(project.catalogue())
    assert len(fingerprint(project.catalogue())) == 16


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.write(CASE, MINI_CASE + "\nA new paragraph.\n"),  # body only
        lambda p: p.write(CASE, MINI_CASE.replace("How coaching settled Year 7.", "How coaching helped.")),  # front matter
        lambda p: p.write(CASE, MINI_CASE.replace("tags: [coaching]", "tags: [coaching, attendance]")),  # the entry's tags
        lambda p: p.write("content/tags.yml", MINI_TAGS.replace("label: Coaching", "label: Peer coaching")),  # tag vocabulary
        lambda p: p.write("content/case-studies/new-one.md", MINI_CASE.replace("Coaching in Year 7", "New one")),  # new entry
        lambda p: (p.root / CASE).unlink(),  # deleted entry
    ],
    ids=["body", "meta", "entry-tags", "tags.yml", "new-entry", "deleted-entry"],
)
def test_fingerprint_changes_with_any_entry_or_tag(project, change):
    before = fingerprint(project.catalogue())
    change(project)
    assert fingerprint(project.catalogue()) != before


def test_fingerprint_changes_with_the_audience(project):
    assert fingerprint(project.catalogue(members=True)) != fingerprint(project.catalogue(members=False))


def test_fingerprint_ignores_entries_the_build_cannot_show(project):
    before = fingerprint(project.catalogue())
    project.write("content/case-studies/draft.md", MINI_CASE.replace("status: published", "status: draft"))
    assert fingerprint(project.catalogue()) == before


def test_same_catalogue_reuses_the_folder(project, temp, builds):
    first = cached_index(project.catalogue(), project.root)
    again = cached_index(project.catalogue(), project.root)
    assert again == first and builds == [first]
    assert first.is_relative_to(temp / "kb-search-cache")
    assert SearchEngine(first).search("coached")["total"] == 1


def test_a_change_makes_a_new_folder_with_the_new_content(project, temp, builds):
    first = cached_index(project.catalogue(), project.root)
    project.write(CASE, MINI_CASE + "\nPelicanword paragraph.\n")
    second = cached_index(project.catalogue(), project.root)
    assert second != first and second.parent == first.parent and builds == [first, second]
    assert SearchEngine(second).search("pelicanword")["total"] == 1
    assert SearchEngine(first).search("pelicanword")["total"] == 0  # the old folder is left as it was
    assert cached_index(project.catalogue(), project.root) == second and len(builds) == 2


def test_the_members_catalogue_has_its_own_folder(project, temp, builds):
    project.write(
        "content/case-studies/members.md",
        MINI_CASE.replace("Coaching in Year 7", "Quokkaword").replace(
            "status: published", "status: published\nvisibility: members"
        ),
    )
    public = cached_index(project.catalogue(), project.root)
    members = cached_index(project.catalogue(members=True), project.root)
    assert public != members and len(builds) == 2
    assert SearchEngine(public).search("quokkaword")["total"] == 0
    assert SearchEngine(members).search("quokkaword")["total"] == 1


def test_each_project_has_its_own_cache(tmp_path, temp, builds):
    from tests.conftest import Project

    a, b = Project(tmp_path / "a"), Project(tmp_path / "b")
    folder_a, folder_b = cached_index(a.catalogue(), a.root), cached_index(b.catalogue(), b.root)
    assert folder_a.name == folder_b.name  # the same content...
    assert folder_a.parent != folder_b.parent and len(builds) == 2  # ...in each project's own cache


def test_an_interrupted_build_is_made_again(project, temp, builds):
    """A folder without its manifest (written last) is not a finished index."""
    folder = cached_index(project.catalogue(), project.root)
    (folder / "kb-search.json").unlink()
    assert cached_index(project.catalogue(), project.root) == folder and len(builds) == 2
    assert open_index(folder)[1]["entries"] == len(project.catalogue().entries)


def test_kb_search_cache_is_per_index_format(project, temp):
    folder = cached_index(project.catalogue(), project.root)
    assert folder.name.startswith(f"v{INDEX_VERSION}-") and open_index(folder)[1]["version"] == INDEX_VERSION
