"""Convenor checks for `kb check` and the build: the habits of a well-run meeting, as warnings.

They run over every minutes file (drafts too, since a convenor drafts the agenda before
publishing), judge dates against "today" (KB_TODAY when set), and each names the file,
line and field and says what to do. None stops a build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kb.content.catalogue import Entry
from kb.content.problems import Problem
from kb.meetings.minutes import actions_of

AGENDA_NOTICE_DAYS = 7
OVERDUE_GRACE_DAYS = 30


def _warn(entry: Entry, field: str, message: str, hint: str, near: str = "") -> Problem:
    """A warning at the field's line, else at `near` (the nearest related field), else at the date."""
    line = (
        entry.lines.get(field)
        or entry.lines.get(near)
        or entry.lines.get(field.split(".")[0].split("[")[0])
        or entry.lines.get("date")
    )
    return Problem(entry.path, line, field, message, hint, "warning")


def check_meeting(entry: Entry, today: dt.date) -> list[Problem]:
    """Every convenor warning for one minutes entry."""
    date = entry.date
    if entry.type != "minutes" or not isinstance(date, dt.date):
        return []
    meta = entry.meta
    out: list[Problem] = []
    published = meta.get("agenda_published")
    if isinstance(published, dt.date):
        notice = (date - published).days
        if notice < AGENDA_NOTICE_DAYS:
            out.append(
                _warn(
                    entry,
                    "agenda_published",
                    f"the agenda went out {notice} day(s) before the meeting on {date.isoformat()}; members need a week.",
                    f"circulate the agenda by {(date - dt.timedelta(days=AGENDA_NOTICE_DAYS)).isoformat()} next time, "
                    "with the previous minutes and papers.",
                )
            )
    elif today <= date <= today + dt.timedelta(days=AGENDA_NOTICE_DAYS):
        out.append(
            _warn(
                entry,
                "agenda_published",
                f"the meeting is on {date.isoformat()}, within a week, and no agenda has been published.",
                "circulate the agenda now and record the day with  agenda_published: YYYY-MM-DD.",
                near="agenda",
            )
        )
    if date < today:
        if not meta.get("attendees"):
            out.append(
                _warn(
                    entry,
                    "attendees",
                    "this meeting has happened but no attendees are recorded.",
                    'log attendance, e.g.  attendees: ["SENCo, Northgate Primary School"].',
                )
            )
        if not meta.get("decisions"):
            out.append(
                _warn(
                    entry,
                    "decisions",
                    "this meeting has happened but no decisions are recorded.",
                    'minute what was decided, e.g.  decisions: ["Adopt the shared attendance tracker"].',
                )
            )
    for action in actions_of(entry, today):
        prefix = f"actions[{action.index}]"
        if action.due is not None and action.due < date:
            out.append(
                _warn(
                    entry,
                    f"{prefix}.due",
                    f"'{action.action}' is due {action.due.isoformat()}, before the meeting that agreed it ({date.isoformat()}).",
                    "check the due date; it is probably a typing slip in the year or month.",
                )
            )
        if action.days_overdue > OVERDUE_GRACE_DAYS:
            out.append(
                _warn(
                    entry,
                    f"{prefix}.due",
                    f"'{action.action}' ({action.owner}) is still open {action.days_overdue} days after it was due.",
                    "ask the owner for an update, then mark it  status: done  or  status: dropped, or agree a new due date.",
                )
            )
    return out


def convenor_checks(entries: Iterable[Entry], today: dt.date) -> list[Problem]:
    """One of kb.project.CHECKS: convenor warnings over all entries."""
    return [p for e in entries if e.type == "minutes" for p in check_meeting(e, today)]
