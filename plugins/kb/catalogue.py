"""The one catalogue: every entry read and checked once, filtered once, indexed once.

Pages, listings, feeds, calendars, digests, the search index and `kb check` all read the
`Catalogue`; nothing downstream opens an entry file or sees an unpublished entry.
"""
from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .dates import today as default_today
from .entry_cache import link_context_digest, project_cache
from .links import RefIndex, rewrite_links, src_uri, visibility_problems
from .model import ENTRY_TYPES, SLUG_RE, TAGS_FILE, EntryType
from .problems import Problem, errors
from .source import read_entry
from .terms import load_terms
from .validate import Vocab, check_slug, validate_entry


@dataclass
class Entry:
    """One checked entry: cleaned front matter, Markdown body with links rewritten, outgoing refs."""

    ref: str
    type: str
    path: str
    meta: dict
    body: str
    links: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # field -> line in the file
    # Results of pure functions of this entry (hashes, per-entry checks), kept with it: an Entry is never
    # mutated, and kb serve reuses unchanged ones between rebuilds (entry_cache), so these are computed once.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remembered(self, name: str, compute):
        """compute(self), worked out once and kept in memo under `name`."""
        if name not in self.memo:
            self.memo[name] = compute(self)
        return self.memo[name]

    @property
    def slug(self) -> str:
        return self.ref.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return self.ref + "/"

    @property
    def src_uri(self) -> str:
        return src_uri(self.ref)

    @property
    def title(self) -> str:
        meta = self.meta  # the slug worked out only when there is no title: every card, link and row reads a title
        return meta["title"] if "title" in meta else self.slug

    @property
    def summary(self) -> str:
        return self.meta.get("summary", "")

    @property
    def date(self) -> dt.date | None:
        return self.meta.get("date")

    @property
    def networks(self) -> list[str]:
        return [self.slug] if self.type == "network" else self.meta.get("networks", [])

    @property
    def tags(self) -> list[str]:
        return self.meta.get("tags", [])

    @property
    def status(self) -> str:
        return self.meta.get("status", "draft")

    @property
    def visibility(self) -> str:
        return self.meta.get("visibility", "public")


@dataclass
class Catalogue:
    """The entries a build may show, with the indexes every page is generated from."""

    entries: dict[str, Entry]  # newest first
    tags: dict[str, dict]
    members: bool
    today: dt.date
    by_type: dict[str, list[str]] = field(default_factory=dict)
    by_network: dict[str, list[str]] = field(default_factory=dict)
    by_tag: dict[str, list[str]] = field(default_factory=dict)
    backlinks: dict[str, list[str]] = field(default_factory=dict)
    derived: dict[str, object] = field(default_factory=dict, repr=False)
    preview: bool = False  # `kb serve` only: drafts and members entries included, each marked as such
    terms: list = field(default_factory=list)  # school terms from content/terms.yml (kb.terms.Term), oldest first
    site_url: str = ""  # mkdocs site_url, set by the plugin: feeds need absolute links
    site_name: str = ""  # mkdocs site_name, set by the plugin (feed titles)

    def derive(self, name: str, compute):
        """An index over the catalogue computed once per build, shared by every page that needs it."""
        if name not in self.derived:
            self.derived[name] = compute(self)
        return self.derived[name]

    def of_type(self, name: str) -> list[Entry]:
        return [self.entries[r] for r in self.by_type.get(name, [])]

    @property
    def networks(self) -> dict[str, Entry]:
        return {self.entries[r].slug: self.entries[r] for r in sorted(self.by_type.get("network", []))}


def discover(root: Path) -> tuple[list[tuple[str, EntryType]], list[Problem]]:
    """Every entry file of the project with its type, and files in the wrong place.
    (os.walk and string paths: pathlib's rglob cost 0.4 s a rebuild at 10,000 files.)"""
    found, problems = [], []
    for etype in ENTRY_TYPES.values():
        folder = os.path.join(root, etype.folder)
        rels = []
        for dirpath, _, filenames in os.walk(folder):
            inside = os.path.relpath(dirpath, folder).replace(os.sep, "/")
            for name in filenames:
                if os.path.splitext(name)[1].lower() == ".md" and os.path.isfile(os.path.join(dirpath, name)):
                    rels.append(name if inside == "." else f"{inside}/{name}")
        for inner in sorted(rels, key=lambda r: r.split("/")):  # the order of Path objects, as before
            rel, stem, suffix = f"{etype.folder}/{inner}", *os.path.splitext(inner.rsplit("/", 1)[-1])
            if inner.count("/") + 1 != etype.depth:
                where = f"{etype.folder}/<network-id>/<YYYY-MM-DD>.md" if etype.depth == 2 else f"{etype.folder}/<slug>.md"
                problems.append(Problem(rel, None, "file name", f"this file is not where a {etype.label.lower()} lives.", f"move it to {where}."))
                continue
            if suffix != ".md":
                problems.append(Problem(rel, None, "file name", "the file ending must be '.md' in lower case.", f"rename it to {stem}.md."))
                continue
            found.append((rel, etype))
    return found, problems


