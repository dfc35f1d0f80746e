"""An index written through CompactPostings is the index Whoosh's own pool writes."""

from __future__ import annotations

import pytest
from whoosh import index

import kb.search.index as search_index
from kb.search.postings import CompactPostings


def everything(folder) -> dict:
    """Every posting (its weight, value and block lengths), term statistics, stored field and field length."""
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
                    rows.append((m.id(), repr(m.weight()), m.value(), m.block_min_length(), m.block_max_length()))
                    m.next()
                info = reader.term_info(fieldname, term)  # lengths here come from the remembered lengths
                postings[(fieldname, term)] = rows, (info.min_length(), info.max_length(), info.max_weight())
        stored = [dict(d) for d in reader.all_stored_fields()]
        lengths = {f: [reader.doc_field_length(n, f) for n in range(reader.doc_count_all())] for f in ("title", "body", "extra")}
    ix.close()
    return {"postings": postings, "stored": stored, "lengths": lengths}


def test_same_index_as_whoosh_alone_writes(tmp_path):
    from kb.project import load_project
    from kb_tools.corpus import generate_project

    generate_project(tmp_path / "corpus", 60)
    catalogue, _ = load_project(tmp_path / "corpus")
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    search_index.write_index(search_index.catalogue_documents(catalogue), {}, ours)
    ix = index.create_in(str(theirs.mkdir() or theirs), search_index.schema(fast=False))  # Whoosh's own analyser too
    writer = ix.writer(procs=1, limitmb=1)  # 1 MB: Whoosh's pool spills runs, so its merge is compared too
    for doc in search_index.catalogue_documents(catalogue):
        writer.add_document(**doc)
    writer.commit(optimize=True)
    ix.close()
    a, b = everything(ours), everything(theirs)
    assert len(a["postings"]) > 1000 and len(a["stored"]) > 60 and any(a["lengths"]["body"])
    assert a == b


def test_postings_out_of_document_order_are_refused():
    pool = CompactPostings()
    pool.add(("body", b"a", 3, 1.0, b""))
    with pytest.raises(ValueError, match="in order"):
        pool.add(("body", b"b", 2, 1.0, b""))


def test_sorted_like_a_sort_of_the_tuples():
    pool = CompactPostings()
    items = [
        ("title", b"b", 0, 1.0, b"x"),
        ("body", b"z", 0, 2.0, None),
        ("body", b"a", 1, 1.0, b"y"),
        ("body", b"z", 1, 1.0, b"x"),
        ("title", b"a", 2, 3.0, b"x"),
    ]
    for item in items:
        pool.add(item)
    assert list(pool.iter_postings()) == sorted(items, key=lambda t: t[:3])
    assert pool.fieldnames == {"title", "body"}
