"""Every use of Whoosh's undocumented names, behind one wall (whoosh3, pinned exactly in pyproject.toml).

The search speed-ups reach past Whoosh's documented API in four places: the index writer's posting pool,
its field-length reader, its documents' postings filed by term as they are made and its posting lists
written a term at a time (postings.py), a whoosh3 posting
list read a block at a time (match.py), the BM25F scorer's parameters (match.py scores as Whoosh does),
and the Levenshtein automata behind `terms_within` (spelling.py). They do so only through the functions here. `check()` says in words what no longer
has the shape they expect; tests/search/test_whoosh_internals.py fails loudly on it. The writer's
speed-ups are switched off with `speed: {index_writer: false}` in mkdocs.yml and the block reads
with `SearchEngine(..., fast=False)` (`kb search-service --plain`): the answers are the same.
"""

from __future__ import annotations

import hashlib
import inspect
from array import array
from collections.abc import Callable, Iterable
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh import formats
from whoosh.automata.fsa import find_all_matches
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.scoring import BM25FScorer
from whoosh.system import _INT_SIZE
from whoosh.writing import SegmentWriter


def use_posting_pool(writer: SegmentWriter, pool: Any) -> None:
    """Hand a fresh segment writer our own posting pool (it calls add(), iter_postings(), cleanup())."""
    writer.pool = pool


# whoosh3's SegmentWriter.add_document, which _add_document_filing repeats but for where each field's postings go.
ADD_DOCUMENT_SHA256 = "209b64b147c6caf8e28bd11da048a41f705ab3d08ec645aea7890656fc864a8e"

# file_postings(fieldname, docnum, items, fieldboost): files one field's (term, freq, weight, value) items of one
# document under their terms, each weight times fieldboost as Whoosh's loop does; returns the sum of the freqs.
FilePostings = Callable[[str, int, tuple, float], int]  # fieldname, docnum, postings_columns(), boost -> length


def use_document_filer(writer: SegmentWriter, file_postings: FilePostings) -> bool:
    """Make the writer hand each field's postings to `file_postings` as a whole, where Whoosh's add_document
    makes a tuple of each posting and adds it to its pool one at a time (2.8 million at 10,000 entries, filed
    by term again afterwards). Only where add_document is the recorded one and no field keeps term vectors or
    separate spelling words (which that method also handles); returns whether it did."""
    fields = [writer.schema[name] for name in writer.schema.names()]
    if not _add_document_known() or any(f.vector or f.separate_spelling() for f in fields):
        return False
    writer.add_document = lambda **fields: _add_document_filing(writer, file_postings, fields)  # type: ignore[method-assign]
    return True


def _add_document_known() -> bool:
    source = inspect.getsource(SegmentWriter.add_document)
    return hashlib.sha256(source.encode("utf-8")).hexdigest() == ADD_DOCUMENT_SHA256


def _add_document_filing(self: Any, file_postings: FilePostings, fields: dict[str, Any]) -> None:
    """whoosh3's SegmentWriter.add_document with each field's postings filed whole (no vectors, no spelling fields)."""
    self._check_state()
    perdocwriter = self.perdocwriter
    schema = self.schema
    docnum = self.docnum

    docboost = self._doc_boost(fields)
    fieldnames = sorted([name for name in fields if not name.startswith("_")])
    self._check_fields(schema, fieldnames)

    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]

            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                filed = file_postings(fieldname, docnum, postings_columns(field, value), fieldboost)
                if field.scorable:  # only a scorable field's length is kept
                    length = filed

            customval = fields.get(f"_stored_{fieldname}", value)
            sv = customval if field.stored else None
            perdocwriter.add_field(fieldname, field, sv, length)

            column = field.column_type
            if column and customval is not None:
                cv = field.to_column_value(customval)
                perdocwriter.add_column_value(fieldname, column, cv)
    except ValueError as ex:
        perdocwriter.cancel_doc()
        raise ex

    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


def postings_columns(field: Any, value: Any) -> tuple:
    """A field's postings of one value as columns, (terms, freqs, weights, values), or () for none: from the field's
    own postings_columns where it has one (search/analysis.StemmedText), else its index() turned."""
    own = getattr(field, "postings_columns", None)
    columns = own(value) if own is not None else None
    if columns is None:
        return tuple(zip(*field.index(value)))
    return columns if columns[0] else ()


