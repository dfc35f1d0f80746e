"""Calendar feeds parse with icalendar and with vobject (an independent parser), one event per meeting,
correct local times across the October clock change, stable UIDs, nothing private."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from kb.feeds.calendar import calendar_files
from tests.meetings_fixture import DRAFT_MARKER, HOSTILE, MEMBERS_MARKER, write_meetings

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def meetings_project(project):
    write_meetings(project)
    return project


@pytest.fixture
def files(meetings_project):
    return calendar_files(meetings_project.catalogue())


def events_icalendar(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def events_vobject(data: bytes) -> dict[str, object]:
    cal = vobject.readOne(data.decode("utf-8"))
    return {e.uid.value: e for e in cal.vevent_list}


def test_one_event_per_visible_meeting_in_both_parsers(files):
    expected = {
        "minutes/equity/2026-09-10@alliance-kb",
        "minutes/equity/2026-10-22@alliance-kb",
        "minutes/equity/2026-11-26@alliance-kb",
        "minutes/send/2026-11-02@alliance-kb",
    }
    assert set(events_icalendar(files["calendar/all.ics"])) == expected
    assert set(events_vobject(files["calendar/all.ics"])) == expected
    equity = {u for u in expected if "/equity/" in u}
    assert set(events_icalendar(files["calendar/equity.ics"])) == equity
    assert set(events_vobject(files["calendar/equity.ics"])) == equity
    assert set(events_vobject(files["calendar/send.ics"])) == {"minutes/send/2026-11-02@alliance-kb"}


@pytest.mark.parametrize(
    "uid, start_utc, end_utc",
    [
        (
            "minutes/equity/2026-10-22@alliance-kb",
            dt.datetime(2026, 10, 22, 15, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 22, 16, 30, tzinfo=UTC),
        ),  # BST
        (
            "minutes/equity/2026-11-26@alliance-kb",
            dt.datetime(2026, 11, 26, 16, 0, tzinfo=UTC),
            dt.datetime(2026, 11, 26, 17, 30, tzinfo=UTC),
        ),  # GMT
        (
            "minutes/send/2026-11-02@alliance-kb",
            dt.datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
            dt.datetime(2026, 11, 2, 11, 0, tzinfo=UTC),
        ),
    ],
)
def test_local_times_either_side_of_the_clock_change(files, uid, start_utc, end_utc):
    data = files["calendar/all.ics"]
    ev = events_icalendar(data)[uid]
    assert ev.decoded("DTSTART").astimezone(UTC) == start_utc
    assert ev.decoded("DTEND").astimezone(UTC) == end_utc
    assert ev.decoded("DTSTART").astimezone(LONDON).strftime("%H:%M") in ("16:00", "09:30")
    other = events_vobject(data)[uid]
    assert other.dtstart.value.astimezone(UTC) == start_utc  # vobject reads the file's own VTIMEZONE
    assert other.dtend.value.astimezone(UTC) == end_utc
    assert b"TZID=Europe/London" in data and b"BEGIN:VTIMEZONE" in data


def test_uids_and_bytes_are_stable_across_builds(meetings_project):
    first = calendar_files(meetings_project.catalogue())
    second = calendar_files(meetings_project.catalogue())
    assert first == second
    assert set(events_icalendar(first["calendar/all.ics"])) == set(events_icalendar(second["calendar/all.ics"]))


def test_nothing_from_draft_or_members_minutes_in_public_feeds(files, meetings_project):
    for path, data in files.items():
        assert DRAFT_MARKER.encode() not in data and MEMBERS_MARKER.encode() not in data, path
    members = calendar_files(meetings_project.catalogue(members=True))
    assert MEMBERS_MARKER.encode() in members["calendar/all.ics"]  # the members build does carry it
    assert DRAFT_MARKER.encode() not in members["calendar/all.ics"]  # drafts never


def test_agenda_location_and_hostile_text_round_trip_exactly(files):
    uid = "minutes/equity/2026-10-22@alliance-kb"
    ev = events_icalendar(files["calendar/all.ics"])[uid]
    other = events_vobject(files["calendar/all.ics"])[uid]
    location = HOSTILE + ' Room "B", Eastfield'
    assert str(ev["LOCATION"]) == location and other.location.value == location
    description = other.description.value
    assert "Agenda:\n1. Matters arising\n2. Pupil voice; next steps, and more" in description
    assert str(ev["DESCRIPTION"]) == description
    assert "Meeting page: /minutes/equity/2026-10-22/" in description
    assert "URL" not in ev  # no absolute site URL known, so no URL property


def test_absolute_url_when_site_url_is_known(meetings_project):
    data = calendar_files(meetings_project.catalogue(), site_url="https://kb.example.org/")["calendar/all.ics"]
    ev = events_vobject(data)["minutes/equity/2026-11-26@alliance-kb"]
    assert ev.url.value == "https://kb.example.org/minutes/equity/2026-11-26/"


def test_every_network_has_a_feed_even_without_meetings(files, meetings_project):
    networks = set(meetings_project.catalogue().networks)
    assert {f"calendar/{n}.ics" for n in networks} | {"calendar/all.ics"} == set(files)


def test_starter_site_feeds_parse_and_hold_no_members_minutes(public_site):
    data = (public_site / "calendar" / "all.ics").read_bytes()
    assert b"Quokkamembers" not in data and b"Zanzibarquill" not in data
    assert len(events_vobject(data)) == len(events_icalendar(data)) > 5
    assert (public_site / "calendar" / "equity.ics").exists()
    # mkdocs.yml sets site_url, which the plugin hands to the catalogue: events link to their pages
    event = events_vobject(data)["minutes/equity/2026-10-08@alliance-kb"]
    assert event.url.value == "https://learning.example.org/minutes/equity/2026-10-08/"


def test_timezone_rules_agree_with_zoneinfo_for_years_of_clock_changes():
    """Both parsers read our VTIMEZONE rules the way zoneinfo does, for days either side of each change."""
    from kb.content.catalogue import Entry
    from kb.feeds.calendar import build_calendar

    days = []
    for year in range(2026, 2031):
        for month in (3, 10):
            last_sunday = max(dt.date(year, month, d) for d in range(25, 32) if dt.date(year, month, d).weekday() == 6)
            days += [last_sunday - dt.timedelta(days=1), last_sunday + dt.timedelta(days=1)]
    entries = [
        Entry(
            f"minutes/equity/{d.isoformat()}",
            "minutes",
            "x.md",
            {"title": "M", "date": d, "meeting": {"start": "16:00", "end": "17:00"}},
            "",
        )
        for d in days
    ]
    data = build_calendar("test", [planned(e) for e in entries], dt.date(2026, 11, 23))
    ours, theirs = events_icalendar(data), events_vobject(data)
    for entry in entries:
        uid = entry.ref + "@alliance-kb"
        truth = dt.datetime.combine(entry.date, dt.time(16, 0), tzinfo=LONDON).astimezone(UTC)
        assert ours[uid].decoded("DTSTART").astimezone(UTC) == truth, uid
        assert theirs[uid].dtstart.value.astimezone(UTC) == truth, uid


def planned(entry, state="held"):
    """A minutes entry as a meeting on the calendar (schedule.Planned)."""
    from kb.meetings.schedule import Planned

    return Planned("equity", "Equity", entry.date, state, entry=entry)


def icalendar_event(meeting, stamp, site_url=None) -> icalendar.Event:
    """The reference: the same event built with icalendar's own objects (kb.feeds.calendar's code before its writer)."""
    from kb.meetings.events import STATUS, describe, local_time, summary, uid_for

    event = icalendar.Event()
    event.add("uid", uid_for(meeting))
    event.add("dtstamp", stamp)
    event.add("summary", summary(meeting))
    start, end = local_time(meeting.date, meeting.meeting.get("start")), local_time(meeting.date, meeting.meeting.get("end"))
    if start is not None:
        event.add("dtstart", start)
        if end is not None and end > start:
            event.add("dtend", end)
    else:
        event.add("dtstart", meeting.date)
    location = meeting.meeting.get("location") or ("Online" if meeting.meeting.get("format") == "virtual" else "")
    if location:
        event.add("location", location)
    event.add("description", describe(meeting, site_url))
    event.add("status", STATUS[meeting.state])
    if site_url:
        event.add("url", site_url.rstrip("/") + "/" + meeting.url)
    if STATUS[meeting.state] != "CANCELLED":
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Tomorrow: " + summary(meeting))
        alarm.add("trigger", dt.timedelta(days=-1))
        event.add_component(alarm)
    return event


def icalendar_calendar(name, meetings, today, site_url):
    from kb.meetings.events import PRODID, london_timezone

    cal = icalendar.Calendar()
    for key, value in [
        ("prodid", PRODID),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("x-wr-calname", name),
        ("x-wr-timezone", "Europe/London"),
    ]:
        cal.add(key, value)
    cal.add_component(london_timezone())
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=UTC)
    for m in sorted(meetings, key=lambda p: (p.date, p.ref)):
        cal.add_component(icalendar_event(m, stamp, site_url))
    return cal.to_ical()


@pytest.mark.parametrize("site_url", [None, "https://kb.example.org/"])
def test_each_calendar_is_byte_for_byte_what_icalendar_writes(meetings_project, site_url):
    """Events are written by our own writer and each is shared by several calendars: every file must be
    exactly icalendar's serialisation of one Calendar holding the same events (escaping, folding, CRLFs)."""
    from kb.meetings.schedule import every_meeting

    cat = meetings_project.catalogue()
    files = calendar_files(cat, site_url=site_url)
    every = [m for ms in every_meeting(cat).values() for m in ms]
    expected = {
        "calendar/all.ics": icalendar_calendar("Alliance network meetings", every, cat.today, site_url),
        "calendar/equity.ics": icalendar_calendar(
            "Equity meetings", [m for m in every if m.network == "equity"], cat.today, site_url
        ),
    }
    assert len(every) >= 4
    for path, data in expected.items():
        assert files[path] == data, path


