"""Matters arising, right at every date: each action with what later meetings recorded about it.

An action is open from the meeting that agreed it until it is closed. When it closed comes from,
first to last: its own `closed` date; the `updates` of later minutes (`{action: minutes/equity/
2026-05-14#action-2, status: done, note: ...}`), each dated by the meeting that recorded it; and,
for an action marked done or dropped with no date, the network's next meeting after the last thing
recorded about it (the first chance to report it), or today if there has been none.

A meeting's matters arising are the actions of every earlier meeting of its network still open going
into it (closed on that day counts as closed *at* the meeting), with how overdue each was then.
Worked out once per build in one sweep per network over its meetings in date order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.minutes import (
    CLOSED,
    OPEN,
    Action,
    Update,
    actions_of,
    meeting_date,
    meeting_network,
    meeting_state,
    meetings_by_network,
    meetings_by_network_cached,
)

ACTION_REF = re.compile(r"^/?(?:minutes/(?P<network>[a-z0-9-]+)/)?(?P<date>\d{4}-\d{2}-\d{2})/?#action-(?P<number>\d+)$")


@dataclass(frozen=True)
class Arising:
    """One action as it stood going into a meeting: open, with its due date and lateness then."""

    action: Action
    due: dt.date | None
    days_overdue: int
    closed_here: str | None  # "done" or "dropped" when this meeting closed it
    notes: tuple[Update, ...]  # what this meeting recorded about it

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def parse_action_ref(text: str, network: str) -> tuple[str, int] | None:
    """("minutes/<network>/<date>", list index) of an action reference; the network defaults to `network`."""
    found = ACTION_REF.match(str(text).strip())
    if not found or int(found["number"]) < 1:
        return None
    return f"minutes/{found['network'] or network}/{found['date']}", int(found["number"]) - 1


def _updates(entries: Iterable[Entry]) -> dict[str, list[Update]]:
    """Action key -> the updates recorded about it, oldest first (an update at or before the agreeing meeting is ignored)."""
    found: dict[str, list[Update]] = defaultdict(list)
    for entry in entries:
        if entry.type != "minutes" or entry.date is None:
            continue
        for raw in entry.meta.get("updates") or []:
            target = parse_action_ref(raw.get("action", ""), meeting_network(entry)) if isinstance(raw, dict) else None
            if target is None or target[0].rsplit("/", 1)[1] >= entry.date.isoformat():
                continue
            status = raw.get("status")
            found[f"{target[0]}#action-{target[1] + 1}"].append(
                Update(
                    entry.ref, entry.date, status if isinstance(status, str) else None, str(raw.get("note") or ""), raw.get("due")
                )
            )
    for updates in found.values():
        updates.sort(key=lambda u: u.date)
    return found


def _with_history(action: Action, updates: list[Update], meeting_dates: list[dt.date], today: dt.date) -> Action:
    """The action as of today, with its dated status changes."""
    if not updates and action.status == OPEN:
        return action  # nothing recorded since it was agreed: as written
    raw_closed = action.closed
    history = [(u.date, u.status) for u in updates if u.status]
    own_closed = action.status in CLOSED
    if own_closed and raw_closed is not None:
        history.append((raw_closed, action.status))
    elif own_closed and not any(status in CLOSED for _, status in history):
        after = max([action.meeting_date, *(u.date for u in updates)])
        i = bisect.bisect_right(meeting_dates, after)
        history.append((min(meeting_dates[i], today) if i < len(meeting_dates) else today, action.status))
    history.sort(key=lambda change: change[0])
    status = history[-1][1] if history else action.status
    due = next((u.due for u in reversed(updates) if u.due), action.due)
    late = (today - due).days if status == OPEN and due is not None and due < today else 0
    closed = history[-1][0] if status in CLOSED else None
    a = action
    return Action(
        a.meeting_ref, a.network, a.meeting_date, a.index, a.action, a.owner, due, status, late, closed, a.agreed_due,
        tuple(updates), tuple(history),
    )  # fmt: skip


def actions_by_network(entries: Iterable[Entry], today: dt.date) -> dict[str, list[Action]]:
    """Every action of these meetings as of today, per network, in the order agreed (meeting date, list position)."""
    entries = list(entries)
    by_network = meetings_by_network(entries)
    updates = _updates(entries)
    out: dict[str, list[Action]] = {}
    for network, meetings in by_network.items():
        dates = [meeting_date(m) for m in meetings]
        out[network] = [_with_history(a, updates.get(a.key, []), dates, today) for m in meetings for a in actions_of(m, today)]
    return out


def network_actions(catalogue: Catalogue) -> dict[str, list[Action]]:
    """actions_by_network of the catalogue, once per build."""
    return catalogue.derive("meetings.network_actions", lambda cat: actions_by_network(cat.of_type("minutes"), cat.today))


def action_by_key(catalogue: Catalogue) -> dict[str, Action]:
    """Every action as of today by its key (minutes ref#action-N), once per build."""
    return catalogue.derive(
        "meetings.action_by_key", lambda cat: {a.key: a for acts in network_actions(cat).values() for a in acts}
    )


def status_before(action: Action, day: dt.date) -> str:
    """The action's status going into `day` (what was recorded before that day)."""
    status = OPEN
    for when, changed in action.history:
        if when >= day:
            break
        status = changed
    return status


def arising_on(action: Action, day: dt.date, today: dt.date) -> Arising:
    """An action open going into `day`, as it stood then (lateness counted to `day`, or to today for a meeting still to come)."""
    due = next((u.due for u in reversed(action.updates) if u.due and u.date < day), action.agreed_due)
    as_of = min(day, today)
    late = (as_of - due).days if due is not None and due < as_of else 0
    closed_here = next((s for when, s in action.history if when == day and s in CLOSED), None)
    return Arising(action, due, late, closed_here, tuple(u for u in action.updates if u.date == day))


def open_on(actions: list[Action], day: dt.date, today: dt.date) -> list[Arising]:
    """The actions agreed before `day` and still open going into it (for a date with no meeting, e.g. kb new)."""
    return [arising_on(a, day, today) for a in actions if a.meeting_date < day and status_before(a, day) == OPEN]


def _sweep(catalogue: Catalogue) -> dict[str, list[Arising]]:
    """Meeting ref -> its matters arising: one pass per network, in date order, over agreed and closed events."""
    out: dict[str, list[Arising]] = {}
    for network, meetings in meetings_by_network_cached(catalogue).items():
        actions = network_actions(catalogue).get(network, [])
        events = sorted(
            [(a.meeting_date, 0, i, OPEN) for i, a in enumerate(actions)]
            + [(when, 1, i, status) for i, a in enumerate(actions) for when, status in a.history],
            key=lambda e: (e[0], e[1]),
        )
        open_now: dict[int, Action] = {}
        position = 0
        for meeting in meetings:
            day = meeting_date(meeting)
            while position < len(events) and events[position][0] < day:
                _, _, i, status = events[position]
                if status == OPEN:
                    open_now[i] = actions[i]
                else:
                    open_now.pop(i, None)
                position += 1
            out[meeting.ref] = [arising_on(open_now[i], day, catalogue.today) for i in sorted(open_now)]
    return out


def matters_arising(entry: Entry, catalogue: Catalogue) -> list[Arising]:
    """Every action of the network still open going into this meeting, from every earlier meeting, oldest first."""
    return catalogue.derive("meetings.arising", _sweep).get(entry.ref, [])


def all_actions(catalogue: Catalogue) -> list[Action]:
    """Every action of every visible meeting as of today, overdue first, then by due date (index built once)."""

    def compute(cat: Catalogue) -> list[Action]:
        rows = [a for actions in network_actions(cat).values() for a in actions]
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


def prefill_minutes(source: Catalogue | Iterable[Entry], network: str, date: dt.date, today: dt.date | None = None) -> dict:
    """Front matter for a new meeting that starts from the network's record, for `kb new minutes`.

    The agenda opens with "Matters arising" and one item per action of any earlier meeting still open
    going into `date` (the rule of the meeting pages; scheduled meetings in between take part), then the
    approval of the last minutes; attendees and the meeting block are copied from the last held meeting.
    """
    entries = list(source.entries.values()) if isinstance(source, Catalogue) else list(source)
    today = today or (source.today if isinstance(source, Catalogue) else date)
    titles = {e.slug: e.title for e in entries if e.type == "network"}
    earlier = [m for m in meetings_by_network(entries).get(network, []) if meeting_date(m) < date]
    held = [m for m in earlier if meeting_state(m, today) == "held"]
    before = held[-1] if held else None
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
    carried = open_on(actions_by_network(entries, today).get(network, []), date, today)
    if before is None and not carried:
        return meta
    items = [
        f"Matters arising: {a.action.action} ({a.action.owner}, due {a.due.isoformat() if a.due else 'no date'}, "
        f"agreed {a.action.meeting_date.day} {a.action.meeting_date:%B})"
        for a in carried
    ]
    if before is not None:
        when = f"{meeting_date(before).day} {meeting_date(before):%B}"
        meta["agenda"] = [f"Matters arising from {when}", *items, f"Minutes of {when}: approval", "Any other business"]
        block = before.meta.get("meeting") or {}
        meta["meeting"] = {**meta["meeting"], **{k: v for k, v in block.items() if v}}
        meta["attendees"] = list(before.meta.get("attendees") or [])
    else:
        meta["agenda"] = ["Matters arising", *items, "Any other business"]
    return meta
