"""The benchmark's results as a table for the terminal and as Markdown for docs/performance.md.

One list of rows feeds both, so docs/performance.md shows exactly what the terminal printed.
"""

from __future__ import annotations


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        value = f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value}{unit}"


def _ratio(ours, plain) -> str:
    return f"{ours / plain:.3g}" if isinstance(ours, (int, float)) and isinstance(plain, (int, float)) and plain else "–"


def rows(r: dict) -> list[tuple[str, ...]]:
    """(figure, ours, plain, ratio, budget, verdict) for every measured figure."""
    b, p, s, rb, v = r["build"], r["plain"], r.get("search", {}), r["rebuild"], r["verdicts"]
    mark = {True: "met", False: "MISSED", None: "not measured"}
    body = [
        ("kb check (cold)", _fmt(r["check"]["seconds"], " s"), "–", "–", "< 10 s", mark[v["check_s"]]),
        *_build_rows(r),
        *_warm_rows(r),
        (
            "rebuild after one edit (" + rb.get("how", "?") + ")",
            _fmt(rb.get("seconds"), " s"),
            _fmt(rb.get("plain_seconds"), " s"),
            _ratio(rb.get("seconds"), rb.get("plain_seconds")),
            "< 2 s",
            mark[v["rebuild_s"]],
        ),
        *_in_process_rows(r.get("rebuild_in_process") or {}),
        (
            "output size",
            _fmt(b["output_mb"], " MB") + f" ({b['files']} files)",
            _fmt(p["output_mb"], " MB") + f" ({p['files']} files)",
            _ratio(b["output_mb"], p["output_mb"]),
            "–",
            "",
        ),
        (
            "entry page HTML, sample",
            _fmt(b["sample_kb"], " KB"),
            _fmt(p["sample_kb"], " KB"),
            _ratio(b["sample_kb"], p["sample_kb"]),
            "–",
            "",
        ),
        (
            "entry page HTML, largest",
            _fmt(b["max_kb"], " KB") + (f" ({b['max_ref']})" if b.get("max_ref") else ""),
            _fmt(p["max_kb"], " KB"),
            _ratio(b["max_kb"], p["max_kb"]),
            "< 100 KB",
            mark[v["entry_page_kb"]],
        ),
        (
            "entry page HTML, largest but network hubs",
            _fmt(b.get("max_not_network_kb"), " KB"),
            _fmt(p.get("max_not_network_kb"), " KB"),
            _ratio(b.get("max_not_network_kb"), p.get("max_not_network_kb")),
            "–",
            "",
        ),
        ("largest page of the site", _largest(b), _largest(p), _ratio(_kb(b), _kb(p)), "–", ""),
        (
            "search payload per query (gzip)",
            _fmt(s.get("payload_gzip_kb"), " KB"),
            _fmt(p.get("search_payload_gzip_kb"), " KB"),
            _ratio(s.get("payload_gzip_kb"), p.get("search_payload_gzip_kb")),
            "< 20 KB",
            mark[v["search_payload_kb"]],
        ),
        (
            "search latency p50 / p95 (HTTP)",
            f"{_fmt(s.get('p50_ms'))} / {_fmt(s.get('p95_ms'), ' ms')}",
            "in the browser (lunr)",
            "–",
            "p95 < 50 ms",
            mark[v["search_p95_ms"]],
        ),
        (
            "search latency p50 / p95 (engine)",
            f"{_fmt(s.get('engine_p50_ms'))} / {_fmt(s.get('engine_p95_ms'), ' ms')}",
            "–",
            "–",
            "–",
            "",
        ),
    ]
    return body


def _kb(figures: dict):
    pages = figures.get("largest_pages") or []
    return pages[0][1] if pages else None


def _largest(figures: dict) -> str:
    pages = figures.get("largest_pages") or []
    return f"{_fmt(pages[0][1], ' KB')} ({pages[0][0]})" if pages else "not measured"


