"""Reading a whole project once: every entry file found, read, checked and linked, then filtered into one catalogue.

Every fault becomes a Problem (never an exception), so `kb check` and the build list them all at once.
Checks that look across entries and belong to a feature (the convenor's meeting habits) are handed in
by the caller (kb.project), so this layer imports nothing from the features.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from kb.content.catalogue import Catalogue, Entry, build_catalogue
from kb.content.dates import today as default_today
from kb.content.drafts import placeholder_problems
from kb.content.file_cache import project_cache
from kb.content.files import ProjectFiles, scan
from kb.content.limits import DEFAULT_LIMITS, Limits
from kb.content.links import RefIndex, answers_hold, network_problems, rewrite_links, visibility_problems
from kb.content.model import SLUG_RE, EntryType
from kb.content.pages import page_problems
from kb.content.problems import Problem
from kb.content.source import read_entry
from kb.content.tags import load_tags
from kb.content.terms import load_terms
from kb.content.urls import entry_ref
from kb.content.validate import Vocab, check_slug, name_key, validate_entry

# A check that looks across entries: (every entry read, whatever its status; today) -> problems.
CrossCheck = Callable[[Sequence[Entry], dt.date], Iterable[Problem]]


@dataclass(frozen=True)
class FilesCheck:
    """A cross check that reads nothing but the entries of `types` and today (no other file, no other entry):
    its problems are kept with the file cache and reused while today and those entries' files are unchanged."""

    name: str
    types: frozenset[str]
    check: CrossCheck


def discover(root: Path) -> tuple[list[tuple[str, EntryType]], list[Problem]]:
    """Every entry file of the project with its type, and every file out of place (content/files.py)."""
    files = scan(root)
    return files.entries, files.problems


def load_project(
    root: Path,
    *,
    members: bool = False,
    today: dt.date | None = None,
    preview: bool = False,
    checks: Sequence[CrossCheck | FilesCheck] = (),
    limits: Limits = DEFAULT_LIMITS,
    scanned: ProjectFiles | None = None,
    map_files: Callable[[Callable[[Any], Any], list[Any]], list[Any]] | None = None,
) -> tuple[Catalogue, list[Problem]]:
    """Read, check and index a whole project once; the catalogue holds only what this build may show.

    `checks` run over every entry read (drafts too) after the content layer's own placeholder check.
    `scanned`: the project's files as content/files.scan found them this build, so they are not walked twice.
    `map_files(work, items)`: [work(item) for item in items] done another way (speed/file_worker.py, on two cores),
    for the files the cache has no result for."""
    root = Path(root)
    project_files = scanned if scanned is not None else scan(root)
    files, problems = project_files.entries, list(project_files.problems)
    problems += page_problems(root, project_files.pages, limits)
    tags, tag_problems = load_tags(root)
    problems += tag_problems
    stems = {rel: entry_ref(rel, et) for rel, et in files}
    network_ids = frozenset(stem for rel, et in files if et.name == "network" for stem in [stems[rel][1]])
    network_files = [(rel, stems[rel][1]) for rel, et in files if et.name == "network"]
    vocab = Vocab(frozenset(tags), network_ids, _tag_words(tags), _network_names(root, network_files))

    cache = project_cache(root)
    raw_entries = []
    checked_against = (vocab, limits)  # one object, so the cache compares it with the last load's once
    made: dict[str, tuple[Entry | None, int, tuple[Problem, ...]]] = {}  # results checked ahead, by map_files
    if map_files is not None:
        unknown = [(rel, etype) for rel, etype in files if not cache.knows(rel, checked_against)]
        made = dict(zip([rel for rel, _ in unknown], map_files(partial(_check_pair, root, stems, vocab, limits), unknown)))
    for rel, etype in files:
        check_file = partial(made.pop, rel) if rel in made else partial(_check_file, root, rel, etype, stems[rel], vocab, limits)
        entry, body_line, file_problems = cache.checked(root, rel, checked_against, check_file)
        problems += file_problems
        if entry is not None:
            raw_entries.append((entry, body_line))

    by_slug: dict[str, list[str]] = defaultdict(list)
    for entry, _ in raw_entries:
        if entry.type != "minutes":
            by_slug[entry.slug].append(entry.ref)
    for slug, refs in by_slug.items():
        if len(refs) > 1:
            for entry, _ in raw_entries:
                if entry.ref in refs:
                    others = ", ".join(r for r in refs if r != entry.ref)
                    problems.append(
                        Problem(
                            entry.path,
                            None,
                            "file name",
                            f"the name '{slug}' is also used by {others}; bare [[{slug}]] links would be ambiguous.",
                            "give one of them a more specific file name.",
                        )
                    )
    index = RefIndex(frozenset(e.ref for e, _ in raw_entries), dict(by_slug), {e.path: e.ref for e, _ in raw_entries})
    everything = {e.ref: e for e, _ in raw_entries}
    networks = {e.slug: e for e, _ in raw_entries if e.type == "network"}
    titles = {ref: e.title for ref, e in everything.items()}
    still_hold = partial(answers_hold, index=index, titles=titles)
    linked_ahead: dict[str, tuple[tuple[Entry, tuple[Problem, ...]], Answers | None]] = {}
    if map_files is not None:  # links resolved on two cores too, for the files with no result to reuse
        unlinked = [pair for pair in raw_entries if cache.unlinked(pair[0].path)]
        linked_ahead = dict(zip([e.path for e, _ in unlinked], map_files(partial(_link_pair, index, titles), unlinked)))
    every_entry = []
    for entry, body_line in raw_entries:
        link = (
            partial(linked_ahead.pop, entry.path)
            if entry.path in linked_ahead
            else partial(_link_entry, entry, body_line, index, titles)
        )
        linked, link_problems = cache.linked(entry.path, still_hold, link)
        every_entry.append(linked)
        problems += link_problems
        problems += visibility_problems(linked, everything)
        problems += network_problems(linked, networks)
    cache.commit((vocab, limits))

    today = today or default_today()
    for check in (placeholder_problems, *checks):
        if isinstance(check, FilesCheck):
            read = tuple((e.path, cache.digest_of(e.path)) for e in every_entry if e.type in check.types)
            problems += cache.cross_checked(check.name, (today, read), partial(check.check, every_entry, today))
        else:
            problems += check(every_entry, today)
    terms, term_problems = load_terms(root, today)
    problems += term_problems
    catalogue = build_catalogue(every_entry, tags, members=members, today=today, preview=preview)
    catalogue.terms = terms
    return catalogue, problems


