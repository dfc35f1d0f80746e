"""What an entry page shows beyond its front matter (entry_facts.py): review age, citations, contacts, network hubs."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.site.entry_facts import age_in_words, citation, contact, entry_facts_context, month_words, network_hub, review_status
from tests.factories import TODAY, catalogue, entry


def test_network_hub_splits_upcoming_and_latest_meetings(cat):
    hub = network_hub(cat.entries["networks/equity"], cat)
    by_type = {s["type"]: [e.ref for e in s["entries"]] for s in hub["sections"]}
    assert by_type["minutes-upcoming"] == ["minutes/equity/2026-12-03", "minutes/equity/2027-01-14"]
    assert by_type["minutes"] == ["minutes/equity/2026-10-08"]
    assert by_type["case-study"] == ["case-studies/a", "case-studies/b"]


@pytest.mark.parametrize(
    "reviewed, overdue, words",
    [
        (dt.date(2026, 10, 5), False, "Reviewed 1 month ago."),
        (dt.date(2025, 11, 23), False, "Reviewed 1 year ago."),
        (dt.date(2025, 11, 22), True, "Not reviewed for 1 year: it may be out of date."),
        (dt.date(2025, 7, 1), True, "Not reviewed for 1 year and 4 months: it may be out of date."),
        (None, True, "Never reviewed"),
    ],
)
def test_review_status_flags_entries_not_reviewed_for_over_a_year(reviewed, overdue, words):
    status = review_status(reviewed, TODAY)
    assert status["overdue"] is overdue
    assert status["words"].startswith(words)


def test_age_in_words():
    assert age_in_words(dt.date(2026, 11, 1), TODAY) == "less than a month"
    assert age_in_words(dt.date(2024, 9, 23), TODAY) == "2 years and 2 months"


@pytest.mark.parametrize(
    "doi, url, doi_linked, url_linked",
    [
        ("10.1080/0305764X.2013.786024", "https://example.org/p", True, True),
        ("doi:10.1080/x", "javascript:alert(1)", False, False),
        ("", "ftp://example.org", False, False),
    ],
)
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


@pytest.mark.parametrize(
    "since, words",
    [
        (dt.date(2026, 11, 23), "less than a month"),
        (dt.date(2026, 10, 24), "less than a month"),  # a day short of a month
        (dt.date(2026, 10, 23), "1 month"),
        (dt.date(2026, 5, 1), "6 months"),
        (dt.date(2025, 11, 23), "1 year"),
        (dt.date(2025, 10, 23), "1 year and 1 month"),
        (dt.date(2023, 11, 24), "2 years and 11 months"),
        (dt.date(2027, 1, 1), "less than a month"),  # a future date is not a negative age
    ],
)
def test_age_in_words_cases(since, words):
    assert age_in_words(since, TODAY) == words


@pytest.mark.parametrize(
    "reviewed, today, overdue, words",
    [
        (TODAY, TODAY, False, "Reviewed today."),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), False, "Reviewed 11 months ago."),  # a year after 29 February
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), True, "Not reviewed for 1 year: it may be out of date."),
    ],
)
def test_review_status_on_the_day_and_after_a_leap_day(reviewed, today, overdue, words):
    assert review_status(reviewed, today) == {"overdue": overdue, "words": words}


@pytest.mark.parametrize(
    "month, words", [("2026-03", "March 2026"), ("2026-13", "2026-13"), ("March", "March"), (None, ""), ("", "")]
)
def test_month_words(month, words):
    assert month_words(month) == words


@pytest.mark.parametrize(
    "authors, text", [([], ""), (["A One"], "A One"), (["A One", "B Two"], "A One and B Two"), ([1984], "1984")]
)
def test_citation_joins_authors_for_reading(authors, text):
    assert citation({"authors": authors})["authors"] == text


def test_citation_of_a_sparse_reading_and_a_padded_doi():
    c = citation({"doi": "  10.1080/0305764X.2013.786024 ", "url": " https://example.org/p "})
    assert c == {
        "authors": "",
        "year": None,
        "title": "",
        "publisher": "",
        "doi": "10.1080/0305764X.2013.786024",
        "doi_url": "https://doi.org/10.1080/0305764X.2013.786024",
        "url": "https://example.org/p",
        "url_ok": True,
    }


@pytest.mark.parametrize(
    "text, shown, mailto",
    [
        (None, "Via the network convenor", None),
        ("   ", "Via the network convenor", None),
        (" hub@school.example ", "hub@school.example", "mailto:hub@school.example"),
        ("Head <head@school.example>", "Head <head@school.example>", None),  # only a bare address becomes a link
        ("a@b", "a@b", None),
        ('x"@y.example', 'x"@y.example', None),
    ],
)
def test_contact(text, shown, mailto):
    assert contact(text) == {"text": shown, "mailto": mailto}


def test_network_hub_caps_each_section_and_links_to_its_listing():
    items = [entry(f"case-studies/c{i}", date=f"2026-0{1 + i % 9}-1{i % 10}") for i in range(8)]
    items += [entry(f"minutes/equity/2027-0{m}-01", date=f"2027-0{m}-01") for m in range(1, 6)]  # five to come
    items += [entry("research/r1", date="2026-01-01", networks=["send"])]  # another network's
    cat = catalogue([*items, entry("networks/equity", date=None, networks=())])
    hub = network_hub(cat.entries["networks/equity"], cat)
    sections = {s["type"]: s for s in hub["sections"]}
    assert list(sections) == ["minutes-upcoming", "case-study"]  # empty sections left out, in HUB_SECTIONS order
    upcoming = sections["minutes-upcoming"]
    assert [e.ref for e in upcoming["entries"]] == [f"minutes/equity/2027-0{m}-01" for m in (1, 2, 3)]  # the soonest three
    assert upcoming["total"] == 5 and upcoming["listing"] is None
    cases = sections["case-study"]
    assert len(cases["entries"]) == 6 and cases["total"] == 8 and cases["listing"] == "case-studies/"
    assert cases["entries"] == [cat.entries[r] for r in cat.by_network["equity"] if r.startswith("case-studies/")][:6]
    assert hub["total"] == 13
    assert [s["heading"] for s in hub["sections"]] == ["Upcoming meetings", "Case studies"]


def test_network_hub_of_a_network_with_nothing():
    cat = catalogue([entry("networks/quiet", date=None, networks=())])
    assert network_hub(cat.entries["networks/quiet"], cat) == {"sections": [], "total": 0}


def test_entry_facts_context_by_type():
    register = entry("register/phonics", etype="register-entry")
    register.meta.update(reviewed=dt.date(2026, 10, 23), contact="hub@school.example")
    research = entry("research/2026-03-oracy", etype="research")
    research.meta.update(reading={"title": "Oracy", "authors": ["A One"]}, month="2026-03")
    summary = entry("summaries/autumn", etype="learning-summary")
    summary.meta["sources"] = ["case-studies/a", "case-studies/gone"]
    case, network = entry("case-studies/a"), entry("networks/equity", date=None, networks=())
    cat = catalogue([register, research, summary, case, network])
    assert entry_facts_context(register, cat) == {
        "review": {"overdue": False, "words": "Reviewed 1 month ago."},
        "contact": {"text": "hub@school.example", "mailto": "mailto:hub@school.example"},
    }
    research_ctx = entry_facts_context(research, cat)
    assert research_ctx["month"] == "March 2026" and research_ctx["citation"]["authors"] == "A One"
    assert entry_facts_context(summary, cat) == {"sources": [case]}  # a source this build cannot show is left out
    assert entry_facts_context(network, cat) == {"hub": network_hub(network, cat)}
    assert entry_facts_context(case, cat) == {}
