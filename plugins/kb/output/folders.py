"""Folders the build writes, replaced whole: the site and its search index are both swapped in with renames."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
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


def link_tree(source: Path, target: Path, skip: Callable[[str], bool] = lambda name: False) -> None:
    """Make `target` hold every file of `source` as hard links (copies across devices): a copy in time and space of
    nothing, for folders whose files are never written into once made (whoever writes into `target` must
    replace a file, never write through it)."""
    source, target = Path(source), Path(target)
    for dirpath, _, filenames in os.walk(source):
        inside = Path(dirpath).relative_to(source)
        (target / inside).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if skip(name):
                continue
            try:
                os.link(os.path.join(dirpath, name), target / inside / name)
            except OSError:
                shutil.copy2(os.path.join(dirpath, name), target / inside / name)
