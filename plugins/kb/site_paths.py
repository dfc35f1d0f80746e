"""Relative paths between site paths, worked out on the strings.

posixpath.relpath calls os.getcwd() twice per call (it makes both paths absolute first); a build
makes a few hundred thousand links, so the arithmetic is done here instead, with the same results
(tests/test_pages.py compares them over 118,000 pairs).
"""
from __future__ import annotations

import posixpath
from functools import lru_cache


def relpath(path: str, start: str) -> str:
    """posixpath.relpath(path or ".", start or "."), for the slash-separated paths of the site."""
    start_parts, path_parts = _plain_parts(start), _plain_parts(path)
    if start_parts is None or path_parts is None:  # ".." or a leading "/": let posixpath normalise
        return posixpath.relpath(path or ".", start or ".")
    common = 0
    for a, b in zip(start_parts, path_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + list(path_parts[common:])) or "."


@lru_cache(maxsize=4096)
def _plain_parts(path: str) -> tuple[str, ...] | None:
    """A path's folders and file ("." dropped), or None when it needs normalising first."""
    parts = tuple(p for p in path.split("/") if p and p != ".")
    return None if path.startswith("/") or ".." in parts else parts
