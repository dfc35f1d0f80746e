"""Folders the build writes, replaced whole: the site and its search index are both swapped in with renames."""

from __future__ import annotations

import shutil
from pathlib import Path


def swap_into_place(built: Path, final: Path) -> None:
    """Replace `final` by `built` with two renames, so a reader never sees half a folder.

    The old folder keeps its name until the new one takes it (readers with open files keep them),
    then it is removed."""
    built, final = Path(built), Path(final)
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    built.rename(final)
    shutil.rmtree(old, ignore_errors=True)
