"""The term digest on a fixed catalogue and today: counts, boundaries, a quiet network, privacy."""

from __future__ import annotations

import datetime as dt

from kb.board.digest import all_digests, term_for_period
from tests.board.conftest import TERMS, TODAY, catalogue


def test_autumn_counts_held_scheduled_actions_and_new_work(digest_project):
    cat = catalogue(digest_project)
    digest = all_digests(cat)["autumn-2026"]
    equity = digest.network("equity")
    assert [m.date.isoformat() for m in equity.held] == ["2026-09-01"]  # boundary: first day of term
    assert [m.date.isoformat() for m in equity.scheduled] == ["2026-12-01"]
    assert [text for _, text in equity.decisions] == ["Start the pilot"]
    assert equity.counts | {} == {
        "held": 1,
        "scheduled": 1,
        "decisions": 1,
        "done": 1,
        "open": 1,
        "overdue": 1,
        "case-study": 1,
        "register-entry": 0,
        "research": 0,
    }
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


def _synthetic(n: int):
    """A catalogue of 15 networks and n dated entries (case studies and minutes), built without files."""
    from kb.content.catalogue import Entry, build_catalogue
    from kb.content.terms import parse_terms

    networks = [
        Entry(f"networks/n{i}", "network", f"content/networks/n{i}.md", {"title": f"N{i}", "status": "published"}, "")
        for i in range(15)
    ]
    items = []
    for k in range(n):
        day = dt.date(2025, 9, 3) + dt.timedelta(days=k % 600)
        net = f"n{k % 15}"
        if k % 2:
            items.append(
                Entry(
                    f"minutes/{net}/{day}-{k}",
                    "minutes",
                    "x.md",
                    {
                        "title": "M",
                        "date": day,
                        "networks": [net],
                        "status": "published",
                        "decisions": ["d"],
                        "actions": [{"action": "a", "owner": "o", "due": day, "status": "open"}],
                    },
                    "",
                )
            )
        else:
            items.append(
                Entry(
                    f"case-studies/c{k}",
                    "case-study",
                    "x.md",
                    {"title": "C", "date": day, "networks": [net], "status": "published"},
                    "",
                )
            )
    cat = build_catalogue(networks + items, {}, members=False, today=TODAY)
    cat.terms = parse_terms(TERMS)[0]
    return cat


def test_digest_work_is_linear_in_entries(monkeypatch):
    """Guard against quadratic work: date checks grow with entries x terms, not entries x networks x terms."""
    from kb.content.terms import Term

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
        assert (
            sum(d.totals["held"] + d.totals["scheduled"] + d.totals["case-study"] for d in digests.values()) == n
        )  # every entry in exactly one term
    assert work[4000] <= 4.2 * work[1000]
    assert work[4000] <= 6 * 4000 + 100  # one check per entry per term
