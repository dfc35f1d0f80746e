"""`kb production` (scripts/production): the web server and the search services of the live release,
started on this machine and kept running until Ctrl-C or SIGTERM, which stops every one of them.

The same processes a server runs under systemd (deploy/systemd/): Caddy in front on the given port,
public search replicas and a members' search service behind it on loopback ports. A search service
that stops is started again; if the web server stops, everything stops. live/run/production.json
says which process is which (tests read it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.live import accounts, caddy
from kb.live.releases import Live, current_name

STATE_FILE = "production.json"
RESTART_DELAY = 1.0
START_TIMEOUT = 60.0


class ProductionError(Exception):
    """The site could not be started; the message says why and what to do."""


@dataclass
class Child:
    name: str
    argv: list[str]
    port: int
    env: dict[str, str] | None = None
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    log: Path | None = field(default=None, repr=False)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def orphan_guard() -> list[str]:
    """The words that make a child get SIGTERM if this supervisor dies without stopping it: util-linux's setpriv
    sets Linux's PR_SET_PDEATHSIG and execs the command, so the child keeps its pid. Done by exec rather than a
    preexec_fn, which Python runs between fork and exec, where a lock held at the fork can hang the supervisor."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


def search_child(project: Path, live: Live, name: str, port: int, members: bool) -> Child:
    index = live.current / ("site-members.search" if members else "site.search")
    argv = [sys.executable, "-m", "kb.cli.main", "--project", str(project), "search-service", "--index", str(index)]
    argv += ["--host", "127.0.0.1", "--port", str(port)] + (["--members"] if members else [])
    return Child(name, argv, port)


class Supervisor:
    """Starts the children, restarts a search service that stops, and stops them all on request."""

    def __init__(self, live: Live, children: list[Child], web: Child, say: Callable[[str], None]) -> None:
        self.live, self.children, self.web, self.say = live, children, web, say
        self.stopping = False
        (live.run / "logs").mkdir(parents=True, exist_ok=True)

    def start(self, child: Child) -> None:
        child.log = self.live.run / "logs" / f"{child.name}.log"
        with open(child.log, "ab") as log:
            child.process = subprocess.Popen(
                [*orphan_guard(), *child.argv],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=child.env,
                start_new_session=True,  # Ctrl-C reaches the supervisor only, which stops the children in order
            )

    def wait_until_listening(self, child: Child, path: str | None, host: str = "127.0.0.1") -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if child.process is not None and child.process.poll() is not None:
                raise ProductionError(f"{child.name} stopped as it started: {tail(child.log)}")
            if answers(host, child.port, path):
                return
            time.sleep(0.1)
        raise ProductionError(
            f"{child.name} did not answer on 127.0.0.1:{child.port} within {START_TIMEOUT:.0f} s: {tail(child.log)}"
        )

    def write_state(self, port: int) -> None:
        state = {
            "pid": os.getpid(),
            "port": port,
            "children": {
                c.name: {"pid": c.process.pid if c.process else None, "port": c.port, "restarts": c.restarts}
                for c in [*self.children, self.web]
            },
        }
        path = self.live.run / STATE_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)

    def watch(self, port: int) -> int:
        """Until asked to stop: start again any search service that stopped; stop all if the web server did."""
        while not self.stopping:
            if self.web.process is not None and self.web.process.poll() is not None:
                self.say(f"The web server stopped: {tail(self.web.log)}")
                self.stop()
                return 1
            for child in self.children:
                if child.process is not None and child.process.poll() is not None and not self.stopping:
                    self.say(f"{child.name} stopped (exit {child.process.returncode}); starting it again.")
                    time.sleep(RESTART_DELAY)
                    child.restarts += 1
                    self.start(child)
                    self.write_state(port)
            time.sleep(0.2)
        self.stop()
        return 0

    def stop(self) -> None:
        """SIGTERM to every child (the web server first, so no request meets a stopped service), then wait."""
        self.stopping = True
        for child in [self.web, *self.children]:
            if child.process is not None and child.process.poll() is None:
                child.process.terminate()
        for child in [self.web, *self.children]:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        (self.live.run / STATE_FILE).unlink(missing_ok=True)


def answers(host: str, port: int, path: str | None) -> bool:
    """Whether host:port takes connections (path None) or answers HTTP there (any status: a service without an index says 503)."""
    if path is None:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.settimeout(1)
            return probe.connect_ex((host, port)) == 0
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def tail(log: Path | None, lines: int = 5) -> str:
    if log is None or not log.exists():
        return "(no log)"
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " / ".join(text[-lines:]) or "(the log is empty)"


def run_production(
    project: Path, live: Live, *, port: int, host: str = "127.0.0.1", replicas: int = 2, say: Callable[[str], None] = print
) -> int:
    """Serve the live release on host:port until SIGINT or SIGTERM; returns the exit code."""
    if current_name(live) is None:
        raise ProductionError(f"Nothing is published in {live.root} yet. Run kb publish first (scripts/production does).")
    if replicas < 1:
        raise ProductionError("--replicas must be at least 1.")
    public = [search_child(project, live, f"search-public-{n}", free_port(), members=False) for n in range(1, replicas + 1)]
    members = [search_child(project, live, "search-members-1", free_port(), members=True)]
    settings = caddy.WebSettings(
        address=f"http://:{port}",
        public_search=[f"127.0.0.1:{c.port}" for c in public],
        members_search=[f"127.0.0.1:{c.port}" for c in members],
        bind=host,
    )
    caddy.save_settings(live, settings)
    caddy.write_config(live, settings, accounts.read_accounts(accounts.members_file(project)))
    web = Child(
        "web",
        [caddy.caddy_binary(), "run", "--config", str(live.run / caddy.CADDYFILE), "--adapter", "caddyfile"],
        port,
        caddy.caddy_env(live),
    )
    supervisor = Supervisor(live, [*public, *members], web, say)

    def asked_to_stop(signum: int, frame: object) -> None:
        supervisor.stopping = True

    previous = {sig: signal.signal(sig, asked_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for child in supervisor.children:
            supervisor.start(child)
        for child in supervisor.children:
            supervisor.wait_until_listening(child, "/api/health")
        supervisor.start(web)
        supervisor.wait_until_listening(web, None, host="127.0.0.1" if host in ("0.0.0.0", "::") else host)
        supervisor.write_state(port)
        say(f"Serving release {current_name(live)} on http://{host}:{port}/ (members' site at /members/). Ctrl-C stops.")
        return supervisor.watch(port)
    except BaseException:
        supervisor.stop()
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
