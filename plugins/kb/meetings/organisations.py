"""Who takes part where: attendance per network, with rates, and the organisation × network grid.

Names are matched after the one normalisation of names.py and the spellings declared in
content/organisations.yml (catalogue.organisation_aliases). Nothing is inferred beyond what the
published minutes and entries already say: no personal data is added.

Rates: an organisation's rate in a network is the share of that network's held meetings with attendance
recorded that it attended, counted from the first one it attended or sent apologies to (an organisation
that joined last term is not marked absent from the years before).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.minutes import is_held, meeting_network, meetings_by_network_cached
from kb.meetings.names import name_key, normalise_name, parse_attendee, strip_notes


def slugify(key: str) -> str:
    return key.replace(" ", "-") or "unnamed"


def academic_year_start(today: dt.date) -> dt.date:
    """1 September of the school year `today` is in."""
    return dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)


@dataclass
class Taking:
    """One organisation in one network's held meetings: since its first, how many it attended and sent apologies to."""

    network: str
    since: dt.date
    meetings: int = 0  # held meetings of the network from `since` on
    attended: int = 0
    apologies: int = 0

    @property
    def rate(self) -> int:
        """Attendance as a whole percentage of the meetings since it first took part."""
        return round(100 * self.attended / self.meetings) if self.meetings else 0


@dataclass
class Organisation:
    key: str
    name: str  # as declared in content/organisations.yml, else as first written
    slug: str
    networks: dict[str, int] = field(default_factory=dict)  # network -> entries and meetings naming it
    networks_this_year: set[str] = field(default_factory=set)
    attended: list[str] = field(default_factory=list)  # minutes refs, newest first
    apologies: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)  # refs naming it in organisations / offered_by
    taking_part: dict[str, Taking] = field(default_factory=dict)  # network -> attendance there (held meetings)

    @property
    def url(self) -> str:
        return f"organisations/{self.slug}/"


def _resolve(written: str, aliases: dict[str, str]) -> tuple[str, str]:
    """(matching key, name to show) of an organisation as written, after the declared spellings."""
    key = name_key(written)
    declared = aliases.get(key)
    return (name_key(declared), declared) if declared else (key, strip_notes(written))


def organisation_in_line(line: object, aliases: dict[str, str]) -> str | None:
    """The organisation an attendee or apology line names, as written; a bare line counts when declared."""
    found = parse_attendee(str(line)).organisation
    if found:
        return found
    bare = strip_notes(str(line))
    return bare if name_key(bare) in aliases else None


def _names_in(entry: Entry, aliases: dict[str, str]) -> list[tuple[str, str]]:
    """(organisation as written, how it is named) for one entry."""
    found = [(str(o), "listed") for o in entry.meta.get("organisations") or []]
    offered = (entry.meta.get("offered_by") or {}).get("organisation") if isinstance(entry.meta.get("offered_by"), dict) else None
    if offered:
        found.append((str(offered), "listed"))
    if entry.type == "minutes":
        for role, kind in (("attendees", "attended"), ("apologies", "apologies")):
            for person in entry.meta.get(role) or []:
                org = organisation_in_line(person, aliases)
                if org:
                    found.append((org, kind))
    return found


def build_organisations(catalogue: Catalogue) -> dict[str, Organisation]:
    """Every organisation named in this build, keyed by slug, in name order (one pass over entries)."""
    year_start = academic_year_start(catalogue.today)
    aliases = catalogue.organisation_aliases
    by_key: dict[str, Organisation] = {}
    for entry in catalogue.entries.values():
        if entry.type == "network":
            continue
        networks = list(dict.fromkeys(([meeting_network(entry)] if entry.type == "minutes" else []) + entry.networks))
        this_year = entry.date is not None and entry.date >= year_start
        for written, kind in _names_in(entry, aliases):
            key, name = _resolve(written, aliases)
            if not key:
                continue
            org = by_key.get(key)
            if org is None:
                org = by_key[key] = Organisation(key, name, "")
            refs = org.attended if kind == "attended" else org.apologies if kind == "apologies" else org.entries
            if entry.ref not in refs:
                refs.append(entry.ref)
            for n in networks:
                org.networks[n] = org.networks.get(n, 0) + 1
                if this_year:
                    org.networks_this_year.add(n)
    _count_taking_part(catalogue, by_key)
    ordered = sorted(by_key.values(), key=lambda o: o.key)
    used: dict[str, int] = defaultdict(int)
    out: dict[str, Organisation] = {}
    for org in ordered:
        base = slugify(org.key)
        used[base] += 1
        org.slug = base if used[base] == 1 else f"{base}-{used[base]}"
        out[org.slug] = org
    return out


def _count_taking_part(catalogue: Catalogue, by_key: dict[str, Organisation]) -> None:
    """Each organisation's attendance per network over held meetings, from its first one (one pass per network)."""
    aliases = catalogue.organisation_aliases
    for network, meetings in meetings_by_network_cached(catalogue).items():
        held = [  # held meetings whose attendance was recorded: one never minuted marks nobody absent
            m
            for m in meetings
            if is_held(m, catalogue.today) and (m.date or dt.date.max) <= catalogue.today and m.meta.get("attendees")
        ]
        for position, meeting in enumerate(held):
            present = {
                _resolve(o, aliases)[0]
                for o in (organisation_in_line(p, aliases) for p in meeting.meta.get("attendees") or [])
                if o
            }
            sorry = {
                _resolve(o, aliases)[0]
                for o in (organisation_in_line(p, aliases) for p in meeting.meta.get("apologies") or [])
                if o
            }
            for key in present | sorry:
                org = by_key.get(key)
                if org is None:
                    continue
                taking = org.taking_part.get(network)
                if taking is None:
                    assert meeting.date is not None  # held meetings are dated
                    taking = org.taking_part[network] = Taking(network, meeting.date, meetings=len(held) - position)
                taking.attended += key in present
                taking.apologies += key in sorry and key not in present


def organisations(catalogue: Catalogue) -> dict[str, Organisation]:
    return catalogue.derive("organisations", build_organisations)


def grid_networks(orgs: list[Organisation], catalogue: Catalogue) -> list[str]:
    """The grid's columns: the networks whose meetings these organisations attended, in the networks' order."""
    used = {n for o in orgs for n in o.taking_part}
    return [n for n in catalogue.networks if n in used]


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
