"""A realistic generated project of N entries, for the benchmark and the scaling tests.

The project is the starter's own site (mkdocs.yml, home and About pages, tags, the fifteen
real networks, every non-entry file of content/) plus N generated entries of every type in
the proportions the partnership actually produces, linked to earlier entries the way
people write. Everything follows from the seed, so two runs build the same site.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.content.model import ENTRY_TYPES, VOCABULARIES
from kb_tools import corpus_text as words

STARTER = Path(__file__).resolve().parents[2]  # the project this package was installed from
REFERENCE_TODAY = dt.date(2026, 11, 23)  # the corpus's "today"; the benchmark builds with KB_TODAY set to it
# Share of each type among generated entries (networks are the fifteen real ones).
PROPORTIONS = {"minutes": 0.40, "case-study": 0.28, "register-entry": 0.17, "research": 0.12, "learning-summary": 0.03}
DRAFT_RATE, MEMBERS_RATE = 0.015, 0.03


@dataclass
class Planned:
    """One entry to write: its type, date, where it lives and what it says."""

    type: str
    date: dt.date
    network: str
    path: str = ""
    ref: str = ""
    meta: dict = field(default_factory=dict)
    body: str = ""


def generate_project(root: Path, n: int, seed: int = 1, *, source: Path = STARTER, today: dt.date = REFERENCE_TODAY) -> None:
    """Write a new project of the starter's site files plus `n` generated entries into `root`."""
    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty; the corpus is written into a new folder.")
    copy_site_files(Path(source), root)
    networks = sorted(p.stem for p in (root / "content/networks").glob("*.md"))
    tags = yaml.safe_load((root / "content/tags.yml").read_text(encoding="utf-8")) or {}
    _Writer(root, random.Random(seed), networks, tags, today).write_all(n)


