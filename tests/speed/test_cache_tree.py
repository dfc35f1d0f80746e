"""A saved folder of the build cache (save_tree): every file linked in and checksummed, by one process or two."""

from __future__ import annotations

import hashlib
import os

import pytest

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
