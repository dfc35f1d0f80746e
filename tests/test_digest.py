"""The term digest on a fixed catalogue and today: counts, boundaries, a quiet network, privacy."""
from __future__ import annotations

import datetime as dt

import pytest

from kb.catalogue import load_project
from kb.charts import actions_chart, meetings_chart
from kb.digest import all_digests, term_for_period

TODAY = dt.date(2026, 11, 23)
TERMS = """\
2026-27:
  autumn: {start: 2026-09-01, end: 2026-12-18}
  spring: {start: 2027-01-05, end: 2027-03-26}
  summer: {start: 2027-04-12, end: 2027-07-21}
2025-26:
  autumn: {start: 2025-09-03, end: 2025-12-19}
  spring: {start: 2026-01-05, end: 2026-03-27}
  summer: {start: 2026-04-13, end: 2026-07-22}
"""
NETWORK = """\
---
title: {title}
summary: A network for testing.
model: meshed
stage: facilitated
convener: Network convener
cadence: half-termly
functions: [knowledge-sharing]
phases: [primary]
status: published
---
Body.
"""


def minutes(date: str, *, status="published", visibility="public", decisions=(), actions=(), title="Meeting") -> str:
    lines = ["---", f"title: {title} {date}", "summary: A meeting.", f"date: {date}", "networks: [equity]",
             f"status: {status}", f"visibility: {visibility}",
             'meeting: {start: "16:00", end: "17:30", format: in-person}', "agenda: [Matters arising]"]
    if decisions:
        lines.append("attendees: [Convener]")
        lines.append("decisions:")
        lines += [f"  - {d}" for d in decisions]
    if actions:
        lines.append("actions:")
        for text, due, st in actions:
            lines += [f"  - action: {text}", "    owner: Convener", f"    due: {due}", f"    status: {st}"]
    return "\n".join(lines + ["---", "Notes.", ""])


@pytest.fixture
def digest_project(project):
    project.write("content/terms.yml", TERMS)
    project.write("content/networks/quiet.md", NETWORK.format(title="Quiet"))
    # Summer 2026: a meeting on the last teaching day and one in the holiday (counts in summer: the window).
    project.write("content/minutes/equity/2026-07-22.md", minutes("2026-07-22", decisions=["Adopt the tracker", "Meet termly"],
                  actions=[("Send data", "2026-08-01", "done"), ("Write it up", "2026-09-30", "open")]))
    project.write("content/minutes/equity/2026-08-20.md", minutes("2026-08-20", decisions=["Holiday decision"]))
    # Autumn 2026: first day of term, held; a future meeting (scheduled); a draft and a members-only meeting.
    project.write("content/minutes/equity/2026-09-01.md", minutes("2026-09-01", decisions=["Start the pilot"],
                  actions=[("Book room", "2026-09-10", "done"), ("Survey schools", "2026-10-01", "open"),
                           ("Plan spring", "2027-01-20", "open"), ("Old idea", "2026-10-01", "dropped")]))
    project.write("content/minutes/equity/2026-12-01.md", minutes("2026-12-01"))
    project.write("content/minutes/equity/2026-10-05.md", minutes("2026-10-05", status="draft", title="Zanzibarquill",
                  decisions=["Secret draft decision"], actions=[("Draft action", "2026-10-10", "open")]))
    project.write("content/minutes/equity/2026-10-20.md", minutes("2026-10-20", visibility="members", title="Quokkamembers",
                  decisions=["Members decision"], actions=[("Members action", "2026-10-25", "open")]))
    # A case study shared by two networks counts once in the totals; one dated 2026-08-31 is summer's.
    project.write("content/case-studies/shared-study.md", """\
---
title: Shared study
summary: Two networks together.
date: 2026-09-02
networks: [equity, send]
status: published
approach: enquiring
---
Body.
""")
    project.write("content/case-studies/late-summer.md", """\
---
title: Late summer study
summary: Written in the holiday.
date: 2026-08-31
networks: [send]
status: published
approach: enquiring
---
Body.
""")
    project.write("content/summaries/autumn-2026.md", """\
---
title: Autumn summary
summary: For the board.
date: 2026-11-20
networks: [equity]
status: published
period: {from: 2026-09-01, to: 2026-11-20}
sources: [case-studies/shared-study]
---
Body.
""")
    return project


def catalogue(project, members=False):
    cat, problems = load_project(project.root, members=members, today=TODAY)
    assert not [p for p in problems if p.severity == "error"], [p.format() for p in problems]
    return cat


def test_autumn_counts_held_scheduled_actions_and_new_work(digest_project):
    cat = catalogue(digest_project)
    digest = all_digests(cat)["autumn-2026"]
    equity = digest.network("equity")
    assert [m.date.isoformat() for m in equity.held] == ["2026-09-01"]  # boundary: first day of term
    assert [m.date.isoformat() for m in equity.scheduled] == ["2026-12-01"]
    assert [text for _, text in equity.decisions] == ["Start the pilot"]
    assert equity.counts | {} == {"held": 1, "scheduled": 1, "decisions": 1, "done": 1, "open": 1, "overdue": 1,
                                  "case-study": 1, "register-entry": 0, "research": 0}
    assert [a.action for a in equity.actions_with("overdue")] == ["Survey schools"]
    assert [a.action for a in equity.actions_with("open")] == ["Plan spring"]
    assert [a.action for a in equity.actions_with("dropped")] == ["Old idea"]
    send = digest.network("send")
    assert send.counts["case-study"] == 1 and send.active
    assert digest.totals["case-study"] == 1  # the shared study once, not twice
    assert digest.totals["held"] == 1 and digest.totals["scheduled"] == 1 and digest.totals["networks_active"] == 2
    assert [s.ref for s in digest.summaries] == ["summaries/autumn-2026"]


