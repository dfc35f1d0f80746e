"""The board's term digest: what each network did in a term, computed from the catalogue.

Pure: takes a Catalogue (only what this build may show) and a Term, returns plain records,
so the counts are unit-tested without a build and a draft or members-only entry can never
be counted in a public build. Meetings, decisions and actions use the meetings module's
rules (one place for "scheduled" and "overdue"); today is the catalogue's.

Actions are those agreed at the term's meetings, counted by their status today
(done, open, overdue = open and past due, dropped).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kb.content.catalogue import Catalogue, Entry
from kb.content.fingerprints import BuildConstant
from kb.content.terms import Term
from kb.meetings.arising import action_by_key
from kb.meetings.minutes import Action, actions_of, is_held, is_scheduled, meeting_date, meeting_network

# Entry types the digest lists as new work, with their section headings.
NEW_WORK = (("case-study", "New case studies"), ("register-entry", "New register entries"), ("research", "Research discussed"))
COUNT_LABELS = {
    "held": "Meetings held",
    "scheduled": "Meetings scheduled",
    "decisions": "Decisions taken",
    "done": "Actions completed",
    "open": "Actions open",
    "overdue": "Actions overdue",
    "case-study": "New case studies",
    "register-entry": "New register entries",
    "research": "Research",
}


@dataclass
class NetworkDigest:
    """One network's term: the items behind every count, so every count links to its items."""

    network: str
    title: str
    url: str
    held: list[Entry] = field(default_factory=list)
    scheduled: list[Entry] = field(default_factory=list)
    decisions: list[tuple[Entry, str]] = field(default_factory=list)  # (meeting, decision text)
    actions: list[Action] = field(default_factory=list)
    new_work: dict[str, list[Entry]] = field(default_factory=dict)  # entry type -> entries, newest first

    def actions_with(self, status: str) -> list[Action]:
        """'done', 'dropped', 'overdue', or 'open' (open and not overdue)."""
        if status == "overdue":
            return [a for a in self.actions if a.status == "open" and a.overdue]
        if status == "open":
            return [a for a in self.actions if a.status == "open" and not a.overdue]
        return [a for a in self.actions if a.status == status]

    @property
    def counts(self) -> dict[str, int]:
        out = {"held": len(self.held), "scheduled": len(self.scheduled), "decisions": len(self.decisions)}
        out.update({s: len(self.actions_with(s)) for s in ("done", "open", "overdue")})
        out.update({t: len(self.new_work.get(t, [])) for t, _ in NEW_WORK})
        return out

    @property
    def active(self) -> bool:
        """False when nothing at all was recorded for the network in the term (shown, not hidden)."""
        return bool(self.held or self.scheduled or self.actions or any(self.new_work.values()))


@dataclass
class TermDigest(BuildConstant):
    """The whole partnership's term, network by network, with totals that count each item once."""

    term: Term
    networks: list[NetworkDigest]
    totals: dict[str, int]
    summaries: list[Entry]  # learning summaries whose period overlaps the term

    @property
    def active(self) -> list[NetworkDigest]:
        return [n for n in self.networks if n.active]

    @property
    def inactive(self) -> list[NetworkDigest]:
        return [n for n in self.networks if not n.active]

    def network(self, network_id: str) -> NetworkDigest | None:
        return next((n for n in self.networks if n.network == network_id), None)


def _by_network_in_term(cat: Catalogue, term: Term) -> dict[str, list[Entry]]:
    """Dated entries of the term per network (minutes by the network folder they belong to)."""
    out: dict[str, list[Entry]] = defaultdict(list)
    for entry in cat.entries.values():
        if entry.type == "network" or not term.contains(entry.date):
            continue
        for network in [meeting_network(entry)] if entry.type == "minutes" else entry.networks:
            out[network].append(entry)
    return out


def term_digest(cat: Catalogue, term: Term) -> TermDigest:
    """Compute one term's digest: one pass over the catalogue, then one pass per network's items."""
    in_term = _by_network_in_term(cat, term)
    current = action_by_key(cat)
    digests = []
    for network_id, network in cat.networks.items():
        nd = NetworkDigest(network_id, network.title, network.url, new_work={t: [] for t, _ in NEW_WORK})
        for entry in in_term.get(network_id, []):
            if entry.type == "minutes":
                if is_scheduled(entry, cat.today):
                    nd.scheduled.append(entry)
                elif is_held(entry, cat.today):  # cancelled and postponed meetings were neither
                    nd.held.append(entry)
                    nd.decisions += [(entry, str(d)) for d in entry.meta.get("decisions") or []]
                    nd.actions += [current.get(a.key, a) for a in actions_of(entry, cat.today)]  # as of today, with updates
            elif entry.type in nd.new_work:
                nd.new_work[entry.type].append(entry)
        nd.held.sort(key=meeting_date)  # in the term: dated
        nd.scheduled.sort(key=meeting_date)
        nd.decisions.sort(key=lambda pair: meeting_date(pair[0]))
        digests.append(nd)
    digests.sort(key=lambda nd: nd.title.casefold())
    summaries = [s for s in cat.of_type("learning-summary") if _overlaps(s, term)]
    return TermDigest(term, digests, _totals(digests), summaries)


def _totals(digests: list[NetworkDigest]) -> dict[str, int]:
    """Partnership totals: an item shared by two networks is counted once."""
    held = {e.ref: e for n in digests for e in n.held}
    scheduled = {e.ref for n in digests for e in n.scheduled}
    decisions = sum(len(e.meta.get("decisions") or []) for e in held.values())
    actions = {a.key: a for n in digests for a in n.actions}
    totals = {
        "held": len(held),
        "scheduled": len(scheduled),
        "decisions": decisions,
        "done": sum(a.status == "done" for a in actions.values()),
        "open": sum(a.status == "open" and not a.overdue for a in actions.values()),
        "overdue": sum(a.status == "open" and a.overdue for a in actions.values()),
    }
    for etype, _ in NEW_WORK:
        totals[etype] = len({e.ref for n in digests for e in n.new_work.get(etype, [])})
    totals["networks_active"] = sum(n.active for n in digests)
    return totals


def _overlaps(summary: Entry, term: Term) -> bool:
    period = summary.meta.get("period") or {}
    start, end = period.get("from"), period.get("to")
    if start is None or end is None:
        return term.contains(summary.date)
    return start <= term.until and end >= term.start


def all_digests(cat: Catalogue) -> dict[str, TermDigest]:
    """Every configured term's digest, by term id, computed once per build."""
    return cat.derive("board.digests", lambda c: {t.id: term_digest(c, t) for t in c.terms})


def term_for_period(cat: Catalogue, summary: Entry) -> Term | None:
    """The term a learning summary reports on: the one its period overlaps most."""
    period = summary.meta.get("period") or {}
    start, end = period.get("from"), period.get("to")
    if start is None or end is None:
        return next((t for t in cat.terms if t.contains(summary.date)), None)
    best, best_days = None, 0
    for term in cat.terms:
        days = (min(end, term.until) - max(start, term.start)).days + 1
        if days > best_days:
            best, best_days = term, days
    return best


def meetings_per_term(cat: Catalogue, network_id: str, terms: list[Term]) -> list[tuple[Term, int, int]]:
    """(term, meetings held, meetings scheduled) for one network, for its chart across terms."""
    digests = all_digests(cat)
    rows = []
    for term in terms:
        nd = digests[term.id].network(network_id)
        rows.append((term, len(nd.held) if nd else 0, len(nd.scheduled) if nd else 0))
    return rows
