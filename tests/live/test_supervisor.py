"""The production supervisor's children: started in their own session, and ended when the supervisor dies
without stopping them (SIGKILL, an out-of-memory kill), so no search service is left holding its port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil

from tests.conftest import ROOT

SUPERVISOR = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from kb.live.production import Child, Supervisor
    from kb.live.releases import Live

    supervisor = Supervisor(Live(Path(sys.argv[1])), [], Child("web", ["sleep", "300"], 0), print)
    supervisor.start(supervisor.web)
    print(supervisor.web.process.pid, flush=True)
    time.sleep(300)
    """
)


def gone(pid: int) -> bool:
    return not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_child_ends_when_its_supervisor_is_killed(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        child = int(supervisor.stdout.readline())
        assert wait_until(
            lambda: psutil.Process(child).cmdline()[:2] == ["sleep", "300"]
        )  # the command itself, under its own pid
        assert os.getsid(child) == child  # its own session: Ctrl-C reaches only the supervisor
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait()
        assert wait_until(lambda: gone(child)), "the child outlived its supervisor"
    finally:
        supervisor.kill()
        supervisor.stdout.close()
