"""The convenor's emails (letters.py, mail.py): RFC 5322 messages that Python's `email` package reads back, a
plain and an HTML body saying the same, the agenda's and the reminder's invitation a REQUEST for icalendar."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import icalendar
import pytest

from kb.meetings.letters import MailError, plain_text
from kb.meetings.mail import compose
from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER

SITE = "https://kb.example.org/"
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def cat(cycle):
    return cycle.catalogue()


def message(cat, kind, ref):
    """The composed message, written out and read back as a mail program would."""
    composed = compose(kind, cat.entries[ref], cat, sender="equity-convener@school.example", site_url=SITE, now=NOW)
    return email.message_from_bytes(composed.as_bytes(policy=policy.SMTP), policy=policy.default)


def bodies(msg):
    """The plain and HTML bodies as text (line ends as a program shows them)."""
    return tuple(msg.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))


def flat(text):
    """Text with its wrapping undone, to find a sentence wherever the lines broke."""
    return " ".join(text.split())


def invitation(msg):
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    return icalendar.Calendar.from_ical(part.get_content())


@pytest.mark.parametrize(
    "kind, ref, subject",
    [
        ("agenda", "minutes/equity/2026-12-03", "Agenda for the Equity meeting, Thursday 3 December 2026"),
        ("reminder", "minutes/equity/2026-12-03", "Reminder of the Equity meeting, Thursday 3 December 2026"),
        (
            "minutes",
            "minutes/equity/2026-09-17",
            "Minutes of the Equity meeting, Thursday 17 September 2026 (draft, not yet approved)",
        ),
        ("minutes", "minutes/equity/2026-05-14", "Minutes of the Equity meeting, Thursday 14 May 2026"),
    ],
)
def test_each_message_is_rfc_5322_with_both_bodies_addressed_to_the_list(cat, kind, ref, subject):
    msg = message(cat, kind, ref)
    assert msg["Subject"] == subject
    assert msg["To"] == "equity-network@lists.example.org" and msg["From"] == "equity-convener@school.example"
    assert msg["Date"].datetime == NOW and msg["Message-ID"].endswith("@school.example>")
    assert msg["X-Unsent"] == "1"
    plain, html = bodies(msg)
    assert plain.startswith("Dear colleagues,") and html.lstrip().startswith("<!DOCTYPE html>")
    assert "Equity" in plain and 'lang="en"' in html
    has_calendar = any(p.get_content_type() == "text/calendar" for p in msg.walk())
    assert has_calendar is (kind != "minutes")


def test_the_agenda_has_items_previous_minutes_papers_matters_arising_and_the_invitation(cat):
    msg = message(cat, "agenda", "minutes/equity/2026-12-03")
    plain, html = bodies(msg)
    for words in ("1. Matters arising", "3. Enquiry baseline", "Thursday 3 December 2026, 16:00–17:30 (UK time)"):
        assert words in flat(plain)
    assert "Attendance by pupil group\n  https://kb.example.org/minutes/equity/papers/attendance.pdf" in plain
    assert "https://example.org/guidance.pdf" in plain
    assert "The minutes of the meeting of 17 September 2026, for approval at this meeting:" in flat(plain)
    assert "https://kb.example.org/minutes/equity/2026-09-17/" in plain
    assert "Open throughout (Network convener)" in plain and "overdue by 24 days" in flat(plain)
    assert "https://kb.example.org/minutes/equity/2026-05-14/#action-1" in plain
    assert "Due this week (Priya Das)" in plain
    assert '<a href="https://kb.example.org/minutes/equity/papers/attendance.pdf"' in html and "<h2" in html
    cal = invitation(msg)
    assert cal["METHOD"] == "REQUEST"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "minutes/equity/2026-12-03@alliance-kb"  # the same event as in the calendar feeds
    assert event.decoded("DTSTART") == dt.datetime(2026, 12, 3, 16, 0, tzinfo=event.decoded("DTSTART").tzinfo)
    assert str(event["ORGANIZER"]) == "mailto:equity-convener@school.example"
    assert event["ORGANIZER"].params["CN"] == "Assistant principal, Riverside College"
    assert str(event["ATTENDEE"]) == "mailto:equity-network@lists.example.org" and event["ATTENDEE"].params["CUTYPE"] == "GROUP"
    assert "Enquiry baseline" in str(event["DESCRIPTION"]) and [a["TRIGGER"].to_ical() for a in event.walk("VALARM")] == [b"-P1D"]


def test_the_reminder_is_short_with_the_agenda_papers_and_the_page(cat):
    plain, _ = bodies(message(cat, "reminder", "minutes/equity/2026-12-03"))
    assert plain.count("Enquiry baseline") == 1 and "Attendance by pupil group" in plain
    assert "send your apologies by replying" in flat(plain) and "Matters arising\n---" not in plain
    assert "https://kb.example.org/minutes/equity/2026-12-03/" in plain


def test_the_minutes_thank_and_give_decisions_actions_attendance_and_the_next_meeting(cat):
    plain, html = bodies(message(cat, "minutes", "minutes/equity/2026-09-17"))
    assert flat(plain).startswith(
        "Dear colleagues, Thank you to everyone who came to the Equity meeting on Thursday 17 September 2026"
    )
    assert "These are draft minutes, not yet approved" in flat(plain)
    assert "1. Run the attendance enquiry" in plain
    assert "1. Due this week (Priya Das) (due 27 November 2026)" in plain
    assert "Closed by the September update (closed: done; Report shared with all schools)" in flat(plain)  # reviewed here
    assert "Attended (4): amira khan (WBA); Jo Park (Saint Mary's C of E Primary School)" in flat(plain)
    assert "Apologies (0): none." in plain
    assert "The next meeting is on Thursday 3 December 2026, 16:00–17:30 (UK time), in person at Riverside College" in flat(plain)
    assert "Priya Das" in html and "<ol" in html


def test_the_next_meeting_may_be_a_provisional_date(cat):
    plain, _ = bodies(message(cat, "minutes", "minutes/careers/2026-09-24"))
    assert "The next meeting is on Thursday 26 November 2026 (provisional date; the agenda will follow)." in flat(plain)


@pytest.mark.parametrize(
    "kind, ref, words",
    [
        ("minutes", "minutes/equity/2026-12-03", "has not been held yet"),
        ("agenda", "minutes/send/2026-11-30", "is cancelled"),
        ("reminder", "minutes/send/2026-11-19", "is postponed"),
        ("letter", "minutes/equity/2026-12-03", "is not a kind of email"),
    ],
)
def test_messages_that_make_no_sense_are_refused_in_words(cat, kind, ref, words):
    with pytest.raises(MailError, match=words):
        compose(kind, cat.entries[ref], cat, sender="a@b.example", site_url=SITE, now=NOW)


def test_a_network_without_a_mailing_list_gets_a_message_with_no_recipient(cat):
    msg = message(cat, "minutes", "minutes/send/2026-10-15")
    assert msg["To"] is None and msg["Subject"].startswith("Minutes of the SEND meeting")


def test_nothing_private_reaches_a_public_message_and_the_members_one_has_its_own(cycle):
    public = cycle.catalogue()
    for kind, ref in (("agenda", "minutes/equity/2026-12-03"), ("minutes", "minutes/equity/2026-09-17")):
        raw = message(public, kind, ref).as_string()
        assert MEMBERS_MARKER not in raw and DRAFT_MARKER not in raw
    members = cycle.catalogue(members=True)
    plain, _ = bodies(message(members, "agenda", "minutes/equity/2026-12-03"))
    assert f"Members-only action {MEMBERS_MARKER}" in plain and DRAFT_MARKER not in plain


def test_entry_text_is_escaped_in_the_html_and_kept_in_the_plain_text(meetings_project):
    from tests.meetings_fixture import HOSTILE

    cat = meetings_project.catalogue()
    plain, html = bodies(message(cat, "minutes", "minutes/equity/2026-10-22"))
    assert f'{HOSTILE} and "quotes"' in plain
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_plain_text_wraps_at_72_and_writes_links_on_their_own_line(cat):
    from kb.meetings.letters import Item, Letter, Section

    letter = Letter(
        "S", "Hello,", [Section("Links", ["word " * 30], [Item("A title", "https://x.example/a", "a note")])], ["Bye"]
    )
    text = plain_text(letter)
    assert max(len(line) for line in text.splitlines()) <= 72
    assert "- A title (a note)\n  https://x.example/a" in text and text.endswith("Bye\n")


@pytest.fixture
def meetings_project(project):
    from tests.meetings_fixture import write_meetings

    write_meetings(project)
    return project
