"""What search serves in the production layout: one replica alone, one behind the web server, two behind it.

Usage: python -m kb_tools.bench_live --project DIR [--requests 1000] [--concurrency 8]
The project must be published (kb publish); its live release is served with `kb production --no-publish`
(Caddy in front), and one `kb search-service` is measured alone on the same index. Each measurement is
kb_tools.loadtest.run_load: a bounded load of the benchmark's queries over loopback. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kb_tools.bench_search import QUERIES
from kb_tools.bench_serve import free_port
from kb_tools.loadtest import run_load


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} stopped with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


def measure(url: str, requests: int, concurrency: int) -> dict:
    run_load(url, list(QUERIES), requests=min(100, requests), concurrency=concurrency)  # warm: index opened, caches filled
    return run_load(url, list(QUERIES), requests=requests, concurrency=concurrency)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb_tools.bench_live", description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    project = args.project.resolve()
    kb = [sys.executable, "-m", "kb.cli.main", "--project", str(project)]
    index = project / "live" / "current" / "site.search"
    entries = json.loads((index / "kb-search.json").read_text())["entries"]
    results: dict = {"entries": entries, "cpus": os.cpu_count(), "load_average_before": os.getloadavg()}

    port = free_port()
    alone = subprocess.Popen([*kb, "search-service", "--index", str(index), "--port", str(port)], stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/health", alone)
        results["one replica, direct"] = measure(f"http://127.0.0.1:{port}/", args.requests, args.concurrency)
    finally:
        stop(alone)

    for replicas in (1, 2):
        port = free_port()
        served = subprocess.Popen(
            [*kb, "production", "--no-publish", "--port", str(port), "--replicas", str(replicas)], stdout=subprocess.DEVNULL
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/api/health", served)
            results[f"{replicas} replica(s) behind Caddy"] = measure(f"http://127.0.0.1:{port}/", args.requests, args.concurrency)
        finally:
            stop(served)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