def _in_process_rows(figures: dict) -> list[tuple[str, ...]]:
    """kb_tools.bench_incremental's serve-like rebuilds (no HTTP, no file watcher), median of three saves."""
    if "note" in figures:
        return [("rebuild after one edit (in-process)", "not measured", "–", "–", "–", "")]
    out = []
    for kind, label in (("body", "body edit"), ("front_matter", "title edit")):
        if kind in figures:
            out.append(
                (
                    f"rebuild in-process, {label} (wall / CPU)",
                    f"{_fmt(figures[kind]['wall_s'])} / {_fmt(figures[kind]['cpu_s'], ' s')}",
                    "–",
                    "–",
                    "< 2 s" if kind == "body" else "–",
                    "",
                )
            )
    return out


def _build_rows(r: dict) -> list[tuple[str, ...]]:
    """Build time and peak memory: medians of the builds timed side by side (bench.build_pairs), the first builds' peak."""
    b, p, v, pairs = r["build"], r["plain"], r["verdicts"], r.get("build_pairs")
    mark = {True: "met", False: "MISSED", None: "not measured"}
    if not pairs:
        return [
            (
                "full public build (cold)",
                _fmt(b["seconds"], " s"),
                _fmt(p["seconds"], " s"),
                _ratio(b["seconds"], p["seconds"]),
                "<= 0.9 x plain",
                mark[v["build_s"]],
            ),
            (
                "peak memory, build",
                _fmt(b["peak_mib"], " MiB"),
                _fmt(p["peak_mib"], " MiB"),
                _ratio(b["peak_mib"], p["peak_mib"]),
                "< 1536 MiB",
                mark[v["build_peak_mib"]],
            ),
        ]
    ours, plain, peak = pairs["ours_median_s"], pairs["plain_median_s"], b["peak_mib"]
    runs = len(pairs["ours_s"])
    return [
        (
            f"full public build (cold), median of {runs} pairs (runs)",
            f"{_fmt(ours, ' s')} ({', '.join(_fmt(x) for x in pairs['ours_s'])})",
            f"{_fmt(plain, ' s')} ({', '.join(_fmt(x) for x in pairs['plain_s'])})",
            _ratio(ours, plain),
            "<= 0.9 x plain",
            mark[v["build_s"]],
        ),
        (
            "first build with its memory sampled: time",
            _fmt(b["seconds"], " s"),
            _fmt(p["seconds"], " s"),
            _ratio(b["seconds"], p["seconds"]),
            "–",
            "",
        ),
        (
            "peak memory, build (the first build)",
            _fmt(peak, " MiB"),
            _fmt(p["peak_mib"], " MiB"),
            _ratio(peak, p["peak_mib"]),
            "< 1536 MiB",
            mark[v["build_peak_mib"]],
        ),
    ]


def _warm_rows(r: dict) -> list[tuple[str, ...]]:
    """kb_tools.bench_warm: warm builds and checks, median of the runs with each run; plain's figure is its full build."""
    warm, v = r.get("warm"), r["verdicts"]
    if not warm:
        return []
    mark = {True: "met", False: "MISSED", None: "not measured"}
    pairs = r.get("build_pairs") or {}
    plain = pairs.get("plain_median_s", r["plain"]["seconds"])
    rows = []
    for kind, label, budget, verdict in (
        ("body", "one body edit", "<= 5 s", "warm_body_s"),
        ("title", "one title edit", "<= 10 s", "warm_title_s"),
        ("tags", "one tags edit", "–", None),
        ("check", None, "< 2 s", "warm_check_s"),
    ):
        figures = warm.get(kind)
        if not figures:
            continue
        name = (
            f"warm kb check after one body edit, median of {warm['runs']}"
            if label is None
            else f"warm build after {label}, median of {warm['runs']}"
        )
        ours = f"{_fmt(figures['median_s'], ' s')} ({', '.join(_fmt(x) for x in figures['runs_s'])}; spread {_fmt(figures['spread_s'], ' s')})"
        rows.append(
            (
                name,
                ours,
                "–" if label is None else f"{_fmt(plain, ' s')} (full build)",
                "–" if label is None else _ratio(figures["median_s"], plain),
                budget,
                mark[v[verdict]] if verdict else "",
            )
        )
    return rows


