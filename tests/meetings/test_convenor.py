"""Convenor checks (convenor.py): the habits of a well-run meeting, as warnings with a line and a fix."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings.convenor import AGENDA_NOTICE_DAYS, OVERDUE_GRACE_DAYS, check_meeting, convenor_checks
from kb.project import load_project
from tests.factories import TODAY, entry


def _warnings(meetings_project, ref):
    problems = load_project(meetings_project.root)[1]
    path = f"content/{ref}.md"
    return [p for p in problems if p.path == path]


def test_late_agenda_warns_with_line_and_fix(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-10-22") if p.field == "agenda_published"]
    assert len(found) == 1
    p = found[0]
    assert p.severity == "warning" and p.line == 14 and "4 day(s)" in p.message and "2026-10-15" in p.hint


def test_missing_agenda_within_a_week_warns(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-11-26") if p.field == "agenda_published"]
    assert len(found) == 1 and "within a week" in found[0].message and found[0].line == 8
    assert "agenda_published: YYYY-MM-DD" in found[0].hint


def test_missing_agenda_far_ahead_is_fine(meetings_project):
    assert _warnings(meetings_project, "minutes/equity/2026-12-10") == []  # draft, 17 days ahead


def test_past_meeting_without_decisions_or_attendees_warns(meetings_project):
    fields = {p.field for p in _warnings(meetings_project, "minutes/equity/2026-10-22")}
    assert "decisions" in fields and "attendees" not in fields
    meetings_project.write(
        "content/minutes/send/2026-10-01.md",
        "---\ntitle: SEND, 1 October\nsummary: S.\ndate: 2026-10-01\n"
        'networks: [send]\nstatus: published\ndecisions: ["One"]\n---\nNotes.\n',
    )
    found = [p for p in _warnings(meetings_project, "minutes/send/2026-10-01") if p.field == "attendees"]
    assert len(found) == 1 and "no attendees" in found[0].message and found[0].severity == "warning"


def test_action_due_before_its_meeting_and_long_overdue(meetings_project):
    found = [p for p in _warnings(meetings_project, "minutes/equity/2026-10-22") if p.field == "actions[1].due"]
    messages = " ".join(p.message for p in found)
    assert "before the meeting that agreed it" in messages and "53 days after it was due" in messages
    assert all(p.line == 23 for p in found)
    assert not [
        p for p in _warnings(meetings_project, "minutes/send/2026-11-02") if p.field.startswith("actions")
    ]  # 13 days: under 30


def test_convenor_checks_are_warnings_only(meetings_project):
    problems = load_project(meetings_project.root)[1]
    assert problems and all(p.severity == "warning" for p in problems)


def test_check_meeting_ignores_other_types(cat):
    assert check_meeting(cat.entries["case-studies/coaching-year-7"], TODAY) == []


# --- check_meeting on in-memory entries ------------------------------------------------------


def meeting(day: dt.date | None, lines: dict[str, int] | None = None, **meta):
    """A minutes entry dated `day` (None: undated) that is minuted unless told otherwise."""
    e = entry("minutes/equity/meeting", date=day.isoformat() if day else None)
    block = {"start": "16:00", "end": "17:00", "format": "in-person", "location": "Library"}
    e.meta.update({"attendees": ["Chair, Westbrook Academy"], "apologies": [], "decisions": ["One"], "meeting": block, **meta})
    e.lines.update(lines or {})
    return e


def by_field(problems, field):
    return [p for p in problems if p.field == field]


@pytest.mark.parametrize(
    "notice, warned",
    [(AGENDA_NOTICE_DAYS + 23, False), (AGENDA_NOTICE_DAYS, False), (AGENDA_NOTICE_DAYS - 1, True), (0, True)],
)
def test_agenda_needs_a_weeks_notice(notice, warned):
    day = TODAY + dt.timedelta(days=40)
    found = by_field(check_meeting(meeting(day, agenda_published=day - dt.timedelta(days=notice)), TODAY), "agenda_published")
    assert len(found) == int(warned)
    if warned:
        assert f"went out {notice} day(s) before the meeting on {day.isoformat()}" in found[0].message
        assert f"by {(day - dt.timedelta(days=7)).isoformat()}" in found[0].hint


@pytest.mark.parametrize("days_ahead, warned", [(-1, False), (0, True), (3, True), (AGENDA_NOTICE_DAYS, True), (8, False)])
def test_missing_agenda_warns_only_within_the_coming_week(days_ahead, warned):
    day = TODAY + dt.timedelta(days=days_ahead)
    found = by_field(check_meeting(meeting(day), TODAY), "agenda_published")
    assert len(found) == int(warned)
    if warned:
        assert found[0].message == f"the meeting is on {day.isoformat()}, within a week, and no agenda has been published."


@pytest.mark.parametrize(
    "days_ahead, expected",
    [(-1, {"attendees", "decisions"}), (0, set()), (5, set())],  # today's meeting may not be minuted yet
)
def test_only_a_past_meeting_must_record_attendees_and_decisions(days_ahead, expected):
    day = TODAY + dt.timedelta(days=days_ahead)
    problems = check_meeting(meeting(day, attendees=[], decisions=None, agenda_published=day - dt.timedelta(days=10)), TODAY)
    assert {p.field for p in problems} == expected
    assert all(p.severity == "warning" for p in problems)


@pytest.mark.parametrize(
    "days_late, status, warned",
    [
        (OVERDUE_GRACE_DAYS, "open", False),
        (OVERDUE_GRACE_DAYS + 1, "open", True),
        (200, "done", False),
        (200, "dropped", False),
    ],
)
def test_open_action_warns_after_the_grace_period(days_late, status, warned):
    due = TODAY - dt.timedelta(days=days_late)
    action = {"action": "Send data", "owner": "Convener", "due": due, "status": status}
    problems = check_meeting(meeting(due - dt.timedelta(days=14), actions=[action]), TODAY)
    found = [p for p in by_field(problems, "actions[0].due") if "still open" in p.message]
    assert len(found) == int(warned)
    if warned:
        assert found[0].message == f"'Send data' (Convener) is still open {days_late} days after it was due."


@pytest.mark.parametrize("offset, warned", [(-1, True), (0, False), (1, False)])
def test_action_due_before_the_meeting_that_agreed_it(offset, warned):
    day = dt.date(2026, 11, 10)
    action = {"action": "Book room", "owner": "Convener", "due": day + dt.timedelta(days=offset), "status": "done"}
    found = by_field(
        check_meeting(meeting(day, actions=[action], agenda_published=dt.date(2026, 11, 1)), TODAY), "actions[0].due"
    )
    assert len(found) == int(warned)
    if warned:
        assert "before the meeting that agreed it (2026-11-10)" in found[0].message


def test_an_undated_meeting_is_not_checked():
    assert check_meeting(meeting(None, attendees=[], decisions=[]), TODAY) == []


@pytest.mark.parametrize(
    "lines, expected",
    [
        ({"agenda_published": 6, "agenda": 5, "date": 3}, 6),  # the field's own line
        ({"agenda": 5, "date": 3}, 5),  # else the related field it sits near
        ({"date": 3}, 3),  # else the date
        ({}, None),
    ],
)
def test_missing_agenda_warning_points_at_the_nearest_line(lines, expected):
    (found,) = by_field(check_meeting(meeting(TODAY + dt.timedelta(days=2), lines), TODAY), "agenda_published")
    assert found.line == expected


@pytest.mark.parametrize(
    "lines, expected",
    [({"actions[0].due": 12, "actions": 9, "date": 3}, 12), ({"actions": 9, "date": 3}, 9), ({"date": 3}, 3)],
)
def test_action_warning_points_at_the_action_else_the_actions_list(lines, expected):
    action = {"action": "Late", "owner": "Convener", "due": dt.date(2026, 1, 1), "status": "open"}
    e = meeting(dt.date(2026, 1, 5), lines, actions=[action], agenda_published=dt.date(2025, 12, 1))
    found = by_field(check_meeting(e, TODAY), "actions[0].due")
    assert len(found) == 2 and {p.line for p in found} == {expected}  # due before the meeting, and long overdue


def test_convenor_checks_run_over_minutes_only_in_order():
    first = meeting(TODAY - dt.timedelta(days=3), attendees=[])
    second = entry("minutes/send/2026-11-01", date="2026-11-01")  # nothing recorded
    case = entry("case-studies/a", date="2026-11-01")  # would have no attendees either, but is no meeting
    problems = convenor_checks([first, case, second], TODAY)
    assert [(p.path, p.field) for p in problems] == [
        (first.path, "attendees"),
        (first.path, "next_meeting"),  # each is its network's last meeting, and sets no next one
        (second.path, "attendees"),
        (second.path, "decisions"),
        (second.path, "apologies"),
        (second.path, "next_meeting"),
    ]


# --- the rest of the cycle: where and how, apologies, minutes within a week, references, the sequence ----------


def test_a_scheduled_meeting_within_the_agenda_week_says_where_and_how():
    day = TODAY + dt.timedelta(days=5)
    problems = check_meeting(meeting(day, meeting={"start": "16:00", "end": "17:00"}), TODAY)
    assert [p.field for p in problems if p.field.startswith("meeting.")] == ["meeting.format", "meeting.location"]
    assert "does not say its location" in by_field(problems, "meeting.location")[0].message
    online = check_meeting(meeting(day, meeting={"start": "16:00", "end": "17:00", "format": "virtual"}), TODAY)
    assert not [p for p in online if p.field.startswith("meeting.")]  # online needs no room
    far = check_meeting(meeting(TODAY + dt.timedelta(days=30), meeting={"start": "16:00"}), TODAY)
    assert not [p for p in far if p.field.startswith("meeting.")]


@pytest.mark.parametrize("days_ago, warned", [(7, False), (8, True)])
def test_a_meeting_still_marked_scheduled_a_week_after_its_date_warns(days_ago, warned):
    day = TODAY - dt.timedelta(days=days_ago)
    found = by_field(check_meeting(meeting(day, state="scheduled", agenda_published=day - dt.timedelta(days=9)), TODAY), "state")
    assert len(found) == int(warned)
    if warned:
        assert "minutes are not recorded" in found[0].message and "state: cancelled" in found[0].hint


def test_a_held_meeting_needs_an_apologies_line_even_an_empty_one():
    day = TODAY - dt.timedelta(days=3)
    e = meeting(day, agenda_published=day - dt.timedelta(days=8))
    del e.meta["apologies"]
    (found,) = by_field(check_meeting(e, TODAY), "apologies")
    assert found.message == "this meeting has no apologies line." and "apologies: []" in found.hint
    assert not by_field(check_meeting(meeting(day, agenda_published=day - dt.timedelta(days=8)), TODAY), "apologies")


@pytest.mark.parametrize("days_after, warned", [(7, False), (8, True)])
def test_minutes_sent_more_than_a_week_after_warn(days_after, warned):
    day = TODAY - dt.timedelta(days=20)
    e = meeting(day, agenda_published=day - dt.timedelta(days=8), minutes_sent=day + dt.timedelta(days=days_after))
    found = by_field(check_meeting(e, TODAY), "minutes_sent")
    assert len(found) == int(warned)


def test_cancelled_and_postponed_meetings_are_not_judged():
    day = TODAY - dt.timedelta(days=3)
    for state in ("cancelled", "postponed"):
        assert check_meeting(meeting(day, state=state, attendees=[], decisions=[]), TODAY) == []


@pytest.mark.parametrize(
    "status, closed, words",
    [
        ("open", dt.date(2026, 11, 1), "but its status is open"),
        ("done", dt.date(2026, 10, 1), "before the meeting that agreed it (2026-10-10)"),
        ("done", dt.date(2026, 12, 1), "which is after today"),
        ("done", dt.date(2026, 11, 1), None),
    ],
)
def test_closed_dates_are_checked(status, closed, words):
    action = {"action": "A", "owner": "O", "due": dt.date(2026, 10, 20), "status": status, "closed": closed}
    day = dt.date(2026, 10, 10)
    found = by_field(
        check_meeting(meeting(day, actions=[action], agenda_published=dt.date(2026, 10, 1)), TODAY), "actions[0].closed"
    )
    assert [p.message for p in found] == ([f"'A' says closed {closed.isoformat()}, {words}."] if words else [])


def _minutes(day: str, network="equity", status="published", **meta):
    e = entry(f"minutes/{network}/{day}", date=day, networks=(network,), status=status)
    block = {"start": "16:00", "end": "17:00", "format": "in-person", "location": "Library"}
    e.meta.update({"attendees": ["Chair, Westbrook Academy"], "apologies": [], "decisions": ["One"], "meeting": block, **meta})
    e.meta.setdefault("agenda_published", dt.date.fromisoformat(day) - dt.timedelta(days=8))
    return e


def test_updates_and_approves_must_name_earlier_actions_and_minutes():
    first = _minutes("2026-09-10", actions=[{"action": "A", "owner": "O", "due": dt.date(2026, 10, 1), "status": "open"}])
    second = _minutes(
        "2026-10-08",
        updates=[
            {"action": "2026-09-10#action-1", "status": "done"},
            {"action": "2026-09-10#action-2", "status": "done"},  # there is one action only
            {"action": "minutes/equity/2026-10-08#action-1"},  # this meeting's own
            {"action": "the first one"},
        ],
        approves="minutes/equity/2026-09-10",
        next_meeting=dt.date(2026, 12, 3),
    )
    third = _minutes("2026-11-12", status="draft", approves="2026-12-01", updates=[{"action": "2026-01-01#action-1"}])
    problems = convenor_checks([first, second, third], TODAY)
    refs = [(p.path, p.field, p.severity) for p in problems if p.field.startswith(("updates", "approves"))]
    assert refs == [
        (second.path, "updates[1].action", "error"),
        (second.path, "updates[2].action", "error"),
        (second.path, "updates[3].action", "error"),
        (third.path, "updates[0].action", "warning"),  # a draft: warned, not stopped
        (third.path, "approves", "warning"),
        (third.path, "approves", "warning"),  # and the October minutes were not approved at this meeting
    ]
    messages = {p.field: p.message for p in problems if p.path == second.path}
    assert messages["updates[1].action"] == "'2026-09-10#action-2' names no action."
    assert "on or after this meeting" in messages["updates[2].action"]
    assert "is not written like minutes/<network>/<YYYY-MM-DD>#action-<number>" in messages["updates[3].action"]
    assert not by_field([p for p in problems if p.path == first.path], "actions[0].due")  # closed by the update: no nagging


def test_the_previous_minutes_must_be_approved_at_the_next_meeting():
    first = _minutes("2026-09-10")
    second = _minutes("2026-10-08", next_meeting=dt.date(2026, 12, 3))
    (found,) = by_field(convenor_checks([first, second], TODAY), "approves")
    assert found.path == second.path and "(2026-09-10) were not approved at this meeting" in found.message
    assert "approves: minutes/equity/2026-09-10" in found.hint
    first.meta["approved"] = {"date": dt.date(2026, 10, 8), "by": "The network"}
    assert not by_field(convenor_checks([first, second], TODAY), "approves")
    first.meta["approved"] = {"date": dt.date(2026, 10, 20), "by": "Late"}  # after the next meeting: still a warning
    assert by_field(convenor_checks([first, second], TODAY), "approves")


def test_the_last_meeting_must_set_the_next_and_the_next_must_be_minuted():
    last = _minutes("2026-10-08")
    (found,) = by_field(convenor_checks([last], TODAY), "next_meeting")
    assert found.message == "no next meeting is set after this one."
    last.meta["next_meeting"] = dt.date(2026, 11, 12)  # 11 days ago, no file
    (found,) = by_field(convenor_checks([last], TODAY), "next_meeting")
    assert "set for 2026-11-12, more than a week ago, and its minutes are not recorded" in found.message
    assert "content/minutes/equity/2026-11-12.md" in found.hint
    last.meta["next_meeting"] = dt.date(2026, 11, 20)  # 3 days ago: a week to write them
    assert not by_field(convenor_checks([last], TODAY), "next_meeting")
    later = _minutes("2026-12-03", attendees=[], decisions=[])  # a file for the next meeting: nothing to say
    assert not by_field(convenor_checks([_minutes("2026-10-08"), later], TODAY), "next_meeting")
