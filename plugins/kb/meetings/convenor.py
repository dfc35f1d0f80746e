"""Convenor checks for `kb check` and the build: the habits of a well-run meeting, as warnings.

They run over every minutes file (drafts too, since a convenor drafts the agenda before
publishing), judge dates against "today" (KB_TODAY when set), and each names the file,
line and field and says what to do. None stops a build, except a reference to an action or
minutes that do not exist (`updates`, `approves`) in an entry up for review or published:
like a broken link, it would show something false.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

from kb.content.catalogue import Entry
from kb.content.problems import Problem
from kb.meetings.arising import actions_by_network, parse_action_ref
from kb.meetings.minutes import CLOSED, Action, actions_of, meeting_date, meeting_network, meeting_state, meetings_by_network
from kb.meetings.papers import minutes_ref

AGENDA_NOTICE_DAYS = 7
MINUTES_WITHIN_DAYS = 7
OVERDUE_GRACE_DAYS = 30


def _warn(entry: Entry, field: str, message: str, hint: str, near: str = "", severity: str = "warning") -> Problem:
    """A warning at the field's line, else at `near` (the nearest related field), else at the date."""
    line = (
        entry.lines.get(field)
        or entry.lines.get(near)
        or entry.lines.get(field.split(".")[0].split("[")[0])
        or entry.lines.get("date")
    )
    return Problem(entry.path, line, field, message, hint, severity)


def _agenda(entry: Entry, date: dt.date, today: dt.date) -> list[Problem]:
    published = entry.meta.get("agenda_published")
    if isinstance(published, dt.date):
        notice = (date - published).days
        if notice < AGENDA_NOTICE_DAYS:
            return [
                _warn(
                    entry,
                    "agenda_published",
                    f"the agenda went out {notice} day(s) before the meeting on {date.isoformat()}; members need a week.",
                    f"circulate the agenda by {(date - dt.timedelta(days=AGENDA_NOTICE_DAYS)).isoformat()} next time, "
                    "with the previous minutes and papers.",
                )
            ]
    elif today <= date <= today + dt.timedelta(days=AGENDA_NOTICE_DAYS):
        return [
            _warn(
                entry,
                "agenda_published",
                f"the meeting is on {date.isoformat()}, within a week, and no agenda has been published.",
                "circulate the agenda now and record the day with  agenda_published: YYYY-MM-DD.",
                near="agenda",
            )
        ]
    return []


def _record(entry: Entry, date: dt.date, today: dt.date, state: str) -> list[Problem]:
    """What a meeting still to come must say (where, how) and what a held one must record."""
    meta, out = entry.meta, []
    if state == "scheduled" and today <= date <= today + dt.timedelta(days=AGENDA_NOTICE_DAYS):  # by the time the agenda is due
        block: dict = meta["meeting"] if isinstance(meta.get("meeting"), dict) else {}
        for part, example in (("format", "in-person, virtual or hybrid"), ("location", "the room and site, or 'Online'")):
            if not block.get(part) and not (part == "location" and block.get("format") == "virtual"):
                out.append(
                    _warn(
                        entry,
                        f"meeting.{part}",
                        f"the meeting on {date.isoformat()} does not say its {part}.",
                        f"add it under meeting:, e.g.  {part}: {example}.",
                        near="meeting",
                    )
                )
    if state == "scheduled" and date < today - dt.timedelta(days=MINUTES_WITHIN_DAYS):
        out.append(
            _warn(
                entry,
                "state",
                f"the meeting on {date.isoformat()} was more than a week ago and its minutes are not recorded.",
                "record attendees, decisions and actions and write state: held, or state: cancelled if it did not take place.",
            )
        )
    if state != "held" or date >= today:
        return out
    for name, example in (
        ("attendees", '["SENCo, Northgate Primary School"]'),
        ("decisions", '["Adopt the shared attendance tracker"]'),
    ):
        if not meta.get(name):
            what = "attendees are" if name == "attendees" else "decisions are"
            verb = "log attendance" if name == "attendees" else "minute what was decided"
            out.append(
                _warn(entry, name, f"this meeting has happened but no {what} recorded.", f"{verb}, e.g.  {name}: {example}.")
            )
    if "apologies" not in meta and "apologies" not in entry.lines:
        out.append(
            _warn(
                entry,
                "apologies",
                "this meeting has no apologies line.",
                'log who sent apologies, e.g.  apologies: ["Head, Riverside Academy"], or  apologies: []  if nobody did.',
                near="attendees",
            )
        )
    sent = meta.get("minutes_sent")
    if isinstance(sent, dt.date) and (sent - date).days > MINUTES_WITHIN_DAYS:
        out.append(
            _warn(
                entry,
                "minutes_sent",
                f"the minutes went out {(sent - date).days} days after the meeting; members need them within a week.",
                f"send them by {(date + dt.timedelta(days=MINUTES_WITHIN_DAYS)).isoformat()} next time (kb mail minutes).",
            )
        )
    return out


