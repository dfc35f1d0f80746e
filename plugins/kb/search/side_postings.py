"""The long posting lists again, beside the index, as plain arrays a search reads in one go.

Why: at 10,000 entries most of a search's time went into reading long posting lists from Whoosh's
segment: each block of 128 postings is a compressed pickle of Python tuples (ids, weights and every
entry's positions), about 12 ms for a word in 9,500 bodies, read for every field a word is searched in.
The same lists written once more as arrays (ids, weights, where each entry's positions end, the
positions themselves as 32-bit numbers) are read with a few slices, and an entry's positions are cut
out only if a phrase asks for them (an array, where Whoosh's are a pickle to load each time). Measured at 10,000 entries (the benchmark's queries, CPU time, side by side):
p95 about half. Written by the index writer from the postings it already holds (postings.py), for
lists of SIDE_MIN entries or more (shorter ones are a block or two in Whoosh: as quick).

Correct or not used: the lists are written for one segment and named by its id; an index updated in
place (kb serve, a warm build) keeps that segment, with some of its entries deleted, beside a small
new one: the lists are used for the segment they were written for (deleted entries left out, as
Whoosh's reader leaves them out) and the rest is read through Whoosh (search/match.py). Lists of a
segment merged away are removed with it (remove_stale). tests/search/test_side_postings.py compares
every list with Whoosh's, on a fresh index and on one updated in place.
"""

from __future__ import annotations

import json
import mmap
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

PREFIX = "kb-postings-"  # then the segment's id, .bin (the arrays) or .json (where each list is)
SIDE_MIN = 128  # entries: a list shorter than one Whoosh block reads as quickly from the segment
SIDE_VERSION = 2  # 2: positions as numbers (1: as Whoosh encodes them)
IDS, WEIGHTS, ENDS, POSITIONS = range(4)  # a list's parts in the file, in this order (SideWriter.add writes them)


def _paths(folder: Path, segment: str) -> tuple[Path, Path]:
    return folder / f"{PREFIX}{segment}.bin", folder / f"{PREFIX}{segment}.json"


