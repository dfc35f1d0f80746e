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
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh import fields, index

from kb.content.catalogue import Catalogue, Entry
from kb.content.links import LINKED_TEXT_RE
from kb.content.model import ENTRY_TYPES
from kb.output.folders import swap_into_place
from kb.search import spelling as search_spelling
from kb.search.analysis import KbText, StemmedText
from kb.search.names import cards, name_phrases, vocabulary_fields
from kb.search.names import labels as vocabulary_labels
from kb.search.postings import use_compact_writer
from kb.search.side_postings import SideWriter
from kb.search.text import Names, SynonymMap
from kb.search.whoosh_internals import positions_decoders, segment_name

MANIFEST = "kb-search.json"
INDEX_VERSION = 3  # 3: search/tokens.py's rules, vocabulary and facet fields, names in the manifest; 2: spelling.txt


def schema(fast: bool = True) -> fields.Schema:
    """The index's fields; `fast` indexes text with analysis.StemmedText's one loop, else with Whoosh's own chain
    (the same postings either way). The unstemmed words for spelling correction are a list beside the index."""

    def text(**options) -> fields.TEXT:
        return StemmedText(**options) if fast else KbText(**options)

    return fields.Schema(
        ref=fields.ID(stored=True, unique=True),
        type=fields.ID(stored=True),
        networks=fields.KEYWORD(stored=True, commas=True),
        tags=fields.KEYWORD(stored=True, commas=True),
        date=fields.ID(stored=True, sortable=True),  # YYYY-MM-DD sorts as text
        title=text(stored=True),
        tagtext=text(),  # tag labels, so "Safeguarding" in tags counts like a title word
        summary=text(stored=True),
        body=text(stored=True),
        extra=text(),  # organisations, authors, outcomes, area, reading, agenda, actions
        vocab=fields.KEYWORD(commas=True),  # "model:hub", "phases:primary": the controlled values it carries (names.py)
        vocabtext=text(),  # their labels ("Hub", "Brokering partnerships")
        vocabnotes=text(),  # what they mean (About sections) and its tags' descriptions
        phase=fields.KEYWORD(stored=True, commas=True),  # facets: its phases (or its networks'), approach, brokerage
        approach=fields.KEYWORD(stored=True, commas=True),
        brokerage=fields.KEYWORD(stored=True, commas=True),
        year=fields.ID(stored=True),  # the year of its date
    )


SCHEMA = schema()

_MARKDOWN = [
    (re.compile(r"<[^>]+>"), " "),  # HTML tags
    (LINKED_TEXT_RE, r"\1"),  # links and images: keep the text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+", re.M), ""),  # headings, quotes, list marks
]
_DROPPED = str.maketrans("", "", "*_`~|")  # emphasis, code, tables: every such character goes, as [*_`~|]+ did
_ATTRIBUTES = re.compile(r"\{[:#.][^}]*\}")  # attribute lists


def plain_text(markdown: str) -> str:
    """Markdown reduced to readable text for indexing and snippets."""
    text = markdown
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    text = _ATTRIBUTES.sub("", text.translate(_DROPPED))
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


EXTRA_FIELDS = (
    "organisations",
    "authors",
    "outcomes",
    "area",
    "offered_by",
    "reading",
    "discussed_by",
    "agenda",
    "decisions",
    "actions",
    "convener",
)