def _actions(entry: Entry, date: dt.date, today: dt.date, current: dict[str, Action]) -> list[Problem]:
    out = []
    for written in actions_of(entry, today):
        action = current.get(written.key, written)  # as of today, with later meetings' updates
        prefix = f"actions[{written.index}]"
        raw = (entry.meta.get("actions") or [])[written.index]
        if written.due is not None and written.due < date:
            out.append(
                _warn(
                    entry,
                    f"{prefix}.due",
                    f"'{written.action}' is due {written.due.isoformat()}, before the meeting that agreed it ({date.isoformat()}).",
                    "check the due date; it is probably a typing slip in the year or month.",
                )
            )
        closed = raw.get("closed")
        if isinstance(closed, dt.date) and (written.status not in CLOSED or closed < date or closed > today):
            why = (
                "but its status is open"
                if written.status not in CLOSED
                else f"before the meeting that agreed it ({date.isoformat()})"
                if closed < date
                else "which is after today"
            )
            out.append(
                _warn(
                    entry,
                    f"{prefix}.closed",
                    f"'{written.action}' says closed {closed.isoformat()}, {why}.",
                    "write status: done or dropped with the day it was closed, or remove closed.",
                )
            )
        if action.days_overdue > OVERDUE_GRACE_DAYS:
            out.append(
                _warn(
                    entry,
                    f"{prefix}.due",
                    f"'{action.action}' ({action.owner}) is still open {action.days_overdue} days after it was due.",
                    "ask the owner for an update, then record it at the next meeting (updates:, with status: done or dropped, "
                    "or a new due date), or mark it  status: done  here.",
                )
            )
    return out


def check_meeting(entry: Entry, today: dt.date, current: dict[str, Action] | None = None) -> list[Problem]:
    """Every convenor warning for one minutes entry (`current`: its actions as of today, by key, when known)."""
    date = entry.date
    if entry.type != "minutes" or not isinstance(date, dt.date):
        return []
    state = meeting_state(entry, today)
    if state in ("cancelled", "postponed"):
        return []
    return _agenda(entry, date, today) + _record(entry, date, today, state) + _actions(entry, date, today, current or {})


def _references(entry: Entry, by_ref: dict[str, Entry]) -> list[Problem]:
    """`updates` and `approves` must name an earlier meeting's action or minutes that exist."""
    if entry.date is None:
        return []
    severity = "warning" if entry.status == "draft" else "error"
    network, out = meeting_network(entry), []
    for i, raw in enumerate(entry.meta.get("updates") or []):
        target = parse_action_ref(raw.get("action", ""), network)
        meeting = by_ref.get(target[0]) if target else None
        actions = (meeting.meta.get("actions") or []) if meeting else []
        if meeting is not None and target is not None and meeting_date(meeting) >= entry.date:
            message = (
                f"'{raw.get('action')}' was agreed on or after this meeting; an update reports on an earlier meeting's action."
            )
            hint = "record news of an action at a meeting after the one that agreed it."
        elif target is None or meeting is None or target[1] >= len(actions):
            what = "is not written like minutes/<network>/<YYYY-MM-DD>#action-<number>" if target is None else "names no action"
            message = f"'{raw.get('action')}' {what}."
            hint = "copy the action's link from its meeting page (the 'Agreed at' link), e.g. minutes/equity/2026-05-14#action-2."
        else:
            continue
        out.append(_warn(entry, f"updates[{i}].action", message, hint, severity=severity))
    approves = entry.meta.get("approves")
    if approves:
        target_ref = minutes_ref(approves, network)
        approved = by_ref.get(target_ref) if target_ref else None
        if approved is None or meeting_date(approved) >= entry.date:
            out.append(
                _warn(
                    entry,
                    "approves",
                    f"'{approves}' is not an earlier meeting's minutes.",
                    "write the reference of the minutes approved, e.g. approves: minutes/equity/2026-10-08.",
                    severity=severity,
                )
            )
    return out