def test_holiday_and_last_day_count_in_the_term_just_ended(digest_project):
    summer = all_digests(catalogue(digest_project))["summer-2026"]
    equity = summer.network("equity")
    assert [m.date.isoformat() for m in equity.held] == ["2026-07-22", "2026-08-20"]
    assert equity.counts["decisions"] == 3
    assert [a.action for a in equity.actions_with("overdue")] == ["Write it up"]  # due 30 Sept, still open on 23 Nov
    assert [e.ref for e in summer.network("send").new_work["case-study"]] == ["case-studies/late-summer"]
    assert summer.network("send").counts["case-study"] == 1


def test_network_with_no_activity_is_shown_not_hidden(digest_project):
    digest = all_digests(catalogue(digest_project))["autumn-2026"]
    assert [n.network for n in digest.networks] == ["equity", "quiet", "send"]  # every network, by title
    quiet = digest.network("quiet")
    assert not quiet.active and set(quiet.counts.values()) == {0}
    assert [n.network for n in digest.inactive] == ["quiet"]
    spring = all_digests(catalogue(digest_project))["spring-2027"]
    assert spring.totals["networks_active"] == 0 and len(spring.inactive) == 3


def test_public_digest_excludes_draft_and_members_meetings_members_build_includes_members(digest_project):
    public = all_digests(catalogue(digest_project))["autumn-2026"].network("equity")
    texts = [t for _, t in public.decisions] + [a.action for a in public.actions]
    assert "Secret draft decision" not in texts and "Members decision" not in texts
    assert all("Zanzibarquill" not in m.title and "Quokkamembers" not in m.title for m in public.held)
    members = all_digests(catalogue(digest_project, members=True))["autumn-2026"].network("equity")
    assert members.counts["held"] == public.counts["held"] + 1 and "Members decision" in [t for _, t in members.decisions]
    assert members.counts["overdue"] == public.counts["overdue"] + 1  # "Members action", due 25 Oct
    assert all("Zanzibarquill" not in m.title for m in members.held)  # drafts never, not even for members


def test_summary_period_maps_to_its_term_and_digest_is_computed_once(digest_project):
    cat = catalogue(digest_project)
    assert term_for_period(cat, cat.entries["summaries/autumn-2026"]).id == "autumn-2026"
    assert all_digests(cat) is all_digests(cat)


def test_charts_have_a_row_per_network_and_scale_to_the_longest_bar(digest_project):
    digest = all_digests(catalogue(digest_project))["autumn-2026"]
    chart = meetings_chart(digest)
    assert [r.label for r in chart.rows] == ["Equity", "Quiet", "SEND"]
    assert chart.rows[0].values == (1, 1) and chart.rows[1].segments == ()
    widths = [s.width for s in chart.rows[0].segments]
    assert sum(widths) == pytest.approx(chart.width - 40)  # longest total fills the bar area
    actions = actions_chart(digest, "equity")
    assert [r.total for r in actions.rows] == [1, 1, 1] and "1 overdue" in actions.description


def _synthetic(n: int):
    """A catalogue of 15 networks and n dated entries (case studies and minutes), built without files."""
    from kb.catalogue import Entry, build_catalogue
    from kb.terms import parse_terms
    networks = [Entry(f"networks/n{i}", "network", f"content/networks/n{i}.md", {"title": f"N{i}", "status": "published"}, "") for i in range(15)]
    items = []
    for k in range(n):
        day = dt.date(2025, 9, 3) + dt.timedelta(days=k % 600)
        net = f"n{k % 15}"
        if k % 2:
            items.append(Entry(f"minutes/{net}/{day}-{k}", "minutes", "x.md", {"title": "M", "date": day, "networks": [net], "status": "published",
                                                                            "decisions": ["d"], "actions": [{"action": "a", "owner": "o", "due": day, "status": "open"}]}, ""))
        else:
            items.append(Entry(f"case-studies/c{k}", "case-study", "x.md", {"title": "C", "date": day, "networks": [net], "status": "published"}, ""))
    cat = build_catalogue(networks + items, {}, members=False, today=TODAY)
    cat.terms = parse_terms(TERMS)[0]
    return cat


def test_digest_work_is_linear_in_entries(monkeypatch):
    """Guard against quadratic work: date checks grow with entries x terms, not entries x networks x terms."""
    from kb.terms import Term
    counted = {"n": 0}
    real = Term.contains

    def contains(self, day):
        counted["n"] += 1
        return real(self, day)
    monkeypatch.setattr(Term, "contains", contains)
    work = {}
    for n in (1000, 4000):
        cat = _synthetic(n)
        counted["n"] = 0
        digests = all_digests(cat)
        work[n] = counted["n"]
        assert sum(d.totals["held"] + d.totals["scheduled"] + d.totals["case-study"] for d in digests.values()) == n  # every entry in exactly one term
    assert work[4000] <= 4.2 * work[1000]
    assert work[4000] <= 6 * 4000 + 100  # one check per entry per term
