"""The search index of `kb serve`, updated for the entries a save changed instead of rebuilt whole.

Why: rebuilding the Whoosh index of every entry after each save took most of a preview
rebuild (about 1.9 s of 2.5 s at 500 entries). The index is still replaced whole, as
index.py requires (readers never see half an index): the current folder is copied,
the changed documents are replaced in the copy, and the copy is swapped in. When anything
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
from kb.output.folders import swap_into_place
from kb.search import spelling as search_spelling
from kb.search.index import MANIFEST, building_dir, document, index_catalogue, manifest, write_beside


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
    state = IndexState(target, index_context_fingerprint(catalogue), entry_fingerprints(catalogue))
    if previous is None or previous.target != target or previous.context != state.context or not (target / MANIFEST).exists():
        state.words, state.spelling = index_catalogue(catalogue, target)
        return state, "full"
    changed, removed = index_changes(previous.entries, state.entries)
    if not changed and not removed:
        state.words, state.spelling = previous.words, previous.spelling
        return state, "unchanged"
    documents = {ref: document(catalogue.entries[ref], catalogue) for ref in changed}
    state.words, state.spelling = dict(previous.words), Counter(previous.spelling)
    for ref in changed | removed:
        state.spelling.subtract(state.words.pop(ref, "").split())
    for ref, doc in documents.items():
        state.words[ref] = search_spelling.entry_words(doc)
        state.spelling.update(state.words[ref].split())
    state.spelling = +state.spelling  # words no entry holds any more are dropped
    building = building_dir(target)
    try:
        shutil.copytree(target, building, dirs_exist_ok=True)
        ix = index.open_dir(str(building))
        writer = ix.writer(procs=1, limitmb=128)
        for ref in removed:
            writer.delete_by_term("ref", ref)
        for doc in documents.values():
            writer.update_document(**doc)
        writer.commit()
        ix.close()
        write_beside(building, state.spelling, manifest(catalogue))
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    swap_into_place(building, target)
    return state, f"{len(changed) + len(removed)} updated"
