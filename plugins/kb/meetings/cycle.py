"""The convenor's cycle at a glance: each step of the partnership's guide for a network's next meeting and
its last one, judged against today, with what is late in words.

The pages (convenor/ and convenor/<network>/) are made for the members' build only (and the local
preview): they judge named convenors' work, which is for the network and the partnership office,
not for the public site. Everything shown comes from the catalogue of that build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.arising import matters_arising, network_actions, open_actions_by_network, open_on
from kb.meetings.minutes import meeting_network
from kb.meetings.papers import approval, papers_of
from kb.meetings.schedule import Planned, every_meeting, latest_held, next_meeting

AGENDA_NOTICE_DAYS = 7
MINUTES_WITHIN_DAYS = 7
STEP_WORDS = {"done": "Done", "todo": "To do", "late": "Late", "missing": "Missing"}


@dataclass(frozen=True)
class Step:
    name: str
    state: str  # done | todo | late | missing
    words: str

    @property
    def label(self) -> str:
        return STEP_WORDS[self.state]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _agenda_step(meta: dict, date: dt.date, today: dt.date) -> Step:
    due = date - dt.timedelta(days=AGENDA_NOTICE_DAYS)
    name = "Agenda, previous minutes and papers out a week ahead"
    published = meta.get("agenda_published")
    if isinstance(published, dt.date):
        notice = (date - published).days
        if published <= due:
            return Step(name, "done", f"Published {_day(published)}, {notice} days before.")
        return Step(name, "late", f"Published {_day(published)}, only {notice} day(s) before; members need a week.")
    if today > due:
        return Step(name, "late", f"Late: due out by {_day(due)} and not recorded as published (agenda_published).")
    return Step(name, "todo", f"Due out by {_day(due)}, with the previous minutes and papers (kb mail agenda).")


def next_steps(planned: Planned, catalogue: Catalogue) -> list[Step]:
    """The steps before the next meeting."""
    today, date = catalogue.today, planned.date
    if planned.entry is None:
        by = planned.announced_by
        return [
            Step("Date set", "done", f"{_day(date)}, set at the meeting of {_day(by.date)}." if by and by.date else _day(date)),
            Step(
                "Agenda written",
                "late" if today > date - dt.timedelta(days=AGENDA_NOTICE_DAYS) else "todo",
                f"No agenda yet: start it with  kb new minutes --network {planned.network} --date {date.isoformat()}.",
            ),
        ]
    meta, block = planned.entry.meta, planned.meeting
    where_known = bool(block.get("format")) and bool(block.get("location") or block.get("format") == "virtual")
    papers = papers_of(planned.entry)
    reminder = meta.get("reminder_sent")
    steps = [
        Step("Date set", "done", _day(date) + (f", {block.get('start')}–{block.get('end')}" if block.get("start") else "") + "."),
        Step(
            "Place and format",
            "done" if where_known else "missing",
            f"{str(block.get('format', '')).replace('-', ' ').capitalize()}: {block.get('location') or 'online'}."
            if where_known
            else "Not yet said: add meeting: format and location.",
        ),
        _agenda_step(meta, date, today),
        Step(
            "Papers",
            "done" if papers else "todo",
            f"{len(papers)} paper{'' if len(papers) == 1 else 's'} listed." if papers else "None listed yet (papers:).",
        ),
    ]
    if isinstance(reminder, dt.date):
        steps.append(Step("Reminder", "done", f"Sent {_day(reminder)}."))
    else:
        due = date - dt.timedelta(days=1)
        state = "late" if today > due else "todo"
        steps.append(Step("Reminder", state, f"Due by {_day(due)} (kb mail reminder), then record reminder_sent."))
    arising = open_on(network_actions(catalogue).get(planned.network, []), date, today)
    late = sum(a.overdue for a in arising)
    steps.append(
        Step(
            "Matters arising ready",
            "done",
            f"{len(arising)} open action{'' if len(arising) == 1 else 's'} to review" + (f", {late} overdue." if late else "."),
        )
    )
    return steps


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def last_steps(entry: Entry, catalogue: Catalogue) -> list[Step]:
    """The steps after the last meeting held."""
    today, meta = catalogue.today, entry.meta
    assert entry.date is not None  # held meetings are dated
    date = entry.date
    attendees, apologies = meta.get("attendees") or [], meta.get("apologies")
    arising = matters_arising(entry, catalogue)
    unreviewed = [a for a in arising if not a.notes and not a.closed_here]
    sent, due = meta.get("minutes_sent"), date + dt.timedelta(days=MINUTES_WITHIN_DAYS)
    name = "Thanks, notes, decisions and actions sent within a week"
    if isinstance(sent, dt.date):
        minutes = Step(name, "done" if sent <= due else "late", f"Sent {_day(sent)}, {(sent - date).days} days after.")
    else:
        late = today > due
        minutes = Step(
            name,
            "late" if late else "todo",
            f"{'Late: due' if late else 'Due'} by {_day(due)} (kb mail minutes), then record minutes_sent.",
        )
    approved = approval(entry, catalogue)
    announced = meta.get("next_meeting")
    later = [p.date for p in every_meeting(catalogue).get(meeting_network(entry), []) if p.date > date]
    if apologies:
        apologies_words = f"{len(apologies)} sent apologies."
    else:
        apologies_words = "None sent (recorded)." if apologies is not None else "No apologies line (apologies:)."
    return [
        minutes,
        Step(
            "Attendance logged",
            "done" if attendees else "missing",
            f"{len(attendees)} attended." if attendees else "No attendees recorded.",
        ),
        Step("Apologies logged", "done" if apologies is not None else "missing", apologies_words),
        Step(
            "Actions reviewed",
            "todo" if unreviewed else "done",
            f"{len(unreviewed)} of {_plural(len(arising), 'matter')} arising had no news recorded (updates:)."
            if unreviewed
            else f"All {_plural(len(arising), 'matter')} arising had news recorded."
            if arising
            else "No open actions were carried into it.",
        ),
        Step(
            "Minutes approved",
            "done" if approved else "todo",
            f"Approved {_day(approved.date)} by {approved.by}."
            if approved
            else f"Draft minutes, not yet approved: at the next meeting record  approves: {entry.ref}.",
        ),
        Step(
            "Next meeting set",
            "done" if isinstance(announced, dt.date) or later else "missing",
            f"{_day(announced)}."
            if isinstance(announced, dt.date)
            else f"{_day(later[0])}."
            if later
            else "No next meeting set (next_meeting:).",
        ),
    ]


@dataclass(frozen=True)
class Cycle:
    """One network's cycle: its next and last meetings with their steps, and what is late."""

    network: str
    title: str
    next: Planned | None
    next_steps: list[Step]
    last: Entry | None
    last_steps: list[Step]
    open_actions: int
    overdue: int

    @property
    def late(self) -> list[str]:
        """What is late, in words, for the summary line."""
        found = (
            [f"before {_day(self.next.date)}: {s.name.lower()}" for s in self.next_steps if s.state in ("late", "missing")]
            if self.next
            else []
        )
        if self.last is not None and self.last.date:
            found += [
                f"after {_day(self.last.date)}: {s.name.lower()}" for s in self.last_steps if s.state in ("late", "missing")
            ]
        return found


def network_cycle(network: str, catalogue: Catalogue) -> Cycle:
    upcoming, last = next_meeting(network, catalogue), latest_held(network, catalogue)
    actions = open_actions_by_network(catalogue).get(network, [])
    hub = catalogue.networks.get(network)
    return Cycle(
        network,
        hub.title if hub is not None else network,
        upcoming,
        next_steps(upcoming, catalogue) if upcoming else [],
        last,
        last_steps(last, catalogue) if last else [],
        len(actions),
        sum(a.overdue for a in actions),
    )


def shows_convenor_pages(catalogue: Catalogue) -> bool:
    """Members' build and local preview only."""
    return catalogue.members or catalogue.preview