class SideWriter:
    """Takes each long posting list as the segment is written, and its directory when the segment is named."""

    def __init__(self, folder: Path, decoders: dict[str, Callable[[bytes], Iterable[int]]]) -> None:
        self.folder = Path(folder)
        self.decoders = decoders  # field -> (a posting value in Whoosh's encoding -> its positions); others keep none
        self.memo: dict[bytes, bytes] = {}  # short values recur (one position: most of them)
        self.path = self.folder / f"{PREFIX}unnamed.bin"
        self.file = open(self.path, "wb")  # noqa: SIM115  # closed by finish() or abandon()
        self.terms: dict[str, dict[str, list[int]]] = {}

    def add(self, fieldname: str, tbytes: bytes, docnums: Sequence[int], weights: Sequence[float], values: list) -> None:
        if len(docnums) < SIDE_MIN:
            return
        decode = self.decoders.get(fieldname)
        known, position = self.memo.get, self._positions  # most values are one position, decoded once
        values = [known(v) or position(v, decode) for v in values] if decode else [b""] * len(values)
        ends = array("I", accumulate(map(len, values)))
        offset = self.file.tell()
        for part in (array("I", docnums), array("f", weights), ends):  # "f": Whoosh keeps weights as 32-bit floats
            part.tofile(self.file)
        self.file.write(b"".join(values))
        self.terms.setdefault(fieldname, {})[tbytes.decode("utf-8")] = [offset, len(docnums)]

    def _positions(self, value: bytes | None, decode: Callable[[bytes], Iterable[int]]) -> bytes:
        if not value:
            return b""
        found = self.memo.get(value)
        if found is None:
            found = array("I", decode(value)).tobytes()
            if len(value) < 16:
                self.memo[value] = found
        return found

    def finish(self, segment: str, doc_count: int) -> None:
        self.file.close()
        data, directory = _paths(self.folder, segment)
        self.path.rename(data)
        listed = {"version": SIDE_VERSION, "segment": segment, "docs": doc_count, "terms": self.terms}
        directory.write_text(json.dumps(listed, ensure_ascii=False), encoding="utf-8")  # last: marks the lists whole

    def abandon(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


def remove_stale(folder: Path, segments: set[str]) -> None:
    """Remove the lists of segments the index no longer has (merged away by an update in place)."""
    for path in Path(folder).glob(PREFIX + "*"):
        if path.name[len(PREFIX) :].rsplit(".", 1)[0] not in segments:
            path.unlink()


class SideLists:
    """The long lists of one segment, mapped from its file; None from open() if not written for exactly it."""

    def __init__(self, data: mmap.mmap, terms: dict[str, dict[str, list[int]]], deleted: frozenset[int]) -> None:
        self.data, self.terms, self.deleted = data, terms, deleted

    @classmethod
    def open(cls, folder: Path, segment: str, doc_count: int, deleted: frozenset[int]) -> SideLists | None:
        data_path, directory_path = _paths(Path(folder), segment)
        try:
            directory = json.loads(directory_path.read_text(encoding="utf-8"))
            if directory.get("version") != SIDE_VERSION or directory["segment"] != segment or directory["docs"] != doc_count:
                return None
            with open(data_path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # none written (Whoosh's own writer, or a segment added in place), or damaged: read the segment
        return cls(data, directory["terms"], deleted)

    def has(self, field: str, text: str) -> bool:
        return text in self.terms.get(field, ())

    def postings(
        self, field: str, text: str, with_values: bool, offset: int = 0
    ) -> tuple[dict[int, float], Mapping[int, Sequence[int]] | None]:
        """({entry: weight}, {entry: positions} or None) of a list has() said is here, entries
        numbered from `offset` (the segment's first entry in the whole index), deleted ones left out."""
        ids = self._part(field, text, IDS)
        weights = self._weights(ids, self._part(field, text, WEIGHTS, "f"), offset)
        return weights, self._values(field, text, ids, offset) if with_values else None

    def values(self, field: str, text: str, offset: int = 0) -> Mapping[int, Sequence[int]]:
        """{entry: positions} alone (words near one another, for a few top entries)."""
        return self._values(field, text, self._part(field, text, IDS), offset)

    def _part(self, field: str, text: str, part: int, typecode: str = "I") -> array:
        """One of a list's arrays (IDS, WEIGHTS, ENDS): each is 4 bytes an entry, written one after the other."""
        start, count = self.terms[field][text]
        found = array(typecode)
        found.frombytes(self.data[start + 4 * count * part : start + 4 * count * (part + 1)])
        return found

    def _values(self, field: str, text: str, ids: array, offset: int) -> Mapping[int, Sequence[int]]:
        start, count = self.terms[field][text]
        positions_start = start + 4 * count * POSITIONS
        return _Values(ids, self._part(field, text, ENDS), self.data, positions_start, offset, self.deleted)

    def _weights(self, ids: array, weights: array, offset: int) -> dict[int, float]:
        found = dict(zip(ids if not offset else (i + offset for i in ids), weights))
        for i in self.deleted:
            found.pop(i + offset, None)
        return found


class SideIndex:
    """Every segment's lists for one opened index (by segment id): a search asks for each of its reader's segments."""

    def __init__(self, segments: dict[str, SideLists]) -> None:
        self.segments = segments

    @classmethod
    def open(cls, folder: Path, reader: Any) -> SideIndex | None:
        found = {}
        for leaf, _ in reader.leaf_readers():
            segment = leaf.segment()
            if segment is None:
                continue
            deleted = frozenset(leaf.deleted_docs_set) if leaf.has_deletions() else frozenset()
            lists = SideLists.open(Path(folder), segment.segment_id(), leaf.doc_count_all(), deleted)
            if lists is not None:
                found[segment.segment_id()] = lists
        return cls(found) if found else None

    def lists_for(self, leaf: Any) -> SideLists | None:
        segment = leaf.segment()
        return self.segments.get(segment.segment_id()) if segment is not None else None


class _Values(Mapping[int, Sequence[int]]):
    """{entry: positions} of one list, each cut from the file only when asked for (phrases ask for a few)."""

    def __init__(self, ids: array, ends: array, data: mmap.mmap, start: int, offset: int, deleted: frozenset[int]) -> None:
        self.ids, self.ends, self.data, self.start, self.offset, self.deleted = ids, ends, data, start, offset, deleted
        self._blob: array | None = None  # every entry's positions, read at the first entry asked for
        self._where: dict[int, int] | None = None  # entry -> its place in the list, once many are asked for (a phrase)
        self._asked = 0
        self._bounds = array("I")  # where each entry's positions start, then where the last ends (bytes)

    def _positions(self) -> array:
        if self._blob is None:
            self._blob = array("I")
            self._blob.frombytes(self.data[self.start : self.start + (self.ends[-1] if self.ends else 0)])
        return self._blob

    def _index(self, doc: object) -> int:
        local = doc - self.offset if isinstance(doc, int) else -1
        if self._where is not None:
            i = self._where.get(local, -1)
        else:
            self._asked += 1
            if self._asked > 64:  # a dict of the whole list pays for itself after a few dozen look-ups
                self._where = dict(zip(self.ids, range(len(self.ids))))
            i = bisect_left(self.ids, local)
            i = i if i < len(self.ids) and self.ids[i] == local else -1
        return i if i >= 0 and local not in self.deleted else -1

    def slices(self, docs: list[int]) -> list[Sequence[int]]:
        """The positions of each of `docs`, entries known to be in the list (a phrase's candidates: never a
        deleted one), in one pass. For many, a map of the whole list made once; for fewer, a bisection
        each (C code): mapping a list of 9,000 entries costs more than finding a few hundred of them."""
        if not self._bounds:
            self._bounds.append(0)
            self._bounds.extend(self.ends)
        ids, bounds, blob, offset = self.ids, self._bounds, self._positions(), self.offset
        if self._where is None and len(docs) * 4 < len(ids):
            places = [bisect_left(ids, doc - offset) for doc in docs]
        else:
            if self._where is None:
                self._where = dict(zip(ids, range(len(ids))))
            where = self._where
            places = list(map(where.__getitem__, docs)) if not offset else [where[doc - offset] for doc in docs]
        return [blob[bounds[i] >> 2 : bounds[i + 1] >> 2] for i in places]  # bounds: in bytes

    def __getitem__(self, doc: int) -> Sequence[int]:
        i = self._index(doc)
        if i < 0:
            raise KeyError(doc)
        return self._positions()[(self.ends[i - 1] if i else 0) >> 2 : self.ends[i] >> 2]  # ends: in bytes

    def __contains__(self, doc: object) -> bool:
        return self._index(doc) >= 0

    def __iter__(self) -> Iterator[int]:
        return (i + self.offset for i in self.ids if i not in self.deleted)

    def __len__(self) -> int:
        return sum(1 for _ in self)
