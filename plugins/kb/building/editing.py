"""`kb edit`: the live preview and decap-server together, both on loopback only, so one person can use the
browser editor's forms against their own copy of the project.

decap-server (npm, installed by scripts/setup) runs in its files mode by default: saving a form writes the
entry file into the copy, where `kb check` and the preview see it at once (as a draft: nothing is published).
With `workflow`, it runs in its git mode instead: each entry is saved on its own branch (cms/<type>/<name>),
as the editorial workflow does on the git host, and the copy's own branch is left alone until you publish.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.building.runner import BuildError, serve_site
from kb.editor.settings import EditorSetupError, decap_server_script


def current_branch(project: Path) -> str:
    """The branch the copy has checked out (decap-server's git mode saves entries against it)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(project), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        raise BuildError(
            f"kb edit --workflow saves each entry on a git branch, but {project} is not a git repository "
            "(or git is not installed). Fix: run it in a clone of the project, or leave out --workflow."
        ) from None
    return out.stdout.strip()


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BuildError(f"decap-server stopped at once (exit code {process.returncode}); its messages are above.")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise BuildError(f"decap-server did not answer on 127.0.0.1:{port} within {seconds:.0f} s.")


@contextmanager
def decap_server(project: Path, port: int, *, workflow: bool = False) -> Iterator[str]:
    """decap-server on 127.0.0.1:port for this project; yields its API address and stops it afterwards."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("kb edit needs Node.js, which is not installed. Fix: run scripts/setup (it installs it).")
    try:
        script = decap_server_script(str(project))
    except EditorSetupError as exc:
        raise BuildError(str(exc)) from None
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",  # never reachable from another machine
        "MODE": "git" if workflow else "fs",
        "GIT_REPO_DIRECTORY": str(project),
        "LOG_LEVEL": os.environ.get("KB_DECAP_LOG_LEVEL", "warn"),
    }
    process = subprocess.Popen([node, str(script)], env=env, cwd=project)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def edit_site(
    config_file: Path, port: int, *, members: bool = False, workflow: bool = False, say: Callable[[str], None] = print
) -> None:
    """The preview on port, its search API on port+1, decap-server on port+2; the editor at /admin/."""
    project = config_file.parent
    branch = current_branch(project) if workflow else ""
    # Stopped with SIGTERM (not only Ctrl-C): unwind, so decap-server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with decap_server(project, port + 2, workflow=workflow) as api:
        say(
            f"Browser editor on http://127.0.0.1:{port}/admin/ (decap-server on {api}, {'git branches' if workflow else 'files'})"
        )
        serve_site(config_file, port, members=members, say=say, editor="local", editor_url=api, editor_branch=branch)
