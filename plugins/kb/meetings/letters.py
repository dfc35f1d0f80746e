"""The words of a convenor's emails, as sections: the agenda, the reminder, the minutes with thanks.

Each message is first written as a Letter (a list of sections), then rendered as plain text here and as
HTML by templates/mail/letter.html (autoescaped), so both bodies say the same thing. mail.py wraps a
Letter into an email with its calendar invitation.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.arising import matters_arising
from kb.meetings.minutes import actions_of, meeting_network, previous_meeting
from kb.meetings.papers import approval, papers_of
from kb.meetings.schedule import Planned, next_meeting, planned_of

WIDTH = 72


class MailError(ValueError):
    """A message that cannot be written, in plain words (the CLI prints it)."""


@dataclass(frozen=True)
class Item:
    text: str
    href: str = ""
    note: str = ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Letter:
    subject: str
    greeting: str
    sections: list[Section]
    closing: list[str]


def _day(day: dt.date, weekday: bool = True) -> str:
    return (f"{day:%A} " if weekday else "") + f"{day.day} {day:%B %Y}"


def _when_where(planned: Planned) -> str:
    block = planned.meeting
    when = _day(planned.date)
    if block.get("start"):
        when += f", {block['start']}" + (f"–{block['end']}" if block.get("end") else "") + " (UK time)"
    how = {"in-person": "in person", "virtual": "online", "hybrid": "in person with an online link"}.get(
        str(block.get("format")), ""
    )
    where = block.get("location") or ""
    return (
        when
        + (f", {how}" if how else "")
        + (f" at {where}" if where and block.get("format") != "virtual" else f" ({where})" if where else "")
    )


def _link(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path


def planned_meeting(entry: Entry, catalogue: Catalogue) -> Planned:
    planned = planned_of(entry, catalogue)
    if planned is None:  # pragma: no cover - every visible minutes entry is planned
        raise MailError(f"{entry.ref} is not a meeting of this build.")
    return planned


def _papers(entry: Entry, site_url: str) -> Section | None:
    papers = papers_of(entry)
    if not papers:
        return None
    return Section("Papers", items=[Item(p.title, p.href if p.external else _link(site_url, p.href)) for p in papers])


def _arising(entry: Entry, catalogue: Catalogue, site_url: str) -> Section:
    matters = matters_arising(entry, catalogue)
    items = [
        Item(
            f"{m.action.action} ({m.action.owner})",
            _link(site_url, m.action.meeting_url) + "#" + m.action.anchor,
            f"agreed {_day(m.action.meeting_date, False)}"
            + (f", due {_day(m.due, False)}" if m.due else "")
            + (f", overdue by {m.days_overdue} day{'' if m.days_overdue == 1 else 's'}" if m.overdue else ""),
        )
        for m in matters
    ]
    words = (
        "Actions still open from earlier meetings, to review at this one:"
        if items
        else "No actions are open from earlier meetings."
    )
    return Section("Matters arising", [words], items)


def _previous(entry: Entry, catalogue: Catalogue, site_url: str) -> Section | None:
    before = previous_meeting(entry, catalogue)
    if before is None or before.date is None:
        return None
    draft = approval(before, catalogue) is None
    words = f"The minutes of the meeting of {_day(before.date, False)}" + (", for approval at this meeting:" if draft else ":")
    return Section("Previous minutes", [words], [Item(before.title, _link(site_url, before.url))])


def agenda_letter(entry: Entry, catalogue: Catalogue, site_url: str, network_title: str) -> Letter:
    planned = planned_meeting(entry, catalogue)
    agenda = entry.meta.get("agenda") or []
    sections = [
        Section(
            "When and where",
            [_when_where(planned) + "."] + ([f"Chair: {planned.meeting['chair']}."] if planned.meeting.get("chair") else []),
        ),
        Section("Agenda", [] if agenda else ["The agenda will follow."], [Item(str(a)) for a in agenda], ordered=True),
    ]
    sections += [s for s in (_papers(entry, site_url), _previous(entry, catalogue, site_url)) if s]
    sections.append(_arising(entry, catalogue, site_url))
    sections.append(
        Section(
            "The meeting's page",
            ["The agenda, papers and matters arising are also on the meeting's page. The calendar invitation is attached."],
            [Item(entry.title, _link(site_url, entry.url))],
        )
    )
    return Letter(
        f"Agenda for the {network_title} meeting, {_day(planned.date)}",
        "Dear colleagues,",
        [
            Section(
                "",
                [f"Here is the agenda for the next {network_title} meeting, with the papers and the matters arising."],
            )
        ]
        + sections,
        ["With best wishes,", str(planned.meeting.get("chair") or "The network's convenor")],
    )


def reminder_letter(entry: Entry, catalogue: Catalogue, site_url: str, network_title: str) -> Letter:
    planned = planned_meeting(entry, catalogue)
    agenda = entry.meta.get("agenda") or []
    sections = [
        Section("", [f"A reminder that the next {network_title} meeting is on {_when_where(planned)}."]),
        Section("Agenda", [], [Item(str(a)) for a in agenda], ordered=True)
        if agenda
        else Section("Agenda", ["The agenda is on the meeting's page."]),
    ]
    papers = _papers(entry, site_url)
    if papers:
        sections.append(papers)
    sections.append(
        Section(
            "The meeting's page",
            ["If you cannot come, please send your apologies by replying to this message."],
            [Item(entry.title, _link(site_url, entry.url))],
        )
    )
    return Letter(
        f"Reminder of the {network_title} meeting, {_day(planned.date)}",
        "Dear colleagues,",
        sections,
        ["See you there,", str(planned.meeting.get("chair") or "The network's convenor")],
    )


def minutes_letter(entry: Entry, catalogue: Catalogue, site_url: str, network_title: str) -> Letter:
    meta = entry.meta
    assert entry.date is not None  # visible minutes are dated
    draft = approval(entry, catalogue) is None
    host = (meta.get("meeting") or {}).get("location")
    thanks = f"Thank you to everyone who came to the {network_title} meeting on {_day(entry.date)}" + (
        f", and to our hosts ({host})." if host and (meta.get("meeting") or {}).get("format") != "virtual" else "."
    )
    sections = [
        Section("", [thanks, "The notes of discussion, the decisions and the actions are below and on the meeting's page."])
    ]
    if draft:
        sections.append(
            Section(
                "Draft minutes",
                [
                    "These are draft minutes, not yet approved: please send corrections before the next meeting, where they will be approved."
                ],
            )
        )
    sections.append(
        Section(
            "Decisions",
            [] if meta.get("decisions") else ["No decisions were recorded."],
            [Item(str(d)) for d in meta.get("decisions") or []],
            ordered=True,
        )
    )
    actions = [
        Item(
            f"{a.action} ({a.owner})",
            _link(site_url, entry.url) + "#" + a.anchor,
            f"due {_day(a.due, False)}" if a.due else "no due date",
        )
        for a in actions_of(entry, catalogue.today)
    ]
    sections.append(Section("Actions", [] if actions else ["No actions were agreed."], actions, ordered=True))
    reviewed = [m for m in matters_arising(entry, catalogue) if m.closed_here or m.notes]
    if reviewed:
        sections.append(
            Section(
                "Actions from earlier meetings",
                [],
                [
                    Item(
                        m.action.action,
                        "",
                        ("closed: " + m.closed_here if m.closed_here else "still open")
                        + "".join(f"; {u.note}" for u in m.notes if u.note),
                    )
                    for m in reviewed
                ],
            )
        )
    sections.append(
        Section(
            "Attendance",
            [
                f"Attended ({len(meta.get('attendees') or [])}): "
                + ("; ".join(meta.get("attendees") or []) or "not recorded")
                + ".",
                f"Apologies ({len(meta.get('apologies') or [])}): " + ("; ".join(meta.get("apologies") or []) or "none") + ".",
            ],
        )
    )
    upcoming = next_meeting(meeting_network(entry), catalogue)
    if upcoming is not None and upcoming.date > entry.date:
        words = f"The next meeting is on {_when_where(upcoming)}" + (
            " (provisional date; the agenda will follow)." if upcoming.state == "provisional" else "."
        )
    else:
        words = "The date of the next meeting will follow."
    sections.append(Section("Next meeting", [words]))
    sections.append(Section("The meeting's page", [], [Item(entry.title, _link(site_url, entry.url))]))
    return Letter(
        f"Minutes of the {network_title} meeting, {_day(entry.date)}" + (" (draft, not yet approved)" if draft else ""),
        "Dear colleagues,",
        sections,
        ["With thanks,", str((meta.get("meeting") or {}).get("chair") or "The network's convenor")],
    )


def plain_text(letter: Letter) -> str:
    """The letter as plain text, wrapped at 72 characters, links written out."""
    out = [letter.greeting, ""]
    for s in letter.sections:
        if s.heading:
            out += [s.heading, "-" * len(s.heading)]
        for p in s.paragraphs:
            out += [textwrap.fill(p, WIDTH), ""]
        for i, item in enumerate(s.items, 1):
            lead = f"{i}. " if s.ordered else "- "
            text = item.text + (f" ({item.note})" if item.note else "")
            out.append(textwrap.fill(text, WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead)))
            if item.href:
                out.append(" " * len(lead) + item.href)
        if s.items:
            out.append("")
    return "\n".join(out + letter.closing) + "\n"
