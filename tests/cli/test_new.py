"""Guard rails: a single-file check still resolves links against the whole project, and the
pre-commit hook runs `kb check` so an entry with errors cannot be committed by mistake."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from kb.cli.main import main
from tests.conftest import MINI_CASE, ROOT


def run(project, *args):
    return CliRunner().invoke(main, ["--project", str(project), *args], env={"KB_TODAY": "2026-11-23"})


def test_checking_one_file_still_finds_its_broken_link_to_another_file(project):
    project.write(
        "content/case-studies/second.md",
        MINI_CASE.replace("Coaching in Year 7", "Second study").replace(
            "We coached every new pupil.", "See [[case-studies/coaching-year-8]] and [the plan](../../register/plan.md)."
        ),
    )
    result = run(project.root, "check", "--json", "content/case-studies/second.md")
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert {p["path"] for p in problems} == {"content/case-studies/second.md"}
    messages = [p["message"] for p in problems]
    assert (
        "the wiki link [[case-studies/coaching-year-8]] does not lead to an entry: there is no entry "
        "'case-studies/coaching-year-8'. Did you mean [[case-studies/coaching-year-7]]?"
    ) in messages
    assert "the link to '../../register/plan.md' does not lead to an existing file (looked for register/plan.md)." in messages
    assert all(p["line"] == 10 and p["field"] == "link" for p in problems)


def test_checking_one_file_accepts_a_link_to_another_valid_file(project):
    project.write(
        "content/case-studies/second.md",
        MINI_CASE.replace("Coaching in Year 7", "Second study").replace(
            "We coached every new pupil.", "Builds on [[case-studies/coaching-year-7]]."
        ),
    )
    result = run(project.root, "check", "content/case-studies/second.md")
    assert result.exit_code == 0, result.output
    assert "1 files checked, 0 error(s), 0 warning(s)." in result.output


def test_problems_of_other_files_are_not_listed_for_a_single_file_check(project):
    project.write("content/case-studies/broken.md", MINI_CASE.replace("date: 2026-03-12", "date: soon"))
    assert run(project.root, "check").exit_code == 1
    result = run(project.root, "check", "content/case-studies/coaching-year-7.md")
    assert result.exit_code == 0 and "broken.md" not in result.output


def test_check_output_is_grouped_with_line_field_message_and_fix(project):
    project.write(
        "content/case-studies/coaching-year-7.md",
        MINI_CASE.replace("tags: [coaching]", "tags: [coachin]").replace(
            "approach: enquiring", "approach: enquiring\nfunctions: knowledge-sharing"
        ),
    )
    out = run(project.root, "check").output
    assert (
        "content/case-studies/coaching-year-7.md\n"
        "  ERROR line 6, tags[0]: 'coachin' is not a known tag.\n"
        "      Fix: did you mean 'coaching'? Known tags are listed in content/tags.yml.\n"
        "  ERROR line 9, functions: is a single text, but a list is needed.\n"
        "      Fix: write it in square brackets: functions: [knowledge-sharing]\n"
    ) in out
    assert out.rstrip().endswith("files checked, 2 error(s), 0 warning(s).")
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_pre_commit_hook_runs_kb_check_on_content_changes():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] == "system" and hook["pass_filenames"] is False
    assert shlex.split(hook["entry"])[-1] == "check" and Path(shlex.split(hook["entry"])[0]).name == "kb"
    import re

    for changed, runs in (
        ("content/case-studies/x.md", True),
        ("register/x.md", True),
        ("mkdocs.yml", True),
        ("plugins/kb/cli.py", False),
        ("README.md", False),
    ):
        assert bool(re.search(hook["files"], changed)) is runs, changed


def test_pre_commit_hook_command_fails_on_an_error_and_passes_when_fixed(project):
    """What the hook runs, run the same way (a process in the project folder)."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    argv = shlex.split(config["repos"][0]["hooks"][0]["entry"])
    argv[0] = str(Path(sys.executable).with_name("kb"))  # the hook's .venv/bin/kb, for a project elsewhere
    env = {"KB_TODAY": "2026-11-23", "PATH": "/usr/bin:/bin"}
    project.write("content/case-studies/coaching-year-7.md", MINI_CASE.replace("status: published", "status: publish"))
    failed = subprocess.run(argv, cwd=project.root, capture_output=True, text=True, env=env)
    assert failed.returncode == 1 and "did you mean 'published'?" in failed.stdout
    project.write("content/case-studies/coaching-year-7.md", MINI_CASE)
    passed = subprocess.run(argv, cwd=project.root, capture_output=True, text=True, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
