"""output.folders.swap_into_place: a built folder takes the place of the old one whole, with renames."""

from __future__ import annotations

from pathlib import Path

from kb.output.folders import BackgroundRemoval, keep_only, removal_name, swap_into_place, take_spare


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def _make(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    return folder


def test_the_built_folder_replaces_the_old_one_whole(tmp_path):
    final = _make(tmp_path / "site", {"index.html": "old", "gone.html": "old only", "a/b.html": "old b"})
    built = _make(tmp_path / ".building", {"index.html": "new", "a/c.html": "new c"})
    swap_into_place(built, final)
    assert _tree(final) == {"index.html": "new", "a/c.html": "new c"}  # nothing of the old folder is left in it
    assert not built.exists()


def test_the_target_need_not_exist_yet(tmp_path):
    built = _make(tmp_path / ".building", {"index.html": "first"})
    swap_into_place(built, tmp_path / "site")
    assert _tree(tmp_path / "site") == {"index.html": "first"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_no_old_folder_is_left_behind(tmp_path):
    final = _make(tmp_path / "site", {"index.html": "old"})
    swap_into_place(_make(tmp_path / ".building", {"index.html": "new"}), final)
    assert not (tmp_path / ".site.old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_an_old_folder_left_by_a_crashed_swap_is_cleared_first(tmp_path):
    _make(tmp_path / ".site.old", {"stale.html": "from a crash"})
    final = _make(tmp_path / "site", {"index.html": "old"})
    swap_into_place(_make(tmp_path / ".building", {"index.html": "new"}), final)
    assert _tree(final) == {"index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_reader_with_an_open_file_keeps_reading_the_old_contents(tmp_path):
    final = _make(tmp_path / "site", {"index.html": "old page, long enough to read on"})
    built = _make(tmp_path / ".building", {"index.html": "NEW"})
    with open(final / "index.html", "rb", buffering=0) as reader:  # unbuffered: every read goes to the file
        assert reader.read(4) == b"old "
        swap_into_place(built, final)
        assert reader.read() == b"page, long enough to read on"  # the old file, not the new one written over it
    assert (final / "index.html").read_text() == "NEW"


def test_string_paths_are_accepted(tmp_path):
    built = _make(tmp_path / ".building", {"x.txt": "x"})
    swap_into_place(str(built), str(tmp_path / "out"))  # type: ignore[arg-type]
    assert _tree(tmp_path / "out") == {"x.txt": "x"}


# -- several folders together, mount points, leftovers, failures in words -------------------------------

import errno  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402

from kb.output.folders import Swap, failure_words, remove_stale, swap_all  # noqa: E402


def test_site_and_index_are_swapped_together(tmp_path):
    site, index = _make(tmp_path / "site", {"index.html": "old"}), _make(tmp_path / "site.search", {"m": "old"})
    swap_all([(_make(tmp_path / ".b1", {"index.html": "new"}), site), (_make(tmp_path / ".b2", {"m": "new"}), index)])
    assert _tree(site) == {"index.html": "new"} and _tree(index) == {"m": "new"}


def test_when_the_second_swap_fails_the_first_is_undone(tmp_path):
    site, index = _make(tmp_path / "site", {"index.html": "old"}), _make(tmp_path / "site.search", {"m": "old"})
    missing = tmp_path / ".b2-never-made"
    with pytest.raises(OSError):
        swap_all([(_make(tmp_path / ".b1", {"index.html": "new"}), site), (missing, index)])
    assert _tree(site) == {"index.html": "old"} and _tree(index) == {"m": "old"}  # they never disagree
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.search"]


def _busy_rename(monkeypatch, busy: Path):
    """A folder that cannot be renamed, as a mount point cannot (the kernel answers EBUSY)."""
    real = Path.rename

    def rename(self, target):
        if Path(self) == busy:
            raise OSError(errno.EBUSY, "Device or resource busy", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)


def test_a_folder_that_cannot_be_renamed_gets_its_contents_replaced(tmp_path, monkeypatch):
    final = _make(tmp_path / "site", {"index.html": "old", "gone.html": "old only", "a/b.html": "old b"})
    _busy_rename(monkeypatch, final)
    swap = Swap(_make(tmp_path / ".building", {"index.html": "new", "a/c.html": "new c"}), final)
    swap.commit()
    shown = {k: v for k, v in _tree(final).items() if not k.startswith(".kb-old-")}  # the old contents wait in a hidden folder
    assert swap.in_place and shown == {"index.html": "new", "a/c.html": "new c"}
    swap.undo()
    assert _tree(final) == {"index.html": "old", "gone.html": "old only", "a/b.html": "old b"}


def test_contents_replaced_then_finished_leave_nothing_behind(tmp_path, monkeypatch):
    final = _make(tmp_path / "site", {"index.html": "old"})
    _busy_rename(monkeypatch, final)
    swap_into_place(_make(tmp_path / ".building", {"index.html": "new"}), final)
    assert sorted(os.listdir(final)) == ["index.html"] and (final / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_leftovers_of_a_killed_build_are_removed_but_not_those_of_a_running_one(tmp_path):
    dead = 2**22 + 12345  # above Linux's largest process id: no such process
    for name in (f".kb-building-{dead}-ab12", f".site.search.building-{dead}-x", ".kb-building-oldstyle", ".site.old"):
        _make(tmp_path / name, {"f": "x"})
    (tmp_path / f".site.search.building-{dead}-x.documents").write_bytes(b"pickle")
    _make(tmp_path / f".kb-building-{os.getpid()}-live", {"f": "x"})
    _make(tmp_path / "site", {"index.html": "kept"})
    removed = remove_stale(tmp_path, (".kb-building-", ".site.old", ".site.search.building-"))
    assert len(removed) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".kb-building-{os.getpid()}-live", "site"]


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EDQUOT, "the disk is full"),
        (errno.EROFS, "read-only disk"),
        (errno.EACCES, "kb may not read or write"),
        (errno.EPERM, "kb may not read or write"),
        (errno.EBUSY, "is in use"),
        (errno.ELOOP, "loop of symbolic links"),
        (errno.EIO, "could not be written"),
    ],
)
def test_every_failure_is_a_sentence_naming_the_path(code, words):
    text = failure_words(OSError(code, os.strerror(code), "/srv/site/index.html"))
    assert words in text and "/srv/site/index.html" in text and text.endswith(".")
    assert "Errno" not in text and "Traceback" not in text


def test_the_previous_folder_becomes_the_spare_replacing_an_older_one(tmp_path):
    final = _make(tmp_path / "site", {"index.html": "second"})
    spare = _make(tmp_path / ".site.spare", {"index.html": "first"})
    swap_all([(_make(tmp_path / ".building", {"index.html": "third"}), final)], {final: spare})
    assert _tree(final) == {"index.html": "third"} and _tree(spare) == {"index.html": "second"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]


def test_the_spare_is_taken_once(tmp_path):
    spare = _make(tmp_path / ".site.spare", {"a/index.html": "old"})
    building = tmp_path / ".kb-building-1"
    building.mkdir()  # made empty by the build: the spare takes its place
    assert take_spare(spare, building) and _tree(building) == {"a/index.html": "old"}
    assert not take_spare(spare, tmp_path / ".kb-building-2")  # gone: the second build makes a folder of its own


def test_keep_only_keeps_the_named_files_that_are_the_same_file(tmp_path):
    folder = _make(tmp_path / "old", {"a/index.html": "a", "b/index.html": "b", "c/d/index.html": "d", "e.xml": "e"})
    other = _make(tmp_path / "other", {"b.html": "b again"})
    keep = {
        "a/index.html": os.stat(folder / "a/index.html").st_ino,  # kept
        "b/index.html": os.stat(other / "b.html").st_ino,  # named, but another file: removed
        "gone/index.html": 1,  # named, not there: nothing to do
    }
    (folder / "f/g").mkdir(parents=True)
    os.symlink(folder / "a", folder / "link")
    assert keep_only(folder, keep) == ({"a/index.html"}, 4)
    assert _tree(folder) == {"a/index.html": "a"}
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == ["a", "a/index.html"]  # no empty folders


def test_a_folder_removed_in_the_background_frees_its_name_at_once(tmp_path):
    spare = _make(tmp_path / ".site.spare", {f"p{n}/index.html": "old" for n in range(50)})
    removal = BackgroundRemoval.start(spare, removal_name(tmp_path / "site"))
    assert removal is not None and removal.process is not None  # rm -rf, in a child process
    assert not spare.exists()  # the name is free while the removal runs
    removal.wait()
    assert list(tmp_path.iterdir()) == []


def test_without_rm_the_folder_is_removed_here(tmp_path, monkeypatch):
    spare = _make(tmp_path / ".site.spare", {"index.html": "old"})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    removal = BackgroundRemoval.start(spare, removal_name(tmp_path / "site"))
    assert removal is not None and removal.process is None
    assert list(tmp_path.iterdir()) == []  # already gone: nothing to wait for


def test_no_folder_no_removal(tmp_path):
    assert BackgroundRemoval.start(tmp_path / ".site.spare", removal_name(tmp_path / "site")) is None


def test_a_removal_a_killed_build_left_is_ended_by_the_next_build(tmp_path):
    left = _make(tmp_path / ".site.removing-999999999-", {"index.html": "old"})  # no such process
    ours = _make(removal_name(tmp_path / "site"), {"index.html": "ours"})  # this process's: still running
    assert remove_stale(tmp_path, (".site.removing-",)) == [left.name]
    assert not left.exists() and ours.exists()
