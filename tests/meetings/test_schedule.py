"""Every meeting date on the site (schedule.py): states, provisional dates from next_meeting and postponed_to,
the hub's next meeting, meetings/ and "this week"."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings import schedule as S
from kb.meetings.minutes import meeting_state
from kb.meetings.pages import meeting_context, meeting_pages
from kb.site.home import home_pages
from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER
from tests.factories import TODAY
from tests.factories import entry as record


@pytest.fixture
def cat(cycle):
    return cycle.catalogue()


def test_every_meeting_with_its_state(cat):
    every = {n: [(p.date.isoformat(), p.state) for p in planned] for n, planned in S.every_meeting(cat).items()}
    assert every["equity"] == [
        ("2026-05-14", "held"),
        ("2026-07-02", "held"),  # agenda only, but its date has passed
        ("2026-09-17", "held"),
        ("2026-12-03", "scheduled"),
    ]
    assert every["send"] == [
        ("2026-10-15", "held"),
        ("2026-11-19", "postponed"),
        ("2026-11-30", "cancelled"),
        ("2026-12-10", "provisional"),  # where the postponed meeting moved to: no file yet
    ]
    assert every["careers"] == [("2026-09-24", "held"), ("2026-11-26", "provisional")]  # its next_meeting, no file yet


def test_a_provisional_date_has_the_ref_its_file_will_have_and_says_where_it_came_from(cat):
    careers = S.every_meeting(cat)["careers"][-1]
    assert careers.ref == "minutes/careers/2026-11-26" and careers.url == "networks/careers/"
    assert careers.title == "Careers meeting, 26 November 2026" and careers.announced_by.ref == "minutes/careers/2026-09-24"
    moved = S.every_meeting(cat)["send"][-1]
    assert moved.moved_from == dt.date(2026, 11, 19) and moved.entry is None


def test_next_meeting_skips_cancelled_and_postponed_and_takes_provisional(cat):
    assert S.next_meeting("equity", cat).ref == "minutes/equity/2026-12-03"
    assert S.next_meeting("send", cat).date == dt.date(2026, 12, 10)  # not the cancelled 30 November
    assert [p.state for p in S.changes_ahead("send", cat)] == ["cancelled"]  # 19 November is already past
    assert S.latest_held("send", cat).ref == "minutes/send/2026-10-15"


def test_upcoming_has_every_state_but_held(cat):
    assert [(p.ref, p.state) for p in S.upcoming(cat)] == [
        ("minutes/careers/2026-11-26", "provisional"),
        ("minutes/send/2026-11-30", "cancelled"),
        ("minutes/equity/2026-12-03", "scheduled"),
        ("minutes/send/2026-12-10", "provisional"),
    ]


def test_this_week_is_the_next_seven_days_of_meetings_and_actions_due(cat):
    week = S.this_week(cat)
    assert (week.start, week.end) == (TODAY, TODAY + dt.timedelta(days=7))
    assert [p.ref for p in week.meetings] == ["minutes/careers/2026-11-26", "minutes/send/2026-11-30"]
    assert [a.action for a in week.actions] == ["Due this week"]  # not the overdue ones, not the members-only one (25th)


def test_the_members_build_has_its_own_week(cycle):
    week = S.this_week(cycle.catalogue(members=True))
    assert [a.action for a in week.actions] == [f"Members-only action {MEMBERS_MARKER}", "Due this week"]


@pytest.mark.parametrize(
    "state, day, expected",
    [
        (None, "2026-11-24", "scheduled"),
        (None, "2026-11-22", "held"),
        ("cancelled", "2026-11-24", "cancelled"),
        ("postponed", "2026-11-20", "postponed"),
        ("scheduled", "2026-10-01", "scheduled"),  # as written, even after the date (kb check warns)
        ("nonsense", "2026-11-22", "held"),  # not a state: ignored (validation already said so)
    ],
)
def test_meeting_state(state, day, expected):
    e = record("minutes/equity/x", date=day)
    if state:
        e.meta["state"] = state
    assert meeting_state(e, TODAY) == expected


def test_hub_shows_the_provisional_next_meeting_and_what_was_cancelled(cat):
    from kb.site.plan import render_entry

    hub = cat.entries["networks/send"]
    ctx = meeting_context(hub, cat)["network_meetings"]
    assert ctx["next"].state == "provisional" and ctx["next"].date == dt.date(2026, 12, 10)
    html = render_entry(hub, "", hub.url, cat)
    assert (
        "10 December 2026" in html and "Provisional date" in html and "when the meeting of 19 November 2026 was postponed" in html
    )
    assert "Cancelled" in html and "30 November 2026" in html
    careers = render_entry(cat.entries["networks/careers"], "", "networks/careers/", cat)
    assert "26 November 2026" in careers and "set at the meeting of 24 September 2026" in careers
    assert "None scheduled yet" not in careers


def test_meetings_page_shows_this_week_and_every_state_and_nothing_private(cat):
    page = next(p for p in meeting_pages(cat) if p.src_uri == "meetings/index.md")
    html = page.render_html("meetings/")
    week, rest = html.split('id="kb-upcoming-h"')
    assert "Careers meeting, 26 November 2026" in week and "Due this week" in week and "Open throughout" not in week
    assert "Provisional date" in rest and "This meeting has been cancelled." in rest
    assert "SEND meeting, 19 November 2026" not in rest  # postponed, and its date has passed: not upcoming
    assert "Equity meeting, 3 December 2026" in rest
    assert DRAFT_MARKER not in html and MEMBERS_MARKER not in html


def test_home_page_shows_this_week(cat, cycle):
    (home,) = home_pages(cat)
    html = home.render_html("")
    section = html.split('id="kb-week"')[1].split("</section>")[0]
    assert "Careers meeting, 26 November 2026" in section and "SEND workshop, 30 November 2026" in section
    assert "Due this week" in section and 'href="minutes/equity/2026-09-17/#action-1"' in section
    members = home_pages(cycle.catalogue(members=True))[0].render_html("")
    assert MEMBERS_MARKER in members and MEMBERS_MARKER not in html