def use_term_writer(writer: SegmentWriter) -> None:
    """Make the writer's field writer take whole posting lists when its pool gives them (`items.terms()`,
    postings.TermLists): each term's list written by write_term instead of one posting per call."""
    fieldwriter = writer.fieldwriter
    one_at_a_time = fieldwriter.add_postings

    def add_postings(schema: Any, lengths: Any, items: Any) -> None:
        terms = getattr(items, "terms", None)
        if terms is None:
            one_at_a_time(schema, lengths, items)
            return
        fieldname = None
        length_of: Callable[[int], int] = lambda docnum: 0  # noqa: E731  # no length statistics kept
        for name, tbytes, docnums, weights, values in terms():
            if name != fieldname:
                if fieldname is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(name, schema[name])
                fieldname = name
                if lengths:
                    length_of = lengths.doc_field_length_reader(name)
            write_term(fieldwriter, tbytes, docnums, weights, values, length_of)
        if fieldname is not None:
            fieldwriter.finish_field()

    fieldwriter.add_postings = add_postings  # replaced on this one writer


def write_term(
    fieldwriter: Any, tbytes: bytes, docnums: Any, weights: Any, values: list, length_of: Callable[[int], int]
) -> None:
    """One term's posting list, in document order, written a block at a time: the buffers and statistics
    W3PostingsWriter.add_posting would have gathered one posting at a time, then its own block writer
    (the same bytes: tests/search/test_postings.py compares with Whoosh's own writer)."""
    fieldwriter.start_term(tbytes)
    postwriter = fieldwriter._postwriter
    limit, count = postwriter._blocklimit, len(docnums)
    for start in range(0, count, limit):
        end = min(start + limit, count)
        ids = array("I", docnums[start:end])
        block_weights = weights[start:end]
        lengths = [n for n in map(length_of, ids) if n]
        postwriter._ids = ids
        postwriter._weights = array("f", block_weights)
        postwriter._values = [v for v in values[start:end] if v]
        postwriter._maxweight = max(0, max(block_weights))
        postwriter._minlength = min(lengths) if lengths else None
        postwriter._maxlength = max(lengths) if lengths else 0
        if end < count:
            postwriter._write_block()
    fieldwriter.finish_term()  # writes the last block and the term's row


def segment_name(writer: Any) -> str:
    """The id of the segment a committed writer wrote (what its readers' segment().segment_id() says)."""
    return str(writer.newsegment.segment_id())


def wrap_document_reader(writer: SegmentWriter, wrap: Callable[[Any], Any]) -> None:
    """Make the writer read field lengths through wrap(reader) when it writes the postings."""
    per_document_reader = writer.per_document_reader
    writer.per_document_reader = lambda: wrap(per_document_reader())  # type: ignore[method-assign]  # replaced on this one writer


def is_leaf_matcher(matcher: Any) -> bool:
    """Whether a posting list is one whoosh3 leaf matcher, whose blocks read_blocks can take whole."""
    return type(matcher) is W3LeafMatcher


def read_blocks(m: Any, weights: dict, positions: dict | None) -> None:
    """A whoosh3 posting list a block at a time, each block's ids, weights and values taken whole:
    half the time of stepping through it (tests/search/test_match.py compares with Whoosh's own)."""
    while m.is_active():
        if m._byteids:
            m._read_ids()
            ids = m._ids
        else:  # the gaps summed in C (whoosh's delta_decode is a Python generator)
            if m._data is None:
                m._read_data()
            ids = m._ids = tuple(accumulate(m._data[0]))
        m._read_weights()
        weights.update(zip(ids, m._weights))
        if positions is not None:
            m._read_values()
            positions.update(zip(ids, m._values))
        if m._lastblock:
            break
        m._next_block()


