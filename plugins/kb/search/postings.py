"""The index writer's postings, held compactly in memory until the segment is written.

Why: Whoosh's writer keeps every posting as a five-item tuple in a pool that it sorts and spills
to pickled run files on disk (whoosh.writing.PostingPool). At 10,000 entries that pool held
750 MB and its spilling and merging took seconds. Our writer adds documents in order, so each
term's postings already arrive in document order: keeping them per term in typed arrays, and
sorting only the terms, gives the same sorted stream Whoosh's pool gives, in about a tenth of
the memory. Used by search/index.py's write_index (one writer, one process, fresh segment), with the lengths below:
while writing the postings Whoosh looks up the length of each posting's field in its document
(2 million lookups at 10,000 entries, each read back from the column file); the lengths are
read once per field instead. tests/search/test_postings.py compares an index written this way
with one written by Whoosh alone.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

from kb.search.side_postings import SideWriter
from kb.search.whoosh_internals import use_posting_pool, wrap_document_reader


class CompactPostings:
    """Stands in for a SegmentWriter's `pool`: add(), iter_postings(), cleanup()."""

    def __init__(self, side: SideWriter | None = None) -> None:
        self.side = side  # also takes each long list, as plain arrays beside the index (side_postings.py)
        self.terms: dict[tuple[str, bytes], tuple[array, array, list]] = {}
        self.values: dict[bytes | None, bytes | None] = {}  # one copy of each value (most are one position)
        self.fieldnames: set[str] = set()
        self.last_docnum = -1

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, value = item
        if docnum < self.last_docnum:
            raise ValueError("CompactPostings needs documents in order (a fresh segment, one writer)")
        self.last_docnum = docnum
        postings = self.terms.get((fieldname, tbytes))
        if postings is None:
            postings = self.terms[(fieldname, tbytes)] = (array("q"), array("d"), [])
            self.fieldnames.add(fieldname)
        postings[0].append(docnum)
        postings[1].append(weight)
        postings[2].append(self.values.setdefault(value, value))

    def iter_postings(self) -> Iterator[tuple]:
        """(fieldname, term, docnum, weight, value) in the order Whoosh's sorted pool yields them."""
        for key in sorted(self.terms):
            fieldname, tbytes = key
            docnums, weights, values = self.terms[key]
            if self.side is not None:
                self.side.add(fieldname, tbytes, docnums, weights, values)
            for i, docnum in enumerate(docnums):
                yield fieldname, tbytes, docnum, weights[i], values[i]

    def cleanup(self) -> None:
        self.terms.clear()
        self.values.clear()


def use_compact_writer(writer, side: SideWriter | None = None) -> None:
    """Give a fresh segment writer the compact pool, and make it read each field's document lengths once
    per field when it writes the postings (both through whoosh_internals.py)."""
    use_posting_pool(writer, CompactPostings(side))  # Whoosh's own pool held 750 MB at 10,000 entries
    wrap_document_reader(writer, _RememberedLengths)


class _RememberedLengths:
    """A per-document reader whose field-length lookups come from a list read once per field."""

    def __init__(self, reader) -> None:
        self._reader = reader

    def doc_field_length_reader(self, fieldname: str, default: int = 0):
        length_of = self._reader.doc_field_length_reader(fieldname, default)
        return [length_of(docnum) for docnum in range(self._reader.doc_count_all())].__getitem__

    def __getattr__(self, name: str):
        return getattr(self._reader, name)
