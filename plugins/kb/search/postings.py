"""The index writer's postings, held compactly in memory until the segment is written.

Why: Whoosh's writer keeps every posting as a five-item tuple in a pool that it sorts and spills
to pickled run files on disk (whoosh.writing.PostingPool). At 10,000 entries that pool held
750 MB and its spilling and merging took seconds. Our writer adds documents in order, so each
term's postings already arrive in document order: keeping them per term in one list, and
sorting only the terms, gives the same sorted stream Whoosh's pool gives, in about a tenth of
the memory. Used by search/index.py's write_index (one writer, one process, fresh segment), with the lengths below:
while writing the postings Whoosh looks up the length of each posting's field in its document
(2 million lookups at 10,000 entries, each read back from the column file); the lengths are
read once per field instead. Then each term's list is written whole, a block of 128 at a time, where
Whoosh's field writer takes one posting per call with its checks (whoosh_internals.write_term; with the
postings gathered after each document from a plain list append, 2-3 s of the writer's 27 s at 10,000
entries). Each field's postings are filed as the field makes them (file(), through
whoosh_internals.use_document_filer), without the tuple per posting and the gathering after. tests/search/test_postings.py compares an index written this way with one written by Whoosh alone.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from itertools import repeat

from kb.search.side_postings import SideWriter
from kb.search.whoosh_internals import use_document_filer, use_posting_pool, use_term_writer, wrap_document_reader


class CompactPostings:
    """Stands in for a SegmentWriter's `pool`: add(), iter_postings(), cleanup(); gather() after each document.

    Each field maps a term to one list of its postings, three items each (document number, weight, value),
    filed a document's field at a time by C loops (map over a defaultdict's lookups and the lists' extends)
    rather than a Python loop per posting: filing 2.8 million postings at 10,000 entries took 2.1-2.7 s that
    way, about 1.2 s this way. The lists hold pointers only: a document's number is one int object for all its
    postings, the analyser hands out one float per frequency and one bytes object per single position (keeping
    one copy of every equal value besides cost 1.6 s and took more memory than it saved)."""

    def __init__(self, side: SideWriter | None = None) -> None:
        self.side = side  # also takes each long list, as plain arrays beside the index (side_postings.py)
        self.fields: dict[str, defaultdict[bytes, list]] = {}  # fieldname -> term -> docnum, weight, value, docnum, ...
        self.last_docnum = -1
        self.pending: list[tuple] = []
        # Whoosh calls add() once per posting where it does not file a field's postings whole (file()):
        # a list's own append, the cheapest call there is; gather() files them by term after each document.
        self.add = self.pending.append

    @property
    def fieldnames(self) -> set[str]:
        return set(self.fields)

    def _terms(self, fieldname: str) -> defaultdict[bytes, list]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = defaultdict(list)
        return terms

    def gather(self) -> None:
        """File the postings added since the last call under their terms, in document order."""
        last = self.last_docnum
        for name, tbytes, docnum, weight, value in self.pending:
            if docnum < last:
                self.pending.clear()
                raise ValueError("CompactPostings needs documents in order (a fresh segment, one writer)")
            last = docnum
            self._terms(name)[tbytes].extend((docnum, weight, value))
        self.pending.clear()
        self.last_docnum = last

    def file(self, fieldname: str, docnum: int, columns: tuple, boost: float) -> int:
        """File one field's postings of one document under their terms, each weight times `boost` as Whoosh does;
        `columns` are (terms, freqs, weights, values), or () for none (whoosh_internals.postings_columns).
        Returns the sum of their freqs (the field's length). whoosh_internals.use_document_filer calls it."""
        if docnum < self.last_docnum:
            raise ValueError("CompactPostings needs documents in order (a fresh segment, one writer)")
        if self.pending:  # anything added one posting at a time comes first
            self.gather()
        self.last_docnum = docnum
        if not columns:
            return 0
        terms, freqs, weights, values = columns
        if boost != 1.0:
            weights = [weight * boost for weight in weights]
        _each(map(list.extend, map(self._terms(fieldname).__getitem__, terms), zip(repeat(docnum), weights, values)))
        return sum(freqs)

    def by_term(self) -> Iterator[tuple[str, bytes, list, list, list]]:
        """(fieldname, term, docnums, weights, values) for each term, in the order Whoosh writes them."""
        self.gather()
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                docnums, weights, values = postings[0::3], postings[1::3], postings[2::3]
                if self.side is not None:
                    self.side.add(fieldname, tbytes, docnums, weights, values)
                yield fieldname, tbytes, docnums, weights, values

    def iter_postings(self) -> TermLists:
        """What the segment writer hands its field writer: whole lists by term, or one posting at a time."""
        return TermLists(self.by_term)

    def cleanup(self) -> None:
        self.fields.clear()
        self.pending.clear()


def _each(calls: Iterator) -> None:
    """Run an iterator of calls for their effect, in C (a deque that keeps nothing)."""
    deque(calls, maxlen=0)


class TermLists:
    """The pool's postings: iterated, (fieldname, term, docnum, weight, value) in the order Whoosh's sorted pool
    yields them; `terms()`, each term's whole list, which whoosh_internals.use_term_writer writes a block at a time."""

    def __init__(self, terms: Callable[[], Iterator[tuple[str, bytes, list, list, list]]]) -> None:
        self.terms = terms

    def __iter__(self) -> Iterator[tuple]:
        for fieldname, tbytes, docnums, weights, values in self.terms():
            for i, docnum in enumerate(docnums):
                yield fieldname, tbytes, docnum, weights[i], values[i]


def use_compact_writer(writer, side: SideWriter | None = None) -> CompactPostings:
    """Give a fresh segment writer the compact pool, make it read each field's document lengths once
    per field and write each term's list whole (all three through whoosh_internals.py). Returns the pool."""
    pool = CompactPostings(side)
    use_posting_pool(writer, pool)  # Whoosh's own pool held 750 MB at 10,000 entries
    use_document_filer(writer, pool.file)  # each field's postings filed whole (else added one by one, then gathered)
    wrap_document_reader(writer, _RememberedLengths)
    use_term_writer(writer)
    return pool


class _RememberedLengths:
    """A per-document reader whose field-length lookups come from a list read once per field."""

    def __init__(self, reader) -> None:
        self._reader = reader

    def doc_field_length_reader(self, fieldname: str, default: int = 0):
        length_of = self._reader.doc_field_length_reader(fieldname, default)
        return [length_of(docnum) for docnum in range(self._reader.doc_count_all())].__getitem__

    def __getattr__(self, name: str):
        return getattr(self._reader, name)
