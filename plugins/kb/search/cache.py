"""An index of the catalogue without a site build, for `kb search` and `scripts/relevance`.

It is made from the catalogue into a cache folder named by a fingerprint of the content, so a
repeated `kb search` reuses it and a changed entry or tag list makes a new one.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from kb.content.catalogue import Catalogue
from kb.search.index import INDEX_VERSION, build_index


def fingerprint(catalogue: Catalogue) -> str:
    """Changes whenever any visible entry, tag or vocabulary meaning changes, so a cached index is never stale."""
    digest = hashlib.sha256(
        repr((catalogue.members, sorted(catalogue.tags.items()), sorted(catalogue.vocabulary.items()))).encode()
    )
    for entry in catalogue.entries.values():
        digest.update(repr((entry.ref, sorted(entry.meta.items(), key=lambda kv: kv[0]), entry.body)).encode())
    return digest.hexdigest()[:16]


def cached_index(catalogue: Catalogue, project: Path) -> Path:
    """An index of this catalogue in the temporary folder, built only when the content changed."""
    project_key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    folder = Path(tempfile.gettempdir()) / "kb-search-cache" / project_key / f"v{INDEX_VERSION}-{fingerprint(catalogue)}"
    if not (folder / "kb-search.json").exists():
        build_index(catalogue, folder)
    return folder
