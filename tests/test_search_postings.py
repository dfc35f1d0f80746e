"""An index written through CompactPostings is the index Whoosh's own pool writes."""
from __future__ import annotations

import pytest
from whoosh import index

import kb.search_index as search_index
from kb.search_postings import CompactPostings


def everything(folder) -> dict:
    """Every posting (with its weight and value), stored field and field length of an index."""
    ix = index.open_dir(str(folder))
    with ix.searcher() as s:
        reader = s.reader()
        postings = {}
        for fieldname in ix.schema.names():
            if not ix.schema[fieldname].indexed:
                continue
            for term in reader.lexicon(fieldname):
                m = reader.postings(fieldname, term)
                rows = []
                while m.is_active():
                    rows.append((m.id(), m.weight(), m.value()))
                    m.next()
                postings[(fieldname, term)] = rows
        stored = [dict(d) for d in reader.all_stored_fields()]
        lengths = {f: [reader.doc_field_length(n, f) for n in range(reader.doc_count_all())] for f in ("title", "body", "extra")}
    ix.close()
    return {"postings": postings, "stored": stored, "lengths": lengths}


def test_same_index_as_whooshs_own_pool(tmp_path, monkeypatch):
    from kb.catalogue import load_project
    from kb.corpus import generate_project
    generate_project(tmp_path / "corpus", 60)
    catalogue, _ = load_project(tmp_path / "corpus")
    ours = tmp_path / "ours"
    ours.mkdir()
    search_index._write_index(search_index.catalogue_documents(catalogue), {}, ours)
    monkeypatch.setattr(search_index, "CompactPostings", lambda: writer_pool_of_whoosh())
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    search_index._write_index(search_index.catalogue_documents(catalogue), {}, theirs)
    a, b = everything(ours), everything(theirs)
    assert len(a["postings"]) > 1000 and len(a["stored"]) > 60
    assert a == b


def writer_pool_of_whoosh():
    """What SegmentWriter would have used: a PostingPool, made the way it makes it."""
    from whoosh.filedb.filestore import RamStorage
    from whoosh.writing import PostingPool
    return PostingPool(RamStorage(), None, limitmb=1)  # 1 MB: spills runs, so the merge path is compared too


def test_postings_out_of_document_order_are_refused():
    pool = CompactPostings()
    pool.add(("body", b"a", 3, 1.0, b""))
    with pytest.raises(ValueError, match="in order"):
        pool.add(("body", b"b", 2, 1.0, b""))


def test_sorted_like_a_sort_of_the_tuples():
    pool = CompactPostings()
    items = [("title", b"b", 0, 1.0, b"x"), ("body", b"z", 0, 2.0, None), ("body", b"a", 1, 1.0, b"y"),
             ("body", b"z", 1, 1.0, b"x"), ("title", b"a", 2, 3.0, b"x")]
    for item in items:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(items, key=lambda t: t[:3])
    assert pool.fieldnames == {"title", "body"}
