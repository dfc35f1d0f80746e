"""`kb publish`: both sites built into a new release, the web server told about it, then switched to in one step.

Order matters: the release is complete (public site, members' site, both indexes, release.json) before
anything points at it; the web server's configuration is written and reloaded for the new release's
script hashes before the switch; only then does live/current move. A failed build removes its half-made
folder and leaves the live release as it was.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kb.building import runner
from kb.live import accounts, caddy, headers
from kb.live.releases import Live, ReleaseError, current_name, new_name, previous_name, prune, switch_to, write_manifest

KEEP = 5
MEMBERS_PATH = "members/"  # where the web server serves the members' site


@dataclass(frozen=True)
class Published:
    name: str
    removed: list[str]
    web: str  # what happened to the web server's configuration


@contextmanager
def one_at_a_time(live: Live) -> Iterator[None]:
    """Two publishes at once would race for live/current: the second waits for the first."""
    live.root.mkdir(parents=True, exist_ok=True)
    with open(live.root / ".publish.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def publish(project: Path, live: Live, *, keep: int = KEEP, say: Callable[[str], None] = print) -> Published:
    """Build a new release of the project, switch to it and keep the newest `keep` releases."""
    if keep < 2:
        raise ReleaseError("--keep must be at least 2, so there is always a release to roll back to.")
    config_file = project / "mkdocs.yml"
    members_file = accounts.members_file(project)
    accounts.read_accounts(members_file)  # a broken accounts file is said before minutes of building
    with one_at_a_time(live):
        name = new_name(live)
        staging = live.releases / f".building-{name}"
        try:
            staging.mkdir(parents=True)
            say(f"Building release {name}: the public site...")
            runner.build_site(config_file, staging / "site")
            say("... and the members' site.")
            runner.build_site(config_file, staging / "site-members", members=True, site_path=MEMBERS_PATH)
            write_manifest(
                staging,
                {
                    "name": name,
                    "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "today": os.environ.get("KB_TODAY") or None,
                    "commit": content_commit(project),
                    "script_hashes": {site: headers.site_script_hashes(staging / site) for site in ("site", "site-members")},
                },
            )
            staging.rename(live.releases / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        web = caddy.refresh(live, accounts.read_accounts(members_file))
        switch_to(live, name)
        removed = prune(live, keep)
        if removed:  # the web server no longer needs the script hashes of removed releases
            caddy.refresh(live, accounts.read_accounts(members_file))
        return Published(name, removed, web)


def rollback(project: Path, live: Live) -> str:
    """Switch live/current back to the release before it; returns its name."""
    with one_at_a_time(live):
        name = previous_name(live)
        switch_to(live, name)
        return name


def content_commit(project: Path) -> str | None:
    """The content repository's commit the release was built from, if the project is a git checkout."""
    try:
        result = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


__all__ = ["KEEP", "Published", "ReleaseError", "current_name", "publish", "rollback"]
