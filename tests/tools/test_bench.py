"""scripts/bench works end to end and reports every figure; nothing is asserted about time."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import yaml

from kb_tools.bench_plain import is_public_published, make_plain_project
from kb_tools.corpus import generate_project


def test_bench_quick_reports_every_figure(tmp_path):
    out = tmp_path / "latest.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "kb_tools.bench",
            "--quick",
            "--entries",
            "150",
            "--nav-entries",
            "150",
            "--pairs",
            "2",
            "--warm-runs",
            "2",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    r = json.loads(out.read_text())
    assert out.with_suffix(".md").read_text().count("\n| ") >= 9
    assert r["entries"] == 150 and r["machine"]["nproc"] >= 1 and r["machine"]["python"]
    assert r["check"]["exit"] == 0 and " 0 error(s)" in r["check"]["summary"]
    for figures in (r["build"], r["plain"]):
        for name in ("seconds", "peak_mib", "output_mb", "files", "sample_kb", "median_kb", "max_kb"):
            assert isinstance(figures[name], (int, float)) and figures[name] > 0, name
        assert figures["pages"] > 150
    assert r["plain"]["search_payload_gzip_kb"] > 0
    assert r["rebuild"]["seconds"] > 0 and r["rebuild"]["plain_seconds"] > 0 and r["rebuild"]["how"]
    assert r["plain_nav"]["entries"] == 150 and r["plain_nav"]["exit"] == 0 and r["plain_nav"]["seconds"] > 0
    search = r["search"]
    assert ("p95_ms" in search and "payload_gzip_kb" in search) or search["note"].startswith("not measured")
    if "p95_ms" in search:
        assert search["load"]["requests"] > 0 and search["load"]["server_errors"] == 0
    assert set(r["verdicts"]) == {
        "build_s",
        "check_s",
        "warm_body_s",
        "warm_title_s",
        "warm_check_s",
        "rebuild_s",
        "build_peak_mib",
        "entry_page_kb",
        "search_payload_kb",
        "search_p95_ms",
    }
    assert r["build"]["largest_pages"] and r["plain"]["largest_pages"]
    pairs = r["build_pairs"]  # the build verdict: medians of builds made one after the other, timed alone
    assert len(pairs["ours_s"]) == len(pairs["plain_s"]) == 2
    assert min(pairs["ours_s"]) <= pairs["ours_median_s"] <= max(pairs["ours_s"]) and pairs["plain_median_s"] > 0
    assert "full public build (cold), median of 2 pairs" in run.stdout and "first build with its memory sampled" in run.stdout
    warm = r["warm"]  # the build cache's rows: medians of fresh processes, each after one more edit
    for kind in ("body", "title", "tags", "check"):
        runs = warm[kind]["runs_s"]
        assert len(runs) == 2 and min(runs) <= warm[kind]["median_s"] <= max(runs), kind
        assert warm[kind]["spread_s"] == round(max(runs) - min(runs), 2)
    assert r["verdicts"]["warm_body_s"] is not None and r["verdicts"]["warm_check_s"] is not None
    for line in (
        "kb check (cold)",
        "full public build",
        "warm build after one body edit, median of 2",
        "warm build after one title edit",
        "warm build after one tags edit",
        "warm kb check after one body edit",
        "peak memory",
        "rebuild after one edit",
        "entry page HTML",
        "largest page",
        "search payload",
        "search latency p50 / p95 (HTTP)",
        "every entry in the navigation",
    ):
        assert line in run.stdout


def test_plain_project_has_no_plugin_of_ours_and_only_public_entries(tmp_path):
    generate_project(tmp_path / "p", 80, seed=2)
    (tmp_path / "p/content/case-studies/a-draft-of-ours.md").write_text(  # drafts are rare in the corpus: one for certain
        "---\ntitle: A draft\nsummary: Not yet.\ndate: 2026-10-01\nnetworks: [equity]\nstatus: draft\n---\nText.\n"
    )
    make_plain_project(tmp_path / "p", tmp_path / "plain", in_nav=False)
    config = yaml.safe_load((tmp_path / "plain/mkdocs.yml").read_text())
    assert config["plugins"] == ["search"] and "custom_dir" not in config["theme"]
    assert "/case-studies/" in config["not_in_nav"] and "/register/" in config["not_in_nav"]
    assert all((tmp_path / "plain/docs" / item).is_file() for item in _flat(config.get("nav", [])))
    docs = tmp_path / "plain/docs"
    assert (docs / "register").is_dir() and list((docs / "register").glob("*.md"))
    assert all(is_public_published(p.read_text()) for p in docs.rglob("*.md") if p.parts[-2] not in ("about", "contribute"))
    drafts = [p for p in (tmp_path / "p").rglob("*.md") if "\nstatus: draft" in p.read_text()]
    assert drafts and not any((docs / p.relative_to(tmp_path / "p/content")).exists() for p in drafts if "content" in p.parts)
    make_plain_project(tmp_path / "p", tmp_path / "plain-nav", in_nav=True)
    assert "nav" not in yaml.safe_load((tmp_path / "plain-nav/mkdocs.yml").read_text())


def _flat(nav):
    for item in nav:
        if isinstance(item, dict):
            for value in item.values():
                yield from (_flat(value) if isinstance(value, list) else [value])
        else:
            yield item


def test_timed_alone_a_command_is_not_sampled(monkeypatch):
    """The builds timed against each other run without the memory sampler reading /proc beside them."""
    import sys

    import kb_tools.bench as bench

    readings: list[int] = []
    real = bench._tree_memory_kib
    monkeypatch.setattr(bench, "_tree_memory_kib", lambda pid: readings.append(pid) or real(pid))
    command = [sys.executable, "-c", "import time; time.sleep(1.2)"]
    alone = bench.run_measured(command, sample_memory=False)
    assert readings == [] and alone["exit"] == 0 and alone["seconds"] >= 1.2
    sampled = bench.run_measured(command)
    assert len(readings) >= 4 and sampled["exit"] == 0  # every 0.2 s while it ran


def test_peak_memory_counts_the_command_and_its_child_processes_together():
    """Our build forks a page worker and a search-index writer: the figure must add them up."""
    import sys

    from kb_tools.bench import run_measured

    parent = "import subprocess, sys; a = bytearray(150 * 2**20); a[::4096] = b'x' * len(a[::4096]); "
    child = "b = bytearray(250 * 2**20); b[::4096] = b'y' * len(b[::4096]); import time; time.sleep(1.5)"
    result = run_measured([sys.executable, "-c", parent + f"subprocess.run([sys.executable, '-c', {child!r}])"])
    assert result["exit"] == 0
    assert result["peak_mib"] > 400  # either process alone stays under 300 MiB


def test_warm_edits_change_the_entry_and_keep_its_tags_valid(tmp_path):
    from kb_tools.bench_warm import edited

    text = "---\ntitle: A study\ntags: [oracy, reading]\n---\nBody.\n"
    tag_ids = ["oracy", "reading", "writing"]
    assert edited(text, "body", 0, tag_ids).startswith(text) and edited(text, "body", 0, tag_ids) != text
    assert "title: Warm benchmark title 1" in edited(text, "title", 1, tag_ids)
    tagged = [text]
    for i in range(3):  # as the benchmark runs them: each edit of the text the last one left
        tagged.append(edited(tagged[-1], "tags", i, tag_ids))
    assert all(
        t.count("tags: [oracy, ") == 1 and set(t.split("tags: [")[1].split("]")[0].split(", ")) <= {*tag_ids} for t in tagged
    )
    assert all(before != after for before, after in itertools.pairwise(tagged))  # every run has a change to build


def test_a_cold_build_starts_without_the_cache_and_the_site_before_last(tmp_path, monkeypatch):
    """Plain's earlier site is removed before each of its builds: ours starts without its earlier output too."""
    import kb_tools.bench as bench

    project, site = tmp_path / "project", tmp_path / "project" / "site"
    kept = [project / bench.CACHE / "manifest.json", project / ".site.spare" / "index.html", site / "index.html"]
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("earlier")
    seen: list[list[bool]] = []
    monkeypatch.setattr(bench, "run_measured", lambda *a, **k: seen.append([p.exists() for p in kept]) or {"exit": 0})
    bench.our_build(project, site, {}, cold=False)
    bench.our_build(project, site, {})
    assert seen == [[True, True, True], [False, False, True]]  # the site itself: the build replaces it, as plain's
