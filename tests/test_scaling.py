"""No quadratic work (style.md point 12): counted operations, not timings, over 1,000 and 4,000 entries.

Every Entry property read (title, date, tags, networks, ...) is counted while the catalogue is
loaded and checked, every page and file is planned, every entry's page context is computed and
every generated page is rendered. Comparing each entry with every other would multiply the
count by about 16 for four times the entries; linear work multiplies it by about 4.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest

from kb.content.catalogue import Entry, build_catalogue
from kb.content.problems import errors
from kb.project import load_project
from kb_tools.corpus import generate_project

TODAY = dt.date(2026, 11, 23)
SIZES = (1000, 4000)
MAX_RATIO = 5.0  # for 4x the entries
PROPERTIES = ("slug", "url", "src_uri", "title", "summary", "date", "networks", "tags", "status", "visibility")


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("scaling")
    for n in SIZES:
        generate_project(base / str(n), n, seed=5)
    return {n: base / str(n) for n in SIZES}


@pytest.fixture(scope="module")
def catalogues(projects) -> dict:
    """One loaded catalogue per size, for the tests that do not compute derived indexes."""
    return {n: load_project(projects[n], today=TODAY)[0] for n in SIZES}


@contextmanager
def counting_entry_reads(counts: Counter, phase: str):
    """Replace each Entry property by one that counts its reads under `phase`."""
    patches = []
    for name in PROPERTIES:
        original = getattr(Entry, name)

        def getter(self, _get=original.fget, _phase=phase):
            counts[_phase] += 1
            return _get(self)

        patches.append(mock.patch.object(Entry, name, property(getter)))
    for p in patches:
        p.start()
    try:
        yield
    finally:
        for p in reversed(patches):
            p.stop()


def count_build_work(project: Path) -> tuple[Counter, int]:
    """Entry reads per phase of a whole public build's planning and rendering, without MkDocs."""
    from kb.site.plan import ENTRY_CONTEXT, plan_files, plan_pages

    counts: Counter = Counter()
    with counting_entry_reads(counts, "load and check"):
        cat, problems = load_project(project, today=TODAY)
    assert not errors(problems)
    with counting_entry_reads(counts, "plan pages"):
        pages = plan_pages(cat)
    with counting_entry_reads(counts, "plan files"):
        plan_files(cat)
    with counting_entry_reads(counts, "entry page context"):
        for entry in cat.entries.values():
            for extra in ENTRY_CONTEXT:
                extra(entry, cat)
    with counting_entry_reads(counts, "generated pages"):
        for page in pages.values():
            if page.entry is None and page.render_html is not None:
                page.render_html(page.src_uri.removesuffix("index.md").removesuffix(".md"))
    return counts, len(cat.entries)


def test_build_work_grows_linearly_with_entries(projects):
    small, n_small = count_build_work(projects[1000])
    large, n_large = count_build_work(projects[4000])
    growth = n_large / n_small
    assert 3.5 < growth < 4.5
    report = {phase: (small[phase], large[phase], round(large[phase] / max(small[phase], 1), 2)) for phase in large}
    for phase, (a, b, ratio) in report.items():
        assert ratio < MAX_RATIO, f"{phase}: {a} entry reads at 1,000 entries, {b} at 4,000 (x{ratio}); all phases: {report}"
    assert sum(large.values()) > sum(small.values()) > 0
    print("entry reads per phase (1,000, 4,000, ratio):", report)


def test_backlinks_visit_each_link_once(catalogues):
    """Backlinks come from inverting the link map in one pass: reads grow with links, not entries squared."""
    reads = {}
    for n in SIZES:
        entries = list(catalogues[n].entries.values())
        counts: Counter = Counter()
        with counting_entry_reads(counts, "backlinks"):
            cat = build_catalogue(entries, {}, members=False, today=TODAY)
        reads[n] = counts["backlinks"]
        assert sum(map(len, cat.backlinks.values())) > n / 2
    assert reads[4000] / reads[1000] < MAX_RATIO, reads


def test_related_entries_candidates_grow_linearly(catalogues):
    """Candidates visited: bounded by (tags + networks) x POSTINGS_CAP + key terms x TERM_CAP per entry, so linear.

    Between 1,000 and 4,000 entries the tag lists grow past the cap, so the count per entry
    still rises a little (x1.3 measured); beyond that it is constant. All pairs would be x4 per entry.
    """
    related = pytest.importorskip("kb.site.related")
    per_entry = {}
    for n in SIZES:
        cat = catalogues[n]
        ops = related.OpCounter()
        related.related_index(cat, ops=ops)
        bound = sum(len(set(e.tags)) + len(set(e.networks)) for e in cat.entries.values()) * related.POSTINGS_CAP
        bound += sum(map(len, cat.derived["related_terms"].of.values())) * related.TERM_CAP  # the key terms, capped too
        assert 1000 < ops.count <= bound
        per_entry[n] = ops.count / len(cat.entries)
    assert per_entry[4000] / per_entry[1000] < 1.6, per_entry
    print("candidates per entry (1,000, 4,000):", per_entry)


def test_the_counter_would_catch_quadratic_work(catalogues):
    """The guard itself: an all-pairs comparison (100 and 400 entries, to stay fast) fails the ratio."""
    entries = list(catalogues[1000].entries.values())
    reads = {}
    for n in (100, 400):
        counts: Counter = Counter()
        with counting_entry_reads(counts, "pairs"):
            for a in entries[:n]:
                for b in entries[:n]:
                    _ = set(a.tags) & set(b.tags)
        reads[n] = counts["pairs"]
    assert reads[400] / reads[100] > MAX_RATIO
