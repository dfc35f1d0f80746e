"""What every `kb` command shares (cli/common.py): the project folder, and loading it with domain errors as clean exits."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kb.cli.common import Context, fail, load_or_fail, require_project
from kb.cli.main import main


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {})


def test_context_resolves_the_project_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ctx = Context(Path("."))
    assert ctx.project == tmp_path.resolve() and ctx.project.is_absolute()
    assert ctx.config_file == tmp_path.resolve() / "mkdocs.yml"


def test_fail_is_a_click_exception_with_exit_code_1():
    with pytest.raises(click.ClickException) as raised:
        fail("Something plain.")
    assert raised.value.message == "Something plain." and raised.value.exit_code == 1


def test_a_folder_without_content_fails_naming_the_folder(tmp_path):
    with pytest.raises(click.ClickException) as raised:
        load_or_fail(Context(tmp_path))
    message = raised.value.message
    assert message.startswith(f"{tmp_path.resolve()} has no content/ folder.") and "kb --project DIR" in message
    (tmp_path / "content").write_text("a file, not a folder")
    with pytest.raises(click.ClickException, match="has no content/ folder"):
        require_project(Context(tmp_path))


def test_a_bad_kb_today_is_a_clean_message(project, monkeypatch):
    monkeypatch.setenv("KB_TODAY", "tomorrow")
    with pytest.raises(click.ClickException) as raised:
        load_or_fail(Context(project.root))
    assert raised.value.message == "KB_TODAY is 'tomorrow', which is not a date. Fix: set it as KB_TODAY=2026-03-12, or unset it."
    assert raised.value.__cause__ is None and raised.value.__suppress_context__  # no chained traceback


def test_a_project_loads_with_the_options_given(project):
    project.write(
        "content/case-studies/members.md",
        project.root.joinpath("content/case-studies/coaching-year-7.md")
        .read_text()
        .replace("Coaching in Year 7", "Members study")
        .replace("status: published", "status: published\nvisibility: members"),
    )
    public, problems = load_or_fail(Context(project.root))
    members, _ = load_or_fail(Context(project.root), members=True)
    assert problems == [] and "case-studies/members" not in public.entries and "case-studies/members" in members.entries


def test_bad_kb_today_is_a_plain_error(project):
    result = run("--project", str(project.root), "check", env={"KB_TODAY": "tomorrow"})
    assert result.exit_code == 1 and "KB_TODAY is 'tomorrow'" in result.output


def test_project_without_content_is_a_plain_error(tmp_path):
    result = run("--project", str(tmp_path), "check")
    assert result.exit_code == 1 and "has no content/ folder" in result.output


@pytest.mark.parametrize("command", [["check"], ["check", "--json"], ["search", "coaching"]])
def test_every_command_that_loads_the_project_exits_cleanly(project, tmp_path, command):
    result = run("--project", str(project.root), *command, env={"KB_TODAY": "31/12/2026"})
    assert result.exit_code == 1 and "Error: KB_TODAY is '31/12/2026', which is not a date." in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # never a traceback
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("--project", str(empty), *command)
    assert result.exit_code == 1 and f"Error: {empty.resolve()} has no content/ folder." in result.output
    assert "Traceback" not in result.output