def _tag_words(tags: dict[str, dict[str, Any]]) -> tuple[tuple[str, str], ...]:
    """Each tag's synonyms and label (as name_key reduces them) -> its id, for 'write attendance, not absence'."""
    words = {name_key(word): tag_id for tag_id, spec in tags.items() for word in (*spec["synonyms"], spec["label"])}
    words.update({name_key(tag_id): tag_id for tag_id in tags})  # 'Mentoring' is the tag mentoring, whoever lists it
    return tuple(sorted((word, tag_id) for word, tag_id in words.items() if word))


def _network_names(root: Path, network_files: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Each network's title and spaced id -> its id, for 'write send, not SEND network' (the parse is cached)."""
    names: dict[str, str] = {}
    for rel, network_id in network_files:
        raw, _ = read_entry(root, rel)
        title = raw.meta.get("title") if raw is not None else None
        for name in (network_id, title) if isinstance(title, str) else (network_id,):
            names.setdefault(name_key(name), network_id)
    return tuple(sorted(names.items()))


def _check_pair(
    root: Path, stems: dict[str, tuple[str, str]], vocab: Vocab, limits: Limits, file: tuple[str, EntryType]
) -> tuple[Entry | None, int, tuple[Problem, ...]]:
    return _check_file(root, file[0], file[1], stems[file[0]], vocab, limits)


def _check_file(
    root: Path, rel: str, etype: EntryType, ref_stem: tuple[str, str], vocab: Vocab, limits: Limits
) -> tuple[Entry | None, int, tuple[Problem, ...]]:
    """(unlinked Entry or None, the line its body starts on, problems) for one file: what depends only on its bytes,
    the vocabulary and the limits."""
    (ref, stem), problems = ref_stem, check_slug(rel, ref_stem[1], etype)
    size = _size(root, rel)
    if size > limits.entry_max_kb * 1024:
        problems.append(
            Problem(
                rel,
                None,
                None,
                f"the file is {size / 1024:,.0f} KB; entries larger than {limits.entry_max_kb:,} KB are refused.",
                "shorten it, or split it into several entries; pictures and documents belong beside the pages, not inside an entry.",
            )
        )
        return None, 0, tuple(problems)
    if size > limits.entry_warn_kb * 1024:
        problems.append(
            Problem(
                rel,
                None,
                None,
                f"the file is {size / 1024:,.0f} KB, far longer than an entry needs (above {limits.entry_warn_kb:,} KB pages "
                f"and search slow down; above {limits.entry_max_kb:,} KB it is refused).",
                "shorten it, or split it into several entries.",
                "warning",
            )
        )
    if etype.name == "minutes" and not SLUG_RE.match(rel.split("/")[-2]):
        problems.append(
            Problem(
                rel,
                None,
                "file name",
                f"the folder '{rel.split('/')[-2]}' is not a network id.",
                "minutes live in content/minutes/<network-id>/.",
            )
        )
    raw, read_problems = read_entry(root, rel)
    problems += read_problems
    if raw is None:
        return None, 0, tuple(problems)
    meta, field_problems = validate_entry(raw, etype, stem, vocab, limits)
    return Entry(ref, etype.name, rel, meta, raw.body, lines=raw.lines), raw.body_line, tuple(problems + field_problems)


def _size(root: Path, rel: str) -> int:
    try:
        return os.lstat(os.path.join(root, rel)).st_size
    except OSError:
        return 0  # read_entry says why it cannot be read


Answers = tuple[tuple[str, str, str | None, str | None], ...]


def _link_pair(
    index: RefIndex, titles: dict[str, str], pair: tuple[Entry, int]
) -> tuple[tuple[Entry, tuple[Problem, ...]], Answers | None]:
    return _link_entry(pair[0], pair[1], index, titles)


def _link_entry(
    entry: Entry, body_line: int, index: RefIndex, titles: dict[str, str]
) -> tuple[tuple[Entry, tuple[Problem, ...]], Answers | None]:
    """((a new Entry with links rewritten and sources resolved, problems), what its links were answered). The
    unlinked Entry is kept unchanged for the cache; answers are None when a link failed (always linked again)."""
    answers: list[tuple[str, str, str | None, str | None]] = []
    body, links, problems = rewrite_links(entry.ref, entry.path, entry.body, body_line, index, titles, answers)
    for i, source in enumerate(entry.meta.get("sources", [])):
        found, why = index.resolve(source)
        answers.append(("label", source, found, None))
        if found is None:
            problems.append(
                Problem(
                    entry.path,
                    entry.lines.get(f"sources[{i}]"),
                    f"sources[{i}]",
                    f"'{source}' is not an entry: {why}",
                    "use a reference such as case-studies/transition-coaching.",
                )
            )
        else:
            links.append(found)
    linked = Entry(entry.ref, entry.type, entry.path, entry.meta, body, links, entry.lines)
    return (linked, tuple(problems)), (None if problems else tuple(answers))
