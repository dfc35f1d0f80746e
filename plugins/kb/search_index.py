"""The search index: one Whoosh index per build, written offline from the catalogue and swapped in whole.

Whoosh allows one writer at a time and readers must never see half an index, so the index is
built in a temporary sibling folder and moved into place with renames. It is made only from
the catalogue it is given, so a public build's index cannot hold a draft or members-only entry.
Only the search_*.py modules import Whoosh (pinned exactly: whoosh3, see pyproject.toml).

Where it lives: beside the site folder, never inside it: `<site_dir>.search/` (so `site/` has
`site.search/`, `site-members/` has `site-members.search/`). A static host serving `site/`
therefore never publishes the index files.
"""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh import fields, index

from .catalogue import Catalogue, Entry
from .model import ENTRY_TYPES
from . import search_spelling
from .search_analysis import StemmedText
from .search_postings import CompactPostings, remember_lengths
from .search_text import SynonymMap

MANIFEST = "kb-search.json"
INDEX_VERSION = 2  # 2: spelling words in spelling.txt, no longer a `spell` field

SCHEMA = fields.Schema(
    ref=fields.ID(stored=True, unique=True),
    type=fields.ID(stored=True),
    networks=fields.KEYWORD(stored=True, commas=True),
    tags=fields.KEYWORD(stored=True, commas=True),
    date=fields.ID(stored=True, sortable=True),  # YYYY-MM-DD sorts as text
    title=StemmedText(stored=True),
    tagtext=StemmedText(),  # tag labels, so "Safeguarding" in tags counts like a title word
    summary=StemmedText(stored=True),
    body=StemmedText(stored=True),
    extra=StemmedText(),  # organisations, authors, outcomes, area, reading, agenda, actions
)  # the unstemmed words for spelling correction are a list beside the index (search_spelling.py)

_MARKDOWN = [
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),  # headings, quotes, list marks
    (re.compile(r"[*_`~|]+"), ""),  # emphasis, code, tables
    (re.compile(r"\{[:#.][^}]*\}"), ""),  # attribute lists
]


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text for indexing and snippets."""
    text = markdown
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _strings(value) -> list[str]:
    """Every string inside a front-matter value (lists, mappings, records), dates left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


EXTRA_FIELDS = ("organisations", "authors", "outcomes", "area", "offered_by", "reading", "discussed_by",
                "agenda", "decisions", "actions", "convener")


def document(entry: Entry, catalogue: Catalogue) -> dict[str, str]:
    """The fields Whoosh indexes for one entry, from the entry alone plus tag and network names."""
    tag_labels = [catalogue.tags.get(t, {}).get("label", t) for t in entry.tags]
    networks = catalogue.networks
    network_names = [networks[n].title for n in entry.networks if n in networks and entry.type != "network"]
    extra = " ".join(s for name in EXTRA_FIELDS for s in _strings(entry.meta.get(name)))
    body = plain_text(entry.body)
    tagtext = " ".join(tag_labels)
    return {
        "ref": entry.ref,
        "type": entry.type,
        "networks": ",".join(entry.networks),
        "tags": ",".join(entry.tags),
        "date": entry.date.isoformat() if entry.date else "0000-00-00",
        "title": entry.title,
        "tagtext": tagtext,
        "summary": entry.summary,
        "body": body,
        "extra": extra + " " + " ".join(network_names),
    }


def manifest(catalogue: Catalogue) -> dict:
    """What the service needs besides the index: synonyms and the names shown beside facet counts."""
    return {
        "version": INDEX_VERSION,
        "members": catalogue.members,
        "entries": len(catalogue.entries),
        "synonyms": SynonymMap(catalogue.tags).as_json(),
        "labels": {
            "type": {name: t.label for name, t in ENTRY_TYPES.items()},
            "network": {slug: e.title for slug, e in catalogue.networks.items()},
            "tag": {tag_id: spec.get("label", tag_id) for tag_id, spec in catalogue.tags.items()},
        },
    }


def index_dir_for(site_dir: Path) -> Path:
    """The index folder that belongs to a site folder: a sibling, so it is never published."""
    site_dir = Path(site_dir)
    return site_dir.with_name(site_dir.name + ".search")


def build_index(catalogue: Catalogue, target: Path) -> Path:
    """Write the catalogue's index into a temporary sibling folder, then swap it into `target`."""
    index_catalogue(catalogue, target)
    return Path(target)


def index_catalogue(catalogue: Catalogue, target: Path) -> tuple[dict[str, str], Counter]:
    """build_index, returning each entry's spelling words (ref -> words) and their counts: kb serve keeps
    them to update the list."""
    building = _building_dir(Path(target))
    written = _write_index(catalogue_documents(catalogue), manifest(catalogue), building)
    _swap(building, Path(target))
    return written


