"""Listings, facets, tag pages, home page and entry facts, on the catalogue alone (no build)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from kb.entry_facts import age_in_words, citation, contact, month_words, network_hub, review_status
from kb.facets import ROW_COLUMNS, facet_counts, facet_options, facet_values, listing_rows, matches
from kb.home import upcoming_meetings, whats_new
from kb.listings import LISTINGS, PER_PAGE, listing_files, listing_pages, page_url
from kb.tag_pages import tag_pages, tag_rows

from .test_related import TODAY, catalogue, entry


def case(ref, date="2026-03-01", networks=("equity",), tags=(), **meta):
    e = entry(ref, date=date, networks=networks, tags=tags)
    e.meta.update(meta)
    return e


@pytest.fixture
def cat():
    return catalogue([
        case("case-studies/a", "2026-03-01", ["equity"], ["coaching"], approach="enquiring", brokerage=["relationships"], phases=["primary"]),
        case("case-studies/b", "2025-06-01", ["equity", "send"], ["coaching", "send"], approach="consulting", phases=["primary", "secondary"]),
        case("case-studies/zanzibarquill", "2026-05-01", ["send"], ["oracy"], approach="directing", status="draft"),
        case("case-studies/quokkamembers", "2026-05-02", ["send"], ["oracy"], approach="landscaping", visibility="members"),
        entry("minutes/equity/2026-12-03", date="2026-12-03", tags=["attendance"]),
        entry("minutes/equity/2027-01-14", date="2027-01-14"),
        entry("minutes/equity/2026-10-08", date="2026-10-08"),
        entry("networks/equity", date=None, networks=()),
        entry("networks/send", date=None, networks=()),
    ])


def test_facet_values_of_an_entry():
    e = case("case-studies/a", "2026-03-01", ["equity"], ["coaching"], approach="enquiring", brokerage=["relationships"], phases=["primary"])
    assert facet_values(e) == {"network": ["equity"], "tag": ["coaching"], "phase": ["primary"], "approach": ["enquiring"],
                               "brokerage": ["relationships"], "year": ["2026"]}
    assert matches(facet_values(e), {"network": "equity", "year": "2026", "tag": ""})
    assert not matches(facet_values(e), {"network": "send"})


def test_facet_counts_come_from_visible_entries_only(cat):
    counts = facet_counts(cat.of_type("case-study"))
    assert counts["network"] == {"equity": 2, "send": 1}
    assert counts["approach"] == {"enquiring": 1, "consulting": 1}
    assert "oracy" not in counts["tag"] and "directing" not in counts["approach"] and "landscaping" not in counts["approach"]
    assert counts["year"] == {"2026": 1, "2025": 1}


def test_facet_counts_for_a_facet_ignore_its_own_filter_but_respect_the_others(cat):
    counts = facet_counts(cat.of_type("case-study"), {"network": "send", "phase": "primary"})
    assert counts["network"] == {"equity": 2, "send": 1}  # other filters (phase) still apply
    assert counts["approach"] == {"consulting": 1}  # both filters apply


def test_facet_options_keep_vocabulary_order_and_drop_empty_facets(cat):
    options = facet_options(cat, facet_counts(cat.of_type("case-study")))
    keys = [f["key"] for f in options]
    assert keys == ["network", "tag", "phase", "approach", "brokerage", "year"]
    approach = next(f for f in options if f["key"] == "approach")
    assert [o["value"] for o in approach["options"]] == ["consulting", "enquiring"]  # model.VOCABULARIES order
    network = next(f for f in options if f["key"] == "network")
    assert network["options"][0] == {"value": "equity", "label": "Equity", "count": 2}
    years = next(f for f in options if f["key"] == "year")
    assert [o["value"] for o in years["options"]] == ["2026", "2025"]
    minutes_options = facet_options(cat, facet_counts(cat.of_type("minutes")))
    assert "approach" not in [f["key"] for f in minutes_options]


def test_rows_file_is_compact_and_holds_only_the_listing(cat):
    files = listing_files(cat)
    assert set(files) == {f"{listing.prefix}/rows.json" for listing in LISTINGS}
    data = json.loads(files["case-studies/rows.json"])
    assert data["columns"] == ROW_COLUMNS
    assert [row[0] for row in data["rows"]] == ["case-studies/a/", "case-studies/b/"]
    everything = files["browse/rows.json"]
    assert "zanzibarquill" not in everything and "quokkamembers" not in everything
    assert "networks/equity/" not in [row[0] for row in json.loads(everything)["rows"]]
    assert listing_rows([cat.entries["case-studies/a"]])[0][2] == "2026-03-01"


def test_listings_are_paged_at_build_time():
    many = [case(f"case-studies/c{i:03}", (dt.date(2026, 1, 1) - dt.timedelta(days=i)).isoformat()) for i in range(2 * PER_PAGE + 1)]
    big = catalogue(many)
    pages = {p.src_uri: p for p in listing_pages(big)}
    assert {"case-studies/index.md", "case-studies/page/2/index.md", "case-studies/page/3/index.md"} <= set(pages)
    assert "case-studies/page/4/index.md" not in pages
    assert page_url("case-studies", 1) == "case-studies/" and page_url("case-studies", 3) == "case-studies/page/3/"
    first = pages["case-studies/index.md"].render_html("case-studies/")
    assert first.count('class="kb-card ') == PER_PAGE
    assert "C000" in first and "C050" not in first  # newest first
    third = pages["case-studies/page/3/index.md"].render_html("case-studies/page/3/")
    assert third.count('class="kb-card ') == 1 and 'aria-current="page"' in third
    assert 'href="../../"' in third  # pagination back to the first page, relative
    assert pages["research/index.md"].render_html("research/").count("Nothing has been published here yet") == 1


def test_listing_page_escapes_entry_text():
    evil = case("case-studies/evil", title='<script>alert("x")</script> & "quotes"')
    html = {p.src_uri: p for p in listing_pages(catalogue([evil]))}["case-studies/index.md"].render_html("case-studies/")
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_tag_pages_count_visible_entries(cat):
    rows = {r["id"]: r for r in tag_rows(cat)}
    assert rows["coaching"]["count"] == 2 and rows["oracy"]["count"] == 0
    pages = {p.src_uri: p for p in tag_pages(cat)}
    assert set(pages) == {"tags/index.md"} | {f"tags/{t}/index.md" for t in cat.tags}
    oracy = pages["tags/oracy/index.md"].render_html("tags/oracy/")
    assert "Nothing published carries this tag yet" in oracy and "Zanzibarquill" not in oracy
    index = pages["tags/index.md"].render_html("tags/")
    assert index.index("Coaching") < index.index("Oracy")  # most used first


def test_home_lists_new_and_upcoming_from_today(cat):
    assert [e.ref for e in upcoming_meetings(cat)] == ["minutes/equity/2026-12-03", "minutes/equity/2027-01-14"]
    new = [e.ref for e in whats_new(cat)]
    assert new[0] == "minutes/equity/2026-10-08" and "minutes/equity/2026-12-03" not in new
    assert not any(r.startswith("networks/") for r in new)


def test_network_hub_splits_upcoming_and_latest_meetings(cat):
    hub = network_hub(cat.entries["networks/equity"], cat)
    by_type = {s["type"]: [e.ref for e in s["entries"]] for s in hub["sections"]}
    assert by_type["minutes-upcoming"] == ["minutes/equity/2026-12-03", "minutes/equity/2027-01-14"]
    assert by_type["minutes"] == ["minutes/equity/2026-10-08"]
    assert by_type["case-study"] == ["case-studies/a", "case-studies/b"]


@pytest.mark.parametrize("reviewed, overdue, words", [
    (dt.date(2026, 10, 5), False, "Reviewed 1 month ago."),
    (dt.date(2025, 11, 23), False, "Reviewed 1 year ago."),
    (dt.date(2025, 11, 22), True, "Not reviewed for 1 year: it may be out of date."),
    (dt.date(2025, 7, 1), True, "Not reviewed for 1 year and 4 months: it may be out of date."),
    (None, True, "Never reviewed"),
])
def test_review_status_flags_entries_not_reviewed_for_over_a_year(reviewed, overdue, words):
    status = review_status(reviewed, TODAY)
    assert status["overdue"] is overdue
    assert status["words"].startswith(words)


def test_age_in_words():
    assert age_in_words(dt.date(2026, 11, 1), TODAY) == "less than a month"
    assert age_in_words(dt.date(2024, 9, 23), TODAY) == "2 years and 2 months"


@pytest.mark.parametrize("doi, url, doi_linked, url_linked", [
    ("10.1080/0305764X.2013.786024", "https://example.org/p", True, True),
    ("doi:10.1080/x", "javascript:alert(1)", False, False),
    ("", "ftp://example.org", False, False),
])
def test_citation_links_only_well_formed_doi_and_url(doi, url, doi_linked, url_linked):
    c = citation({"title": "T", "authors": ["A One", "B Two", "C Three"], "year": 2013, "doi": doi, "url": url})
    assert c["authors"] == "A One, B Two and C Three"
    assert (c["doi_url"] is not None) is doi_linked
    assert c["url_ok"] is url_linked


def test_contact_and_month_words():
    assert contact("") == {"text": "Via the network convenor", "mailto": None}
    assert contact("pl@partnership.example")["mailto"] == "mailto:pl@partnership.example"
    assert contact("via the network convener")["mailto"] is None
    assert month_words("2026-03") == "March 2026"
