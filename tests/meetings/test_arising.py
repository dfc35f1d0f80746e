"""Matters arising, right at every date (arising.py): actions closed at different dates, updates recorded by
later minutes, an agenda-only meeting and a scheduled one in the chain, each meeting page's own list."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings import arising as A
from kb.meetings.minutes import Action
from kb.site.plan import render_entry
from tests.cycle_fixture import MEMBERS_MARKER


@pytest.fixture
def cat(cycle):
    return cycle.catalogue()


def listed(cat, ref):
    """(action, closed here, days overdue) of a meeting's matters arising."""
    return [(m.action.action, m.closed_here, m.days_overdue) for m in A.matters_arising(cat.entries[ref], cat)]


def test_each_meeting_lists_what_was_open_going_into_it(cat):
    assert listed(cat, "minutes/equity/2026-05-14") == []  # the first meeting
    assert listed(cat, "minutes/equity/2026-07-02") == [  # an agenda-only meeting: in the chain all the same
        ("Open throughout", None, 31),
        ("Closed on the day of the July meeting", "done", 2),  # closed at this meeting
        ("Dropped in August", None, 0),  # open then, dropped later
        ("Closed by the September update", None, 0),
        ("Done with no date", "done", 22),  # done with no date: closed at the first meeting after it was agreed
    ]  # "Closed before July" (20 June) is gone
    assert listed(cat, "minutes/equity/2026-09-17") == [
        ("Open throughout", None, 108),  # from two meetings back, still open, as late as it was then
        ("Closed by the September update", "done", 16),  # this meeting's own update closed it
    ]
    assert listed(cat, "minutes/equity/2026-12-03") == [  # the scheduled meeting: judged as of today
        ("Open throughout", None, 24),  # its due date was moved to 30 October by the September update
        ("Due this week", None, 0),
    ]


def test_a_meeting_shows_what_it_recorded_about_each_action(cat):
    september = {m.action.action: m for m in A.matters_arising(cat.entries["minutes/equity/2026-09-17"], cat)}
    assert [u.note for u in september["Open throughout"].notes] == ["Still waiting for two schools"]
    assert september["Open throughout"].due == dt.date(2026, 6, 1)  # the new date applies after the meeting that set it
    assert [u.note for u in september["Closed by the September update"].notes] == ["Report shared with all schools"]


def test_the_tracker_shows_each_action_as_of_today(cat):
    by_text = {a.action: a for a in A.all_actions(cat)}
    assert by_text["Closed by the September update"].status == "done"  # the May file still says open
    assert by_text["Closed by the September update"].closed == dt.date(2026, 9, 17)
    assert by_text["Open throughout"].due == dt.date(2026, 10, 30) and by_text["Open throughout"].days_overdue == 24
    assert by_text["Done with no date"].closed == dt.date(2026, 7, 2)
    assert by_text["Dropped in August"].closed == dt.date(2026, 8, 1)


def test_a_members_meetings_update_counts_only_in_the_members_build(cycle):
    public, members = cycle.catalogue(), cycle.catalogue(members=True)
    assert {a.action: a.status for a in A.all_actions(public)}["Open throughout"] == "open"
    assert {a.action: a.status for a in A.all_actions(members)}["Open throughout"] == "done"
    assert listed(members, "minutes/equity/2026-11-05")[0][:2] == ("Open throughout", "done")
    assert [m.action.action for m in A.matters_arising(members.entries["minutes/equity/2026-12-03"], members)] == [
        "Due this week",
        f"Members-only action {MEMBERS_MARKER}",
    ]
    assert not any(
        MEMBERS_MARKER in m.action.action for m in A.matters_arising(public.entries["minutes/equity/2026-12-03"], public)
    )


def test_the_scheduled_meeting_in_between_keeps_the_chain_when_today_is_before_it(cycle):
    """On 25 June the July meeting is scheduled (agenda only) and September is still to come: both carry May's actions."""
    from kb.project import load_project

    cat = load_project(cycle.root, today=dt.date(2026, 6, 25))[0]
    assert [a for a, _, _ in listed(cat, "minutes/equity/2026-07-02")] == [
        "Open throughout",
        "Closed on the day of the July meeting",
        "Dropped in August",
        "Closed by the September update",
    ]  # "Done with no date" is done by today, 25 June, so before July
    assert listed(cat, "minutes/equity/2026-07-02")[0][2] == 24  # overdue counted to today for a meeting still to come
    prefill = A.prefill_minutes(cat, "equity", dt.date(2026, 7, 16))  # the meeting after a scheduled one carries the actions
    assert sum(item.startswith("Matters arising: ") for item in prefill["agenda"]) == 3  # closed 2 July: not carried


def test_each_meeting_page_lists_its_own_matters_arising(cat):
    def page(ref):
        entry = cat.entries[ref]
        return render_entry(entry, "", entry.url, cat)

    july = page("minutes/equity/2026-07-02")
    assert "5 actions still open going into this meeting" in july and "Closed before July" not in july
    assert "Done at this meeting" in july and "Open, overdue by 31 days" in july
    assert 'href="../2026-05-14/#action-1"' in july  # back to the row where it was agreed
    september = page("minutes/equity/2026-09-17")
    assert "2 actions still open" in september and "Update: Report shared with all schools" in september
    assert "Dropped in August" not in september.split("kb-actions-h")[0]
    december = page("minutes/equity/2026-12-03")
    assert "as they stand today, 23 November 2026" in december and "Open, overdue by 24 days" in december


@pytest.mark.parametrize(
    "written, network, parsed",
    [
        ("minutes/equity/2026-05-14#action-2", "send", ("minutes/equity/2026-05-14", 1)),
        ("2026-05-14#action-1", "equity", ("minutes/equity/2026-05-14", 0)),
        ("/minutes/equity/2026-05-14/#action-3", "x", ("minutes/equity/2026-05-14", 2)),  # copied from a page address
        ("  2026-05-14#action-10 ", "send", ("minutes/send/2026-05-14", 9)),
        ("2026-05-14#action-0", "equity", None),
        ("2026-05-14", "equity", None),
        ("minutes/Equity/2026-05-14#action-1", "equity", None),
        ("action 2 of May", "equity", None),
    ],
)
def test_parse_action_ref(written, network, parsed):
    assert A.parse_action_ref(written, network) == parsed


def action(history=(), updates=(), status="open"):
    return Action(
        "minutes/equity/2026-01-10", "equity", dt.date(2026, 1, 10), 0, "A", "O", dt.date(2026, 2, 1), status, 0, history=history
    )


def test_status_before_a_day_follows_the_history_and_a_reopened_action_is_open_again():
    a = action(history=((dt.date(2026, 3, 1), "done"), (dt.date(2026, 4, 1), "open")))
    assert [A.status_before(a, dt.date(2026, m, d)) for m, d in ((2, 1), (3, 1), (3, 2), (4, 1), (4, 2))] == [
        "open",
        "open",  # closed on the day: still open going into that day's meeting
        "done",
        "done",
        "open",
    ]
    found = A.open_on([a], dt.date(2026, 3, 15), dt.date(2026, 11, 23))
    assert found == []
    assert [m.action for m in A.open_on([a], dt.date(2026, 5, 1), dt.date(2026, 11, 23))] == [a]
