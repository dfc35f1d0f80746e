"""The build cache's rows of `scripts/bench`: warm `kb build` after one edit of each kind, and warm `kb check`.

Each figure is the median of `runs` fresh processes with the spread (fastest, slowest), each after a new edit of
the same entry, so every run has something to redo. Plain MkDocs has no cache: after any edit its figure is a
full build, so its column is the median of the full builds measured side by side (bench.build_pairs).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

KINDS = ("body", "title", "tags")


def summary(seconds: list[float]) -> dict:
    """Median of the runs, with each run and the spread (slowest minus fastest)."""
    return {
        "runs_s": seconds,
        "median_s": statistics.median(seconds),
        "spread_s": round(max(seconds) - min(seconds), 2),
    }


def edited(text: str, kind: str, i: int, tag_ids: list[str]) -> str:
    """The entry's text after one edit of this kind (run i): a body line, a new title, another set of tags."""
    if kind == "body":
        return text + f"\nWarm benchmark edit {i} {time.time_ns()}.\n"
    if kind == "title":
        return re.sub(r"(?m)^title: .*$", f"title: Warm benchmark title {i} {time.time_ns()}", text, count=1)
    current = re.search(r"(?m)^tags: \[([^\]]*)\]$", text)
    if current is None:
        raise RuntimeError("the sample entry has no tags line to edit")
    tags = [t.strip() for t in current.group(1).split(",") if t.strip()]
    fresh = [t for t in tag_ids if t not in tags]  # a tag the entry does not have: the set always changes
    kept, added = tags[:1], fresh[i % len(fresh)]
    return text[: current.start()] + f"tags: [{', '.join([*kept, added])}]" + text[current.end() :]


def measure_warm(project: Path, sample: Path, build: Callable[[], dict], check: Callable[[], dict], log, runs: int = 3) -> dict:
    """Warm builds after a body, a title and a tags edit, then warm checks after a body edit; the sample is restored."""
    tag_ids = sorted((yaml.safe_load((project / "content/tags.yml").read_text(encoding="utf-8")) or {}).keys())
    original = sample.read_text(encoding="utf-8")
    result: dict = {"runs": runs}
    try:
        for kind in KINDS:
            seconds = []
            for i in range(runs):
                sample.write_text(edited(sample.read_text(encoding="utf-8"), kind, i, tag_ids), encoding="utf-8")
                seconds.append(build()["seconds"])
            result[kind] = summary(seconds)
            log(f"warm build after a {kind} edit: {result[kind]}")
        seconds = []
        for i in range(runs):
            sample.write_text(edited(sample.read_text(encoding="utf-8"), "body", i, tag_ids), encoding="utf-8")
            run = check()
            if run["exit"] not in (0, 1):
                raise RuntimeError("warm kb check failed:\n" + run["output"])
            seconds.append(run["seconds"])
        result["check"] = summary(seconds)
        log(f"warm kb check after a body edit: {result['check']}")
    finally:
        sample.write_text(original, encoding="utf-8")
    return result
