"""Search figures for the benchmark: what a phone downloads for one query, and the service's latency.

Runs the search helper's own service (`kb search-service`) on the index our build
wrote beside the site, in its own process, and asks it realistic queries over HTTP with
gzip accepted, as a phone would. Latency is measured at the client on the same machine
(so it includes localhost HTTP), payload is the bytes of the response body as sent.
When the project has no search service, the figures are reported as not measured.
"""

from __future__ import annotations

import gzip
import http.client
import importlib.util
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from kb_tools.bench_serve import free_port

QUERIES = (
    "attendance",
    "coaching",
    "transition year 7",
    "reading",
    "send support",
    "exclusions",
    "attendence",
    "behaviour policy",
    "early career teachers",
    "disadvantaged pupils",
    "oracy",
    "workload",
    "governors",
    "pupil voice",
    "careers",
    "safeguarding",
    '"shared template"',
    "climate",
    "artificial intelligence",
    "trust",
    "restorative",
    "maths",
    "absence",
    "knife crime",
    "curriculum review",
    "eco council",
    "anti-racism",
    "data",
    "mentoring",
    "recruitment",
)
FILTERED = ({"type": "case-study"}, {"network": "equity"}, {"type": "minutes", "sort": "newest"}, {})
ROUNDS = 3


LOAD_REQUESTS, LOAD_CONCURRENCY = 1000, 8


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def measure_search(project: Path, site: Path, env: dict) -> dict:
    """{payload_gzip_kb (median), payload_max_gzip_kb, payload_json_kb, p50_ms, p95_ms, requests} or a note."""
    index = site.with_name(site.name + ".search")
    if importlib.util.find_spec("kb.search.service") is None:
        return {"note": "not measured: the project has no search service (kb.search.service)."}
    if not index.is_dir():
        return {"note": f"not measured: the build wrote no search index at {index}."}
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kb.cli.main", "search-service", "--index", str(index), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        conn = _wait_for(port, proc)
        if conn is None:
            return {"note": "not measured: the search service did not start: " + (proc.stderr.read() or "")[-800:]}
        times, sent, plain = [], [], []
        for round_no in range(ROUNDS + 1):  # round 0 warms the service up and is not counted
            for i, q in enumerate(QUERIES):
                params = {"q": q, **FILTERED[i % len(FILTERED)]}
                started = time.perf_counter()
                conn.request("GET", "/api/search?" + urllib.parse.urlencode(params), headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    return {"note": f"not measured: /api/search answered {response.status} for {params}: {body[:200]!r}"}
                if round_no:
                    times.append(elapsed * 1000)
                    sent.append(len(body))
                    gzipped = response.getheader("Content-Encoding") == "gzip"
                    plain.append(len(gzip.decompress(body) if gzipped else body))
        fallback = site / "search" / "fallback.json"
        engine = _engine_figures(index)
        from kb_tools.loadtest import run_load  # a bounded concurrent load on the same service (issue 9)

        load = run_load(f"http://127.0.0.1:{port}/", list(QUERIES), requests=LOAD_REQUESTS, concurrency=LOAD_CONCURRENCY)
        return {
            **engine,
            "requests": len(times),
            "queries": len(QUERIES),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times), 1),
            "payload_gzip_kb": round(statistics.median(sent) / 1024, 1),
            "payload_max_gzip_kb": round(max(sent) / 1024, 1),
            "payload_json_kb": round(statistics.median(plain) / 1024, 1),
            "static_fallback_kb": round(fallback.stat().st_size / 1024, 1) if fallback.exists() else None,
            "static_fallback_gzip_kb": round(len(gzip.compress(fallback.read_bytes())) / 1024, 1) if fallback.exists() else None,
            "how": "kb.search.service over HTTP on localhost, gzip accepted, 10 results a page",
            "load": load,
        }
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _engine_figures(index: Path) -> dict:
    """The search helper's own in-process measurement (kb_tools.search_measure), beside ours over HTTP."""
    if importlib.util.find_spec("kb_tools.search_measure") is None:
        return {}
    from kb_tools.search_measure import measure_search as engine_measure

    queries = [{"q": q, **FILTERED[i % len(FILTERED)]} for i, q in enumerate(QUERIES)]
    figures = engine_measure(index, queries, rounds=ROUNDS)
    return {
        "engine_p50_ms": figures["p50_ms"],
        "engine_p95_ms": figures["p95_ms"],
        "engine_gzip_kb": round(figures["bytes_per_query"] / 1024, 1),
    }


def _wait_for(port: int, proc: subprocess.Popen) -> http.client.HTTPConnection | None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/api/health")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return conn
        except OSError:
            time.sleep(0.2)
    return None
