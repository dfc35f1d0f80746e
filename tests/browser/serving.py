"""`kb serve` in a subprocess against a throw-away copy of the project, for preview tests and the
guide's screenshots. Stops only the process it started."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
KB = Path(sys.executable).with_name("kb")


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("content", "register"):
        shutil.copytree(ROOT / name, target / name)
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, target / name)
    return target


def wait_for(url: str, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kb serve stopped with code {proc.returncode}:\n{proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"kb serve did not answer at {url} within {seconds} s")


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def kb_serve(project: Path, *extra: str, log: Path | None = None, command: str = "serve"):
    """Yields (base_url, process); the terminal output goes to `log`. `command="edit"`: kb edit, the preview
    with decap-server on port+2 (both stopped with the process: kb edit stops decap-server on SIGTERM)."""
    port = free_port()
    while command == "edit" and not all(_is_free(p) for p in (port + 1, port + 2)):
        port = free_port()
    log = log or project.parent / "kb-serve.log"
    env = {**os.environ, "KB_TODAY": os.environ.get("KB_TODAY", "2026-11-23"), "NO_COLOR": "1"}
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [str(KB), "--project", str(project), command, "--port", str(port), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=project,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for(url, 120, proc)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
