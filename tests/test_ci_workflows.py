"""The CI files shipped for the partnership's git host (GitHub Actions, GitLab CI): they are not run here,
so they are read as YAML and held to the review route the README describes."""

from __future__ import annotations

import yaml

from tests.conftest import ROOT


def commands(job: dict) -> str:
    steps = job.get("steps") or []
    return "\n".join([s.get("run", "") for s in steps] + list(job.get("script") or []))


def test_github_checks_pull_requests_strictly_and_publishes_merges_to_main():
    workflow = yaml.safe_load((ROOT / ".github/workflows/knowledge-base.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert "kb check --strict $changed" in commands(check) and "\nkb check\n" in "\n" + commands(check) + "\n"
    assert publish["if"] == "github.event_name == 'push'"
    assert "kb build --site-dir site" in commands(publish) and "npm ci" in commands(publish)
    assert [s.get("uses", "").split("@")[0] for s in publish["steps"]][-2:] == [
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert workflow["permissions"] == {"contents": "read"}


def test_gitlab_checks_merge_requests_strictly_and_publishes_the_default_branch():
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    check, pages = pipeline["check"], pipeline["pages"]
    assert check["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "kb check --strict $changed" in commands(check) and "kb check" in check["script"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert "kb build --site-dir public" in pages["script"] and pages["artifacts"]["paths"] == ["public"]
