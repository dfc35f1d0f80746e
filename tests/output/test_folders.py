"""output.folders.swap_into_place: a built folder takes the place of the old one whole, with renames."""

from __future__ import annotations

from pathlib import Path

from kb.output.folders import swap_into_place


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
