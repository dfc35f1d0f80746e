"""Calendar feeds: calendar/all.ics and calendar/<network>.ics, one event per meeting date of the site.

Every visible minutes file is an event (cancelled and postponed ones kept, with STATUS:CANCELLED), and
so is every provisional date (a `next_meeting` or `postponed_to` with no minutes file yet, TENTATIVE).
The events themselves are written by meetings/events.py; the header and VTIMEZONE come from icalendar.

Links: a calendar needs absolute URLs. The URL property (and an absolute link in the
description) is written only when an absolute site URL is known: the `site_url` argument, or
`catalogue.site_url`, which the plugin sets from mkdocs.yml's site_url. Without one (for example
`load_project` in `kb check`), no URL property is written and the description names the page's
path on the site, which stays true wherever the site is served.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from kb.content.catalogue import Catalogue
from kb.meetings.events import PRODID, london_timezone, meeting_event
from kb.meetings.schedule import Planned, every_meeting

END = b"END:VCALENDAR\r\n"


def build_calendar(
    name: str, meetings: list[Planned], today: dt.date, site_url: str | None = None, events: dict[str, bytes] | None = None
) -> bytes:
    """A whole .ics file; DTSTAMP is today's date at midnight UTC so identical input gives identical bytes.

    A meeting is in all.ics and in each of its networks' calendars: `events` keeps each VEVENT's
    bytes so each is written once per build."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    cal.add_component(london_timezone())
    events = {} if events is None else events
    body = []
    for meeting in sorted(meetings, key=lambda p: (p.date, p.ref)):
        if meeting.ref not in events:
            events[meeting.ref] = meeting_event(meeting, stamp, site_url)
        body.append(events[meeting.ref])
    head = cal.to_ical()
    return head[: -len(END)] + b"".join(body) + END


def calendar_files(catalogue: Catalogue, site_url: str | None = None) -> dict[str, bytes]:
    """calendar/all.ics and one calendar/<network>.ics per network, from the catalogue only."""
    site_url = site_url or getattr(catalogue, "site_url", None) or None
    every = [p for planned in every_meeting(catalogue).values() for p in planned]
    events: dict[str, bytes] = {}
    files = {"calendar/all.ics": build_calendar("Alliance network meetings", every, catalogue.today, site_url, events)}
    listed: dict[str, list[Planned]] = {n: [] for n in catalogue.networks}
    for p in every:  # a meeting shared by several networks appears in each one's calendar
        for n in dict.fromkeys(p.entry.networks if p.entry is not None else [p.network]):
            listed.setdefault(n, []).append(p)
    for network, meetings in listed.items():
        if network in catalogue.networks:
            title = catalogue.networks[network].title
            files[f"calendar/{network}.ics"] = build_calendar(f"{title} meetings", meetings, catalogue.today, site_url, events)
    return files
