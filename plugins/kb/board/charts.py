"""Small bar charts for the board: rows of labelled bars, as shares a Jinja template draws.

Charts are drawn at build time (no chart library, no script) so they print and stay accessible: the
template gives every chart a title, a description and a table with the same numbers. Labels and numbers
are HTML text (they wrap and keep their size at any width, where text inside a scaled SVG shrank and was
cut on a phone); only the bars are SVG, sized in percent, so they print in colour. Labels are entry
titles and go through autoescaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.board.digest import TermDigest
from kb.content.terms import Term


@dataclass(frozen=True)
class Segment:
    series: int  # index into the chart's series (its colour and legend)
    value: int
    start: float  # where the segment starts, in percent of the bar area
    share: float  # its length, in percent of the bar area (the longest total fills it)


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]
    segments: tuple[Segment, ...]
    total: int


@dataclass(frozen=True)
class BarChart:
    """A horizontal stacked bar chart: one row per label, one colour per series."""

    id: str
    title: str
    description: str
    series: tuple[str, ...]
    series_classes: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def empty(self) -> bool:
        return all(r.total == 0 for r in self.rows)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    series: tuple[str, ...],
    series_classes: tuple[str, ...],
    data: Sequence[tuple[str, tuple[int, ...]]],
) -> BarChart:
    """Lay out rows of stacked values so the longest total fills the bar area (100 %)."""
    longest = max((sum(values) for _, values in data), default=0) or 1
    rows = []
    for label, values in data:
        start, segments = 0.0, []
        for s, value in enumerate(values):
            if value:
                segments.append(Segment(s, value, round(start, 2), round(100 * value / longest, 2)))
                start += 100 * value / longest
        rows.append(Row(label, tuple(values), tuple(segments), sum(values)))
    return BarChart(chart_id, title, description, series, series_classes, tuple(rows))


def meetings_chart(digest: TermDigest) -> BarChart:
    """Meetings held and scheduled per network in one term (every network, zeros shown)."""
    data = [(n.title, (len(n.held), len(n.scheduled))) for n in digest.networks]
    held, scheduled = digest.totals["held"], digest.totals["scheduled"]
    return bar_chart(
        f"chart-meetings-{digest.term.id}",
        f"Meetings per network, {digest.term.label}",
        f"{held} meetings held and {scheduled} scheduled across {len(data)} networks.",
        ("Held", "Scheduled"),
        ("kb-bar--held", "kb-bar--scheduled"),
        data,
    )


def actions_chart(digest: TermDigest, network_id: str | None = None) -> BarChart:
    """Actions agreed in the term by status today: done, open, overdue (whole partnership or one network)."""
    nd = None if network_id is None else digest.network(network_id)
    assert network_id is None or nd is not None  # a network's chart is drawn for one of the digest's networks
    counts = digest.totals if nd is None else nd.counts
    who = "the partnership" if nd is None else nd.title
    data = [
        ("Done", (counts["done"], 0, 0)),
        ("Open, not yet due", (0, counts["open"], 0)),
        ("Overdue", (0, 0, counts["overdue"])),
    ]
    suffix = digest.term.id + ("-" + network_id if network_id else "")
    return bar_chart(
        f"chart-actions-{suffix}",
        f"Actions agreed in {digest.term.label}, by status today",
        f"For {who}: {counts['done']} done, {counts['open']} open and {counts['overdue']} overdue.",
        ("Done", "Open", "Overdue"),
        ("kb-bar--done", "kb-bar--open", "kb-bar--overdue"),
        data,
    )


def network_terms_chart(network_title: str, rows: list[tuple[Term, int, int]], chart_id: str) -> BarChart:
    """One network's meetings term by term, so the board sees a network's rhythm."""
    data = [(term.label, (held, scheduled)) for term, held, scheduled in rows]
    return bar_chart(
        chart_id,
        f"Meetings of {network_title}, term by term",
        f"Meetings held and scheduled in each of the last {len(data)} terms.",
        ("Held", "Scheduled"),
        ("kb-bar--held", "kb-bar--scheduled"),
        data,
    )
