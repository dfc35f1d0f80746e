"""`kb publish [--rollback]` and `kb production` on a small project: real builds, plain errors, the live release untouched by a failure."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from kb.cli.main import main


@pytest.fixture
def run(project, monkeypatch, tmp_path):
    monkeypatch.setenv("KB_LIVE_DIR", str(tmp_path / "elsewhere" / "live"))

    def invoke(*args):
        return CliRunner().invoke(main, ["--project", str(project.root), *args])

    return invoke


def test_publish_then_a_broken_entry_then_rollback(project, run, tmp_path):
    live = tmp_path / "elsewhere" / "live"
    first = run("publish")
    assert first.exit_code == 0, first.output
    assert "Published release" in first.output and (live / "current" / "site" / "index.html").exists()
    assert (live / "current" / "site-members" / "index.html").exists() and (live / "current" / "site.search").is_dir()
    assert not (project.root / "site").exists()  # kb publish leaves kb build's folder alone
    release = os.readlink(live / "current")

    project.write("content/case-studies/broken.md", "---\ntitle: Broken\nstatus: published\n---\nNo summary, no date.\n")
    broken = run("publish")
    assert broken.exit_code == 1 and "Traceback" not in broken.output
    assert (
        "content/case-studies/broken.md" in broken.output and "Nothing was published: the live release is still" in broken.output
    )
    assert os.readlink(live / "current") == release
    assert [p.name for p in (live / "releases").iterdir()] == [release.split("/")[-1]]

    (project.root / "content/case-studies/broken.md").unlink()
    second = run("publish")
    assert second.exit_code == 0, second.output
    assert os.readlink(live / "current") != release
    back = run("publish", "--rollback")
    assert back.exit_code == 0 and "Rolled back" in back.output
    assert os.readlink(live / "current") == release
    oldest = run("publish", "--rollback")
    assert oldest.exit_code == 1 and "oldest release kept" in oldest.output and "The live release is still" in oldest.output


def test_rollback_with_nothing_published(run):
    result = run("publish", "--rollback")
    assert result.exit_code == 1 and "Nothing is published" in result.output


def test_production_without_a_release_says_what_to_do(run):
    result = run("production", "--port", "1", "--no-publish")
    assert result.exit_code == 1 and "Run kb publish first" in result.output and "Traceback" not in result.output


def test_production_refuses_no_replicas(run, project):
    assert run("publish").exit_code == 0
    result = run("production", "--port", "1", "--no-publish", "--replicas", "0")
    assert result.exit_code == 1 and "--replicas must be at least 1" in result.output
