"""Where words are in an entry: phrases checked from the positions of their words, and words near one another.

Apart from match.py, which reads the posting lists and scores: these take the positions as they come
(side lists' arrays, Whoosh's encoded values, or both for an index of several segments).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Decoded(Mapping[int, Sequence[int]]):
    """{entry: positions} of a list read through Whoosh, each decoded when asked for."""

    def __init__(self, encoded: dict[int, bytes], decode) -> None:
        self.encoded, self.decode = encoded, decode

    def __getitem__(self, doc: int) -> Sequence[int]:
        return list(self.decode(self.encoded[doc]))

    def __contains__(self, doc: object) -> bool:
        return doc in self.encoded

    def __iter__(self):
        return iter(self.encoded)

    def __len__(self) -> int:
        return len(self.encoded)


class Joined(Mapping[int, Sequence[int]]):
    """The positions of one word, segment by segment (each entry is in one segment only)."""

    def __init__(self, parts: list[Mapping[int, Sequence[int]]]) -> None:
        self.parts = parts

    def __getitem__(self, doc: int) -> Sequence[int]:
        for part in self.parts:
            if doc in part:
                return part[doc]
        raise KeyError(doc)

    def __iter__(self):
        return (doc for part in self.parts for doc in part)

    def __len__(self) -> int:
        return sum(map(len, self.parts))


def merged(found) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for positions in found:
        for d, places in positions.items():
            out.setdefault(d, []).extend(places)
    return out


def within_window(lists: list[list[int]], window: int) -> bool:
    """Whether one position from each list fits in a span of `window` positions (a sweep over them all, sorted)."""
    events = sorted((p, i) for i, places in enumerate(lists) for p in places)
    counts = [0] * len(lists)
    covered, start = 0, 0
    for p, i in events:
        counts[i] += 1
        covered += counts[i] == 1
        while events[start][0] < p - window:
            j = events[start][1]
            counts[j] -= 1
            covered -= counts[j] == 0
            start += 1
        if covered == len(lists):
            return True
    return False


def consecutive(positions_of: list[Mapping[int, Sequence[int]]], candidates: set[int]) -> set[int]:
    """The candidates (each has every word) where the words occur at consecutive positions, as Whoosh's Phrase."""
    docs = list(candidates)
    first, *rest = (slices_of(positions, docs) for positions in positions_of)
    if len(rest) == 1:  # two words (most phrases): the second one place after the first, somewhere
        return {d for d, a, b in zip(docs, first, rest[0]) if not set(a).isdisjoint(map((-1).__add__, b))}
    found = set()
    for i, doc in enumerate(docs):
        starts = set(first[i])
        for offset, positions in enumerate(rest, 1):
            starts.intersection_update(map((-offset).__add__, positions[i]))
            if not starts:
                break
        if starts:
            found.add(doc)
    return found


def slices_of(positions: Mapping[int, Sequence[int]], docs: list[int]) -> list[Sequence[int]]:
    """The positions of each of `docs`: the side lists' own (side_postings._Values.slices), else looked up one by one."""
    slices = getattr(positions, "slices", None)
    return slices(docs) if slices is not None else [positions[d] for d in docs]
