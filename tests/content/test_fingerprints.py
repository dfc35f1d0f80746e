"""fingerprints: stable hashes of an entry's shape (what other pages show) and body, and of the catalogue's shape."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys

import pytest

from kb.content.catalogue import Entry
from kb.content.fingerprints import body_digest, catalogue_shape, digest, entry_shape, settings, shape_digest
from kb.content.terms import parse_terms
from tests.factories import catalogue, entry

TERMS = """\
2025-26:
  autumn: {start: 2025-09-03, end: 2025-12-19}
  spring: {start: 2026-01-05, end: 2026-03-27}
  summer: {start: 2026-04-13, end: 2026-07-22}
"""
PLAIN = ("a", 1, 2.5, None, True, ["x", ("y",)], {"k": [1, 2]}, dt.date(2026, 3, 12))


def _entry(body: str = "Body.", **meta) -> Entry:
    """A case study whose meta and body can be varied one at a time (a new Entry each time: no shared memo)."""
    fields = {"title": "Coaching", "summary": "S.", "status": "published", "networks": ["equity"], "date": dt.date(2026, 3, 1)}
    fields.update(meta)
    return Entry("case-studies/coaching", "case-study", "content/case-studies/coaching.md", fields, body, ["networks/equity"])


def test_digest_is_128_bits_of_hex():
    found = digest(*PLAIN)
    assert len(found) == 32 and int(found, 16) >= 0


def test_digest_is_equal_for_equal_data_and_differs_otherwise():
    assert digest(*PLAIN) == digest(*PLAIN)
    assert digest({"k": [1, 2]}) == digest({"k": [1, 2]})
    assert digest("a", "b") != digest("b", "a")
    assert digest("ab") != digest("a", "b")
    assert digest(1) != digest("1")
    assert digest(dt.date(2026, 3, 12)) != digest("2026-03-12")


def test_digest_is_the_same_in_another_process():
    code = (
        "import datetime as dt; from kb.content.fingerprints import digest; "
        "print(digest('a', 1, 2.5, None, True, ['x', ('y',)], {'k': [1, 2]}, dt.date(2026, 3, 12)))"
    )
    for seed in ("1", "2"):  # str hashing is randomised per process: the digest must not depend on it
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED=seed), check=True
        )
        assert done.stdout.strip() == digest(*PLAIN)


def test_digest_survives_text_python_cannot_encode():
    assert digest("\udcff") != digest("\udcfe")  # a lone surrogate (from a badly saved file) does not raise


def test_shape_leaves_out_the_body_and_body_digest_is_only_the_body():
    one, other = _entry(body="First text."), _entry(body="Second text.")
    assert entry_shape(one) == entry_shape(other)
    assert shape_digest(one) == shape_digest(other)
    assert body_digest(one) != body_digest(other)
    assert body_digest(one) == digest("First text.")


@pytest.mark.parametrize(
    "change",
    [
        lambda: _entry(title="Another title"),
        lambda: _entry(tags=["coaching"]),
        lambda: _entry(date=dt.date(2026, 3, 2)),
        lambda: Entry("case-studies/other", "case-study", "content/case-studies/coaching.md", _entry().meta, "Body."),
        lambda: dataclasses.replace(_entry(), links=["networks/equity", "case-studies/x"], memo={}),
        lambda: dataclasses.replace(_entry(), path="content/case-studies/moved.md", memo={}),
        lambda: dataclasses.replace(_entry(), type="research", memo={}),
    ],
    ids=["title", "tags", "date", "ref", "links", "path", "type"],
)
def test_shape_changes_with_everything_other_pages_show(change):
    assert shape_digest(change()) != shape_digest(_entry())


def test_shape_does_not_depend_on_the_order_fields_were_written_in():
    forwards = _entry(title="T", summary="S.")
    meta = dict(reversed(list(forwards.meta.items())))
    backwards = Entry(forwards.ref, forwards.type, forwards.path, meta, forwards.body, list(forwards.links))
    assert list(forwards.meta) != list(backwards.meta)
    assert shape_digest(forwards) == shape_digest(backwards)


def test_digests_are_kept_with_the_entry():
    one = _entry()
    shape, body = shape_digest(one), body_digest(one)
    assert one.memo == {"shape": shape, "body": body}
    one.memo["shape"] = "kept"
    assert shape_digest(one) == "kept"  # worked out once, then read back


def _cat(**changes):
    cat = catalogue([entry("case-studies/a", date="2026-03-01"), entry("case-studies/b", date="2026-02-01")])
    return dataclasses.replace(cat, **changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"members": True},
        {"preview": True},
        {"today": dt.date(2026, 11, 24)},
        {"site_url": "https://example.org/"},
        {"site_name": "Another alliance"},
        {"search_api": "http://127.0.0.1:8001/api/search"},
        {"tags": {"coaching": {"id": "coaching", "label": "Coaching!", "description": "", "synonyms": []}}},
        {"terms": parse_terms(TERMS)[0]},
    ],
    ids=lambda c: next(iter(c)),
)
def test_settings_hold_what_belongs_to_no_entry(changes):
    assert _cat(**changes) != _cat()
    assert settings(_cat(**changes)) != settings(_cat())
    assert catalogue_shape(_cat(**changes)) != catalogue_shape(_cat())


def test_settings_do_not_hold_the_entries():
    assert settings(_cat()) == settings(_cat(entries={}))


def test_catalogue_shape_is_stable_for_equal_catalogues():
    assert catalogue_shape(_cat()) == catalogue_shape(_cat())


def test_catalogue_shape_changes_with_entry_order():
    cat = _cat()
    reordered = dataclasses.replace(cat, entries=dict(reversed(list(cat.entries.items()))))
    assert list(reordered.entries) != list(cat.entries)
    assert catalogue_shape(reordered) != catalogue_shape(cat)


def test_catalogue_shape_changes_with_meta_but_not_with_body():
    a, b = entry("case-studies/a"), entry("case-studies/b", date="2026-02-01")
    with_body = Entry(a.ref, a.type, a.path, dict(a.meta), "A new body.", list(a.links))
    retitled = Entry(a.ref, a.type, a.path, {**a.meta, "title": "Retitled"}, a.body, list(a.links))
    base = catalogue_shape(catalogue([a, b]))
    assert catalogue_shape(catalogue([with_body, b])) == base
    assert catalogue_shape(catalogue([retitled, b])) != base


def test_catalogue_shape_changes_when_an_entry_comes_or_goes():
    a, b = entry("case-studies/a"), entry("case-studies/b", date="2026-02-01")
    assert catalogue_shape(catalogue([a])) != catalogue_shape(catalogue([a, b]))
