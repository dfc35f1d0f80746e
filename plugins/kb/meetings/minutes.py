"""The convenor's cycle as plain data: meetings per network, matters arising, the action tracker.

Everything here takes a Catalogue (or Entries) and returns dicts, lists and dataclasses, so it is
unit-tested without a build. "Today" is always the catalogue's (KB_TODAY when set), never the clock.
Meetings are sequenced by the network folder they live in (content/minutes/<network>/), so
"the previous meeting" is the same network's latest earlier meeting visible in this build.
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
STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}


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


def is_scheduled(entry: Entry, today: dt.date) -> bool:
    """A meeting still to happen: in the future, or today with nothing yet minuted."""
    if entry.date is None:
        return False
    if entry.date > today:
        return True
    minuted = any(entry.meta.get(k) for k in ("attendees", "decisions", "actions"))
    return entry.date == today and not minuted


def actions_of(entry: Entry, today: dt.date) -> list[Action]:
    """The actions agreed at one meeting, with overdue worked out against `today`."""
    out = []
    for i, raw in enumerate(entry.meta.get("actions") or []):
        if not isinstance(raw, dict):
            continue
        due = raw.get("due") if isinstance(raw.get("due"), dt.date) else None
        status = str(raw.get("status") or OPEN)
        late = (today - due).days if (status == OPEN and due is not None and due < today) else 0
        out.append(
            Action(
                entry.ref,
                meeting_network(entry),
                entry.date or dt.date.min,
                i,
                str(raw.get("action") or ""),
                str(raw.get("owner") or ""),
                due,
                status,
                late,
            )
        )
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
        for before, this in zip([None, *meetings[:-1]], meetings):
            previous[this.ref] = before.ref if before is not None else None
    return previous


def previous_meeting(entry: Entry, catalogue: Catalogue) -> Entry | None:
    """The same network's previous meeting in this build (index built once per build)."""
    ref = catalogue.derive("meetings.previous", _previous_index).get(entry.ref)
    return catalogue.entries[ref] if ref else None


def matters_arising(entry: Entry, catalogue: Catalogue) -> list[Action]:
    """Open actions carried from the previous meeting; done and dropped ones stop being carried."""
    before = previous_meeting(entry, catalogue)
    if before is None:
        return []
    return [a for a in actions_of(before, catalogue.today) if a.status == OPEN]


def all_actions(catalogue: Catalogue) -> list[Action]:
    """Every action of every visible meeting, overdue first, then by due date (index built once)."""

    def compute(cat: Catalogue) -> list[Action]:
        rows = [a for e in _minutes(cat) for a in actions_of(e, cat.today)]
        rows.sort(key=lambda a: (a.status != OPEN, not a.overdue, a.due or dt.date.max, a.network, a.action))
        return rows

    return catalogue.derive("meetings.actions", compute)


def open_actions(catalogue: Catalogue) -> list[Action]:
    return [a for a in all_actions(catalogue) if a.status == OPEN]


def open_actions_by_network(catalogue: Catalogue) -> dict[str, list[Action]]:
    def compute(cat: Catalogue) -> dict[str, list[Action]]:
        out: dict[str, list[Action]] = defaultdict(list)
        for a in open_actions(cat):
            out[a.network].append(a)
        return dict(out)

    return catalogue.derive("meetings.open_by_network", compute)


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


def upcoming_meetings(catalogue: Catalogue) -> list[Entry]:
    """Meetings still to happen across the partnership, soonest first."""
    return sorted((e for e in _minutes(catalogue) if is_scheduled(e, catalogue.today)), key=lambda e: (e.date, e.ref))


def next_and_latest(network: str, catalogue: Catalogue) -> tuple[Entry | None, Entry | None]:
    """A network's next scheduled meeting and its latest minuted one."""
    meetings = meetings_by_network_cached(catalogue).get(network, [])
    upcoming = [m for m in meetings if is_scheduled(m, catalogue.today)]
    past = [m for m in meetings if not is_scheduled(m, catalogue.today)]
    return (upcoming[0] if upcoming else None), (past[-1] if past else None)


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


def prefill_minutes(source: Catalogue | Iterable[Entry], network: str, date: dt.date) -> dict:
    """Front matter for a new meeting that starts from the last one, for `kb new minutes`.

    The agenda opens with "Matters arising" and one item per open action of the network's
    previous meeting; attendees are copied from it as a starting point (edit them afterwards).
    """
    entries = list(source.entries.values()) if isinstance(source, Catalogue) else list(source)
    titles = {e.slug: e.title for e in entries if e.type == "network"}
    earlier = [m for m in meetings_by_network(entries).get(network, []) if meeting_date(m) < date]
    before = earlier[-1] if earlier else None
    name = titles.get(network, network.replace("-", " ").capitalize())
    meta: dict = {
        "title": f"{name} meeting, {date.day} {date:%B %Y}",
        "summary": "Scheduled meeting: what it will discuss, in a sentence.",
        "date": date,
        "networks": [network],
        "status": "draft",
        "meeting": {"start": "16:00", "end": "17:30", "format": "in-person", "location": "", "chair": "Network convenor"},
        "agenda": ["Matters arising", "Any other business"],
        "attendees": [],
        "apologies": [],
        "decisions": [],
        "actions": [],
    }
    if before is None:
        return meta
    today = date  # what is open is judged as of the new meeting
    carried = [a for a in actions_of(before, today) if a.status == OPEN]
    assert before.date is not None  # from meetings_by_network: dated meetings only
    when = f"{before.date.day} {before.date:%B}"
    meta["agenda"] = (
        [f"Matters arising from {when}"]
        + [f"Matters arising: {a.action} ({a.owner}, due {a.due.isoformat() if a.due else 'no date'})" for a in carried]
        + ["Any other business"]
    )
    previous_meeting_block = before.meta.get("meeting") or {}
    meta["meeting"] = {**meta["meeting"], **{k: v for k, v in previous_meeting_block.items() if v}}
    meta["attendees"] = list(before.meta.get("attendees") or [])
    return meta
