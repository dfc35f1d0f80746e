"""The members' accounts file: bcrypt hashes in the htpasswd format, written whole, refused in plain words when wrong."""

from __future__ import annotations

import stat

import bcrypt
import pytest

from kb.live import accounts
from kb.live.accounts import AccountsError

FAST = 4  # bcrypt's cheapest cost, for tests; kb uses accounts.ROUNDS


def test_a_member_is_stored_as_a_bcrypt_hash_never_the_password(tmp_path):
    path = tmp_path / "members.passwd"
    assert accounts.add_member(path, "alice@example.org", "correct horse battery", rounds=FAST) is True
    text = path.read_text()
    assert "correct horse battery" not in text
    (line,) = [line for line in text.splitlines() if not line.startswith("#")]
    name, hashed = line.split(":", 1)
    assert name == "alice@example.org" and hashed.startswith("$2b$04$")
    assert bcrypt.checkpw(b"correct horse battery", hashed.encode())
    assert accounts.verify(accounts.read_accounts(path), "alice@example.org", "correct horse battery")
    assert not accounts.verify(accounts.read_accounts(path), "alice@example.org", "correct horse batterY")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_default_cost_is_the_strong_one(tmp_path):
    assert accounts.ROUNDS >= 12
    assert accounts.hash_password("correct horse battery").startswith(f"$2b${accounts.ROUNDS}$")


def test_add_replace_remove_and_list(tmp_path):
    path = tmp_path / "members.passwd"
    accounts.add_member(path, "bob", "first long password", rounds=FAST)
    accounts.add_member(path, "alice", "second long password", rounds=FAST)
    assert list(accounts.read_accounts(path)) == ["alice", "bob"]  # kept sorted
    with pytest.raises(AccountsError, match="already a member") as caught:
        accounts.add_member(path, "bob", "another long password", rounds=FAST)
    assert "--replace" in caught.value.problem.hint
    assert accounts.add_member(path, "bob", "another long password", replace=True, rounds=FAST) is False
    assert accounts.verify(accounts.read_accounts(path), "bob", "another long password")
    accounts.remove_member(path, "bob")
    assert list(accounts.read_accounts(path)) == ["alice"]
    with pytest.raises(AccountsError, match="'bob' is not a member") as caught:
        accounts.remove_member(path, "bob")
    assert "alice" in caught.value.problem.hint


@pytest.mark.parametrize("name", ["", "a b", "alice:x", "-alice", "a" * 65, "al\nice", "ålice", 'a"b', "{admin}"])
def test_names_that_could_break_the_file_or_the_web_servers_configuration_are_refused(tmp_path, name):
    with pytest.raises(AccountsError) as caught:
        accounts.add_member(tmp_path / "members.passwd", name, "correct horse battery", rounds=FAST)
    assert caught.value.problem.field == "NAME" and "letters, digits" in caught.value.problem.hint
    assert not (tmp_path / "members.passwd").exists()


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("short", "5 characters long"),
        ("x" * 73, "73 bytes long"),
        ("é" * 40, "80 bytes long"),
        ("two\nlines here!", "line break"),
    ],
)
def test_passwords_too_short_too_long_for_bcrypt_or_on_two_lines_are_refused(tmp_path, password, words):
    with pytest.raises(AccountsError, match=words) as caught:
        accounts.add_member(tmp_path / "members.passwd", "alice", password, rounds=FAST)
    assert caught.value.problem.field == "password" and caught.value.problem.hint


@pytest.mark.parametrize(
    ("line", "fault"),
    [
        ("alice", "not 'name:hash'"),
        ("alice:correct horse battery", "not stored as a bcrypt hash"),
        ("alice:$1$abc$defghijklmnopqrstuv", "not stored as a bcrypt hash"),
        ("bad name:$2b$04$" + "a" * 53, "not a member's name"),
    ],
)
def test_a_bad_line_in_the_file_is_named_with_its_line_number(tmp_path, line, fault):
    path = tmp_path / "members.passwd"
    path.write_text("# a comment\n\n" + line + "\n")
    with pytest.raises(AccountsError, match=fault) as caught:
        accounts.read_accounts(path)
    problem = caught.value.problem
    assert problem.path == str(path) and problem.line == 3 and "kb members add" in problem.hint


def test_a_name_twice_is_named_too(tmp_path):
    path = tmp_path / "members.passwd"
    hashed = accounts.hash_password("correct horse battery", FAST)
    path.write_text(f"alice:{hashed}\nalice:{hashed}\n")
    with pytest.raises(AccountsError, match="second line") as caught:
        accounts.read_accounts(path)
    assert caught.value.problem.line == 2


def test_a_file_written_by_apache_htpasswd_is_read(tmp_path):
    """htpasswd -B writes $2y$ hashes; the same format, so an existing file can be used."""
    hashed = bcrypt.hashpw(b"correct horse battery", bcrypt.gensalt(FAST)).decode().replace("$2b$", "$2y$", 1)
    (tmp_path / "members.passwd").write_text(f"carol:{hashed}\n")
    assert accounts.verify(accounts.read_accounts(tmp_path / "members.passwd"), "carol", "correct horse battery")


def test_no_file_yet_means_no_members(tmp_path):
    assert accounts.read_accounts(tmp_path / "members.passwd") == {}


def test_the_file_is_at_the_project_root_or_where_kb_members_file_says(tmp_path, monkeypatch):
    monkeypatch.delenv("KB_MEMBERS_FILE", raising=False)
    assert accounts.members_file(tmp_path) == (tmp_path / "members.passwd").resolve()
    monkeypatch.setenv("KB_MEMBERS_FILE", str(tmp_path / "etc" / "kb.passwd"))
    assert accounts.members_file(tmp_path) == (tmp_path / "etc" / "kb.passwd").resolve()


@pytest.mark.parametrize("inside", ["content/members.passwd", "content/about/x.passwd", "register/p", "site/members.passwd"])
def test_a_file_inside_the_sites_folders_is_refused(tmp_path, monkeypatch, inside):
    monkeypatch.setenv("KB_MEMBERS_FILE", inside)
    with pytest.raises(AccountsError, match="could be published") as caught:
        accounts.members_file(tmp_path)
    assert caught.value.problem.field == "KB_MEMBERS_FILE"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "members.passwd"
    accounts.add_member(path, "alice", "correct horse battery", rounds=FAST)
    before = path.read_text()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(accounts.os, "replace", broken)
    with pytest.raises(OSError):
        accounts.add_member(path, "bob", "correct horse battery", rounds=FAST)
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["members.passwd"]


def test_the_repository_ignores_the_file_and_the_live_folder():
    import subprocess

    from tests.conftest import ROOT

    for path in ("members.passwd", "live/current", "live/run/Caddyfile"):
        assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", path], check=False).returncode == 0, path
