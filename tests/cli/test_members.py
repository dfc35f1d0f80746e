"""`kb members add|remove|list`: a password from standard input (for scripts) or asked twice on a terminal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kb.cli import members as members_cli
from kb.cli.main import main
from kb.live import accounts


@pytest.fixture
def fast_hashes(monkeypatch):
    """bcrypt at its cheapest cost in these tests (the strong default is tested in tests/live/test_accounts.py)."""
    original = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda password, rounds=4: original(password, 4))


def run(project, *args, stdin: str | None = None):
    return CliRunner().invoke(main, ["--project", str(project.root), "members", *args], input=stdin)


def test_add_reads_the_password_from_standard_input_and_never_prints_it(project, fast_hashes, monkeypatch):
    monkeypatch.delenv("KB_MEMBERS_FILE", raising=False)
    result = run(project, "add", "alice@example.org", stdin="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert "Added alice@example.org" in result.output and "correct horse" not in result.output
    assert "No web server is set up here yet" in result.output
    saved = accounts.read_accounts(project.root / "members.passwd")
    assert accounts.verify(saved, "alice@example.org", "correct horse battery")
    listed = run(project, "list")
    assert listed.exit_code == 0 and listed.output.splitlines() == ["alice@example.org"]


def test_a_windows_line_ending_is_not_part_of_the_password(project, fast_hashes):
    assert run(project, "add", "bob", stdin="correct horse battery\r\n").exit_code == 0
    assert accounts.verify(accounts.read_accounts(project.root / "members.passwd"), "bob", "correct horse battery")


def test_on_a_terminal_the_password_is_asked_twice(project, fast_hashes, monkeypatch):
    monkeypatch.setattr(members_cli.sys.stdin, "isatty", lambda: True, raising=False)
    prompts = []

    def prompt(text, hide_input=False, confirmation_prompt=False):
        prompts.append((text, hide_input, confirmation_prompt))
        return "correct horse battery"

    monkeypatch.setattr(members_cli.click, "prompt", prompt)
    assert members_cli.read_password() == "correct horse battery"
    assert prompts == [("Password", True, "Type it again")]


def test_no_password_is_a_plain_error(project, fast_hashes):
    result = run(project, "add", "alice", stdin="")
    assert result.exit_code == 1 and "No password came on standard input" in result.output
    assert not (project.root / "members.passwd").exists()


def test_errors_are_plain_words_with_the_fix(project, fast_hashes):
    short = run(project, "add", "alice", stdin="short\n")
    assert short.exit_code == 1 and "5 characters long" in short.output and "Fix:" in short.output
    assert "Traceback" not in short.output
    assert run(project, "add", "alice", stdin="correct horse battery\n").exit_code == 0
    again = run(project, "add", "alice", stdin="another long password\n")
    assert again.exit_code == 1 and "--replace" in again.output
    assert run(project, "add", "alice", "--replace", stdin="another long password\n").exit_code == 0
    gone = run(project, "remove", "nobody")
    assert gone.exit_code == 1 and "'nobody' is not a member" in gone.output and "alice" in gone.output
    assert run(project, "remove", "alice").exit_code == 0
    empty = run(project, "list")
    assert empty.exit_code == 0 and "No members yet" in empty.output


def test_a_credentials_file_inside_content_is_refused(project, fast_hashes, monkeypatch):
    monkeypatch.setenv("KB_MEMBERS_FILE", "content/members.passwd")
    result = run(project, "add", "alice", stdin="correct horse battery\n")
    assert result.exit_code == 1 and "could be published" in result.output
    assert not (project.root / "content" / "members.passwd").exists()


def test_outside_a_project_it_says_so(tmp_path):
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "members", "list"])
    assert result.exit_code == 1 and "has no content/ folder" in result.output
