"""Meetings on the catalogue (minutes.py, with arising.py and schedule.py): matters arising, previous meeting,
overdue, grouping, terms, prefill."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings import arising as A
from kb.meetings import minutes as M
from kb.meetings import schedule as S
from kb.meetings.pages import network_titles
from tests.factories import TODAY
from tests.factories import entry as record
from tests.meetings_fixture import DRAFT_MARKER, MEMBERS_MARKER


def test_matters_arising_are_the_earlier_meetings_open_actions(cat):
    october = cat.entries["minutes/equity/2026-10-22"]
    carried = A.matters_arising(october, cat)
    assert [m.action.action for m in carried if not m.closed_here] == ["Long overdue action", "Not yet due action"]
    assert {m.action.meeting_ref for m in carried} == {"minutes/equity/2026-09-10"}
    assert [m.action.anchor for m in carried if not m.closed_here] == [
        "action-1",
        "action-4",
    ]  # links back to where it was agreed
    assert [m.days_overdue for m in carried] == [21, 21, 21, 0]  # as overdue as they were on 22 October, not today
    november = A.matters_arising(cat.entries["minutes/equity/2026-11-26"], cat)  # the scheduled meeting: both earlier meetings
    assert [m.action.action for m in november] == [
        "Long overdue action",
        "Not yet due action",
        '<script>alert("x")</script> and "quotes"',
        '=HYPERLINK("http://evil.example")',
    ]


def test_previous_meeting_skips_what_this_build_cannot_show(meetings_project):
    public = meetings_project.catalogue()
    scheduled = public.entries["minutes/equity/2026-11-26"]
    assert M.previous_meeting(scheduled, public).ref == "minutes/equity/2026-10-22"
    members = meetings_project.catalogue(members=True)
    before = M.previous_meeting(members.entries["minutes/equity/2026-11-26"], members)
    assert before.ref == "minutes/equity/2026-11-05"
    assert f"Members-only action {MEMBERS_MARKER}" in [
        m.action.action for m in A.matters_arising(members.entries["minutes/equity/2026-11-26"], members)
    ]
    assert not any(MEMBERS_MARKER in m.action.action for m in A.matters_arising(scheduled, public))


def test_first_meeting_has_no_matters_arising(cat):
    assert A.matters_arising(cat.entries["minutes/equity/2026-09-10"], cat) == []
    assert M.previous_meeting(cat.entries["minutes/send/2026-11-02"], cat) is None


def test_overdue_is_counted_from_kb_today(cat):
    by_text = {a.action: a for a in A.all_actions(cat)}
    assert by_text["Long overdue action"].days_overdue == (TODAY - dt.date(2026, 10, 1)).days == 53
    assert by_text["Not yet due action"].overdue is False
    assert by_text["Finished action"].overdue is False  # done is never overdue, however old
    assert by_text["Send the checklist"].days_overdue == 13


def test_scheduled_means_still_to_happen(cat):
    assert M.is_scheduled(cat.entries["minutes/equity/2026-11-26"], TODAY)
    assert not M.is_scheduled(cat.entries["minutes/equity/2026-10-22"], TODAY)
    assert [p.ref for p in S.upcoming(cat)] == ["minutes/equity/2026-11-26"]


def test_tracker_has_open_actions_overdue_first_and_no_private_ones(cat):
    rows = A.open_actions(cat)
    assert all(a.status == "open" for a in rows)
    flags = [a.overdue for a in rows]
    assert flags == sorted(flags, reverse=True)  # overdue first
    assert rows[0].days_overdue >= rows[1].days_overdue or rows[0].due <= rows[1].due
    assert not any(MEMBERS_MARKER in a.action or DRAFT_MARKER in a.action for a in A.all_actions(cat))


def test_grouping_by_network_and_by_owner(cat):
    titles = network_titles(cat)
    by_network = M.group_actions(A.open_actions(cat), "network", titles)
    assert [g["key"] for g in by_network] == ["equity", "send"]  # both have overdue; equity has more
    assert by_network[0]["label"] == "Equity"
    assert by_network[0]["overdue"] == 3
    equity_rows = by_network[0]["actions"]
    assert [a.overdue for a in equity_rows] == [True, True, True, False]
    by_owner = {g["key"]: g for g in M.group_actions(A.open_actions(cat), "owner", titles)}
    # "Network convener" and "network convener." are one owner after normalisation
    assert {a.action for a in by_owner["network convener"]["actions"]} >= {"Long overdue action", "Not yet due action"}


def test_meetings_per_term_follows_the_term_dates(cat):
    from kb.content.terms import parse_terms

    terms, problems = parse_terms(
        "2026-27:\n  autumn: {start: 2026-09-03, end: 2026-12-18}\n  spring: {start: 2027-01-05, end: 2027-03-26}\n  summer: {start: 2027-04-12, end: 2027-07-21}\n"
    )
    assert problems == []
    equity = M.meetings_by_network(cat)["equity"]
    assert M.meetings_per_term(equity, terms) == [("Autumn term 2026", 3)]
    assert M.meetings_per_term(equity, []) == []


# --- prefill ---------------------------------------------------------------------------------


def test_prefill_starts_from_every_open_action_of_the_network(cat):
    meta = A.prefill_minutes(cat, "equity", dt.date(2026, 11, 1))
    assert meta["agenda"][0] == "Matters arising from 22 October"
    carried = [item for item in meta["agenda"] if item.startswith("Matters arising: ")]
    assert len(carried) == 4  # two from 10 September, still open, and two from 22 October
    assert carried[0] == "Matters arising: Long overdue action (Network convener, due 2026-10-01, agreed 10 September)"
    assert "due 2026-10-01" in carried[3] and "agreed 22 October" in carried[3]
    assert meta["agenda"][-2:] == ["Minutes of 22 October: approval", "Any other business"]
    assert meta["attendees"] == cat.entries["minutes/equity/2026-10-22"].meta["attendees"]
    assert meta["meeting"]["location"].endswith('Room "B", Eastfield')
    assert meta["status"] == "draft" and meta["date"] == dt.date(2026, 11, 1) and meta["networks"] == ["equity"]
    assert meta["title"] == "Equity meeting, 1 November 2026"


def test_prefill_after_a_scheduled_meeting_still_carries_the_open_actions(cat):
    """The meeting after a scheduled one (agenda only, no actions of its own) gets the chain, not nothing."""
    meta = A.prefill_minutes(cat, "equity", dt.date(2026, 12, 17))
    carried = [item for item in meta["agenda"] if item.startswith("Matters arising: ")]
    assert len(carried) == 4
    assert meta["agenda"][0] == "Matters arising from 22 October"  # the last held meeting, not the scheduled one


def test_prefill_accepts_entries_and_handles_a_first_meeting(cat):
    meta = A.prefill_minutes(list(cat.entries.values()), "send", dt.date(2026, 10, 1))
    assert meta["agenda"] == ["Matters arising", "Any other business"] and meta["attendees"] == []


def test_indexes_are_built_once(cat, monkeypatch):
    calls = []
    real = M.meetings_by_network
    monkeypatch.setattr(M, "meetings_by_network", lambda source: calls.append(1) or real(source))
    monkeypatch.setattr(A, "meetings_by_network", lambda source: calls.append(1) or real(source))
    cat.derived.clear()
    for entry in cat.of_type("minutes"):
        A.matters_arising(entry, cat)
        S.next_meeting("equity", cat)
        M.previous_meeting(entry, cat)
    assert len(calls) == 3  # the per-network cache, the actions' index and the previous-meeting index


@pytest.mark.parametrize(
    "day, minuted, scheduled",
    [
        ("2026-11-24", {}, True),
        ("2026-11-24", {"decisions": ["Already decided"]}, True),  # a future date is scheduled whatever it holds
        ("2026-11-23", {}, True),  # today, nothing minuted yet
        ("2026-11-23", {"attendees": ["Chair, Westbrook Academy"]}, False),
        ("2026-11-23", {"actions": [{"action": "A"}]}, False),
        ("2026-11-22", {}, False),
        (None, {}, False),
    ],
)
def test_is_scheduled(day, minuted, scheduled):
    e = record("minutes/equity/meeting", date=day)
    e.meta.update(minuted)
    assert M.is_scheduled(e, TODAY) is scheduled


def test_actions_of_skips_what_is_not_an_action_and_defaults_to_open():
    e = record("minutes/equity/2026-09-10", date="2026-09-10")
    e.meta["actions"] = [
        "not a mapping",
        {"action": "No status", "owner": "Chair", "due": dt.date(2026, 11, 20)},
        {"action": "Due is text", "due": "soon", "status": "open"},
        {"action": "Done late", "due": dt.date(2026, 1, 1), "status": "done"},
    ]
    found = M.actions_of(e, TODAY)
    assert [(a.index, a.status, a.due, a.days_overdue) for a in found] == [
        (1, "open", dt.date(2026, 11, 20), 3),
        (2, "open", None, 0),  # no date, never overdue
        (3, "done", dt.date(2026, 1, 1), 0),
    ]
    assert (
        found[0].anchor == "action-2" and found[0].key == "minutes/equity/2026-09-10#action-2"
    )  # anchors keep the list position
    assert found[1].owner == ""


@pytest.mark.parametrize(
    "ref, networks, network",
    [
        ("minutes/send/2026-11-02", ["equity"], "send"),
        ("minutes/2026-11-02", ["equity", "send"], "equity"),
        ("minutes/2026-11-02", [], ""),
    ],
)
def test_meeting_network_is_the_folder_else_the_first_network(ref, networks, network):
    assert M.meeting_network(record(ref, networks=networks, etype="minutes")) == network
