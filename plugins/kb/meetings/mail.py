"""The emails a convenor sends, ready to send: an `email.message.EmailMessage` per meeting and kind.

RFC 5322, with a plain-text and an HTML body (the same Letter, letters.py); the agenda and the reminder
carry the meeting as an iCalendar invitation (text/calendar; method=REQUEST) with the event the calendar
feeds carry. Addressed to the network's `mailing_list`, never to a person. `kb mail` (cli/mail.py)
writes and sends them.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from icalendar import Calendar, Event, vCalAddress

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.events import PRODID, london_timezone, meeting_event
from kb.meetings.letters import MailError, agenda_letter, minutes_letter, plain_text, planned_meeting, reminder_letter
from kb.meetings.minutes import meeting_network, meeting_state
from kb.meetings.schedule import Planned
from kb.pages.render import render

KINDS = ("agenda", "reminder", "minutes")


def invitation(planned: Planned, sender: str, recipients: list[str], organiser: str, site_url: str, now: dt.datetime) -> str:
    """The meeting as an iCalendar REQUEST from `sender` to the list: the event the calendar feeds carry, with people."""
    people = Event()
    address = vCalAddress(f"mailto:{sender}")
    address.params["cn"] = organiser.replace('"', "'")
    people.add("organizer", address)
    for to in recipients:
        guest = vCalAddress(f"mailto:{to}")
        guest.params.update({"cutype": "GROUP", "role": "REQ-PARTICIPANT", "rsvp": "FALSE"})
        people.add("attendee", guest)
    lines = tuple(people.to_ical().decode("utf-8").replace("\r\n ", "").split("\r\n")[1:-2])
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    cal.add_component(london_timezone())
    head = cal.to_ical()[: -len(b"END:VCALENDAR\r\n")]
    return (head + meeting_event(planned, now, site_url, lines) + b"END:VCALENDAR\r\n").decode("utf-8")


LETTERS = {"agenda": agenda_letter, "reminder": reminder_letter, "minutes": minutes_letter}


def compose(kind: str, entry: Entry, catalogue: Catalogue, *, sender: str, site_url: str, now: dt.datetime) -> EmailMessage:
    """One ready-to-send message about one meeting; MailError when it makes no sense (minutes of a meeting not held...)."""
    if kind not in LETTERS:
        raise MailError(f"'{kind}' is not a kind of email: choose {', '.join(KINDS)}.")
    state = meeting_state(entry, catalogue.today)
    if state in ("cancelled", "postponed"):
        raise MailError(
            f"the meeting of {entry.date} is {state}: tell members yourself; kb mail writes agendas, reminders and minutes."
        )
    if kind == "minutes" and state != "held":
        raise MailError(f"the meeting of {entry.date} has not been held yet, so it has no minutes to send (try kb mail agenda).")
    network = meeting_network(entry)
    hub = catalogue.networks.get(network)
    title = hub.title if hub is not None else network
    recipients = list(hub.meta.get("mailing_list") or []) if hub is not None else []
    letter = LETTERS[kind](entry, catalogue, site_url, title)
    msg = EmailMessage()
    msg["Subject"] = letter.subject
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg["X-Unsent"] = "1"  # Outlook opens the .eml as a message to send, not one received
    msg.set_content(plain_text(letter))
    msg.add_alternative(render("mail/letter.html", letter=letter), subtype="html")
    if kind != "minutes":
        organiser = str(entry.meta.get("meeting", {}).get("chair") or f"{title} convenor")
        msg.add_alternative(
            invitation(planned_meeting(entry, catalogue), sender, recipients, organiser, site_url, now),
            subtype="calendar",
            params={"method": "REQUEST"},
        )
    return msg
