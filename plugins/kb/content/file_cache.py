"""Per-file results of checking and linking entries, kept between `kb serve` rebuilds in one process.

Why: a save of one entry used to re-read, re-validate and re-link all 10,000 entries (most of a
rebuild). A file's checked result depends only on its bytes and the vocabulary (tag and network
ids); its linked result also on every entry's ref, slug, path and title (wiki-link labels). So
each result is kept under those keys: when the vocabulary or the link context changes, every
file is redone; otherwise only the files whose bytes changed. Cached Entry objects are shared
between builds, so nothing downstream may mutate an Entry (tests/content/test_file_cache.py checks it).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

Checked = TypeVar("Checked")
Linked = TypeVar("Linked")

MAX_PROJECTS = 4  # tests load many small projects in one process; serve loads one


def file_digest(path: str) -> bytes | None:
    """Hash of a file's bytes (None when it cannot be read: the checker reports that itself)."""
    try:
        with open(path, "rb") as handle:  # a plain str path: pathlib's str() costs as much as the read at 10,000 files
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None


def link_context_digest(
    refs: Iterable[str], by_slug: dict[str, list[str]], by_path: dict[str, str], titles: dict[str, str]
) -> bytes:
    """One hash over everything a link in any entry can resolve to or borrow a label from."""
    context = (sorted(refs), sorted((k, sorted(v)) for k, v in by_slug.items()), sorted(by_path.items()), sorted(titles.items()))
    return hashlib.blake2b(repr(context).encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class _FileState(Generic[Checked, Linked]):
    digest: bytes | None
    checked: Checked
    linked: Linked | None = None


@dataclass
class ProjectCache(Generic[Checked, Linked]):
    """The per-file results of the last load of one project, and the keys they were made under."""

    vocab: Hashable = None
    link_context: bytes | None = None
    files: dict[str, _FileState[Checked, Linked]] = field(default_factory=dict)
    pending: dict[str, _FileState[Checked, Linked]] = field(default_factory=dict)
    pending_context: bytes | None = None

    def checked(self, root: Path, rel: str, vocab: Hashable, compute: Callable[[], Checked]) -> Checked:
        """The checked result of one file: reused when its bytes and the vocabulary are unchanged."""
        digest = file_digest(os.path.join(root, rel))
        old = self.files.get(rel)
        if old is not None and digest is not None and old.digest == digest and self.vocab == vocab:
            self.pending[rel] = _FileState(digest, old.checked, old.linked)
        else:
            self.pending[rel] = _FileState(digest, compute())
        return self.pending[rel].checked

    def linked(self, rel: str, context: bytes, compute: Callable[[], Linked]) -> Linked:
        """The linked result of one file: reused when the file was reused and the link context is unchanged."""
        state = self.pending[rel]
        if state.linked is None or context != self.link_context:
            state.linked = compute()
        self.pending_context = context
        return state.linked

    def commit(self, vocab: Hashable) -> None:
        """This load's results become the ones the next load compares against (deleted files drop out)."""
        self.files, self.pending, self.vocab = self.pending, {}, vocab
        self.link_context, self.pending_context = self.pending_context, None


_PROJECTS: dict[str, ProjectCache[Any, Any]] = {}


def project_cache(root: Path) -> ProjectCache[Any, Any]:
    """The cache of one project folder (a fresh one the first time it is loaded in this process)."""
    key = str(Path(root).resolve())
    if key not in _PROJECTS:
        if len(_PROJECTS) >= MAX_PROJECTS:
            _PROJECTS.pop(next(iter(_PROJECTS)))
        _PROJECTS[key] = ProjectCache()
    cache = _PROJECTS[key]
    cache.pending, cache.pending_context = {}, None
    return cache


def clear() -> None:
    """Forget every project (tests compare an incremental load with a fresh one)."""
    _PROJECTS.clear()
