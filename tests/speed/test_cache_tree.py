"""A saved folder of the build cache (save_tree): every file linked in and checksummed, by one process or two."""

from __future__ import annotations

import hashlib
import os

import pytest

from kb.speed import file_worker
from kb.speed.build_cache import BuildCache
from kb.speed.file_worker import MIN_ITEMS


@pytest.mark.parametrize("count", [5, MIN_ITEMS + 50])  # below and above where a second process takes half
def test_every_file_is_linked_in_with_its_checksum(tmp_path, count):
    site = tmp_path / "site"
    for n in range(count):
        page = site / f"p{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<p>page {n}</p>", encoding="utf-8")
    paths = [f"p{n}/index.html" for n in range(count)]
    cache = BuildCache(tmp_path / "cache")
    cache.save_tree("site", "k1", site, paths)
    cache.write_manifest()

    files = BuildCache(tmp_path / "cache").load_tree("site", "k1")
    assert files is not None and sorted(files) == sorted(paths)
    for rel, (checksum, size, _, inode) in files.items():
        source = site / rel
        assert checksum == hashlib.sha256(source.read_bytes()).hexdigest()
        assert (size, inode) == (source.stat().st_size, os.stat(source).st_ino)  # a hard link, not a copy


class PickledBy:
    """Unpickles as the id of the process that pickled it."""

    def __reduce__(self):
        return (int, (os.getpid(),))


@pytest.mark.parametrize("split", [False, True])
def test_parts_saved_by_one_process_or_two_read_back_the_same(tmp_path, monkeypatch, split):
    monkeypatch.setattr(file_worker, "can_fork", lambda: True)  # whatever threads earlier tests left running
    parts = [(f"part{n}", {"n": n, "rows": list(range(n * 10)), "by": PickledBy()}) for n in range(6)]
    cache = BuildCache(tmp_path / "cache")
    cache.save_parts("k1", parts, split=split)
    cache.write_manifest()

    again = BuildCache(tmp_path / "cache")
    read = {name: again.load_part(name, "k1") for name, _ in parts}
    assert [(name, value["n"], value["rows"]) for name, value in read.items()] == [(name, v["n"], v["rows"]) for name, v in parts]
    pickled_here = [value["by"] == os.getpid() for value in read.values()]
    assert pickled_here == ([True] * 3 + [False] * 3 if split else [True] * 6)  # the second half by the fork
    assert again.load_part("part1", "another key") is None
