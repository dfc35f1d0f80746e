"""Releases: each publish builds into a new folder under `live/releases/`, and `live/current` is a
symbolic link switched to it in one rename, so a reader sees the old release or the new one, never half.

    live/releases/20261123-101500/site, site.search, site-members, site-members.search, release.json
    live/current -> releases/20261123-101500

The web server serves `live/current/site` and the search services read `live/current/site.search`,
so neither is restarted; the last few releases are kept for `kb publish --rollback`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LIVE_ENV = "KB_LIVE_DIR"
NAME_RE = re.compile(r"^\d{8}-\d{6}(?:-\d+)?$")
MANIFEST = "release.json"
SITES = ("site", "site-members")  # the public site and the members' site, each with its index beside it


class ReleaseError(Exception):
    """A release step that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Live:
    """The folders of one installation, all under `root` (live/ in the project unless KB_LIVE_DIR says otherwise)."""

    root: Path

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def run(self) -> Path:
        """The web server's configuration, control socket, logs and state; readable by the owner only."""
        return self.root / "run"


def live_for(project: Path) -> Live:
    raw = os.environ.get(LIVE_ENV, "").strip()
    root = (Path(raw) if Path(raw).is_absolute() else project / raw) if raw else project / "live"
    return Live(root.resolve())


def release_names(live: Live) -> list[str]:
    """Finished releases, oldest first (names sort by time); folders being built start with a dot."""
    if not live.releases.is_dir():
        return []
    names = [p.name for p in live.releases.iterdir() if p.is_dir() and NAME_RE.match(p.name)]
    return sorted(names, key=_order)


def current_name(live: Live) -> str | None:
    try:
        target = os.readlink(live.current)
    except OSError:
        return None
    return Path(target).name


def new_name(live: Live, now: dt.datetime | None = None) -> str:
    """A name that sorts after every release there is: the UTC time (YYYYMMDD-HHMMSS), with -2, -3...
    when that second is taken or the clock is behind the newest release."""
    base = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    existing = release_names(live)
    if not existing or _order(base) > _order(existing[-1])[:2]:
        return base
    newest = existing[-1].split("-")
    return f"{newest[0]}-{newest[1]}-{int(newest[2]) + 1 if len(newest) > 2 else 2}"


def _order(name: str) -> list[int]:
    return [int(part) for part in name.split("-")]


def switch_to(live: Live, name: str) -> None:
    """Point live/current at a release with one rename of a new link over the old one (atomic on POSIX)."""
    if not (live.releases / name).is_dir():
        raise ReleaseError(f"There is no release {name} in {live.releases}.")
    temporary = live.root / f".current-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(Path("releases") / name, temporary)
    os.replace(temporary, live.current)


def previous_name(live: Live) -> str:
    """The newest release older than the current one: where --rollback goes."""
    current = current_name(live)
    if current is None:
        raise ReleaseError(f"Nothing is published in {live.root} yet, so there is nothing to roll back. Run kb publish first.")
    older = [name for name in release_names(live) if _order(name) < _order(current)]
    if not older:
        raise ReleaseError(f"{current} is the oldest release kept in {live.releases}; there is none before it to go back to.")
    return older[-1]


def prune(live: Live, keep: int) -> list[str]:
    """Remove all but the newest `keep` releases, never the current one; returns the names removed."""
    names = release_names(live)
    current = current_name(live)
    removed = [name for name in names[: max(len(names) - keep, 0)] if name != current]
    for name in removed:
        shutil.rmtree(live.releases / name, ignore_errors=True)
    return removed


def write_manifest(folder: Path, info: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(live: Live, name: str) -> dict[str, Any]:
    try:
        data = json.loads((live.releases / name / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