def document(entry: Entry, catalogue: Catalogue) -> dict[str, str]:
    """The fields Whoosh indexes for one entry, from the entry alone plus tag and network names."""
    tag_labels = [catalogue.tags.get(t, {}).get("label", t) for t in entry.tags]
    networks = catalogue.networks
    network_names = [networks[n].title for n in entry.networks if n in networks and entry.type != "network"]
    extra = " ".join(s for name in EXTRA_FIELDS for s in _strings(entry.meta.get(name)))
    body = plain_text(entry.body)
    tagtext = " ".join(tag_labels)
    return {
        **vocabulary_fields(entry, catalogue),
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
    """What the service needs besides the index: what typed words name (tags and other controlled values),
    the About sections shown as cards, and the names shown beside facet counts."""
    return {
        "version": INDEX_VERSION,
        "members": catalogue.members,
        "preview": catalogue.preview,  # kb serve's index holds drafts: no search service but the preview's may serve it
        "entries": len(catalogue.entries),
        "drafts": {e.ref: e.draft_label for e in catalogue.entries.values() if e.draft_label},  # only the preview's has any
        "names": Names(SynonymMap(catalogue.tags), name_phrases(catalogue)).as_json(),
        "cards": cards(catalogue),
        "labels": {
            "type": {name: t.label for name, t in ENTRY_TYPES.items()},
            "network": {slug: e.title for slug, e in catalogue.networks.items()},
            "tag": {tag_id: spec.get("label", tag_id) for tag_id, spec in catalogue.tags.items()},
            **vocabulary_labels(catalogue),
        },
    }


def index_dir_for(site_dir: Path) -> Path:
    """The index folder that belongs to a site folder: a sibling, so it is never published."""
    site_dir = Path(site_dir)
    return site_dir.with_name(site_dir.name + ".search")


def build_index(catalogue: Catalogue, target: Path, *, fast: bool = True) -> Path:
    """Write the catalogue's index into a temporary sibling folder, then swap it into `target`."""
    index_catalogue(catalogue, target, fast=fast)
    return Path(target)


def index_catalogue(catalogue: Catalogue, target: Path, *, fast: bool = True) -> tuple[dict[str, str], Counter]:
    """build_index, returning each entry's spelling words (ref -> words) and their counts: kb serve keeps
    them to update the list."""
    building = building_dir(Path(target))
    written = write_index(catalogue_documents(catalogue), manifest(catalogue), building, fast=fast)
    swap_into_place(building, Path(target))
    return written


def catalogue_documents(catalogue: Catalogue) -> Iterator[dict[str, str]]:
    """One document at a time: the writer never holds them all (150 MB at 10,000 entries)."""
    return (document(e, catalogue) for e in catalogue.entries.values())


def building_dir(target: Path) -> Path:
    """A new empty sibling folder of `target` to write an index into before it is swapped in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))  # the id: see remove_stale


def write_index(
    documents: Iterable[dict[str, str]], info: dict, building: Path, *, fast: bool = True
) -> tuple[dict[str, str], Counter]:
    """One writer, one pass, one optimised segment: the whole index, and its spelling list, in a folder
    nobody reads yet. Returns each document's spelling words (ref -> words) and their counts.
    `fast`: the compact postings pool and one-loop analysis (postings.py, analysis.py); the same index either way."""
    side = None
    try:
        ix = index.create_in(str(building), schema(fast))
        writer = ix.writer(procs=1)
        side = SideWriter(building, positions_decoders(ix.schema)) if fast else None
        pool = use_compact_writer(writer, side) if side is not None else None
        words = {}
        for doc in documents:
            writer.add_document(**doc)
            if pool is not None:
                pool.gather()
            words[doc["ref"]] = search_spelling.entry_words(doc)
        writer.commit(optimize=True)
        if side is not None:
            side.finish(segment_name(writer), len(words))
        ix.close()
        spelling = search_spelling.count(words.values())
        write_beside(building, spelling, info)
        return words, spelling
    except BaseException:
        if side is not None:
            side.abandon()
        shutil.rmtree(building, ignore_errors=True)
        raise


def write_beside(building: Path, spelling: Counter, info: dict) -> None:
    """The spelling list, then the manifest: written last, the manifest marks the folder whole."""
    search_spelling.write(spelling, building)
    (building / MANIFEST).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


class IndexMissing(Exception):
    """There is no usable index where one was expected; the message says how to make one."""


def open_index(directory: Path):
    """(Whoosh index, manifest, spelling word list) for a finished index folder, read-only."""
    directory = Path(directory)
    try:
        info = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if info.get("version") != INDEX_VERSION:
            raise IndexMissing(
                f"The search index in {directory} was made by another version of kb (format "
                f"{info.get('version')}; this one reads format {INDEX_VERSION}). Build the site again (kb build)."
            )
        return index.open_dir(str(directory), readonly=True), info, search_spelling.Spelling.read(directory)
    except (OSError, ValueError, index.EmptyIndexError) as exc:
        raise IndexMissing(
            f"No search index in {directory} ({exc.__class__.__name__}). "
            "Build the site (kb build) or run kb search once to make one."
        ) from None
