"""Search figures for the benchmark: what a phone downloads for one query, and the service's latency.

Uses the search helper's own code (a `kb.search_*` module) when it exists; until then the
figures are reported as not measured, with the reason, rather than guessed.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import kb


def search_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(kb.__path__) if m.name.startswith("search"))


def measure_search(project: Path, site: Path, env: dict) -> dict:
    """{payload_kb, payload_gzip_kb, p50_ms, p95_ms, queries, how} or a note saying why not measured."""
    modules = search_modules()
    if not modules:
        return {"note": "not measured: the project has no search module yet (no plugins/kb/search_*.py)."}
    return {"note": f"not measured: search modules {', '.join(modules)} exist but the benchmark does not know their API yet."}
