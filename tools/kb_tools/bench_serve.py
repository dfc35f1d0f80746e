"""The rebuild a contributor waits for: save one file under the live preview, see the page change.

This is the path the project actually uses (`kb serve`, MkDocs' live-reload server, which
rebuilds the site on every change). The figure runs from the moment the edited file is
written to the moment the server returns the page with the new text; the server holds
requests until the rebuild is complete, so this is the wait a contributor sees.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

START_TIMEOUT_S = 45 * 60
REBUILD_TIMEOUT_S = 30 * 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=REBUILD_TIMEOUT_S) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def peak_rss_mib(pid: int) -> float | None:
    """The process's high-water mark of resident memory, from /proc (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def time_live_edit(cmd: list[str], page_path: str, edit: Path, env: dict, log_file: Path) -> dict:
    """Start a live-reload server (cmd has a {port} placeholder), wait for its first build, edit one file, time until the page shows it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page_path}"
    with open(log_file, "w") as log_out:
        proc = subprocess.Popen([part.format(port=port) for part in cmd], stdout=log_out, stderr=subprocess.STDOUT, env=env)
    try:
        started = time.perf_counter()
        while fetch(url) is None:
            if proc.poll() is not None or time.perf_counter() - started > START_TIMEOUT_S:
                return {"seconds": None, "note": f"the server did not start: {log_file.read_text()[-1500:]}"}
            time.sleep(0.5)
        first = time.perf_counter() - started
        time.sleep(1.5)  # let the file watcher take its first snapshot of the tree
        marker = f"Benchmark edit {time.time_ns()}"
        with open(edit, "a", encoding="utf-8") as handle:
            handle.write(f"\n{marker}\n")
        saved = time.perf_counter()
        while True:
            page = fetch(url)
            if page is not None and marker in page:
                break
            if proc.poll() is not None or time.perf_counter() - saved > REBUILD_TIMEOUT_S:
                return {
                    "seconds": None,
                    "first_build_s": round(first, 2),
                    "note": f"the edit never showed: {log_file.read_text()[-1500:]}",
                }
            time.sleep(0.05)
        return {
            "seconds": round(time.perf_counter() - saved, 2),
            "first_build_s": round(first, 2),
            "peak_mib": peak_rss_mib(proc.pid),
        }
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_rebuild(project: Path, edit: Path, ref: str, env: dict, log) -> dict:
    """Ours: `kb serve` on the corpus, one case study edited."""
    result = time_live_edit(
        [sys.executable, "-m", "kb.cli.main", "--project", str(project), "serve", "--port", "{port}"],
        ref + "/",
        edit,
        env,
        project.parent / "serve-ours.log",
    )
    result["how"] = "kb serve: save -> page served"
    return result


def measure_plain_rebuild(plain_project: Path, ref: str, env: dict) -> dict:
    """Plain: `mkdocs serve` on the same Markdown, the same entry edited."""
    edit = plain_project / "docs" / (ref + ".md")
    return time_live_edit(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "-q",
            "-f",
            str(plain_project / "mkdocs.yml"),
            "--dev-addr",
            "127.0.0.1:{port}",
        ],
        ref + "/",
        edit,
        env,
        plain_project.parent / "serve-plain.log",
    )


__all__ = ["measure_plain_rebuild", "measure_rebuild"]
