"""Where a running `kb serve` can be reached, written by it and read by `kb new`, so the address printed is the real one."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

DEFAULT_PORT = 8000


def _note(project: Path) -> Path:
    key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / "kb-preview-address" / key


def remember(project: Path, port: int) -> None:
    """Note the preview's port and this process's id (the id tells a live preview from a note left by a crash)."""
    note = _note(project)
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"{port} {os.getpid()}\n", encoding="utf-8")


def forget(project: Path) -> None:
    _note(project).unlink(missing_ok=True)


def running_port(project: Path) -> int | None:
    """The port of the project's running preview, or None when none is running."""
    try:
        port, pid = (int(word) for word in _note(project).read_text(encoding="utf-8").split())
        os.kill(pid, 0)  # signal 0: only asks whether the process is alive
    except (OSError, ValueError):
        return None
    return port


def preview_url(project: Path) -> tuple[str, bool]:
    """(the preview's address, whether a preview is running there now)."""
    port = running_port(project)
    return f"http://127.0.0.1:{port or DEFAULT_PORT}/", port is not None
