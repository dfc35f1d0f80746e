"""The comparison site: the same Markdown as plain MkDocs + Material, and the results table.

Plain means no plugin of ours: Material's default search, register/ moved under the docs
folder, and (the best a plain site can do) entries kept out of the navigation with
`not_in_nav`; or, for the default plain site, every page in the navigation.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from .corpus import _AnyTagLoader
from .model import ENTRY_TYPES

KEPT_SETTINGS = ("site_name", "site_description", "use_directory_urls", "markdown_extensions")


def is_public_published(text: str) -> bool:
    """What our public build shows, read from the front matter text (plain MkDocs cannot tell)."""
    front = text.split("\n---", 1)[0]
    return "\nstatus: published" in front and "\nvisibility: members" not in front


def make_plain_project(project: Path, target: Path, *, in_nav: bool) -> None:
    """Copy the project's Markdown into target/docs (register/ inside it) with a plugin-free mkdocs.yml."""
    docs = target / "docs"
    shutil.copytree(project / "content", docs)
    shutil.copytree(project / "register", docs / "register")
    for etype in ENTRY_TYPES.values():  # the same public entries our public build shows
        folder = docs / etype.folder.removeprefix("content/")
        for path in folder.rglob("*.md"):
            if not is_public_published(path.read_text(encoding="utf-8")):
                path.unlink()
    ours = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    theme = {k: v for k, v in (ours.get("theme") or {"name": "material"}).items() if k != "custom_dir"}
    config = {k: ours[k] for k in KEPT_SETTINGS if k in ours}
    config.update(docs_dir="docs", site_dir="site", theme=theme, plugins=["search"])
    if not in_nav:
        nav = _existing(ours.get("nav") or [], docs)
        if nav:
            config["nav"] = nav
        else:
            config["not_in_nav"] = ""
        config["not_in_nav"] = "\n".join(f"/{t.url_prefix}/" for t in ENTRY_TYPES.values()) + "\n"
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _existing(nav: list, docs: Path) -> list:
    """Our nav without the pages our plugin generates (plain MkDocs has no such files)."""
    out = []
    for item in nav:
        if isinstance(item, str):
            if item.startswith(("http://", "https://")) or (docs / item).is_file():
                out.append(item)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    kept = _existing(value, docs)
                    if kept:
                        out.append({title: kept})
                elif isinstance(value, str) and (value.startswith(("http://", "https://")) or (docs / value).is_file()):
                    out.append({title: value})
    return out


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "not measured"
    if isinstance(value, float):
        value = f"{value:,.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value}{unit}"


def _ratio(ours, plain) -> str:
    return f"{ours / plain:.2f}" if isinstance(ours, (int, float)) and isinstance(plain, (int, float)) and plain else "–"


def table(r: dict) -> str:
    """The side-by-side table printed by scripts/bench."""
    b, p, s, rb, v = r["build"], r["plain"], r.get("search", {}), r["rebuild"], r["verdicts"]
    mark = {True: "met", False: "MISSED", None: "not measured"}
    rows = [
        ("kb check", _fmt(r["check"]["seconds"], " s"), "–", "–", "< 10 s", mark[v["check_s"]]),
        ("full public build", _fmt(b["seconds"], " s"), _fmt(p["seconds"], " s"), _ratio(b["seconds"], p["seconds"]),
         "<= plain", mark[v["build_s"]]),
        ("peak memory, build", _fmt(b["peak_mib"], " MiB"), _fmt(p["peak_mib"], " MiB"), _ratio(b["peak_mib"], p["peak_mib"]),
         "< 1536 MiB", mark[v["build_peak_mib"]]),
        ("rebuild after one edit (" + rb.get("how", "?") + ")", _fmt(rb.get("seconds"), " s"), _fmt(rb.get("plain_seconds"), " s"),
         _ratio(rb.get("seconds"), rb.get("plain_seconds")), "< 2 s", mark[v["rebuild_s"]]),
        ("output size", _fmt(b["output_mb"], " MB") + f" ({b['files']} files)", _fmt(p["output_mb"], " MB") + f" ({p['files']} files)",
         _ratio(b["output_mb"], p["output_mb"]), "–", ""),
        ("entry page HTML, sample", _fmt(b["sample_kb"], " KB"), _fmt(p["sample_kb"], " KB"), _ratio(b["sample_kb"], p["sample_kb"]), "–", ""),
        ("entry page HTML, largest", _fmt(b["max_kb"], " KB"), _fmt(p["max_kb"], " KB"), _ratio(b["max_kb"], p["max_kb"]),
         "< 100 KB", mark[v["entry_page_kb"]]),
        ("search payload per query (gzip)", _fmt(s.get("payload_gzip_kb"), " KB"), _fmt(p.get("search_payload_gzip_kb"), " KB"),
         _ratio(s.get("payload_gzip_kb"), p.get("search_payload_gzip_kb")), "< 20 KB", mark[v["search_payload_kb"]]),
        ("search latency p50 / p95", f"{_fmt(s.get('p50_ms'))} / {_fmt(s.get('p95_ms'), ' ms')}", "in the browser (lunr)", "–",
         "p95 < 50 ms", mark[v["search_p95_ms"]]),
    ]
    nav = r.get("plain_nav")
    head = (f"Benchmark: {r['entries']:,} generated entries (+15 networks), {r['machine']['nproc']} CPUs, "
            f"{r['machine']['memory_gib']} GiB, Python {r['machine']['python']}, {r['date']}")
    widths = [max(len(str(row[i])) for row in rows + [_HEADER]) for i in range(len(_HEADER))]
    lines = [head, "", " | ".join(h.ljust(w) for h, w in zip(_HEADER, widths)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    if nav:
        lines.append(f"\nPlain MkDocs with every entry in the navigation (its default), {nav['entries']:,} entries: "
                     f"{_fmt(nav['seconds'], ' s')}, {_fmt(nav['peak_mib'], ' MiB')} peak, median page {_fmt(nav['median_page_kb'], ' KB')}, "
                     f"{_fmt(nav['output_mb'], ' MB')} output.")
    if rb.get("note"):
        lines.append(f"Rebuild: {rb['note']}")
    if s.get("note"):
        lines.append(f"Search: {s['note']}")
    lines.append(f"kb check said: {r['check'].get('summary', '')}")
    if "load_average" in r:
        lines.append(f"Load average (1, 5, 15 min) before {r['load_average']['before']}, after {r['load_average']['after']}: "
                     "other work on the machine slows every figure, ours and plain alike.")
    return "\n".join(lines)


_HEADER = ("figure", "ours", "plain MkDocs (not_in_nav)", "ours/plain", "budget", "verdict")
