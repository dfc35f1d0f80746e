"""Per-file results of checking and linking entries, reused while a file is unchanged.

Why: a save of one entry used to re-read, re-validate and re-link all 10,000 entries (most of a
rebuild). These results are kept between `kb serve` rebuilds in one process, and between runs of
`kb build` and `kb check` by the build cache (speed/build_cache.py), which saves and restores this
state (`export`, `restore`).

A file's checked result depends only on its bytes and the vocabulary (tag and network ids): when the
vocabulary changes, every file is checked again. Its linked result depends only on the answers its
links got (what each target resolved to, and the title a label borrowed): it is reused while every
one of those answers is still the same, so a title edit relinks only the files that link to that
entry, and a new entry relinks none. A file whose links did not all resolve is always relinked (its
message names the closest entry, which any new entry can change).

Whether a file's bytes changed is first asked of the file system, as git does: size, modification and
change times and inode as recorded last time. Only when one differs, or when the file had been modified
so shortly before it was recorded that a coarse clock could hide a second write (RACY_NS), are its bytes
read and hashed. Cached Entry objects are shared between builds, so nothing downstream may mutate an
Entry (tests/content/test_file_cache.py checks it).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

Checked = TypeVar("Checked")
Linked = TypeVar("Linked")
Signature = tuple[int, int, int, int]  # (size, mtime_ns, ctime_ns, inode)

MAX_PROJECTS = 4  # tests load many small projects in one process; serve loads one
# A file modified less than this long before it was recorded is hashed next time, whatever its signature says:
# some file systems keep times to the second or two, so a second save in that window could leave them unchanged.
RACY_NS = 3_000_000_000


def file_digest(path: str) -> bytes | None:
    """Hash of a file's bytes (None when it cannot be read: the checker reports that itself)."""
    try:
        with open(path, "rb") as handle:  # a plain str path: pathlib's str() costs as much as the read at 10,000 files
            return hashlib.blake2b(handle.read(), digest_size=16).digest()
    except OSError:
        return None


def signature(path: str) -> Signature | None:
    """What the file system says about a file without reading it (None when it cannot be stat'ed)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class FileState(Generic[Checked, Linked]):
    """One file's results and what they were made from."""

    signature: Signature | None  # None: read and hash the file next time, whatever the file system says
    digest: bytes | None
    checked: Checked
    linked: Linked | None = None
    answers: tuple[Any, ...] | None = None  # what the file's links resolved to when `linked` was made (None: always relink)


