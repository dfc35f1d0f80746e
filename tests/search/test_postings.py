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


def test_long_lists_written_whole_are_the_lists_whoosh_writes(tmp_path):
    """Lists of several blocks (Whoosh's blocks hold 128 postings), with lengths and weights varying inside
    a block, written a term at a time (whoosh_internals.write_term) and by Whoosh one posting at a time."""
    from kb.search.postings import use_compact_writer

    docs = [
        {
            "ref": f"r{n}",
            "title": "alpha " * (1 + n % 3),
            "body": " ".join(["alpha"] * (1 + n // 100 * 3) + ["beta"] * (n % 7) + [f"w{n % 11}"]),
        }
        for n in range(400)
    ]
    folders = []
    for compact in (True, False):
        folder = tmp_path / str(compact)
        folder.mkdir()
        ix = index.create_in(str(folder), search_index.schema(fast=compact))
        writer = ix.writer(procs=1)
        pool = use_compact_writer(writer) if compact else None
        for doc in docs:
            writer.add_document(**doc)
            if pool is not None:
                pool.gather()
        writer.commit(optimize=True)
        ix.close()
        folders.append(folder)
    ours, theirs = (everything(f) for f in folders)
    alpha_rows, _ = ours["postings"][("body", b"alpha")]
    assert len(alpha_rows) == 400 and len({row[3] for row in alpha_rows}) > 1  # four blocks, their lengths differ
    assert ours == theirs


def write_alone_and_filed(tmp_path, docs, schema) -> tuple[dict, dict, list[bool]]:
    """The same documents written by Whoosh alone and through the compact writer; whether its documents were filed."""
    from whoosh import fields

    from kb.search.postings import use_compact_writer

    folders, filed = [], []
    for compact in (True, False):
        folder = tmp_path / str(compact)
        folder.mkdir()
        ix = index.create_in(str(folder), schema)
        writer = ix.writer(procs=1)
        if compact:
            pool = use_compact_writer(writer)
            filed.append("add_document" in vars(writer))  # replaced on this writer
        for doc in docs:
            writer.add_document(**doc)
            if compact:
                pool.gather()
        writer.commit(optimize=True)
        ix.close()
        folders.append(folder)
    assert isinstance(schema, fields.Schema)
    return everything(folders[0]), everything(folders[1]), filed


DOCS = [
    {"ref": f"r{n}", "title": "Alpha beta", "body": "gamma " * n + "delta", "_stored_title": f"T{n}", "_boost": 1.0 + n % 3}
    for n in range(30)
]


def test_postings_filed_whole_with_boosts_and_stored_values_make_whoosh_own_index(tmp_path):
    ours, theirs, filed = write_alone_and_filed(tmp_path, DOCS, search_index.schema())
    assert filed == [True]
    assert ours == theirs and ours["stored"][3]["title"] == "T3"


def test_a_field_with_term_vectors_leaves_add_document_to_whoosh(tmp_path):
    from whoosh import fields

    schema = search_index.schema()
    schema.add("vectored", fields.TEXT(vector=True))
    docs = [{**d, "vectored": "one two"} for d in DOCS]
    ours, theirs, filed = write_alone_and_filed(tmp_path, docs, schema)
    assert filed == [False] and ours == theirs


def test_a_changed_add_document_is_left_to_whoosh(tmp_path, monkeypatch):
    import kb.search.whoosh_internals as internals

    monkeypatch.setattr(internals, "ADD_DOCUMENT_SHA256", "0" * 64)
    ours, theirs, filed = write_alone_and_filed(tmp_path, DOCS, search_index.schema())
    assert filed == [False] and ours == theirs


def test_filed_documents_out_of_order_are_refused():
    pool = CompactPostings()
    pool.file("body", 3, ([b"a"], [1], [1.0], [b""]), 1.0)
    with pytest.raises(ValueError, match="in order"):
        pool.file("body", 2, ([b"b"], [1], [1.0], [b""]), 1.0)
    assert pool.file("title", 3, ([b"a", b"b"], [2, 3], [1.0, 2.0], [b"", b""]), 2.0) == 5  # the field's length
    assert pool.file("title", 4, (), 1.0) == 0  # a field with no words
    assert [(t, list(d), list(w)) for _, t, d, w, _ in pool.by_term()] == [
        (b"a", [3], [1.0]),
        (b"a", [3], [2.0]),
        (b"b", [3], [4.0]),
    ]


def test_postings_out_of_document_order_are_refused():
    pool = CompactPostings()
    pool.add(("body", b"a", 3, 1.0, b""))
    pool.gather()
    pool.add(("body", b"b", 2, 1.0, b""))
    with pytest.raises(ValueError, match="in order"):
        pool.gather()


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