AWKWARD = [
    "a;b,c\\d and \\N",
    "one\ntwo\r\nthree\rfour",
    "é" * 80,
    "x" * 72 + "\\,;" * 5,
    "🎓" * 30 + ",",
    "word " * 40,
    "Tab\there",
    HOSTILE,
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_text_is_escaped_and_folded_as_icalendar_does(text):
    from kb.content.catalogue import Entry
    from kb.meetings.events import meeting_event

    entry = Entry(
        "minutes/equity/2026-10-22",
        "minutes",
        "x.md",
        {
            "title": text,
            "summary": text,
            "date": dt.date(2026, 10, 22),
            "meeting": {"start": "16:00", "end": "17:30", "location": text, "chair": text},
        },
        "",
    )
    stamp = dt.datetime(2026, 11, 23, tzinfo=UTC)
    ours = meeting_event(planned(entry), stamp, "https://kb.example.org/")
    assert ours == icalendar_event(planned(entry), stamp, "https://kb.example.org/").to_ical()
    for line in ours.split(b"\r\n"):
        assert len(line) <= 75
    event = icalendar.Event.from_ical(ours)
    assert str(event["SUMMARY"]) == text.replace("\r\n", "\n").replace("\r", "\n").replace("\\N", "\n")


def test_a_meeting_without_times_is_an_all_day_event():
    from kb.content.catalogue import Entry
    from kb.meetings.events import meeting_event

    entry = Entry("minutes/equity/2026-10-22", "minutes", "x.md", {"title": "M", "date": dt.date(2026, 10, 22)}, "")
    stamp = dt.datetime(2026, 11, 23, tzinfo=UTC)
    ours = meeting_event(planned(entry), stamp)
    assert b"DTSTART;VALUE=DATE:20261022\r\n" in ours
    assert ours == icalendar_event(planned(entry), stamp).to_ical()


# --- every meeting date: provisional, cancelled and postponed meetings, reminders --------------------------


@pytest.fixture
def cycle_files(project):
    from tests.cycle_fixture import write_cycle

    write_cycle(project)
    return calendar_files(project.catalogue(), site_url="https://kb.example.org/")


def test_provisional_cancelled_and_postponed_meetings_are_in_the_calendars_for_both_parsers(cycle_files):
    for name in ("calendar/all.ics", "calendar/send.ics", "calendar/careers.ics"):
        data = cycle_files[name]
        ours, theirs = events_icalendar(data), events_vobject(data)
        assert set(ours) == set(theirs), name
    send = events_icalendar(cycle_files["calendar/send.ics"])
    other = events_vobject(cycle_files["calendar/send.ics"])
    assert (
        str(send["minutes/send/2026-11-30@alliance-kb"]["STATUS"])
        == "CANCELLED"
        == other["minutes/send/2026-11-30@alliance-kb"].status.value
    )
    postponed = send["minutes/send/2026-11-19@alliance-kb"]
    assert str(postponed["STATUS"]) == "CANCELLED" and str(postponed["SUMMARY"]).startswith("Postponed to 10 December 2026: ")
    moved = send["minutes/send/2026-12-10@alliance-kb"]  # the new date: no file yet, so provisional, all day
    assert str(moved["STATUS"]) == "TENTATIVE" and moved.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert str(moved["SUMMARY"]) == "SEND meeting, 10 December 2026 (provisional date)"
    assert other["minutes/send/2026-12-10@alliance-kb"].dtstart.value == dt.date(2026, 12, 10)
    careers = events_icalendar(cycle_files["calendar/careers.ics"])["minutes/careers/2026-11-26@alliance-kb"]
    assert "Provisional date, set at the meeting of 24 September 2026" in str(careers["DESCRIPTION"])
    assert str(careers["URL"]) == "https://kb.example.org/networks/careers/"  # no page of its own yet: the network's


def test_every_meeting_still_to_take_place_reminds_a_day_before(cycle_files):
    events = events_icalendar(cycle_files["calendar/all.ics"])
    alarms = {uid: list(e.walk("VALARM")) for uid, e in events.items()}
    (alarm,) = alarms["minutes/equity/2026-12-03@alliance-kb"]
    assert alarm.decoded("TRIGGER") == -dt.timedelta(days=1) and str(alarm["ACTION"]) == "DISPLAY"
    assert alarms["minutes/send/2026-11-30@alliance-kb"] == []  # cancelled: nothing to remind of
    assert len(alarms["minutes/send/2026-12-10@alliance-kb"]) == 1
    other = events_vobject(cycle_files["calendar/all.ics"])["minutes/equity/2026-12-03@alliance-kb"]
    assert other.valarm.trigger.value == -dt.timedelta(days=1)


def test_the_event_has_the_agenda_and_a_link_to_the_page(cycle_files):
    event = events_vobject(cycle_files["calendar/equity.ics"])["minutes/equity/2026-12-03@alliance-kb"]
    assert "Agenda:\n1. Matters arising\n2. Minutes of 17 September: approval\n3. Enquiry baseline" in event.description.value
    assert event.url.value == "https://kb.example.org/minutes/equity/2026-12-03/"


def test_nothing_private_in_the_cycles_public_calendars(project):
    from tests.cycle_fixture import DRAFT_MARKER, MEMBERS_MARKER, write_cycle

    write_cycle(project)
    for path, data in calendar_files(project.catalogue()).items():
        assert DRAFT_MARKER.encode() not in data and MEMBERS_MARKER.encode() not in data, path
        assert b"2026-12-10@alliance-kb" not in data or path in (
            "calendar/all.ics",
            "calendar/send.ics",
        )  # SEND's date, not equity's draft


@pytest.mark.parametrize("site_url", [None, "https://kb.example.org/"])
def test_the_cycles_calendars_are_byte_for_byte_what_icalendar_writes(project, site_url):
    from kb.meetings.schedule import every_meeting
    from tests.cycle_fixture import write_cycle

    write_cycle(project)
    cat = project.catalogue()
    files = calendar_files(cat, site_url=site_url)
    every = [m for ms in every_meeting(cat).values() for m in ms]
    assert files["calendar/all.ics"] == icalendar_calendar("Alliance network meetings", every, cat.today, site_url)
    assert files["calendar/send.ics"] == icalendar_calendar(
        "SEND meetings", [m for m in every if m.network == "send"], cat.today, site_url
    )


@pytest.mark.filterwarnings("ignore:foldline is deprecated:DeprecationWarning")
def test_ascii_lines_are_folded_as_icalendar_folds_them():
    """fold's quick path for ASCII lines (slices, not a loop over characters) against icalendar's own folding, on
    lines full of escaping backslashes and carets at every place a cut can fall."""
    import random

    from icalendar.parser import foldline

    from kb.meetings.events import fold

    rng = random.Random(7)
    for _ in range(5000):
        line = "".join(rng.choice("ab \\^,;x") for _ in range(rng.randint(60, 400)))
        assert fold(line) == foldline(line), line
    assert fold("a" * 73 + "\\" + "n" + "b" * 80) == "a" * 73 + "\r\n \\n" + "b" * 72 + "\r\n " + "b" * 8