def catalogue_documents(catalogue: Catalogue) -> Iterator[dict[str, str]]:
    """One document at a time: the writer never holds them all (150 MB at 10,000 entries)."""
    return (document(e, catalogue) for e in catalogue.entries.values())


class BackgroundIndex:
    """An index being written by another process while the pages render (the machine has two cores),
    swapped into place only when the whole build has succeeded.

    In `kb build` the writer is a fork: it shares the catalogue and makes the documents itself, so the
    build hands it nothing (handing 10,000 documents over through a file took the build 1.5 s). Where
    forking is unsafe (other threads running) it is a fresh interpreter (`python -m kb.search_index`,
    not multiprocessing's spawn, which re-runs the caller's main script) and the documents go through a file.
    """

    def __init__(self, catalogue: Catalogue, target: Path, *, fork: bool | None = None):
        from .parallel import can_fork, in_fork
        self.target = Path(target)
        self.building = _building_dir(self.target)
        self.handover: Path | None = None
        self.process: subprocess.Popen | None = None
        self.pid: int | None = None
        if fork if fork is not None else can_fork():
            self.messages, said = os.pipe()
            self.pid = in_fork(lambda: _write_index(catalogue_documents(catalogue), manifest(catalogue), self.building), said)
            os.close(said)
            return
        self.handover = self.building.with_name(self.building.name + ".documents")
        handed = (list(catalogue_documents(catalogue)), manifest(catalogue))
        self.handover.write_bytes(pickle.dumps(handed, protocol=pickle.HIGHEST_PROTOCOL))
        self.process = subprocess.Popen([sys.executable, "-m", "kb.search_index", str(self.handover), str(self.building)],
                                        stderr=subprocess.PIPE)

    def _wait(self) -> tuple[int, str]:
        """(exit code, the writer's last words)."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            said = os.read(self.messages, 4096).decode("utf-8", "replace")
            os.close(self.messages)
            self.pid = None
            return os.waitstatus_to_exitcode(status), said
        _, stderr = self.process.communicate()
        self.handover.unlink(missing_ok=True)
        return self.process.returncode, stderr.decode("utf-8", "replace")

    def finish(self) -> Path:
        """Wait for the writer, then swap the new index in whole."""
        code, said = self._wait()
        if code != 0:
            shutil.rmtree(self.building, ignore_errors=True)
            last = said.strip().splitlines()[-1:] or ["no message"]
            raise RuntimeError(f"the search index could not be written ({last[0]}).")
        _swap(self.building, self.target)
        return self.target

    def cancel(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGTERM)
        elif self.process.poll() is None:
            self.process.terminate()
        self._wait()
        shutil.rmtree(self.building, ignore_errors=True)


def _building_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))


def _write_index(documents: Iterable[dict[str, str]], info: dict, building: Path) -> tuple[dict[str, str], Counter]:
    """One writer, one pass, one optimised segment: the whole index, and its spelling list, in a folder
    nobody reads yet. Returns each document's spelling words (ref -> words) and their counts."""
    try:
        ix = index.create_in(str(building), SCHEMA)
        writer = ix.writer(procs=1)
        writer.pool = CompactPostings()  # Whoosh's own pool held 750 MB at 10,000 entries (search_postings.py)
        remember_lengths(writer)
        words = {}
        for doc in documents:
            writer.add_document(**doc)
            words[doc["ref"]] = search_spelling.entry_words(doc)
        writer.commit(optimize=True)
        ix.close()
        spelling = search_spelling.count(words.values())
        write_beside(building, spelling, info)
        return words, spelling
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def write_beside(building: Path, spelling: Counter, info: dict) -> None:
    """The spelling list, then the manifest: written last, the manifest marks the folder whole."""
    search_spelling.write(spelling, building)
    (building / MANIFEST).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def _swap(built: Path, target: Path) -> None:
    """Two renames: the old index stays whole until the new one takes its name (open readers keep their files)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    built.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class IndexMissing(Exception):
    """There is no usable index where one was expected; the message says how to make one."""


def open_index(directory: Path):
    """(Whoosh index, manifest, spelling word list) for a finished index folder, read-only."""
    directory = Path(directory)
    try:
        info = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if info.get("version") != INDEX_VERSION:
            raise IndexMissing(f"The search index in {directory} was made by another version of kb (format "
                               f"{info.get('version')}; this one reads format {INDEX_VERSION}). Build the site again (kb build).")
        return index.open_dir(str(directory), readonly=True), info, search_spelling.Spelling.read(directory)
    except (OSError, ValueError, index.EmptyIndexError) as exc:
        raise IndexMissing(f"No search index in {directory} ({exc.__class__.__name__}). "
                           "Build the site (kb build) or run kb search once to make one.") from None


if __name__ == "__main__":  # the background writer started by BackgroundIndex
    with open(sys.argv[1], "rb") as handover:
        _documents, _info = pickle.load(handover)
    _write_index(_documents, _info, Path(sys.argv[2]))
