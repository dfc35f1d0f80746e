"""scripts/production started for real on a free loopback port, on a copy of the starter project, and stopped.

Starting one costs a publish (two builds): the read-only checks share one (`production_stack` in
tests/conftest.py); tests that stop replicas, publish or stop the whole thing start their own.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.browser.conftest import free_port
from tests.conftest import ROOT

MEMBER = "alice@example.org"
PASSWORD = "correct horse battery staple"
DRAFT_MARK = "Zanzibarquill"
MEMBERS_MARK = "Quokkamembers"
MEMBERS_ENTRY = "minutes/peace-community-safety/2026-11-12/"
DRAFT_ENTRY = "case-studies/attendance-mentors-pilot/"
KB = ROOT / ".venv" / "bin" / "kb"
START_TIMEOUT = 600  # two builds on a busy machine


def copy_project(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "register"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def kb(project: Path, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """The kb command in a child process, as a person would run it."""
    return subprocess.run(
        [str(KB), "--project", str(project), *args], input=stdin, capture_output=True, text=True, timeout=900, check=check
    )


class Stack:
    """One scripts/production: its project, port and process; `url(path)` and `state()` to look inside."""

    def __init__(self, project: Path, replicas: int = 2):
        self.project = project
        self.port = free_port()
        self.log = project / "production.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [str(ROOT / "scripts" / "production"), "--port", str(self.port), "--replicas", str(replicas)],
                env={**os.environ, "KB_PROJECT": str(project)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while "Serving release" not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"scripts/production did not start:\n{self.output()}")
            time.sleep(0.5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def state(self) -> dict:
        return json.loads((self.project / "live" / "run" / "production.json").read_text(encoding="utf-8"))

    def stop(self) -> int | None:
        """SIGTERM, as systemd or Ctrl-C would; the whole process group is killed if it does not stop."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start(tmp_path: Path, replicas: int = 2) -> Stack:
    project = copy_project(tmp_path / "project")
    kb(project, "members", "add", MEMBER, stdin=PASSWORD + "\n")
    return Stack(project, replicas)


def get(url: str, auth: tuple[str, str] | None = None, method: str = "GET", headers: dict | None = None):
    """(status, headers, body) without raising on 4xx/5xx."""
    import httpx

    with httpx.Client(timeout=30, follow_redirects=False) as client:
        response = client.request(method, url, auth=auth, headers=headers or {})
        return response.status_code, response.headers, response.content


def health(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())
