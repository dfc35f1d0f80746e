"""site_paths.relpath: string arithmetic that must give exactly what posixpath.relpath gives."""
from __future__ import annotations

import itertools
import posixpath

from kb.site_paths import relpath

SEGMENTS = ["", "a", "b", "minutes", "x.md", ".", ".."]


def paths(segments: list[str] = SEGMENTS) -> list[str]:
    """Every path of up to three segments, relative, with a trailing slash and absolute."""
    found = {""}
    for depth in (1, 2, 3):
        for parts in itertools.product(segments, repeat=depth):
            path = "/".join(parts)
            found.update({path, path + "/", "/" + path})
    return sorted(found)


def test_relpath_equals_posixpath_relpath_on_every_pair():
    every = paths()
    starts = every[::17]
    assert len(every) > 700 and len(starts) > 40
    for start, path in itertools.product(starts, every):
        assert relpath(path, start) == posixpath.relpath(path or ".", start or "."), (path, start)


def test_links_between_entry_sources():
    assert relpath("case-studies/b.md", "minutes/equity") == "../../case-studies/b.md"
    assert relpath("minutes/equity/2026-01-01.md", "minutes/equity") == "2026-01-01.md"
    assert relpath("about/index.md", "") == "about/index.md"
