"""The build cache on disk: one folder per audience (`.cache/kb/public/`, `members/`, `check/`), trusted only when whole.

What it holds (speed/warm_build.py decides what is reused): the loader's per-file results
(content/file_cache.py), what the last build made each page from (speed/changes.py's Snapshot), a copy
of its pages (hard links where the file system allows) and of its search index with the index's state.

Correct or nothing: `manifest.json`, written last, names the format, the keys the parts were made under
and a SHA-256 of every file. Parts are read only when the format and their key match this run and their
checksums do: a file's checksum is computed again whenever its size, modification time or inode differ
from the ones recorded (otherwise the file system vouches for it, as for git's index: a write changes
the modification time, a copy or a restore the inode). Anything missing,
partial, damaged or made under another key is ignored with one line saying so, and the build is made
without it. Pickled parts are read only after their checksum matched: the cache is trusted like the
working copy it sits in (never restore one from a source you would not run code from).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from kb.content import file_cache
from kb.speed.file_worker import split_map

log = logging.getLogger("mkdocs.plugins.kb")

FORMAT = 1
ENTRIES = "entries"  # the loader's per-file results (content/file_cache.py), the part kb check uses too
# The per-file results are saved in this many parts (by a hash of the file's path) beside a head part (the
# vocabulary and the cross-entry checks), so saving after one edit rewrites one part: at 10,000 entries the
# whole was 113 MB, and pickling, hashing and writing it took a quarter of a warm kb check.
ENTRY_SHARDS = 32
MANIFEST = "manifest.json"
PACKAGE = Path(__file__).resolve().parent.parent  # kb's own code, templates and theme


class CacheIgnored(Exception):
    """A part of the cache cannot be used; the message says why, in words."""


def sha256_of(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _stat(path: Path | str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def tree_digest(folder: Path) -> str:
    """One hash over every file under a folder (names and bytes), compiled caches left out."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogatepass") + b"\0")
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def installed_distributions() -> list[str]:
    """Every installed distribution with its version, as its metadata folder is named (one listing per path)."""
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found += [name for name in names if name.endswith((".dist-info", ".egg-info"))]
    return sorted(found)


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """What every part depends on: the cache format, Python, every installed distribution's version and kb's own files
    (kb's version number alone would not change while kb is being worked on)."""
    parts = (FORMAT, sys.version, installed_distributions(), tree_digest(PACKAGE))
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def key_of(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class BuildCache:
    """One audience's cache folder. `load_*` return None (after saying why) when a part cannot be used."""

    def __init__(self, folder: Path, say: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.tell = say or (lambda line: log.warning("%s", line))
        self.manifest: dict[str, Any] = {}
        self.ignored: list[str] = []  # for tests and the log: why parts were ignored
        self._read_manifest()

    # -- reading ----------------------------------------------------------------------------------
    def _read_manifest(self) -> None:
        path = self.folder / MANIFEST
        if not path.exists():
            return
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise CacheIgnored(
                    f"it was written in another format ({manifest.get('format') if isinstance(manifest, dict) else '?'})"
                )
            self.manifest = manifest
        except (OSError, ValueError, CacheIgnored) as exc:
            self.say(f"{self.folder} cannot be read ({exc})")

    def say(self, why: str) -> None:
        """The one line saying a part of the cache was not used."""
        self.ignored.append(why)
        self.tell(f"kb: the build cache is ignored: {why}; working without it.")

    def load_part(self, name: str, key: str) -> Any | None:
        """A pickled part (entries, pages, search state) made under `key`, or None."""
        record = self.manifest.get("parts", {}).get(name)
        if record is None:
            return None
        if record.get("key") != key:
            return None  # made for other settings or code: not an error, only stale
        path = self.folder / record["file"]
        try:
            data = path.read_bytes()
            if _stat(path) != record.get("stat") and hashlib.sha256(data).hexdigest() != record["sha256"]:
                raise CacheIgnored(f"{path.name} does not match its checksum (damaged or half-written)")
            return _unpickled(data)
        except (
            OSError,
            CacheIgnored,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ) as exc:
            self.say(f"{self.folder.name}/{record['file']}: {exc}")
            return None

    def load_tree(self, name: str, key: str) -> dict[str, list] | None:
        """{path: [sha256, size, mtime_ns, inode]} of a saved folder (site, search) made under `key`, every file checked."""
        record = self.manifest.get("trees", {}).get(name)
        if record is None or record.get("key") != key:
            return None
        folder = self.folder / name
        files: dict[str, list] = record["files"]
        try:
            for rel, (checksum, *recorded) in files.items():
                path = folder / rel
                now = _stat(path)
                if now != recorded:
                    if sha256_of(path) != checksum:
                        raise CacheIgnored(f"{name}/{rel} was changed or damaged since it was saved")
                    files[rel] = [checksum, *now]  # the same bytes in another file (a restored cache): as it is now
        except OSError as exc:
            self.say(f"{name}/ is incomplete ({exc.__class__.__name__}: {exc.filename})")
            return None
        except CacheIgnored as exc:
            self.say(str(exc))
            return None
        return files

    # -- writing ----------------------------------------------------------------------------------
    def save_part(self, name: str, key: str, value: Any) -> None:
        """Pickle a part under a name of its own checksum; the manifest names it when written (write_manifest)."""
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(data).hexdigest()
        filename = f"{name}-{checksum[:16]}.pickle"
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / filename, data)
        record = {"key": key, "file": filename, "sha256": checksum, "stat": _stat(self.folder / filename)}
        self.manifest.setdefault("parts", {})[name] = record

    def save_tree(
        self,
        name: str,
        key: str,
        source: Path,
        paths: Iterable[str],
        known: dict[str, list] | None = None,
        same: AbstractSet[str] = frozenset(),
    ) -> None:
        """Make `<cache>/<name>/` hold these files of `source` (hard links where possible); `known` (load_tree's) gives
        checksums and stats of files already in the cache, so a file of `source` that is one of them (same size,
        time and inode) is not read again, and the paths in `same` are known to be (checked by inode), not looked at."""
        folder = self.folder / name
        old = self.manifest.get("trees", {}).pop(name, None)  # not trusted while it changes
        self.write_manifest()
        if old is None or old.get("key") != key:
            shutil.rmtree(folder, ignore_errors=True)
        wanted = set(paths)
        known = known or {}
        files: dict[str, list] = {rel: known[rel] for rel in wanted if rel in same and rel in known}
        looked_at = sorted(rel for rel in wanted if rel not in files)
        # Half linked and hashed by a second process where there are many (a cold build's 10,000 pages: its last step
        # on one core): split_map, as for the entry files; should that process fail, this one does its half.
        files.update(zip(looked_at, split_map(functools.partial(_kept, source, folder, known), looked_at)))
        for rel in (old or {}).get("files", {}):
            if rel not in wanted:
                (folder / rel).unlink(missing_ok=True)
        self.manifest.setdefault("trees", {})[name] = {"key": key, "files": files}

    def write_manifest(self) -> None:
        """Written last: from here on the parts it names are trusted (and files it no longer names removed)."""
        self.manifest["format"] = FORMAT
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self.folder / MANIFEST, json.dumps(self.manifest).encode("utf-8"))
        named = {p["file"] for p in self.manifest.get("parts", {}).values()}
        for path in self.folder.glob("*.pickle"):
            if path.name not in named:
                path.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _kept(source: Path, folder: Path, known: dict[str, list], rel: str) -> list:
    """The record of `source/rel` kept as `folder/rel`: the known one if it is the very file recorded (same size, time
    and inode: placed from the cache, and load_tree checked it is there as recorded), else a new link and its checksum."""
    src, dst, was = source / rel, folder / rel, known.get(rel)
    if was is not None and was[1:] == _stat(src):
        return was
    _link_or_copy(src, dst)
    return [sha256_of(dst), *_stat(dst)]


