"""CI keeps the build cache between runs: the recipes in docs/performance.md restore and save `.cache/kb/` (the default cache_dir), and
so do the shipped CI files (.github/workflows/knowledge-base.yml, .gitlab-ci.yml) in every job that checks or builds."""

from __future__ import annotations

import re

import yaml

from kb.config import KnowledgeBaseConfig
from tests.conftest import ROOT


def readme_snippets() -> tuple:
    """The recipes of docs/performance.md ("The build cache"): (GitHub Actions steps, GitLab CI job settings)."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs/performance.md").read_text(encoding="utf-8"), flags=re.S)
    github = [yaml.safe_load(block) for block in blocks if "actions/cache@" in block]
    gitlab = [yaml.safe_load(block) for block in blocks if re.search(r"(?m)^  cache:$", block)]
    assert len(github) == len(gitlab) == 1, "docs/performance.md has one recipe for each"
    return github[0], gitlab[0]


def cache_dir() -> str:
    return dict(KnowledgeBaseConfig._schema)["cache_dir"].default


def github_caches(steps: list) -> list[int]:
    """Indexes of the steps that restore and save the cache folder."""
    return [
        i
        for i, step in enumerate(steps)
        if step.get("uses", "").startswith("actions/cache@") and step["with"]["path"].rstrip("/") == cache_dir()
    ]


def test_the_documented_recipes_keep_the_default_cache_folder():
    github, gitlab = readme_snippets()
    assert github_caches(github) == [0] and github[0]["with"]["restore-keys"]
    assert github[0]["with"]["key"].startswith(github[0]["with"]["restore-keys"])  # a new key each run, the last one restored
    assert [p.rstrip("/") for p in gitlab["cache"]["paths"]] == [cache_dir()]


def test_the_shipped_ci_files_keep_the_cache_before_checking_and_building():
    github, gitlab = ROOT / ".github/workflows/knowledge-base.yml", ROOT / ".gitlab-ci.yml"
    jobs = yaml.safe_load(github.read_text(encoding="utf-8"))["jobs"]
    checked = 0
    for name, job in jobs.items():
        runs = [i for i, step in enumerate(job["steps"]) if re.search(r"\bkb (check|build)\b", step.get("run", ""))]
        if runs:
            assert github_caches(job["steps"]) and github_caches(job["steps"])[0] < runs[0], name
            checked += 1
    pipeline = yaml.safe_load(gitlab.read_text(encoding="utf-8"))
    for name, job in pipeline.items():
        if isinstance(job, dict) and any(re.search(r"\bkb (check|build)\b", line) for line in job.get("script") or []):
            assert cache_dir() in [p.rstrip("/") for p in job.get("cache", {}).get("paths", [])], name
            checked += 1
    assert checked == 4  # check and publish on GitHub, check and pages on GitLab
