"""Tag pages (tags.py): an index of every tag with its count of visible entries, and one page per tag."""

from __future__ import annotations

import datetime as dt

from kb.content.catalogue import build_catalogue
from kb.site.tags import TAG_PAGE_ENTRIES, tag_pages, tag_rows
from tests.factories import TODAY, catalogue, entry


def test_tag_pages_count_visible_entries(cat):
    rows = {r["id"]: r for r in tag_rows(cat)}
    assert rows["coaching"]["count"] == 2 and rows["oracy"]["count"] == 0
    pages = {p.src_uri: p for p in tag_pages(cat)}
    assert set(pages) == {"tags/index.md"} | {f"tags/{t}/index.md" for t in cat.tags}
    oracy = pages["tags/oracy/index.md"].render_html("tags/oracy/")
    assert "Nothing published carries this tag yet" in oracy and "Zanzibarquill" not in oracy
    index = pages["tags/index.md"].render_html("tags/")
    assert index.index("Coaching") < index.index("Oracy")  # most used first


def test_tag_rows_most_used_first_then_by_label_and_every_tag_listed(cat):
    rows = tag_rows(cat)
    assert [(r["id"], r["count"]) for r in rows] == [("coaching", 2), ("attendance", 1), ("send", 1), ("oracy", 0)]
    assert rows[0] == {**cat.tags["coaching"], "count": 2}  # the vocabulary's fields, plus the count
    tags = {
        "b": {"id": "b", "label": "beta", "description": "", "synonyms": []},
        "a": {"id": "a", "label": "Alpha", "description": "", "synonyms": []},
    }
    unused = build_catalogue([], tags, members=False, today=TODAY)
    assert [r["id"] for r in tag_rows(unused)] == ["a", "b"]  # labels compared without case


def test_tag_page_titles_and_descriptions(cat):
    described = {**cat.tags["oracy"], "description": "Talk in the classroom."}
    cat.tags = {**cat.tags, "oracy": described}  # a new dict: tests/factories.py's TAGS stay as they are
    pages = {p.src_uri: p for p in tag_pages(cat)}
    index = pages["tags/index.md"]
    assert (index.title, index.meta) == ("Tags", {"nav": True})
    coaching = pages["tags/coaching/index.md"]
    assert coaching.title == "Tag: Coaching" and coaching.description == "Entries tagged Coaching."  # no description written
    assert pages["tags/oracy/index.md"].description == "Talk in the classroom."
    assert [p.src_uri for p in tag_pages(cat)][1:] == [f"tags/{r['id']}/index.md" for r in tag_rows(cat)]


def test_tag_page_shows_the_newest_entries_and_links_to_the_rest():
    many = [
        entry(f"case-studies/c{i:03}", date=(TODAY - dt.timedelta(days=i)).isoformat(), tags=["coaching"])
        for i in range(TAG_PAGE_ENTRIES + 5)
    ]
    pages = {p.src_uri: p for p in tag_pages(catalogue(many))}
    html = pages["tags/coaching/index.md"].render_html("tags/coaching/")
    assert html.count('class="kb-card ') == TAG_PAGE_ENTRIES
    assert "C000" in html and f"C{TAG_PAGE_ENTRIES - 1:03}" in html and f"C{TAG_PAGE_ENTRIES:03}" not in html  # newest first
    assert f"{TAG_PAGE_ENTRIES + 5} entries" in html and f"See all {TAG_PAGE_ENTRIES + 5} in Browse" in html
    assert 'href="../../browse/?tag=coaching"' in html


def test_tag_page_escapes_entry_text():
    evil = entry("case-studies/evil", tags=["coaching"])
    evil.meta["title"] = '<script>alert("x")</script>'
    html = {p.src_uri: p for p in tag_pages(catalogue([evil]))}["tags/coaching/index.md"].render_html("tags/coaching/")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