def _sequence(meetings: list[Entry], approved_at: dict[str, dt.date], today: dt.date) -> list[Problem]:
    """Across one network's meetings: minutes approved at the next meeting, a next meeting set."""
    out = []
    held = [m for m in meetings if meeting_state(m, today) == "held" and meeting_date(m) < today]
    for before, after in itertools.pairwise(held):
        when = approved_at.get(before.ref)
        if when is None or when > meeting_date(after):
            out.append(
                _warn(
                    after,
                    "approves",
                    f"the minutes of the previous meeting ({meeting_date(before).isoformat()}) were not approved at this meeting.",
                    f"record it here with  approves: {before.ref}  (or in those minutes with approved: {{date, by}}).",
                    near="decisions",
                )
            )
    last = meetings[-1] if meetings else None
    if last is not None and meeting_date(last) < today and meeting_state(last, today) != "postponed":
        announced = last.meta.get("next_meeting")
        if not isinstance(announced, dt.date):
            out.append(
                _warn(
                    last,
                    "next_meeting",
                    "no next meeting is set after this one.",
                    "agree the date and record it, e.g.  next_meeting: 2027-01-14  (or write the next meeting's agenda with kb new minutes).",
                )
            )
        elif announced < today - dt.timedelta(days=MINUTES_WITHIN_DAYS):
            out.append(
                _warn(
                    last,
                    "next_meeting",
                    f"the next meeting was set for {announced.isoformat()}, more than a week ago, and its minutes are not recorded.",
                    f"write them in content/minutes/{meeting_network(last)}/{announced.isoformat()}.md, "
                    "or set the new date here if it moved.",
                )
            )
    return out


def _approved_at(minutes: Sequence[Entry], by_ref: dict[str, Entry]) -> dict[str, dt.date]:
    """Minutes ref -> the earliest day it is recorded as approved, by itself or by a later meeting."""
    out: dict[str, dt.date] = {}
    for m in minutes:
        own = m.meta.get("approved")
        if isinstance(own, dict) and isinstance(own.get("date"), dt.date):
            out[m.ref] = min(own["date"], out.get(m.ref, own["date"]))
        target = minutes_ref(m.meta.get("approves", ""), meeting_network(m)) if m.meta.get("approves") and m.date else None
        if target in by_ref and m.date:
            out[target] = min(m.date, out.get(target, m.date))
    return out


def convenor_checks(entries: Iterable[Entry], today: dt.date) -> list[Problem]:
    """One of kb.project.CHECKS: convenor warnings over all entries, file by file in the order given."""
    minutes = [e for e in entries if e.type == "minutes"]
    by_ref = {e.ref: e for e in minutes}
    current = {a.key: a for actions in actions_by_network(minutes, today).values() for a in actions}
    approved_at = _approved_at(minutes, by_ref)
    per_file: dict[str, list[Problem]] = {e.path: check_meeting(e, today, current) + _references(e, by_ref) for e in minutes}
    for meetings in meetings_by_network(minutes).values():
        for p in _sequence(meetings, approved_at, today):
            per_file[p.path].append(p)
    return [p for e in minutes for p in per_file[e.path]]
