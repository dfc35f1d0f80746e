"""The generated benchmark corpus: valid for `kb check`, realistic in shape, and reproducible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kb.content.problems import errors
from kb.project import load_project
from kb_tools.corpus import PROPORTIONS, generate_project, split_counts
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "project"
    generate_project(root, 400, seed=3)
    return root


def test_corpus_passes_kb_check_with_no_errors(corpus):
    catalogue, problems = load_project(corpus, members=True, today=TODAY)
    assert errors(problems) == [], [p.format() for p in errors(problems)][:5]
    assert len(catalogue.entries) > 380


def test_corpus_has_every_type_in_proportion_and_the_real_networks(corpus):
    catalogue, _ = load_project(corpus, members=True, today=TODAY)
    counts = {t: len(refs) for t, refs in catalogue.by_type.items()}
    assert counts["network"] == 15
    assert (
        counts["minutes"] > counts["case-study"] > counts["register-entry"] > counts["research"] > counts["learning-summary"] > 0
    )
    assert len(catalogue.by_network) == 15
    assert sum(len(e.links) for e in catalogue.entries.values()) > 400  # wiki links and sources


def test_corpus_has_drafts_members_entries_and_open_overdue_and_future_work(corpus):
    everything, _ = load_project(corpus, members=True, today=TODAY)
    public, _ = load_project(corpus, members=False, today=TODAY)
    assert len(public.entries) < len(everything.entries)  # members-only entries exist
    drafts = [p for p in corpus.rglob("*.md") if "status: draft" in p.read_text() or "status: review" in p.read_text()]
    assert drafts and all(p.stem not in {e.slug for e in everything.entries.values()} for p in drafts)
    minutes = everything.of_type("minutes")
    actions = [a for m in minutes for a in m.meta.get("actions", [])]
    assert any(a["status"] == "open" and a["due"] < TODAY for a in actions)  # overdue
    assert any(a["status"] == "open" and a["due"] >= TODAY for a in actions)
    assert any(m.date > TODAY and m.meta.get("agenda") for m in minutes)  # scheduled meetings


def test_bodies_are_of_realistic_length_with_headings_and_lists(corpus):
    catalogue, _ = load_project(corpus, members=True, today=TODAY)
    cases = catalogue.of_type("case-study")
    lengths = sorted(len(e.body.split()) for e in cases)
    assert 250 <= lengths[len(lengths) // 2] <= 900
    assert all(e.body.count("\n## ") + e.body.startswith("## ") >= 3 for e in cases)
    assert all("\n- " in e.body for e in cases)


def test_site_files_are_copied_but_no_starter_entry(corpus):
    root = ROOT
    assert (corpus / "mkdocs.yml").read_text() == (root / "mkdocs.yml").read_text()
    from kb.content.model import ENTRY_TYPES

    entry_folders = tuple(t.folder + "/" for t in ENTRY_TYPES.values())
    site_files = [p.relative_to(root).as_posix() for p in (root / "content").rglob("*") if p.is_file()]
    site_files = [rel for rel in site_files if not rel.startswith(entry_folders)]
    assert "content/tags.yml" in site_files and "content/about/index.md" in site_files
    for rel in site_files:
        assert (corpus / rel).read_bytes() == (root / rel).read_bytes()
    assert sorted(p.name for p in (corpus / "content/networks").iterdir()) == sorted(
        p.name for p in (root / "content/networks").iterdir()
    )
    assert not (corpus / "content/case-studies/transition-coaching.md").exists()


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path):
    generate_project(tmp_path / "a", 60, seed=7)
    generate_project(tmp_path / "b", 60, seed=7)
    generate_project(tmp_path / "c", 60, seed=8)

    def files(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}

    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


@pytest.mark.parametrize("n", [1, 7, 100, 10_000])
def test_split_counts_sum_to_n(n):
    counts = split_counts(n)
    assert sum(counts.values()) == n and set(counts) == set(PROPORTIONS)


def test_refuses_to_write_into_a_folder_with_files(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate_project(tmp_path, 5)
