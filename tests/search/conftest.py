"""The 400-entry generated corpus and its index, built once for the search tests that compare ways of reading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.project import load_project
from kb.search.index import build_index
from kb_tools.corpus import generate_project


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """The index folder; each test module opens its own SearchEngine on it (they change its settings)."""
    root = tmp_path_factory.mktemp("corpus400") / "project"
    generate_project(root, 400)
    catalogue, _ = load_project(root)
    return build_index(catalogue, root.parent / "index")
