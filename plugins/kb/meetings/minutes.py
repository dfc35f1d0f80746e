"""The convenor's cycle as plain data: meetings per network, their state, actions as written.

Everything here takes a Catalogue (or Entries) and returns dicts, lists and dataclasses, so it is
unit-tested without a build. "Today" is always the catalogue's (KB_TODAY when set), never the clock.
Meetings are sequenced by the network folder they live in (content/minutes/<network>/), so
"the previous meeting" is the same network's latest earlier held meeting visible in this build.
Actions with what later meetings recorded about them (matters arising) are arising.py's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.content.catalogue import Catalogue, Entry
from kb.content.terms import Term, term_for
from kb.content.urls import entry_url, minutes_network
from kb.meetings.names import normalise_name

OPEN = "open"
CLOSED = ("done", "dropped")
STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}
STATE_LABELS = {"scheduled": "Scheduled", "held": "Held", "cancelled": "Cancelled", "postponed": "Postponed"}


@dataclass(frozen=True)
class Update:
    """What a later meeting recorded about an earlier action (its minutes' `updates`)."""

    meeting_ref: str
    date: dt.date
    status: str | None
    note: str
    due: dt.date | None

    @property
    def meeting_url(self) -> str:
        return entry_url(self.meeting_ref)


@dataclass(frozen=True)
class Action:
    """One action agreed at a meeting, with where it was agreed and how late it is."""

    meeting_ref: str
    network: str
    meeting_date: dt.date
    index: int  # position in the meeting's `actions` list; anchor "action-<index+1>"
    action: str
    owner: str
    due: dt.date | None
    status: str
    days_overdue: int  # 0 when not overdue (or not open)
    closed: dt.date | None = None  # when it was done or dropped (as written; arising.py works it out), None while open
    agreed_due: dt.date | None = None  # the due date agreed at the meeting (`due` is the latest, after updates)
    updates: tuple[Update, ...] = ()  # what later meetings recorded, oldest first
    history: tuple[tuple[dt.date, str], ...] = ()  # (date, status) changes after it was agreed, oldest first

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def anchor(self) -> str:
        return f"action-{self.index + 1}"

    @property
    def meeting_url(self) -> str:
        return entry_url(self.meeting_ref)

    @property
    def key(self) -> str:
        """A stable id for the row, used by the tracker's script and tests."""
        return f"{self.meeting_ref}#{self.anchor}"


def meeting_network(entry: Entry) -> str:
    """The network whose sequence of meetings this minutes entry belongs to (its folder)."""
    return minutes_network(entry.ref) or (entry.networks[0] if entry.networks else "")


def meeting_date(entry: Entry) -> dt.date:
    """A listed meeting's date, typed as present: the meetings listed and sorted are the dated ones (_minutes)."""
    assert entry.date is not None
    return entry.date


def is_minuted(entry: Entry) -> bool:
    return any(entry.meta.get(k) for k in ("attendees", "decisions", "actions"))


def meeting_state(entry: Entry, today: dt.date) -> str:
    """scheduled, held, cancelled or postponed: as written in `state`, else a future date (or today with
    nothing minuted yet) is scheduled and a past one held."""
    state = entry.meta.get("state")
    if state in STATE_LABELS:
        return str(state)
    if entry.date is None:
        return "held"
    if entry.date > today:
        return "scheduled"
    return "scheduled" if entry.date == today and not is_minuted(entry) else "held"


def is_scheduled(entry: Entry, today: dt.date) -> bool:
    """A meeting still to happen (agenda only): its state is scheduled."""
    return entry.date is not None and meeting_state(entry, today) == "scheduled"


def is_held(entry: Entry, today: dt.date) -> bool:
    return entry.date is not None and meeting_state(entry, today) == "held"


def actions_of(entry: Entry, today: dt.date) -> list[Action]:
    """The actions agreed at one meeting as its minutes write them, with overdue worked out against `today`."""
    raws = entry.meta.get("actions")
    if not raws:
        return []
    out = []
    network, day = meeting_network(entry), entry.date or dt.date.min
    for i, raw in enumerate(raws):
        if not isinstance(raw, dict):
            continue
        due = raw.get("due") if isinstance(raw.get("due"), dt.date) else None
        status = str(raw.get("status") or OPEN)
        late = (today - due).days if (status == OPEN and due is not None and due < today) else 0
        closed = raw.get("closed") if status in CLOSED and isinstance(raw.get("closed"), dt.date) else None
        text, owner = str(raw.get("action") or ""), str(raw.get("owner") or "")
        out.append(Action(entry.ref, network, day, i, text, owner, due, status, late, closed, due))
    return out


def _minutes(source: Catalogue | Iterable[Entry]) -> list[Entry]:
    entries = source.of_type("minutes") if isinstance(source, Catalogue) else [e for e in source if e.type == "minutes"]
    return [e for e in entries if e.date is not None]


def meetings_by_network(source: Catalogue | Iterable[Entry]) -> dict[str, list[Entry]]:
    """Each network's meetings, oldest first (one pass, then one sort per network)."""
    by_network: dict[str, list[Entry]] = defaultdict(list)
    for e in _minutes(source):
        by_network[meeting_network(e)].append(e)
    for meetings in by_network.values():
        meetings.sort(key=meeting_date)
    return dict(by_network)


def _previous_index(catalogue: Catalogue) -> dict[str, str | None]:
    by_network = meetings_by_network(catalogue)
    previous: dict[str, str | None] = {}
    for meetings in by_network.values():
        last_held: str | None = None
        for this in meetings:
            previous[this.ref] = last_held
            if is_held(this, catalogue.today):
                last_held = this.ref
    return previous


def previous_meeting(entry: Entry, catalogue: Catalogue) -> Entry | None:
    """The same network's latest earlier held meeting in this build, whose minutes come before this one's
    (cancelled and postponed meetings are skipped; index built once per build)."""
    ref = catalogue.derive("meetings.previous", _previous_index).get(entry.ref)
    return catalogue.entries[ref] if ref else None


def group_actions(actions: list[Action], by: str, labels: dict[str, str] | None = None) -> list[dict]:
    """Tracker groups ('network' or 'owner'): groups with overdue actions first, rows overdue first.

    Owners are grouped after the same normalisation as organisation names (case, punctuation),
    and shown as first written.
    """
    labels = labels or {}
    groups: dict[str, dict] = {}
    for a in actions:
        key = a.network if by == "network" else normalise_name(a.owner, keep_role=True)
        label = labels.get(a.network, a.network) if by == "network" else a.owner
        group = groups.setdefault(key, {"key": key, "label": label, "actions": []})
        group["actions"].append(a)
    for g in groups.values():
        g["actions"].sort(key=lambda a: (a.status != OPEN, not a.overdue, a.due or dt.date.max, a.action))
        g["overdue"] = sum(a.overdue for a in g["actions"])
    return sorted(groups.values(), key=lambda g: (-g["overdue"], g["label"].casefold()))


def meetings_by_network_cached(catalogue: Catalogue) -> dict[str, list[Entry]]:
    return catalogue.derive("meetings.by_network", meetings_by_network)


def meetings_per_term(meetings: list[Entry], terms: list[Term]) -> list[tuple[str, int]]:
    """(term label, number of meetings) in date order, by the term dates of content/terms.yml."""
    counts: dict[Term, int] = defaultdict(int)
    for m in meetings:
        term = term_for(terms, m.date)
        if term is not None:
            counts[term] += 1
    return [(term.label, n) for term, n in sorted(counts.items(), key=lambda item: item[0].start)]
