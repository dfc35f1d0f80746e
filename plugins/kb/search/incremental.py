"""The search index of `kb serve`, updated for the entries a save changed instead of rebuilt whole.

Why: rebuilding the Whoosh index of every entry after each save took most of a preview
rebuild (about 1.9 s of 2.5 s at 500 entries). The index is still replaced whole, as
index.py requires (readers never see half an index): the current folder is copied (hard
links: Whoosh writes new files and never into one it made), the changed documents are
replaced in the copy, and the copy is swapped in. `kb build` does the same from the
build cache's copy (speed/warm_build.py). When anything
every document borrows changes (tag labels, network titles) or no index exists, it is
rebuilt from scratch (search_index.index_catalogue). The spelling list is kept up to date
from each entry's words, held here.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index

from kb.content.catalogue import Catalogue
from kb.content.fingerprints import body_digest, digest, shape_digest
from kb.output.folders import link_tree, swap_into_place
from kb.search import spelling as search_spelling
from kb.search.index import MANIFEST, building_dir, catalogue_documents, document, manifest, write_beside, write_index
from kb.search.side_postings import remove_stale


def entry_fingerprints(catalogue: Catalogue) -> dict[str, str]:
    """ref -> hash of everything the entry holds (front matter, links, body): what its search document is made of."""
    return {
        e.ref: e.remembered("document", lambda e: digest(shape_digest(e), body_digest(e))) for e in catalogue.entries.values()
    }


def index_context_fingerprint(catalogue: Catalogue) -> str:
    """What every search document borrows from other entries: tag labels, network titles; and the build's audience."""
    return digest(catalogue.members, sorted(catalogue.tags.items()), sorted((s, e.title) for s, e in catalogue.networks.items()))


def index_changes(previous: dict[str, str], current: dict[str, str]) -> tuple[set[str], set[str]]:
    """(refs to (re)index, refs to remove) between two entry_fingerprints."""
    return {ref for ref, fp in current.items() if previous.get(ref) != fp}, set(previous) - set(current)


@dataclass
class IndexState:
    """What the index in `target` was last made from."""

    target: Path
    context: str
    entries: dict[str, str] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)  # ref -> its spelling words (search_spelling.entry_words)
    spelling: Counter = field(default_factory=Counter)  # word -> entries holding it, as in the index's list


def refresh_index(catalogue: Catalogue, target: Path, previous: IndexState | None) -> tuple[IndexState, str]:
    """Bring the index at `target` up to this catalogue; returns the new state and what was done ("full", "N updated")."""
    target = Path(target)
    if previous is not None and previous.target == target and (target / MANIFEST).exists():
        state = IndexState(target, index_context_fingerprint(catalogue), entry_fingerprints(catalogue))
        changed, removed = index_changes(previous.entries, state.entries)
        if not changed and not removed and previous.context == state.context:
            state.words, state.spelling = previous.words, previous.spelling
            return state, "unchanged"
    building = building_dir(target)
    state, how = write_or_update(
        catalogue, building, previous if previous is not None and previous.target == target else None, target
    )
    swap_into_place(building, target)
    state.target = target
    return state, how


def write_or_update(
    catalogue: Catalogue, building: Path, previous: IndexState | None, source: Path | None, *, fast: bool = True
) -> tuple[IndexState, str]:
    """The catalogue's index written into `building` (a new, empty folder): the index at `source` with only the changed
    entries' documents rewritten, when `previous` describes it and nothing every document borrows changed; else whole.
    Returns the new state and what was done ("full", "N updated"). Nothing is left in `building` on failure."""
    state = IndexState(Path(), index_context_fingerprint(catalogue), entry_fingerprints(catalogue))
    if previous is None or source is None or previous.context != state.context or not (Path(source) / MANIFEST).exists():
        state.words, state.spelling = write_index(catalogue_documents(catalogue), manifest(catalogue), building, fast=fast)
        return state, "full"
    changed, removed = index_changes(previous.entries, state.entries)
    documents = {ref: document(catalogue.entries[ref], catalogue) for ref in changed}
    state.words, state.spelling = dict(previous.words), Counter(previous.spelling)
    for ref in changed | removed:
        state.spelling.subtract(state.words.pop(ref, "").split())
    for ref, doc in documents.items():
        state.words[ref] = search_spelling.entry_words(doc)
        state.spelling.update(state.words[ref].split())
    state.spelling = +state.spelling  # words no entry holds any more are dropped
    try:
        link_tree(Path(source), building, skip=lambda name: name.endswith("LOCK"))  # Whoosh never writes into a file it made
        if changed or removed:
            ix = index.open_dir(str(building))
            writer = ix.writer(procs=1, limitmb=128)
            for ref in removed:
                writer.delete_by_term("ref", ref)
            for doc in documents.values():
                writer.update_document(**doc)
            writer.commit()
            with ix.reader() as reader:  # the side lists of a segment merged away go with it
                remove_stale(building, {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()})
            ix.close()
        (building / MANIFEST).unlink()  # a link to the source's: written anew, never through
        (building / search_spelling.SPELLING_FILE).unlink(missing_ok=True)
        write_beside(building, state.spelling, manifest(catalogue))
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return state, f"{len(changed) + len(removed)} updated"
