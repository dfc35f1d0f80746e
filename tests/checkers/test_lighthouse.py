"""Lighthouse (mobile preset) on the home page, an entry, actions/ and search/?q=, served the
way production serves them (scripts/production: Caddy in front of the site and the search service):
at least 95 in performance, accessibility, best practices and SEO, and a cumulative layout shift under 0.05.

The phone Lighthouse emulates is a mid-tier one: its default slows the CPU 4 times, which is right for a fast desktop
(benchmark index about 1500) and far too slow on a small shared machine (this one measures 500-1400, depending on what
else runs). As Lighthouse's own guide says (docs/throttling.md, "calibrating the CPU slowdown"), the multiplier is
calibrated to the host's benchmark index, with the calculator Lighthouse links to. Each run measures the index again
as it starts; a run whose index calls for a multiplier more than 15 % away from the one it used was calibrated for
another moment of the machine, and is run again with the multiplier its own index calls for. The network stays at
Lighthouse's slow-4G default and the thresholds stay as the issue sets them.

Scores swing from run to run (Lighthouse's docs/variability.md advises the median of several runs): each page is
judged by its median run of three, by performance score (KB_LIGHTHOUSE_RUNS=1 for one run while working on a page).
On this machine the multiplier comes to 9-10: a task of 25 ms on the host is one of 250 ms on the phone, and total
blocking time swings 0-260 ms between runs of the same page (score 95-100). One run a page let a single swing fail CI
(2026-12-05: three pages at 94, blocking time 290-300 ms); the median of three costs about a minute and a half more.
A failure names, for every run of the page, its score, blocking time, multiplier and benchmark index, and the
machine's load, so a failure can be told from a busy machine."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.checkers.conftest import tool
from tests.conftest import ROOT

pytestmark = pytest.mark.checkers
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "",
    "entry": "case-studies/transition-coaching/",
    "actions": "actions/",
    "search": "search/?q=coaching",
}
# The performance score is made of these five metrics alone (the category's other audits weigh nothing): a run that
# measures performance only measures them, 3 s quicker than the whole category.
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index")
MIN_SCORE = 95
MAX_CLS = 0.05
RUNS = int(os.environ.get("KB_LIGHTHOUSE_RUNS", "3"))  # per page: the first measures all four categories
FIRST_GUESS = 2.8  # CPU slowdown of the first run, before any run measured this machine (calibrated() puts it right)


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes this host a mid-tier phone (patrickhulce/lighthouse-cpu-throttling-calculator,
    linked from Lighthouse's docs/throttling.md): 4x at an index of 1533, 2x at 800, 1x at 150."""
    if benchmark_index >= 1300:
        return 3 + (benchmark_index - 1300) / 233
    if benchmark_index >= 800:
        return 2 + (benchmark_index - 800) / 500
    return max(1.0, 1 + (benchmark_index - 150) / 650)