def positions_decoder(fmt: Any) -> Callable[[bytes], Iterable[int]]:
    """A posting value's positions, decoded as `fmt.decode_positions` does (Positions: a length, then pickled gaps)
    but summed in C: phrases decode thousands per search."""
    if type(fmt) is not formats.Positions:
        return fmt.decode_positions

    def decode(value: bytes) -> Iterable[int]:
        return accumulate(loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."))

    return decode


def positions_decoders(schema: Any) -> dict[str, Callable[[bytes], Iterable[int]]]:
    """positions_decoder of each field whose postings keep positions (the text fields), by name."""
    return {name: positions_decoder(field.format) for name, field in schema.items() if field.format.supports("positions")}


def bm25_parameters(scorer: Any) -> tuple[float, float, float, float] | None:
    """(idf, average field length, B, K1) of a BM25F scorer; None for fields scored by weight alone."""
    if not isinstance(scorer, BM25FScorer):
        return None
    return scorer.idf, scorer.avgfl, scorer.B, scorer.K1


def words_within(word: str, maxdist: int, prefix: int, first_at_or_after: Callable[[str], str | None]) -> list[str]:
    """Words within `maxdist` edits of `word` sharing its first `prefix` letters, found with the automaton
    `reader.terms_within` uses, over a sorted word list given by first_at_or_after."""
    return list(find_all_matches(Automata.levenshtein_dfa(word, maxdist, prefix), first_at_or_after))


def check(analyzers: dict[str, Any]) -> list[str]:
    """What no longer has the shape the functions above expect, in words (empty when all is well).
    `analyzers`: the index's analysers by name (analysis.STEMMED's field must store positions)."""
    from whoosh import fields

    found = []
    for attribute in ("_read_ids", "_read_data", "_read_weights", "_read_values", "_next_block"):
        if not callable(getattr(W3LeafMatcher, attribute, None)):
            found.append(f"W3LeafMatcher.{attribute} is gone: posting lists cannot be read a block at a time.")
    init = inspect.getsource(SegmentWriter.__init__)
    for attribute in ("self.pool", "self.per_document_reader"):
        if attribute not in init and attribute.split(".")[1] not in dir(SegmentWriter):
            found.append(f"SegmentWriter no longer has {attribute}: the compact writer cannot take its place.")
    postings_writer = inspect.getsource(W3PostingsWriter)
    for attribute in ("_blocklimit", "_ids", "_weights", "_values", "_maxweight", "_minlength", "_maxlength"):
        if f"self.{attribute} =" not in postings_writer:
            found.append(f"W3PostingsWriter no longer keeps {attribute}: posting lists cannot be written whole.")
    if not callable(getattr(W3PostingsWriter, "_write_block", None)) or "self._postwriter =" not in inspect.getsource(
        W3FieldWriter
    ):
        found.append("W3FieldWriter no longer writes through a W3PostingsWriter's _write_block: lists cannot be written whole.")
    if not _add_document_known():
        found.append(
            "SegmentWriter.add_document is not the one recorded (search/whoosh_internals.py ADD_DOCUMENT_SHA256): "
            "each posting goes through Whoosh's pool one at a time again."
        )
    if "self.fieldwriter" not in init:
        found.append("SegmentWriter no longer has self.fieldwriter: posting lists cannot be written whole.")
    if "self.newsegment" not in init:
        found.append("SegmentWriter no longer has self.newsegment: the side lists cannot name their segment.")
    scorer_init = inspect.getsource(BM25FScorer.__init__)
    if not all(f"self.{name} =" in scorer_init for name in ("idf", "avgfl", "B", "K1")):
        found.append("BM25FScorer no longer keeps idf, avgfl, B and K1: match.py cannot score as Whoosh does.")
    if not callable(getattr(Automata, "levenshtein_dfa", None)):
        found.append("whoosh.codec.base.Automata.levenshtein_dfa is gone: spelling correction cannot find neighbours.")
    fmt: Any = fields.TEXT(analyzer=analyzers["STEMMED"]).format
    if type(fmt) is not formats.Positions:
        found.append("TEXT fields no longer store positions by default: analysis.StemmedText encodes them itself.")
    sample = [0, 3, 4, 70000]
    try:
        decoded = list(positions_decoder(fmt)(fmt.encode(sample)))
    except Exception:  # any failure to decode is the change this check reports
        decoded = []
    if decoded != sample:
        found.append("Positions values are no longer a length and pickled gaps: phrases cannot be decoded quickly.")
    return found
