"""Bar charts for the board (charts.py): each bar's share of the bar area, and each chart's id and description."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.board.charts import Segment, actions_chart, bar_chart, meetings_chart, network_terms_chart
from kb.board.digest import all_digests, meetings_per_term
from kb.content.terms import Term
from tests.board.conftest import catalogue


def chart(data):
    return bar_chart("c", "T", "D", ("One", "Two"), ("kb-one", "kb-two"), data)


def test_charts_have_a_row_per_network_and_scale_to_the_longest_bar(digest_project):
    digest = all_digests(catalogue(digest_project))["autumn-2026"]
    chart = meetings_chart(digest)
    assert [r.label for r in chart.rows] == ["Equity", "Quiet", "SEND"]
    assert chart.rows[0].values == (1, 1) and chart.rows[1].segments == ()
    shares = [s.share for s in chart.rows[0].segments]
    assert sum(shares) == pytest.approx(100)  # the longest total fills the bar area
    actions = actions_chart(digest, "equity")
    assert [r.total for r in actions.rows] == [1, 1, 1] and "1 overdue" in actions.description


def test_bar_chart_geometry():
    c = chart([("a", (3, 1)), ("b", (2, 0)), ("c", (0, 0))])
    a, b, zero = c.rows  # the longest total, 4, fills the bar area
    assert a.segments == (Segment(0, 3, 0.0, 75.0), Segment(1, 1, 75.0, 25.0)) and a.total == 4
    assert b.segments == (Segment(0, 2, 0.0, 50.0),) and b.total == 2
    assert zero.segments == () and zero.total == 0
    assert (c.id, c.title, c.description, c.series, c.series_classes) == ("c", "T", "D", ("One", "Two"), ("kb-one", "kb-two"))


@pytest.mark.parametrize(
    "data",
    [
        [("a", (1, 0))],
        [("a", (7, 5)), ("b", (12, 0)), ("c", (0, 1))],
        [("a", (1, 2)), ("b", (2, 1))],  # two rows share the longest total
        [("a", (1_000_000, 1)), ("b", (0, 3))],
    ],
)
def test_the_longest_total_fills_the_width_and_segments_follow_each_other(data):
    c = chart(data)
    ends = []
    for r in c.rows:
        x = 0.0
        for s in r.segments:
            assert s.start == pytest.approx(x, abs=0.01) and s.share >= 0  # rounded to 0.01: a tiny share may round to 0
            x = s.start + s.share
        ends.append(x)
        assert r.total == sum(r.values)
    assert max(ends) == pytest.approx(100, abs=0.02)
    assert all(end <= 100.02 for end in ends)


@pytest.mark.parametrize(
    "values, series",
    [((0, 2, 0, 3), [1, 3]), ((4, 0), [0]), ((0, 0, 0), []), ((1, 1, 1), [0, 1, 2])],
)
def test_segments_only_for_non_zero_values_keep_their_series(values, series):
    (row,) = bar_chart("c", "T", "D", ("a", "b", "c", "d"), ("w", "x", "y", "z"), [("r", values)]).rows
    assert [s.series for s in row.segments] == series
    assert [s.value for s in row.segments] == [v for v in values if v]
    assert row.values == values


@pytest.mark.parametrize("data", [[], [("a", (0, 0))], [("a", (0, 0)), ("b", (0, 0))]])
def test_a_chart_of_no_rows_or_only_zeros_is_empty(data):
    c = chart(data)
    assert c.empty and len(c.rows) == len(data)
    assert all(r.segments == () for r in c.rows)


def test_a_chart_with_one_value_is_not_empty():
    assert not chart([("a", (0, 0)), ("b", (0, 1))]).empty


def test_meetings_chart_id_title_and_description(digest_project):
    digest = all_digests(catalogue(digest_project))["autumn-2026"]
    c = meetings_chart(digest)
    assert c.id == "chart-meetings-autumn-2026"
    assert c.title == "Meetings per network, Autumn term 2026"
    assert c.description == "1 meetings held and 1 scheduled across 3 networks."
    assert c.series == ("Held", "Scheduled") and c.series_classes == ("kb-bar--held", "kb-bar--scheduled")
    assert [r.values for r in c.rows] == [(1, 1), (0, 0), (0, 0)]


def test_actions_chart_for_the_partnership_and_for_one_network(digest_project):
    digest = all_digests(catalogue(digest_project))["summer-2026"]
    whole = actions_chart(digest)
    assert whole.id == "chart-actions-summer-2026"
    assert whole.title == "Actions agreed in Summer term 2026, by status today"
    assert whole.description == "For the partnership: 1 done, 0 open and 1 overdue."
    assert [(r.label, r.values) for r in whole.rows] == [
        ("Done", (1, 0, 0)),
        ("Open, not yet due", (0, 0, 0)),
        ("Overdue", (0, 0, 1)),
    ]
    assert whole.series == ("Done", "Open", "Overdue")
    one = actions_chart(digest, "equity")
    assert one.id == "chart-actions-summer-2026-equity"
    assert one.description == "For Equity: 1 done, 0 open and 1 overdue."
    quiet = actions_chart(digest, "quiet")
    assert quiet.id == "chart-actions-summer-2026-quiet" and quiet.empty


def test_network_terms_chart_has_a_row_per_term(digest_project):
    cat = catalogue(digest_project)
    rows = meetings_per_term(cat, "equity", cat.terms)
    c = network_terms_chart("Equity", rows, "chart-history-equity")
    assert c.id == "chart-history-equity"
    assert c.title == "Meetings of Equity, term by term"
    assert c.description == f"Meetings held and scheduled in each of the last {len(cat.terms)} terms."
    by_label = {r.label: r.values for r in c.rows}
    assert by_label["Summer term 2026"] == (2, 0) and by_label["Autumn term 2026"] == (1, 1)
    assert [r.label for r in c.rows] == [t.label for t in cat.terms]


def test_network_terms_chart_of_no_terms():
    c = network_terms_chart("Equity", [], "x")
    assert c.rows == () and c.empty and c.description.endswith("last 0 terms.")
    term = Term("autumn", "2026-27", dt.date(2026, 9, 1), dt.date(2026, 12, 18), dt.date(2027, 1, 4))
    assert network_terms_chart("Equity", [(term, 0, 2)], "x").rows[0].segments[0].series == 1
