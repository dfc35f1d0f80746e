"""Who takes part where: attendance per network and the organisation × network map.

Names are matched after the one normalisation of names.py. Nothing is inferred beyond what the
published minutes and entries already say: no personal data is added.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.minutes import meeting_network
from kb.meetings.names import normalise_name, organisation_of_attendee, strip_notes


def slugify(key: str) -> str:
    return key.replace(" ", "-") or "unnamed"


def academic_year_start(today: dt.date) -> dt.date:
    """1 September of the school year `today` is in."""
    return dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


@dataclass
class Organisation:
    key: str
    name: str  # as first written
    slug: str
    networks: dict[str, int] = field(default_factory=dict)  # network -> entries and meetings naming it
    networks_this_year: set[str] = field(default_factory=set)
    attended: list[str] = field(default_factory=list)  # minutes refs
    apologies: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # refs naming it in organisations / offered_by

    @property
    def url(self) -> str:
        return f"organisations/{self.slug}/"


def _names_in(entry: Entry) -> list[tuple[str, str]]:
    """(organisation as written, how it is named) for one entry."""
    found = [(str(o), "listed") for o in entry.meta.get("organisations") or []]
    offered = (entry.meta.get("offered_by") or {}).get("organisation") if isinstance(entry.meta.get("offered_by"), dict) else None
    if offered:
        found.append((str(offered), "listed"))
    if entry.type == "minutes":
        for role, kind in (("attendees", "attended"), ("apologies", "apologies")):
            for person in entry.meta.get(role) or []:
                org = organisation_of_attendee(person)
                if org:
                    found.append((org, kind))
    return found


def build_organisations(catalogue: Catalogue) -> dict[str, Organisation]:
    """Every organisation named in this build, keyed by slug, in name order (one pass over entries)."""
    year_start = academic_year_start(catalogue.today)
    by_key: dict[str, Organisation] = {}
    for entry in catalogue.entries.values():
        if entry.type == "network":
            continue
        networks = list(dict.fromkeys(([meeting_network(entry)] if entry.type == "minutes" else []) + entry.networks))
        this_year = entry.date is not None and entry.date >= year_start
        for written, kind in _names_in(entry):
            key = normalise_name(written)
            if not key:
                continue
            org = by_key.get(key)
            if org is None:
                org = by_key[key] = Organisation(key, strip_notes(written), "")
            refs = org.attended if kind == "attended" else org.apologies if kind == "apologies" else org.entries
            if entry.ref not in refs:
                refs.append(entry.ref)
            for n in networks:
                org.networks[n] = org.networks.get(n, 0) + 1
                if this_year:
                    org.networks_this_year.add(n)
    ordered = sorted(by_key.values(), key=lambda o: o.key)
    used: dict[str, int] = defaultdict(int)
    out: dict[str, Organisation] = {}
    for org in ordered:
        base = slugify(org.key)
        used[base] += 1
        org.slug = base if used[base] == 1 else f"{base}-{used[base]}"
        out[org.slug] = org
    return out


def organisations(catalogue: Catalogue) -> dict[str, Organisation]:
    return catalogue.derive("organisations", build_organisations)


def attendance_table(meetings: list[Entry]) -> list[dict]:
    """Per person (as written, matched after normalisation): the meetings attended and apologised for."""
    rows: dict[str, dict] = {}
    for m in meetings:
        for role in ("attendees", "apologies"):
            for person in m.meta.get(role) or []:
                key = normalise_name(person, keep_role=True)
                row = rows.setdefault(key, {"name": strip_notes(str(person)), "attended": [], "apologies": []})
                row["attended" if role == "attendees" else "apologies"].append(m)
    return sorted(rows.values(), key=lambda r: (-len(r["attended"]), r["name"].casefold()))
