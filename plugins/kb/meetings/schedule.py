"""Every meeting date on the site: minutes files in any state, and dates announced with no file yet.

A date is *provisional* when a network's latest minutes set `next_meeting` to it, or a postponed
meeting moved to it (`postponed_to`), and no minutes file of that network has that date: it shows on
the hub, in meetings/ and in the calendars (marked provisional) until someone writes the agenda.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.content.catalogue import Catalogue, Entry
from kb.content.urls import entry_url, network_ref
from kb.meetings.arising import open_actions
from kb.meetings.minutes import Action, meeting_date, meeting_state, meetings_by_network_cached

WEEK_DAYS = 7
STATE_WORDS = {
    "scheduled": "Scheduled",
    "held": "Held",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
    "provisional": "Provisional date",
}


@dataclass(frozen=True)
class Planned:
    """One meeting on the calendar: a minutes entry, or a provisional date with no file yet."""

    network: str
    network_title: str
    date: dt.date
    state: str  # scheduled | held | cancelled | postponed | provisional
    entry: Entry | None = None
    announced_by: Entry | None = None  # provisional: the minutes that set the date

    @property
    def ref(self) -> str:
        """The minutes file this meeting has, or will have (the calendar UID stays the same when it is written)."""
        return self.entry.ref if self.entry is not None else f"minutes/{self.network}/{self.date.isoformat()}"

    @property
    def title(self) -> str:
        if self.entry is not None:
            return self.entry.title
        return f"{self.network_title} meeting, {self.date.day} {self.date:%B %Y}"

    @property
    def url(self) -> str:
        """The meeting's page; a provisional date has none yet, so its network's."""
        return self.entry.url if self.entry is not None else entry_url(network_ref(self.network))

    @property
    def meeting(self) -> dict:
        block = self.entry.meta.get("meeting") if self.entry is not None else None
        return block if isinstance(block, dict) else {}

    @property
    def moved_to(self) -> dt.date | None:
        moved = self.entry.meta.get("postponed_to") if self.entry is not None and self.state == "postponed" else None
        return moved if isinstance(moved, dt.date) else None

    @property
    def moved_from(self) -> dt.date | None:
        """Provisional after a postponement: the date it was moved from."""
        by = self.announced_by
        return by.date if by is not None and by.meta.get("state") == "postponed" else None

    @property
    def state_words(self) -> str:
        return STATE_WORDS[self.state]


def _title(network: str, catalogue: Catalogue) -> str:
    hub = catalogue.entries.get(network_ref(network))
    return hub.title if hub is not None else network.replace("-", " ").capitalize()


def provisional_dates(network: str, meetings: list[Entry], title: str) -> list[Planned]:
    """The dates announced for a network with no minutes file yet (meetings: its files, oldest first)."""
    have = {meeting_date(m) for m in meetings}
    found: dict[dt.date, Planned] = {}
    if meetings:
        last = meetings[-1]
        announced = last.meta.get("next_meeting")
        if isinstance(announced, dt.date) and announced > meeting_date(last) and announced not in have:
            found[announced] = Planned(network, title, announced, "provisional", announced_by=last)
    for m in meetings:
        moved = m.meta.get("postponed_to")
        if m.meta.get("state") == "postponed" and isinstance(moved, dt.date) and moved not in have:
            found.setdefault(moved, Planned(network, title, moved, "provisional", announced_by=m))
    return sorted(found.values(), key=lambda p: p.date)


def _every_meeting(catalogue: Catalogue) -> dict[str, list[Planned]]:
    out = {}
    for network, meetings in meetings_by_network_cached(catalogue).items():
        title = _title(network, catalogue)
        files = [Planned(network, title, meeting_date(m), meeting_state(m, catalogue.today), entry=m) for m in meetings]
        out[network] = sorted(files + provisional_dates(network, meetings, title), key=lambda p: (p.date, p.ref))
    return out


def every_meeting(catalogue: Catalogue) -> dict[str, list[Planned]]:
    """Each network's meetings, files and provisional dates, oldest first (once per build)."""
    return catalogue.derive("meetings.every", _every_meeting)


def planned_of(entry: Entry, catalogue: Catalogue) -> Planned | None:
    """A minutes entry as a meeting on the calendar (index built once per build)."""
    index = catalogue.derive(
        "meetings.planned_by_ref", lambda cat: {p.ref: p for planned in every_meeting(cat).values() for p in planned if p.entry}
    )
    return index.get(entry.ref)


def upcoming(catalogue: Catalogue) -> list[Planned]:
    """Meetings from today on across the partnership, soonest first: scheduled, provisional, cancelled and postponed."""
    found = [p for planned in every_meeting(catalogue).values() for p in planned if p.date >= catalogue.today]
    return sorted((p for p in found if p.state != "held"), key=lambda p: (p.date, p.network, p.ref))


def next_meeting(network: str, catalogue: Catalogue) -> Planned | None:
    """A network's next meeting that will take place (scheduled or provisional), if any."""
    for p in every_meeting(catalogue).get(network, []):
        if p.date >= catalogue.today and p.state in ("scheduled", "provisional"):
            return p
    return None


def changes_ahead(network: str, catalogue: Catalogue) -> list[Planned]:
    """A network's coming meetings that were cancelled or postponed, for its hub."""
    return [
        p
        for p in every_meeting(catalogue).get(network, [])
        if p.date >= catalogue.today and p.state in ("cancelled", "postponed")
    ]


def latest_held(network: str, catalogue: Catalogue) -> Entry | None:
    held = [p.entry for p in every_meeting(catalogue).get(network, []) if p.state == "held" and p.date <= catalogue.today]
    return held[-1] if held else None


@dataclass(frozen=True)
class Week:
    """What happens in the next seven days: meetings (any state) and open actions falling due."""

    start: dt.date
    end: dt.date
    meetings: list[Planned]
    actions: list[Action]


def this_week(catalogue: Catalogue) -> Week:
    today = catalogue.today
    end = today + dt.timedelta(days=WEEK_DAYS)
    meetings = [p for p in upcoming(catalogue) if p.date <= end]
    actions = sorted(
        (a for a in open_actions(catalogue) if a.due is not None and today <= a.due <= end),
        key=lambda a: (a.due or end, a.network, a.action),
    )
    return Week(today, end, meetings, actions)
