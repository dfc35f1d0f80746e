"""How big an entry may be: sizes a person can mistype or paste by accident, bounded with a plain message.

Why: a 50 MB entry made a 52 MB page and slowed every search fifteen-fold; 20,000 organisations in one
entry made 20,000 pages. The numbers can be changed in mkdocs.yml (`kb: limits:`, config.py), and
`kb check` reads them from there too, so the check and the build always agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Above `entry_warn_kb` an entry file gets a warning, above `entry_max_kb` it is refused; no list
    field (organisations, attendees, actions...) may hold more than `list_items` items."""

    entry_warn_kb: int = 1024
    entry_max_kb: int = 4096
    list_items: int = 300


DEFAULT_LIMITS = Limits()