def notes(r: dict) -> list[str]:
    """The lines under the table: plain with every entry in the nav, how figures were taken, the machine's load."""
    nav, rb, s, b, lines = r.get("plain_nav"), r["rebuild"], r.get("search", {}), r["build"], []
    if nav:
        lines.append(
            f"Plain MkDocs with every entry in the navigation (its default), {nav['entries']:,} entries: "
            f"{_fmt(nav['seconds'], ' s')}, {_fmt(nav['peak_mib'], ' MiB')} peak, median page {_fmt(nav['median_page_kb'], ' KB')}, "
            f"{_fmt(nav['output_mb'], ' MB')} output."
        )
    if rb.get("first_build_s"):
        lines.append(
            f"Rebuild: time from saving one case study to `kb serve` returning its page with the change "
            f"(MkDocs' live-reload server as kb serve runs it, file watcher included); the server's first build took "
            f"{_fmt(rb['first_build_s'], ' s')}. Plain: the same under `mkdocs serve` (full rebuilds). In-process rows: "
            f"kb_tools.bench_incremental, serve-like rebuilds without HTTP or watcher, median of three saves."
        )
    if rb.get("note"):
        lines.append(f"Rebuild: {rb['note']}")
    if s.get("note"):
        lines.append(f"Search: {s['note']}")
    elif s:
        lines.append(
            f"Search: {s.get('requests')} requests ({s.get('queries')} queries x 3) to kb.search.service over HTTP with gzip; "
            f"payload is the median response body as sent (largest {_fmt(s.get('payload_max_gzip_kb'), ' KB')}); "
            f"plain Material downloads its whole search_index.json before the first result. "
            f"Static-hosting fallback file: {_fmt(s.get('static_fallback_gzip_kb'), ' KB')} gzip."
        )
    if s.get("load"):
        ld = s["load"]
        lines.append(
            f"Search under load (kb_tools.loadtest, loopback): {ld['requests']} requests, {ld['concurrency']} at a time: "
            f"{ld['requests_per_second']} requests/s, p50 {ld['p50_ms']} ms, p95 {ld['p95_ms']} ms, "
            f"answers {ld['statuses']}, server errors {ld['server_errors']}."
        )
    if b.get("largest_pages"):
        lines.append("Largest pages, ours: " + ", ".join(f"{path} {kb} KB" for path, kb in b["largest_pages"]))
    lines.append(f"kb check said: {r['check'].get('summary', '')}")
    if r.get("warm"):
        lines.append(
            "Cold builds start without the build cache (.cache/kb/) and fill it. Warm rows: `kb build` / `kb check` in a fresh "
            "process after one more edit of the sample entry each run, with the cache the previous run left; plain MkDocs "
            "has no cache, so its figure after any edit is a full build (the median above)."
        )
    if "load_average" in r:
        lines.append(
            f"Load average (1, 5, 15 min) before {r['load_average']['before']}, after {r['load_average']['after']}: "
            "other work on the machine slows every figure, ours and plain alike."
        )
    return lines


def _title(r: dict) -> str:
    m = r["machine"]
    return (
        f"{r['entries']:,} generated entries (+15 networks), {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB, "
        f"Python {m['python']}, {r['date']}, total run {r['total_s']} s"
    )


def table(r: dict) -> str:
    """The side-by-side table printed by scripts/bench."""
    body = rows(r)
    widths = [max(len(str(row[i])) for row in body + [_HEADER]) for i in range(len(_HEADER))]
    lines = [
        "Benchmark: " + _title(r),
        "",
        " | ".join(h.ljust(w) for h, w in zip(_HEADER, widths)),
        "-+-".join("-" * w for w in widths),
    ]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in body]
    return "\n".join(lines + [""] + notes(r))


def markdown(r: dict) -> str:
    """The same table in Markdown, for bench-results/latest.md and docs/performance.md."""
    lines = [f"Measured by `scripts/bench`: {_title(r)}.", "", "| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows(r)]
    return "\n".join(lines + [""] + [f"- {line}" for line in notes(r)]) + "\n"


_HEADER = ("figure", "ours", "plain MkDocs (not_in_nav)", "ours/plain", "budget", "verdict")