def load_tags(root: Path) -> tuple[dict[str, dict], list[Problem]]:
    """The tag vocabulary from content/tags.yml, checked."""
    path = root / TAGS_FILE
    if not path.exists():
        return {}, [Problem(TAGS_FILE, None, None, "there is no tag list, so no entry can have tags.",
                            "create content/tags.yml with entries like  attendance: {label: Attendance, description: ..., synonyms: [absence]}", "warning")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [Problem(TAGS_FILE, line + 1 if line is not None else None, None, f"the tag list cannot be read ({exc.__class__.__name__}).",
                            "check its indentation and that it is saved as UTF-8.")]
    if not isinstance(data, dict):
        return {}, [Problem(TAGS_FILE, 1, None, "the tag list must be a set of 'id: {label: ...}' lines.",
                            "write each tag as  attendance: {label: Attendance, description: ..., synonyms: [absence]}")]
    tags, problems = {}, []
    for tag_id, spec in data.items():
        if not isinstance(tag_id, str) or not SLUG_RE.match(tag_id):
            problems.append(Problem(TAGS_FILE, None, str(tag_id), "is not a valid tag id.", "use lower-case letters, digits and hyphens, e.g. early-career-teachers."))
            continue
        spec = spec if isinstance(spec, dict) else {}
        if not isinstance(spec.get("label"), str) or not spec["label"].strip():
            problems.append(Problem(TAGS_FILE, None, tag_id, "has no label.", f"add one, e.g. {tag_id}: {{label: {tag_id.replace('-', ' ').capitalize()}}}"))
        synonyms = spec.get("synonyms") or []
        if not isinstance(synonyms, list):
            problems.append(Problem(TAGS_FILE, None, f"{tag_id}.synonyms", "must be a list.", "write synonyms: [one, two]."))
            synonyms = []
        tags[tag_id] = {"id": tag_id, "label": str(spec.get("label") or tag_id), "description": str(spec.get("description") or ""),
                        "synonyms": [str(s) for s in synonyms]}
    return tags, problems


def _ref_for(rel: str, etype: EntryType) -> tuple[str, str]:
    """(reference, file stem) for an entry file."""
    parts = rel[: -len(".md")].split("/")
    stem = parts[-1]
    if etype.name == "minutes":
        return f"{etype.url_prefix}/{parts[-2]}/{stem}", stem
    return f"{etype.url_prefix}/{stem}", stem


def is_visible(entry: Entry, members: bool) -> bool:
    """The privacy rule, in one place: only published entries, members ones only in a members build."""
    return entry.status == "published" and (entry.visibility == "public" or members)


def load_project(root: Path, *, members: bool = False, today: dt.date | None = None,
                 preview: bool = False) -> tuple[Catalogue, list[Problem]]:
    """Read, check and index a whole project once; the catalogue holds only what this build may show."""
    root = Path(root)
    files, problems = discover(root)
    tags, tag_problems = load_tags(root)
    problems += tag_problems
    stems = {rel: _ref_for(rel, et) for rel, et in files}
    network_ids = frozenset(stem for rel, et in files if et.name == "network" for stem in [stems[rel][1]])
    vocab = Vocab(frozenset(tags), network_ids)

    cache = project_cache(root)
    raw_entries = []
    for rel, etype in files:
        entry, raw, file_problems = cache.checked(root, rel, vocab, lambda: _check_file(root, rel, etype, stems[rel], vocab))
        problems += file_problems
        if entry is not None:
            raw_entries.append((entry, raw))

    by_slug: dict[str, list[str]] = defaultdict(list)
    for entry, _ in raw_entries:
        if entry.type != "minutes":
            by_slug[entry.slug].append(entry.ref)
    for slug, refs in by_slug.items():
        if len(refs) > 1:
            for entry, _ in raw_entries:
                if entry.ref in refs:
                    others = ", ".join(r for r in refs if r != entry.ref)
                    problems.append(Problem(entry.path, None, "file name", f"the name '{slug}' is also used by {others}; bare [[{slug}]] links would be ambiguous.",
                                            "give one of them a more specific file name."))
    index = RefIndex(frozenset(e.ref for e, _ in raw_entries), dict(by_slug), {e.path: e.ref for e, _ in raw_entries})
    everything = {e.ref: e for e, _ in raw_entries}
    titles = {ref: e.title for ref, e in everything.items()}
    context = link_context_digest(index.refs, index.by_slug, index.by_path, titles)
    every_entry = []
    for entry, raw in raw_entries:
        linked, link_problems = cache.linked(entry.path, context, lambda: _link_entry(entry, raw, index, titles))
        every_entry.append(linked)
        problems += link_problems
        problems += visibility_problems(linked, everything)
    cache.commit(vocab)

    today = today or default_today()
    for extra_check in _extra_checks():
        problems += extra_check(every_entry, today)
    terms, term_problems = load_terms(root, today)
    problems += term_problems
    catalogue = build_catalogue(every_entry, tags, members=members, today=today, preview=preview)
    catalogue.terms = terms
    return catalogue, problems


def _check_file(root: Path, rel: str, etype: EntryType, ref_stem: tuple[str, str], vocab: Vocab):
    """(unlinked Entry or None, its RawEntry, problems) for one file: what depends only on its bytes and the vocabulary."""
    (ref, stem), problems = ref_stem, check_slug(rel, ref_stem[1], etype)
    if etype.name == "minutes" and not SLUG_RE.match(rel.split("/")[-2]):
        problems.append(Problem(rel, None, "file name", f"the folder '{rel.split('/')[-2]}' is not a network id.", "minutes live in content/minutes/<network-id>/."))
    raw, read_problems = read_entry(root, rel)
    problems += read_problems
    if raw is None:
        return None, None, tuple(problems)
    meta, field_problems = validate_entry(raw, etype, stem, vocab)
    return Entry(ref, etype.name, rel, meta, raw.body, lines=raw.lines), raw, tuple(problems + field_problems)


def _link_entry(entry: Entry, raw, index: RefIndex, titles: dict[str, str]) -> tuple[Entry, tuple[Problem, ...]]:
    """A new Entry with links rewritten and sources resolved (the unlinked one is kept unchanged for the cache)."""
    body, links, problems = rewrite_links(entry.ref, entry.path, raw.body, raw.body_line, index, titles)
    for i, source in enumerate(entry.meta.get("sources", [])):
        found, why = index.resolve(source)
        if found is None:
            problems.append(Problem(entry.path, raw.lines.get(f"sources[{i}]"), f"sources[{i}]", f"'{source}' is not an entry: {why}",
                                    "use a reference such as case-studies/transition-coaching."))
        else:
            links.append(found)
    return Entry(entry.ref, entry.type, entry.path, entry.meta, body, links, entry.lines), tuple(problems)


def _extra_checks():
    """Checks that look across entries (convenor checks, ...): each takes (all entries, today), returns Problems."""
    from .convenor import convenor_checks
    from .new_entry import placeholder_problems
    return (placeholder_problems, convenor_checks)


def build_catalogue(entries: list[Entry], tags: dict[str, dict], *, members: bool, today: dt.date,
                    preview: bool = False) -> Catalogue:
    """Filter once by the privacy rule, then build every index in one pass each."""
    visible = [e for e in entries if preview or is_visible(e, members)]
    visible.sort(key=lambda e: (e.date or dt.date.min, e.title), reverse=True)
    visible.sort(key=lambda e: e.type == "network")  # stable: networks last, others newest first
    cat = Catalogue({e.ref: e for e in visible}, tags, members, today, preview=preview)
    by_type, by_network, by_tag, backlinks = (defaultdict(list) for _ in range(4))
    for e in visible:
        by_type[e.type].append(e.ref)
        for n in e.networks:
            if e.type != "network":
                by_network[n].append(e.ref)
        for t in e.tags:
            by_tag[t].append(e.ref)
        for target in dict.fromkeys(e.links):
            if target in cat.entries and target != e.ref:
                backlinks[target].append(e.ref)
    cat.by_type, cat.by_network, cat.by_tag, cat.backlinks = dict(by_type), dict(by_network), dict(by_tag), dict(backlinks)
    return cat


def check_project(root: Path) -> list[Problem]:
    """Everything wrong in a project, for `kb check` and the build alike."""
    return load_project(root)[1]


__all__ = ["Catalogue", "Entry", "build_catalogue", "check_project", "errors", "is_visible", "load_project"]