@dataclass
class ProjectCache(Generic[Checked, Linked]):
    """The per-file results of the last load of one project, and the vocabulary they were checked against."""

    vocab: Hashable = None
    files: dict[str, FileState[Checked, Linked]] = field(default_factory=dict)
    pending: dict[str, FileState[Checked, Linked]] = field(default_factory=dict)
    started_ns: int = 0  # when the load under way began
    rechecked: int = 0  # for tests and the benchmark: files checked again by the load under way
    relinked: int = 0  # ... and files linked again
    # Cross-entry checks' problems by check name: (the key they were made under, the problems), and how many
    # the load under way had to run again.
    crossed: dict[str, tuple[Hashable, list[Any]]] = field(default_factory=dict)
    recrossed: int = 0
    changed: set[str] = field(default_factory=set)  # files checked or linked again, or gone, in the load under way
    # The vocabulary of the load under way and whether it equals `vocab`: compared once per load, not once per
    # file (a restored vocabulary is another object, and comparing it took a quarter of a warm check at 10,000).
    _compared: tuple[Hashable, bool] | None = field(default=None, repr=False, compare=False)

    def begin(self) -> None:
        self.pending, self.started_ns, self.rechecked, self.relinked, self.recrossed = {}, time.time_ns(), 0, 0, 0
        self.changed = set()
        self._compared = None

    def same_vocab(self, vocab: Hashable) -> bool:
        if self._compared is None or self._compared[0] is not vocab:
            self._compared = (vocab, self.vocab == vocab)
        return self._compared[1]

    def knows(self, rel: str, vocab: Hashable) -> bool:
        """Whether the last load checked this file against this vocabulary (its result may be reused, if its bytes are
        the same): the files it does not know are all checked again."""
        return rel in self.files and self.same_vocab(vocab)

    def checked(self, root: Path | str, rel: str, vocab: Hashable, compute: Callable[[], Checked]) -> Checked:
        """The checked result of one file: reused when its bytes and the vocabulary are unchanged."""
        path = os.path.join(root, rel)
        sig = signature(path)
        trusted = sig if sig is not None and sig[1] < self.started_ns - RACY_NS else None
        old = self.files.get(rel)
        if old is not None and sig is not None and self.same_vocab(vocab):
            if old.signature is not None and old.signature == sig:
                self.pending[rel] = FileState(trusted, old.digest, old.checked, old.linked, old.answers)
                return old.checked
            digest = file_digest(path)
            if digest is not None and digest == old.digest:
                self.pending[rel] = FileState(trusted, digest, old.checked, old.linked, old.answers)
                return old.checked
        else:
            digest = file_digest(path)
        self.rechecked += 1
        self.changed.add(rel)
        self.pending[rel] = FileState(trusted if digest is not None else None, digest, compute())
        return self.pending[rel].checked

    def unlinked(self, rel: str) -> bool:
        """Whether linked() must compute this file's result whatever its links' answers (none kept, or a link failed)."""
        state = self.pending[rel]
        return state.linked is None or state.answers is None

    def linked(
        self,
        rel: str,
        still_hold: Callable[[tuple[Any, ...]], bool],
        compute: Callable[[], tuple[Linked, tuple[Any, ...] | None]],
    ) -> Linked:
        """The linked result of one file: reused when the file was reused and every answer its links got still holds."""
        state = self.pending[rel]
        if state.linked is None or state.answers is None or not still_hold(state.answers):
            state.linked, state.answers = compute()
            self.relinked += 1
            self.changed.add(rel)
        return state.linked

    def digest_of(self, rel: str) -> bytes | None:
        """The hash of a file's bytes as this load read it (None when it could not be read)."""
        state = self.pending.get(rel) or self.files.get(rel)
        return state.digest if state is not None else None

    def cross_checked(self, name: str, key: Hashable, compute: Callable[[], Iterable[Any]]) -> list[Any]:
        """A cross-entry check's problems, reused while its key (today and the bytes of every file it reads) holds."""
        old = self.crossed.get(name)
        if old is not None and old[0] == key:
            return list(old[1])
        made = list(compute())
        self.crossed[name] = (key, made)
        self.recrossed += 1
        return list(made)

    def commit(self, vocab: Hashable) -> None:
        """This load's results become the ones the next load compares against (deleted files drop out)."""
        self.changed.update(rel for rel in self.files if rel not in self.pending)
        self.files, self.pending, self.vocab, self._compared = self.pending, {}, vocab, None

    def export(self) -> State:
        """The committed state as plain data, for the build cache to save (pickled: Entry pickles compactly)."""
        rows = [(rel, s.signature, s.digest, s.checked, s.linked, s.answers) for rel, s in self.files.items()]
        return self.vocab, rows, self.crossed

    def restore(self, state: State) -> None:
        """Take over a state `export` made (in another process): every result is checked against the files again."""
        vocab, rows, crossed = state
        self.vocab, self._compared, self.crossed = vocab, None, dict(crossed)
        self.files = {
            rel: FileState(sig, digest, checked, linked, answers) for rel, sig, digest, checked, linked, answers in rows
        }


# What export gives and restore takes: the vocabulary, one row per file, the cross-entry checks' problems.
State = tuple[Hashable, list[tuple[Any, ...]], dict[str, tuple[Hashable, list[Any]]]]

_PROJECTS: dict[str, ProjectCache[Any, Any]] = {}


def project_cache(root: Path) -> ProjectCache[Any, Any]:
    """The cache of one project folder (a fresh one the first time it is loaded in this process)."""
    key = str(Path(root).resolve())
    if key not in _PROJECTS:
        if len(_PROJECTS) >= MAX_PROJECTS:
            _PROJECTS.pop(next(iter(_PROJECTS)))
        _PROJECTS[key] = ProjectCache()
    cache = _PROJECTS[key]
    cache.begin()
    return cache


def last_load(root: Path) -> ProjectCache[Any, Any] | None:
    """The cache of the last load of this project in this process, if any (without starting a new load)."""
    return _PROJECTS.get(str(Path(root).resolve()))


def restore(root: Path, state: State) -> None:
    """Start this process's cache of a project from a saved state (the build cache's)."""
    cache: ProjectCache[Any, Any] = ProjectCache()
    cache.restore(state)
    _PROJECTS.pop(str(Path(root).resolve()), None)
    if len(_PROJECTS) >= MAX_PROJECTS:
        _PROJECTS.pop(next(iter(_PROJECTS)))
    _PROJECTS[str(Path(root).resolve())] = cache


def clear() -> None:
    """Forget every project (tests compare an incremental load with a fresh one)."""
    _PROJECTS.clear()
