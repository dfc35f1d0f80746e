"""Facets of entries and their counts (facets.py): values, AND across facets, counts against the other filters, options."""

from __future__ import annotations

import pytest

from kb.site.facets import FACETS, ROW_COLUMNS, facet_counts, facet_options, facet_values, listing_rows, matches, option_label
from tests.factories import catalogue, entry
from tests.site.conftest import case


def test_facet_values_of_an_entry():
    e = case(
        "case-studies/a",
        "2026-03-01",
        ["equity"],
        ["coaching"],
        approach="enquiring",
        brokerage=["relationships"],
        phases=["primary"],
    )
    assert facet_values(e) == {
        "network": ["equity"],
        "tag": ["coaching"],
        "phase": ["primary"],
        "approach": ["enquiring"],
        "brokerage": ["relationships"],
        "year": ["2026"],
    }
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


def test_facet_values_of_a_network_and_of_an_undated_entry():
    values = facet_values(entry("networks/equity", date=None, networks=()))
    assert values["network"] == [] and values["year"] == []  # a network is not filed under itself
    assert facet_values(case("case-studies/x", None))["year"] == []


@pytest.mark.parametrize(
    "selected, passes",
    [
        ({}, True),
        ({"network": "", "tag": ""}, True),  # an empty choice is no filter
        ({"network": "equity"}, True),
        ({"network": "send"}, False),
        ({"network": "equity", "tag": "coaching", "year": "2026"}, True),
        ({"network": "equity", "tag": "oracy"}, False),  # every selected facet must match
        ({"phase": "secondary"}, False),
        ({"colour": "red"}, False),  # a facet the entry has no values for
    ],
)
def test_matches(selected, passes):
    values = {"network": ["equity"], "tag": ["coaching", "send"], "phase": ["primary"], "year": ["2026"]}
    assert matches(values, selected) is passes


@pytest.mark.parametrize(
    "facet, value, label",
    [
        ("network", "equity", "Equity"),  # the network's title
        ("network", "gone", "gone"),  # no such network in this build: the id
        ("tag", "send", "Send"),  # the tag's label (tests/factories.py TAGS)
        ("tag", "unknown", "unknown"),
        ("year", "2026", "2026"),
        ("phase", "early-years", "Early years"),
        ("approach", "enquiring", "Enquiring"),
        ("brokerage", "knowledge-exchange", "Knowledge exchange"),
    ],
)
def test_option_label(cat, facet, value, label):
    assert option_label(cat, facet, value) == label


def test_facet_options_sort_names_by_label_and_count_each_value():
    cases = [
        case("case-studies/x", "2024-01-01", ["send", "equity"], ["send", "attendance"], brokerage=["resources", "membership"]),
        case("case-studies/y", "2026-01-01", ["send"], ["attendance"]),
    ]
    cat = catalogue([*cases, entry("networks/equity", date=None, networks=()), entry("networks/send", date=None, networks=())])
    options = {f["key"]: f for f in facet_options(cat, facet_counts(cases))}
    assert set(options) == {"network", "tag", "brokerage", "year"}  # no phase or approach in these entries
    assert options["network"]["label"] == "Network"
    assert [(o["label"], o["count"]) for o in options["network"]["options"]] == [("Equity", 1), ("Send", 2)]
    assert [(o["value"], o["count"]) for o in options["tag"]["options"]] == [("attendance", 2), ("send", 1)]
    assert [o["value"] for o in options["brokerage"]["options"]] == ["membership", "resources"]  # vocabulary order
    assert [o["value"] for o in options["year"]["options"]] == ["2026", "2024"]


def test_listing_rows_follow_row_columns():
    e = case("case-studies/x", "2026-02-03", ["equity"], ["coaching"], approach="enquiring")
    (row,) = listing_rows([e])
    assert dict(zip(ROW_COLUMNS, row)) == {
        "url": "case-studies/x/",
        "title": "X",
        "date": "2026-02-03",
        "type": "case-study",
        "summary": "S.",
        **facet_values(e),
        "draft": "",  # published: no badge (in kb serve's preview a draft's is "Draft")
    }
    assert len(row) == len(ROW_COLUMNS) == 6 + len(FACETS)
    assert listing_rows([case("case-studies/y", None)])[0][2] == ""