def lighthouse(url: str, out: Path, slowdown: float | None = None, categories: tuple[str, ...] = CATEGORIES) -> dict:
    """One Lighthouse run of Debian's chromium, headless, on a loopback address; its JSON report. The screenshots
    (a filmstrip nobody reads here) are left out: they cost seconds a run."""
    calibrated = [f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}"] if slowdown else []
    run = subprocess.run(
        [
            str(tool("lighthouse")),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            *(
                [f"--only-audits={','.join(METRICS)}"]
                if categories == ("performance",)
                else [f"--only-categories={','.join(categories)}"]
            ),
            "--skip-audits=screenshot-thumbnails,final-screenshot,full-page-screenshot",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--max-wait-for-load=60000",
            *calibrated,
        ],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    if run.returncode != 0 or not out.exists():
        pytest.fail(f"Lighthouse did not run on {url} (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def calibrated(url: str, out: Path, slowdown: float, categories: tuple[str, ...]) -> tuple[dict, float]:
    """A run whose multiplier fits the benchmark index it measured (a second try at most), and the multiplier the
    next run should use."""
    for attempt in ("a", "b"):
        report = lighthouse(url, out.with_name(f"{out.name}{attempt}.json"), slowdown, categories)
        fits = cpu_slowdown(report["environment"]["benchmarkIndex"])
        if abs(fits - slowdown) <= 0.15 * fits:
            break
        slowdown = fits
    return report, slowdown


def measured(url: str, out: Path, slowdown: float, runs: int = RUNS) -> tuple[dict, dict, float, list[str]]:
    """The page's first run (all four categories), its median run by performance (the others measure performance
    only), the multiplier the next page should start from, and what each run measured (for a failure message)."""
    made = []
    for run in range(runs):
        report, slowdown = calibrated(
            url, out.with_name(f"{out.name}.{run}"), slowdown, CATEGORIES if not run else ("performance",)
        )
        made.append(report)
    summaries = [run_summary(report) for report in made]
    print(f"Lighthouse {url}: {summaries}")
    return made[0], median_run(made), slowdown, summaries


def median_run(made: list[dict]) -> dict:
    """The run in the middle by performance score (the lower middle of an even number)."""
    return sorted(made, key=lambda report: report["categories"]["performance"]["score"] or 0)[(len(made) - 1) // 2]


def run_summary(report: dict) -> str:
    """One run in a few words: score, blocking time, the multiplier it used and the benchmark index it measured."""
    blocking = report["audits"]["total-blocking-time"]["numericValue"]
    multiplier = report["configSettings"]["throttling"]["cpuSlowdownMultiplier"]
    return (
        f"performance {scores(report)['performance']}, blocking {blocking:.0f} ms at {multiplier:.2f}x "
        f"(benchmark index {report['environment']['benchmarkIndex']:.0f})"
    )


@pytest.fixture(scope="session")
def reports(production_stack, tmp_path_factory) -> dict[str, tuple[dict, dict, list[str]]]:
    """Each page's first run (judged on accessibility, best practices, SEO), median run (judged on performance) and
    what every run measured."""
    folder = tmp_path_factory.mktemp("lighthouse")
    slowdown = FIRST_GUESS
    made = {}
    for name, path in PAGES.items():
        full, median, slowdown, runs = measured(production_stack.url(path), folder / name, slowdown)
        made[name] = (full, median, runs)
        cls = median["audits"]["cumulative-layout-shift"]["numericValue"]
        print(f"Lighthouse {name}: {scores(full)} (performance of the median run {scores(median)['performance']}), CLS {cls:.3f}")
    return made


def scores(report: dict) -> dict[str, int]:
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES if name in report["categories"]}


def failing_audits(report: dict, category: str) -> list[str]:
    """The audits that cost points in a category, for the failure message."""
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [
        f"{ref['id']} ({audits[ref['id']]['score']}): {audits[ref['id']].get('displayValue', '')}"
        for ref in refs
        if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 0.9
    ]


def low_scores(report: dict, categories: tuple[str, ...]) -> str:
    """The categories under MIN_SCORE with the audits that cost the points, or "" when none is."""
    got = scores(report)
    return "; ".join(f"{name} {got[name]}: {failing_audits(report, name)}" for name in categories if got[name] < MIN_SCORE)


@pytest.mark.parametrize("page", PAGES)
def test_accessibility_best_practices_and_seo(reports, page):
    report, _, _ = reports[page]
    assert report["finalDisplayedUrl"].startswith("http://127.0.0.1:"), report["finalDisplayedUrl"]
    assert report["configSettings"]["throttling"]["cpuSlowdownMultiplier"] >= 1  # calibrated, never turned off
    assert not low_scores(report, ("accessibility", "best-practices", "seo")), f"{page}: {scores(report)}"


def test_performance(reports):
    low = {page: low_scores(median, ("performance",)) for page, (_, median, _) in reports.items()}
    runs = {page: made for page, (_, _, made) in reports.items() if low[page]}
    load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
    assert not any(low.values()), f"{low}\nevery run of those pages: {runs}\nload average {load}"


@pytest.mark.parametrize("page", PAGES)
def test_layout_shift(reports, page):
    _, median, _ = reports[page]
    cls = median["audits"]["cumulative-layout-shift"]["numericValue"]
    assert cls < MAX_CLS, f"{page}: cumulative layout shift {cls:.3f}"


def test_cpu_slowdown_follows_the_calculator():
    assert cpu_slowdown(1533) == pytest.approx(4, abs=0.01)
    assert cpu_slowdown(800) == 2
    assert cpu_slowdown(150) == 1
    assert cpu_slowdown(512) == pytest.approx(1.557, abs=0.01)
    assert cpu_slowdown(50) == 1


def fake_run(score: float, blocking: float) -> dict:
    """The parts of a Lighthouse report the judgement reads."""
    return {
        "categories": {"performance": {"score": score, "auditRefs": [{"id": "total-blocking-time", "weight": 30}]}},
        "audits": {"total-blocking-time": {"numericValue": blocking, "score": 0.8, "displayValue": f"{blocking:.0f} ms"}},
        "configSettings": {"throttling": {"cpuSlowdownMultiplier": 9.97}},
        "environment": {"benchmarkIndex": 2850.4},
    }


def test_a_performance_failure_names_every_run_of_the_page():
    runs = [fake_run(0.94, 300), fake_run(0.99, 40), fake_run(0.94, 290)]
    reports = {
        "home": (runs[0], median_run(runs), [run_summary(r) for r in runs]),
        "entry": (runs[1], runs[1], [run_summary(runs[1])]),
    }
    with pytest.raises(AssertionError) as failure:
        test_performance(reports)
    judged, every_run, load = str(failure.value).splitlines()[:3]
    assert "'home': \"performance 94: ['total-blocking-time (0.8): 290 ms']\"" in judged  # the median run
    assert "performance 94, blocking 300 ms at 9.97x (benchmark index 2850)" in every_run
    assert "performance 99, blocking 40 ms" in every_run  # every run of a failing page, not only the median
    assert "entry" not in every_run  # a page that passed is not listed
    assert load.strip().startswith("load average ")
