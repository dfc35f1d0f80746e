"""Which program builds the site: MkDocs 1.6 (the default) or ProperDocs 1.6, its drop-in continuation.

MkDocs 1.x has had no release since 1.6.1 and its 2.0 drops plugins; ProperDocs (PyPI `properdocs`)
continues 1.6 and runs MkDocs plugins and themes unchanged by answering every `mkdocs.*` import
itself. Nothing in kb depends on which one runs it: `KB_ENGINE=properdocs kb build` (or
`properdocs build`) builds the same site, page for page (tests/building/test_engine.py).
"""

from __future__ import annotations

import os
import sys

ENGINES = ("mkdocs", "properdocs")


class EngineError(Exception):
    """KB_ENGINE names no engine we can run; the message says how to fix it."""


def select_engine(name: str | None = None) -> str:
    """Make `mkdocs.*` imports come from the chosen engine; call before anything imports MkDocs."""
    name = (name if name is not None else os.environ.get("KB_ENGINE", "")).strip().lower() or "mkdocs"
    if name not in ENGINES:
        raise EngineError(
            f"KB_ENGINE is '{name}', which is not an engine kb can run. Fix: set it to mkdocs or properdocs, or unset it."
        )
    if name == "properdocs":
        mkdocs = sys.modules.get("mkdocs")
        if mkdocs is not None and mkdocs.__name__ != "properdocs":
            raise EngineError(
                "KB_ENGINE=properdocs was set after MkDocs was already loaded in this process; set it before running kb."
            )
        try:
            import properdocs.replacement  # noqa: F401  (from here on, mkdocs.* is ProperDocs)
        except ImportError:
            raise EngineError(
                "KB_ENGINE=properdocs, but ProperDocs is not installed. Fix: scripts/setup --test installs it, "
                "or .venv/bin/pip install 'properdocs>=1.6.5,<1.7'; or unset KB_ENGINE."
            ) from None
    return name


def running_engine() -> str:
    """The engine `mkdocs.*` imports come from in this process ("mkdocs" or "properdocs")."""
    import mkdocs

    return "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"
