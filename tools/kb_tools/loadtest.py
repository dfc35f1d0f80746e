"""A bounded load test of the search service: a fixed number of requests at a fixed concurrency,
against an address on this machine only, reporting throughput, latency and errors."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
import urllib.parse
from collections import Counter

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def run_load(
    base_url: str,
    queries: list[str],
    requests: int = 500,
    concurrency: int = 8,
    timeout: float = 10.0,
    halfway: threading.Event | None = None,
) -> dict:
    """Send `requests` GETs of /api/search over `concurrency` threads; stops by itself. `halfway` is set once half
    of them are answered: a test that disturbs the service under load waits for it rather than for a guessed time."""
    parsed = urllib.parse.urlsplit(base_url)
    if parsed.hostname not in LOOPBACK:
        raise ValueError(f"load tests only target this machine, not {parsed.hostname}")
    paths = [f"{parsed.path.rstrip('/')}/api/search?" + urllib.parse.urlencode({"q": q}) for q in queries]
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    next_index = iter(range(requests))

    def worker() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", paths[i % len(paths)], headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                if halfway is not None and 2 * len(latencies) >= requests:
                    halfway.set()
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "concurrency": concurrency,
        "seconds": round(wall, 3),
        "requests_per_second": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1) if ordered else None,
        "statuses": dict(statuses),
        "server_errors": sum(n for s, n in statuses.items() if not s.isdigit() or s.startswith("5")),
    }
