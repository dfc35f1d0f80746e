"""The convenor's cycle at a glance (cycle.py and its pages): each step of the guide for the next and the last
meeting, what is late in words, and the pages only in the members' build."""

from __future__ import annotations

import datetime as dt

from kb.meetings.cycle import network_cycle
from kb.meetings.pages import convenor_pages, meeting_pages
from tests.cycle_fixture import DRAFT_MARKER


def steps(list_of_steps):
    return {s.name: (s.state, s.words) for s in list_of_steps}


def test_the_next_meeting_step_by_step(cycle):
    c = network_cycle("equity", cycle.catalogue())
    assert c.next.ref == "minutes/equity/2026-12-03" and c.last.ref == "minutes/equity/2026-09-17"
    found = steps(c.next_steps)
    assert found["Date set"] == ("done", "3 December 2026, 16:00–17:30.")
    assert found["Place and format"] == ("done", "In person: Riverside College, conference suite.")
    assert found["Agenda, previous minutes and papers out a week ahead"][0] == "todo"
    assert "Due out by 26 November 2026" in found["Agenda, previous minutes and papers out a week ahead"][1]
    assert found["Papers"] == ("done", "2 papers listed.")
    assert found["Reminder"] == ("todo", "Due by 2 December 2026 (kb mail reminder), then record reminder_sent.")
    assert found["Matters arising ready"] == ("done", "2 open actions to review, 1 overdue.")


def test_the_last_meeting_step_by_step(cycle):
    found = steps(network_cycle("equity", cycle.catalogue()).last_steps)
    assert found["Thanks, notes, decisions and actions sent within a week"] == ("done", "Sent 21 September 2026, 4 days after.")
    assert found["Attendance logged"] == ("done", "4 attended.")
    assert found["Apologies logged"] == ("done", "None sent (recorded).")
    assert found["Actions reviewed"] == ("done", "All 2 matters arising had news recorded.")
    assert found["Minutes approved"][0] == "todo" and "approves: minutes/equity/2026-09-17" in found["Minutes approved"][1]
    assert found["Next meeting set"] == ("done", "3 December 2026.")


def test_what_is_late_is_said_in_words(cycle):
    c = network_cycle("send", cycle.catalogue())
    assert c.next.state == "provisional" and c.last.ref == "minutes/send/2026-10-15"
    found = steps(c.last_steps)
    assert found["Thanks, notes, decisions and actions sent within a week"] == (
        "late",
        "Late: due by 22 October 2026 (kb mail minutes), then record minutes_sent.",
    )
    assert found["Actions reviewed"] == ("done", "No open actions were carried into it.")
    assert "after 15 October 2026: thanks, notes, decisions and actions sent within a week" in c.late
    assert steps(c.next_steps)["Agenda written"][0] == "todo"  # 10 December: the agenda is due by 3 December
    careers = network_cycle("careers", cycle.catalogue())
    assert steps(careers.next_steps)["Agenda written"][0] == "late"  # 26 November, in three days, and no agenda yet
    assert "before 26 November 2026: agenda written" in careers.late


def test_convenor_pages_are_in_the_members_build_only(cycle):
    public = cycle.catalogue()
    assert convenor_pages(public) == []
    assert not [p for p in meeting_pages(public) if p.src_uri.startswith("convenor/")]
    members = cycle.catalogue(members=True)
    pages = {p.src_uri: p for p in convenor_pages(members)}
    assert set(pages) == {"convenor/index.md", "convenor/careers.md", "convenor/equity.md", "convenor/send.md"}
    html = pages["convenor/send.md"].render_html("convenor/send/")
    assert "Late or missing:" in html and "after 15 October 2026: thanks, notes" in html
    assert "Next meeting: <a" in html and "10 December 2026" in html
    index = pages["convenor/index.md"].render_html("convenor/")
    assert 'href="equity/"' in index and DRAFT_MARKER not in index


def test_the_members_page_of_a_network_with_a_members_meeting_counts_it_and_never_a_draft(cycle):
    members = cycle.catalogue(members=True)
    c = network_cycle("equity", members)
    assert c.last.ref == "minutes/equity/2026-11-05"  # the members' meeting is its last one in that build
    html = {p.src_uri: p for p in convenor_pages(members)}["convenor/equity.md"].render_html("convenor/equity/")
    assert DRAFT_MARKER not in html
    assert c.next.date == dt.date(2026, 12, 3)
    assert 'href="../../minutes/equity/2026-11-05/"' in html


def test_the_hub_links_to_the_convenors_page_only_in_the_members_build(cycle):
    from kb.site.plan import render_entry

    public = cycle.catalogue()
    assert "convenor/equity/" not in render_entry(public.entries["networks/equity"], "", "networks/equity/", public)
    members = cycle.catalogue(members=True)
    assert 'href="../../convenor/equity/"' in render_entry(members.entries["networks/equity"], "", "networks/equity/", members)