def _link_or_copy(src: Path, dst: Path) -> None:
    """dst becomes src's file: a new hard link (renamed into place, never written through), or a copy across devices."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    temporary = dst.with_name(f".{dst.name}.kb-new")
    temporary.unlink(missing_ok=True)
    try:
        os.link(src, temporary)
    except OSError:
        shutil.copy2(src, temporary)
    os.replace(temporary, dst)


def place(source: Path, target: Path, paths: Iterable[str]) -> int:
    """Put these files of the cache's `source` folder into the build's `target` folder (hard links where possible).
    A path the build already wrote is left alone. Returns how many were placed."""
    placed = 0
    made: set[str] = set()
    for rel in paths:
        dst = os.path.join(target, rel)
        parent = os.path.dirname(dst)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        src = os.path.join(source, rel)
        try:
            os.link(src, dst)
        except FileExistsError:
            continue
        except OSError:
            if os.path.exists(dst):
                continue
            shutil.copy2(src, dst)
        placed += 1
    return placed


def restore_entries(store: BuildCache, root: Path, key: str) -> bool:
    """The cache's per-file results as this process's (file_cache.restore); False when there were none to use."""
    head = store.load_part(ENTRIES, key)
    if head is None:
        return False
    vocab, crossed = head
    rows: list = []
    for shard in range(ENTRY_SHARDS):
        part = store.load_part(_shard_name(shard), key)
        if part is None:
            return False  # a part missing or damaged: every file is checked again
        rows += part
    file_cache.restore(root, (vocab, rows, crossed))
    return True


def save_entries(store: BuildCache, root: Path, key: str, restored: bool) -> None:
    """The loader's per-file results, saved unless they are the ones restored and the last load changed none;
    after a restore only the parts holding a changed file are written again."""
    cache = file_cache.last_load(root)
    if cache is None or (restored and not cache.changed and not cache.recrossed):
        return
    vocab, rows, crossed = cache.export()
    store.save_part(ENTRIES, key, (vocab, crossed))
    shards: list[list] = [[] for _ in range(ENTRY_SHARDS)]
    for row in rows:
        shards[_shard_of(row[0])].append(row)
    touched = {_shard_of(rel) for rel in cache.changed} if restored else set(range(ENTRY_SHARDS))
    for shard, part in enumerate(shards):
        if shard in touched or store.manifest.get("parts", {}).get(_shard_name(shard), {}).get("key") != key:
            store.save_part(_shard_name(shard), key, part)


def _shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % ENTRY_SHARDS


def _shard_name(shard: int) -> str:
    return f"{ENTRIES}.{shard:02d}"


def _unpickled(data: bytes) -> Any:
    """pickle.loads with the garbage collector paused: unpickling makes objects only, nothing cyclic to free, and
    the collector's passes over them while it ran took half of reading the cache (0.39 -> 0.21 s at 10,000)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if was_enabled:
            gc.enable()