def copy_site_files(source: Path, root: Path) -> None:
    """mkdocs.yml, theme overrides and every file of content/ that is not an entry, plus the real networks."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", root / "mkdocs.yml")
    entry_folders = tuple(t.folder + "/" for t in ENTRY_TYPES.values() if t.name != "network")
    for path in sorted((source / "content").rglob("*")):
        rel = path.relative_to(source).as_posix()
        if path.is_file() and not rel.startswith(entry_folders):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, root / rel)
    (root / "register").mkdir(exist_ok=True)
    config = yaml.load((source / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    extra_dirs = [(config.get("theme") or {}).get("custom_dir")] + list(config.get("hooks") or [])
    for extra in filter(None, extra_dirs):
        src = source / str(extra)
        if src.is_dir():
            shutil.copytree(src, root / str(extra), dirs_exist_ok=True)
        elif src.is_file():
            (root / str(extra)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / str(extra))


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even when it uses !ENV or !!python tags; their values do not matter here."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class _PlainDumper(yaml.SafeDumper):
    """No anchors or aliases: the project forbids them in front matter, so a shared date is written twice."""

    def ignore_aliases(self, data) -> bool:
        return True


def split_counts(n: int) -> dict[str, int]:
    """How many entries of each type, summing exactly to n (largest remainder)."""
    exact = {t: n * share for t, share in PROPORTIONS.items()}
    counts = {t: int(v) for t, v in exact.items()}
    for t in sorted(exact, key=lambda t: exact[t] - counts[t], reverse=True)[: n - sum(counts.values())]:
        counts[t] += 1
    return counts


class _Writer:
    def __init__(self, root: Path, rng: random.Random, networks: list[str], tags: dict, today: dt.date):
        self.root, self.rng, self.networks, self.today = root, rng, networks, today
        self.tags = {tid: (spec or {}).get("label", tid) for tid, spec in tags.items()}
        self.linkable: list[Planned] = []  # published, public entries written so far
        self.linkable_refs: set[str] = set()
        self.last_meeting: dict[str, Planned] = {}

    # -- planning ---------------------------------------------------------------------------
    def plan(self, n: int) -> list[Planned]:
        counts = split_counts(n)
        per_network = -(-counts["minutes"] // len(self.networks))
        span_days = max(3650, per_network * 3)
        start = self.today - dt.timedelta(days=span_days)
        planned = []
        for i in range(counts["minutes"]):  # round-robin, so every network has a run of meetings
            planned.append(Planned("minutes", start, self.networks[i % len(self.networks)]))
        by_network: dict[str, list[Planned]] = {}
        for p in planned:
            by_network.setdefault(p.network, []).append(p)
        for meetings in by_network.values():
            future = min(2, len(meetings) // 4)
            past_days = self.rng.sample(range(1, span_days), len(meetings) - future)
            future_days = self.rng.sample(range(7, 91), future)
            dates = sorted(self.today - dt.timedelta(days=d) for d in past_days)
            dates += sorted(self.today + dt.timedelta(days=d) for d in future_days)
            for meeting, day in zip(meetings, dates):
                meeting.date = day
        for etype in ("case-study", "register-entry", "research", "learning-summary"):
            for _ in range(counts[etype]):
                day = self.today - dt.timedelta(days=self.rng.randrange(0, span_days))
                planned.append(Planned(etype, day, self.rng.choice(self.networks)))
        planned.sort(key=lambda p: (p.date, p.type, p.network))
        return planned

    def write_all(self, n: int) -> None:
        for index, entry in enumerate(self.plan(n)):
            self.fill(entry, index)
            target = self.root / entry.path
            target.parent.mkdir(parents=True, exist_ok=True)
            front = yaml.dump(
                entry.meta, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=None
            )
            target.write_text(f"---\n{front}---\n{entry.body}\n", encoding="utf-8")
            if entry.meta["status"] == "published" and entry.meta.get("visibility", "public") == "public":
                self.linkable.append(entry)
                self.linkable_refs.add(entry.ref)
            if entry.type == "minutes":
                self.last_meeting[entry.network] = entry

    # -- one entry --------------------------------------------------------------------------
    def fill(self, entry: Planned, index: int) -> None:
        rng = self.rng
        tag_ids = rng.sample(sorted(self.tags), rng.randint(1, 4)) if self.tags else []
        topic = self.tags.get(tag_ids[0], "collaboration").lower() if tag_ids else "collaboration"
        slug_topic = tag_ids[0] if tag_ids else "collaboration"
        others = [x for x in rng.sample(self.networks, 2) if x != entry.network][: rng.choice((0, 0, 1))]
        orgs = list(dict.fromkeys(words.organisation(rng) for _ in range(rng.randint(1, 5))))
        meta = {
            "title": "",
            "summary": "",
            "date": entry.date,
            "networks": [entry.network] + others,
            "tags": tag_ids,
            "status": "published",
        }
        roll = rng.random()
        if roll < DRAFT_RATE and entry.date <= self.today:
            meta["status"] = rng.choice(("draft", "review"))
        elif roll < DRAFT_RATE + MEMBERS_RATE:
            meta["visibility"] = "members"
        etype = ENTRY_TYPES[entry.type]
        if entry.type == "minutes":
            entry.path = f"{etype.folder}/{entry.network}/{entry.date.isoformat()}.md"
            entry.ref = f"minutes/{entry.network}/{entry.date.isoformat()}"
        elif entry.type == "research":
            stem = f"{entry.date:%Y-%m}-{slug_topic}-review-{index}"
            entry.path, entry.ref = f"{etype.folder}/{stem}.md", f"research/{stem}"
        else:
            kind = {"case-study": "pilot", "register-entry": "offer", "learning-summary": "summary"}[entry.type]
            stem = f"{slug_topic}-{kind}-{index}"
            entry.path, entry.ref = f"{etype.folder}/{stem}.md", f"{etype.url_prefix}/{stem}"
        meta["organisations"] = orgs
        getattr(self, "fill_" + entry.type.replace("-", "_"))(entry, meta, topic, orgs)
        entry.meta = meta

    def link(self, entry: Planned, recent: bool = True) -> str:
        """A wiki or relative Markdown link to an earlier published public entry, in the forms people use."""
        if not self.linkable:
            return "earlier work in the network"
        pool = self.linkable[-400:] if recent and self.rng.random() < 0.7 else self.linkable
        target = self.rng.choice(pool)
        form = self.rng.random()
        if form < 0.5:
            return f"[[{target.ref}]]"
        if form < 0.75:
            return f"[[{target.ref}|{target.meta['title'][:40].rstrip()}]]"
        if form < 0.9 and target.type != "minutes":
            return f"[[{target.ref.rsplit('/', 1)[-1]}]]"
        rel = posixpath.relpath(target.path, posixpath.dirname(entry.path))
        return f"[{target.meta['title'][:40].rstrip()}]({rel})"

    def body(self, entry: Planned, headings: list[str], topic: str, lists: int = 1) -> str:
        """One section per heading, paragraphs and lists, until the entry reaches 300 to 800 words."""
        share = self.rng.randint(300, 800) // len(headings)
        out = []
        for i, heading in enumerate(headings):
            parts, used = [], 0
            while used < share:
                text = words.paragraph(self.rng, topic, self.link(entry) if self.rng.random() < 0.4 else None)
                parts.append(text)
                used += len(text.split())
            if i < lists or self.rng.random() < 0.25:
                parts.insert(self.rng.randint(1, len(parts)), words.bullets(self.rng, topic))
            out.append(f"## {heading}\n\n" + "\n\n".join(parts) + "\n")
        return "\n".join(out)

    def fill_case_study(self, entry, meta, topic, orgs):
        rng = self.rng
        meta["title"] = f"{topic.capitalize()}: a {rng.choice(('pilot', 'shared enquiry', 'partnership project'))} at {orgs[0]}"
        meta["summary"] = f"How {orgs[0]} and partners worked on {topic}, what changed and what others can take from it."
        meta["authors"] = [words.role_at(rng, orgs[0])]
        meta["approach"] = rng.choice(VOCABULARIES["approach"])
        meta["functions"] = rng.sample(VOCABULARIES["functions"], rng.randint(1, 3))
        meta["brokerage"] = rng.sample(VOCABULARIES["brokerage"], rng.randint(1, 2))
        meta["phases"] = rng.sample(VOCABULARIES["phases"], rng.randint(1, 2))
        meta["outcomes"] = words.sentence(rng, topic)
        entry.body = self.body(entry, ["Context", "What we did", "What changed", "What we learned", "Next steps"], topic)

    def fill_register_entry(self, entry, meta, topic, orgs):
        rng = self.rng
        meta["title"] = f"{topic.capitalize()} support offered by {orgs[0]}"
        meta["summary"] = f"{orgs[0]} offers partner schools help with {topic}: a visit, materials and a follow-up conversation."
        meta["area"] = f"{topic.capitalize()} in practice"
        meta["offered_by"] = {"organisation": orgs[0], "role": rng.choice(words.ROLES)}
        meta["contact"] = "via the network convener"
        meta["nominated_by"] = words.role_at(rng)
        meta["phases"] = rng.sample(VOCABULARIES["phases"], rng.randint(1, 2))
        meta["reviewed"] = entry.date
        entry.body = self.body(entry, ["What is offered", "Where it has been used", "Things to know"], topic)

    def fill_research(self, entry, meta, topic, orgs):
        rng = self.rng
        year = rng.randint(1995, entry.date.year)
        meta["title"] = f"Research of the month: what the evidence says about {topic}"
        meta["summary"] = f"Our reading group discussed a study of {topic} and what it means for schools in the partnership."
        meta["month"] = f"{entry.date:%Y-%m}"
        meta["reading"] = {
            "title": f"{topic.capitalize()} in schools: a review of the evidence",
            "authors": [words.person(rng) for _ in range(rng.randint(1, 3))],
            "year": year,
            "publisher": rng.choice(words.PUBLISHERS),
        }
        if rng.random() < 0.6:
            meta["reading"]["doi"] = f"10.{rng.randint(1000, 9999)}/{entry.ref.rsplit('/', 1)[-1]}"
        meta["discussed_by"] = "Partnership reading group"
        entry.body = self.body(entry, ["What we read", "What we took from it", "Questions for our networks"], topic)

    def fill_learning_summary(self, entry, meta, topic, orgs):
        rng = self.rng
        meta["title"] = f"Learning summary for the board: {entry.date:%B %Y}"
        meta["summary"] = "What the networks learned this term, with the actions the board should know about."
        meta["networks"] = sorted(set(rng.sample(self.networks, rng.randint(3, 8))) | {entry.network})
        meta["authors"] = ["Partnership officer, Partnership Office"]
        meta["period"] = {"from": entry.date - dt.timedelta(days=90), "to": entry.date}
        pool = self.linkable[-300:]
        meta["sources"] = [p.ref for p in rng.sample(pool, min(len(pool), rng.randint(5, 12)))]
        entry.body = self.body(entry, ["Headlines", "How the networks are working", "For the board"], topic, lists=2)

    def fill_minutes(self, entry, meta, topic, orgs):
        rng = self.rng
        name = entry.network.replace("-", " ").title()
        meta["title"] = f"{name} network meeting, {entry.date.day} {entry.date:%B %Y}"
        agenda = ["Matters arising"] + [
            a.format(topic=topic, Topic=topic.capitalize()) for a in rng.sample(words.AGENDA_ITEMS[1:], 3)
        ]
        meta["summary"] = f"{agenda[1]}; {agenda[2].lower()}; and {agenda[3].lower()}."
        start = rng.choice(("15:30", "15:45", "16:00", "09:30"))
        meta["meeting"] = {
            "start": start,
            "end": f"{int(start[:2]) + 1}:{start[3:]}" if start != "09:30" else "11:00",
            "format": rng.choice(VOCABULARIES["format"]),
            "location": f"{orgs[0]}, library",
            "chair": f"Network convener ({orgs[0]})",
        }
        meta["agenda"] = agenda
        if entry.date - dt.timedelta(days=7) <= self.today:
            meta["agenda_published"] = entry.date - dt.timedelta(days=rng.randint(7, 10))
        previous = self.last_meeting.get(entry.network)
        if entry.date > self.today:
            entry.body = (
                f"## Purpose of the meeting\n\n{words.paragraph(rng, topic)}\n\n## Papers\n\n{words.bullets(rng, topic)}\n"
            )
            return
        meta["attendees"] = [words.role_at(rng, rng.choice(orgs)) for _ in range(rng.randint(4, 12))]
        meta["apologies"] = [words.role_at(rng) for _ in range(rng.randint(0, 3))]
        meta["decisions"] = [d.format(topic=topic) for d in rng.sample(words.DECISIONS, rng.randint(1, 3))]
        meta["actions"] = [self.action(entry.date, topic, orgs) for _ in range(rng.randint(1, 5))]
        meta["next_meeting"] = entry.date + dt.timedelta(days=rng.choice((35, 42, 49)))
        if previous is not None and previous.date < entry.date:  # the last minutes approved here, as the convenors' guide asks
            meta["approves"] = previous.ref
        arising = f"[[{previous.ref}]]" if previous and previous.ref in self.linkable_refs else "the last meeting"
        entry.body = f"## Matters arising\n\nMembers reviewed the actions from {arising}.\n\n" + self.body(
            entry, agenda[1:], topic
        )

    def action(self, meeting: dt.date, topic: str, orgs: list[str]) -> dict:
        rng = self.rng
        due = meeting + dt.timedelta(days=rng.randint(14, 90))
        if due < self.today - dt.timedelta(days=270):  # old actions have long been closed
            status = rng.choices(("done", "dropped"), (90, 10))[0]
        elif due < self.today:
            status = rng.choices(("done", "open", "dropped"), (70, 22, 8))[0]
        else:
            status = rng.choices(("open", "done"), (85, 15))[0]
        return {
            "action": rng.choice(words.ACTIONS).format(topic=topic),
            "owner": words.role_at(rng, rng.choice(orgs)),
            "due": due,
            "status": status,
        }
