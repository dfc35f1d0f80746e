"""Papers of a meeting and the approval of its minutes.

A paper is a file beside the minutes (content/minutes/<network>/papers/report.pdf, written
`file: papers/report.pdf`) or a web address. Only the files that visible minutes name are copied
into a build (published_papers, kept by the build; every other file under minutes/ is dropped), so
a draft or members-only meeting's papers never reach a public site.

Minutes are approved by `approved: {date, by}` in themselves, or by a later meeting's
`approves: minutes/<network>/<date>`; minutes that are neither are "Draft minutes, not yet approved".
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from kb.content.catalogue import Catalogue, Entry
from kb.content.problems import Problem
from kb.meetings.minutes import meeting_network

MINUTES_REF = re.compile(r"^/?(?:minutes/(?P<network>[a-z0-9-]+)/)?(?P<date>\d{4}-\d{2}-\d{2})/?$")


@dataclass(frozen=True)
class Paper:
    title: str
    href: str  # a path on the site (minutes/<network>/papers/x.pdf) or a web address
    external: bool


@dataclass(frozen=True)
class Approval:
    date: dt.date
    by: str
    meeting: Entry | None = None  # the later meeting that approved them, when recorded there


def paper_source(entry: Entry, file: str) -> str | None:
    """The paper's path in the project (content/minutes/<network>/<file>), or None when `file` would leave that folder."""
    file = str(file).strip()
    if not file or file.startswith(("/", "\\")) or "\\" in file or ":" in file:
        return None
    folder = posixpath.dirname(entry.path)
    path = posixpath.normpath(posixpath.join(folder, file))
    return path if path.startswith(folder + "/") and not path.lower().endswith(".md") else None


def papers_of(entry: Entry) -> list[Paper]:
    out = []
    for raw in entry.meta.get("papers") or []:
        title = str(raw.get("title") or "Paper")
        source = paper_source(entry, raw["file"]) if raw.get("file") else None
        if source is not None:
            out.append(Paper(title, source.removeprefix("content/"), False))
        elif raw.get("url"):
            out.append(Paper(title, str(raw["url"]), True))
    return out


def published_papers(catalogue: Catalogue) -> set[str]:
    """Site paths of the paper files the visible minutes name: the only files under minutes/ a build copies."""
    return {p.href for e in catalogue.of_type("minutes") for p in papers_of(e) if not p.external}


def minutes_ref(text: object, network: str) -> str | None:
    """ "minutes/<network>/<date>" of a reference written in full or as a date of the same network."""
    found = MINUTES_REF.match(str(text).strip())
    return f"minutes/{found['network'] or network}/{found['date']}" if found else None


def _approvals(catalogue: Catalogue) -> dict[str, Approval]:
    out: dict[str, Approval] = {}
    for e in sorted(catalogue.of_type("minutes"), key=lambda e: (e.date or dt.date.min, e.ref)):
        target = minutes_ref(e.meta.get("approves", ""), meeting_network(e)) if e.meta.get("approves") and e.date else None
        if target and target in catalogue.entries and target not in out and e.date:
            out[target] = Approval(e.date, f"the meeting of {e.date.day} {e.date:%B %Y}", e)
    return out


def approval(entry: Entry, catalogue: Catalogue) -> Approval | None:
    """How these minutes were approved: in themselves, else by a later visible meeting; None if not yet."""
    own = entry.meta.get("approved")
    if isinstance(own, dict) and isinstance(own.get("date"), dt.date):
        return Approval(own["date"], str(own.get("by") or ""))
    return catalogue.derive("meetings.approvals", _approvals).get(entry.ref)


def paper_problems(entries: list[Entry], root: Path) -> list[Problem]:
    """Paper files that leave the minutes folder or do not exist: an error once published, a warning in a draft."""
    out = []
    for entry in entries:
        if entry.type != "minutes":
            continue
        severity = "warning" if entry.status == "draft" else "error"
        for i, raw in enumerate(entry.meta.get("papers") or []):
            file = raw.get("file")
            if not file:
                continue
            field, line = f"papers[{i}].file", entry.lines.get(f"papers[{i}].file") or entry.lines.get("papers")
            source = paper_source(entry, file)
            folder = posixpath.dirname(entry.path)
            if source is None:
                out.append(
                    Problem(
                        entry.path,
                        line,
                        field,
                        f"'{file}' is not a file inside {folder}/ (papers live beside the minutes, and are not .md pages).",
                        "put the paper in the network's minutes folder, e.g. file: papers/report.pdf",
                        severity,
                    )
                )
            elif not (root / source).is_file():
                out.append(
                    Problem(
                        entry.path,
                        line,
                        field,
                        f"there is no file {source}.",
                        f"add the paper at {source}, or correct the file name (names are case-sensitive).",
                        severity,
                    )
                )
    return out
