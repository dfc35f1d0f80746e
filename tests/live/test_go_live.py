"""The "Go live" steps (docs/going-live.md), run: a member added, a release published, the web server configured, and
the shipped systemd units (deploy/systemd/) checked by systemd-analyze and their commands run as written,
with /srv/kb replaced by a temporary project (TLS aside: the site address is http:// on loopback)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import time
from pathlib import Path

import click
import pytest

from kb.cli.main import main
from tests.browser.conftest import free_port
from tests.conftest import ROOT
from tests.live.stack import MEMBER, MEMBERS_ENTRY, MEMBERS_MARK, PASSWORD, copy_project, get, kb

UNITS = ROOT / "deploy" / "systemd"


def unit(name: str, project: Path, instance: str = "") -> configparser.ConfigParser:
    """A unit file as written, with /srv/kb moved to the test project (its kb to this checkout's .venv) and %i filled in."""
    text = (UNITS / name).read_text()
    text = (
        text.replace("/srv/kb/.venv/bin/kb", str(ROOT / ".venv" / "bin" / "kb"))
        .replace("/srv/kb", str(project))
        .replace("%i", instance)
    )
    parsed = configparser.ConfigParser(strict=False, interpolation=None)
    parsed.optionxform = str
    parsed.read_string(text)
    return parsed


def environment(parsed: configparser.ConfigParser) -> dict[str, str]:
    pairs = shlex.split(parsed["Service"].get("Environment", ""))
    return {**os.environ, **dict(pair.split("=", 1) for pair in pairs)}


def test_the_units_pass_systemd_analyze(tmp_path):
    project = tmp_path / "kb"
    for name in sorted(p.name for p in UNITS.glob("*.service")):
        text = (
            (UNITS / name)
            .read_text()
            .replace("/srv/kb/.venv/bin/kb", str(ROOT / ".venv" / "bin" / "kb"))
            .replace("/srv/kb", str(project))
        )
        target = tmp_path / name.replace("@.", "@8081.")
        target.write_text(text)
        result = subprocess.run(["systemd-analyze", "verify", str(target)], capture_output=True, text=True, check=False)
        assert result.returncode == 0 and "Unknown" not in result.stderr, (name, result.stderr)
    broken = tmp_path / "broken.service"
    broken.write_text((UNITS / "kb-web.service").read_text().replace("/usr/bin/caddy run", "/usr/bin/no-such-caddy run"))
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, check=False).returncode != 0


def test_the_go_live_steps_as_commands(tmp_path):
    project = copy_project(tmp_path / "kb")
    # 5. The first member's account (password on standard input).
    kb(project, "members", "add", MEMBER, stdin=PASSWORD + "\n")
    # 6. The first release.
    assert "Published release" in kb(project, "publish").stdout
    # 4. The web server's settings (a domain on a real server; here http:// on loopback).
    web_port, public, members = free_port(), [free_port(), free_port()], free_port()
    configured = kb(
        project,
        "web-config",
        "--site-address",
        f"http://127.0.0.1:{web_port}",
        *[arg for port in public for arg in ("--public-search", f"127.0.0.1:{port}")],
        "--members-search",
        f"127.0.0.1:{members}",
    )
    assert "Caddyfile" in configured.stdout
    # 7. The units, started as systemd would start them.
    services = [unit("kb-search-public@.service", project, str(port)) for port in public]
    services.append(unit("kb-search-members@.service", project, str(members)))
    web = unit("kb-web.service", project)
    started = []
    try:
        for service in services:
            started.append(
                subprocess.Popen(
                    shlex.split(service["Service"]["ExecStart"]), env=environment(service), stderr=subprocess.DEVNULL
                )
            )
        subprocess.run(shlex.split(web["Service"]["ExecStartPre"]), env=environment(web), check=True, capture_output=True)
        started.append(
            subprocess.Popen(shlex.split(web["Service"]["ExecStart"]), env=environment(web), stderr=subprocess.DEVNULL)
        )
        base = f"http://127.0.0.1:{web_port}/"
        deadline = time.monotonic() + 60
        while not all(_answers(base + path) for path in ("", "api/search?q=attendance")):
            assert time.monotonic() < deadline and all(p.poll() is None for p in started), "the units did not start"
            time.sleep(0.3)
        assert get(base + "members/")[0] == 401
        status, _, body = get(base + "members/" + MEMBERS_ENTRY, auth=(MEMBER, PASSWORD))
        assert status == 200 and MEMBERS_MARK.encode() in body
        assert b'"total":1' in get(base + "members/api/search?q=" + MEMBERS_MARK, auth=(MEMBER, PASSWORD))[2]
        # A second member: kb members add writes the configuration again and reloads the running web server.
        told = kb(project, "members", "add", "bob", stdin="another long password\n")
        assert "The running web server has the new configuration" in told.stdout
        assert get(base + "members/", auth=("bob", "another long password"))[0] == 200
        # systemctl reload kb-web runs ExecReload.
        subprocess.run(shlex.split(web["Service"]["ExecReload"]), env=environment(web), check=True, capture_output=True)
        assert get(base + "members/", auth=("bob", "another long password"))[0] == 200
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def _answers(url: str) -> bool:
    """200 from a server that may not be listening yet (refused connections are retried by the caller)."""
    import httpx

    try:
        return get(url)[0] == 200
    except httpx.TransportError:
        return False


def go_live_commands() -> list[list[str]]:
    """Every `kb ...` command of docs/going-live.md and the README's Go live section (shell lines split at &&, | and ;)."""
    guide = (ROOT / "docs/going-live.md").read_text(encoding="utf-8")
    summary = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Go live\n", 1)[1].split("\n## ", 1)[0]
    section = guide + summary
    found = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL):
        for line in block.splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split = True
            words: list[str] = []
            for token in [*lexer, "&&"]:
                if token in ("&&", "|", ";", "||", ">", ">>"):
                    while words and (words[0] in ("sudo", "kb") or words[0].startswith(("-", "KB_"))):
                        words = words[1:]
                    if words and words[0].endswith("/kb"):
                        found.append(words[1:])
                    words = []
                else:
                    words.append(token)
    return found


def test_every_kb_command_in_the_go_live_steps_exists_with_its_options():
    commands = go_live_commands()
    assert len(commands) >= 6, commands
    for words in commands:
        while words and words[0] == "--project":
            words = words[2:]
        context = main.make_context("kb", list(words), resilient_parsing=True)
        name, command, rest = main.resolve_command(context, list(context.protected_args + context.args))
        assert command is not None, words
        if isinstance(command, click.Group):
            name, command, rest = command.resolve_command(context, rest)
        with command.make_context(name, rest) as parsed:
            assert parsed is not None


@pytest.mark.parametrize("name", ["kb-search-public@.service", "kb-search-members@.service", "kb-web.service"])
def test_the_units_run_kb_from_srv_kb_as_the_kb_user(name):
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(UNITS / name)
    assert service["Service"]["User"] == "kb" and service["Service"]["ProtectSystem"] == "strict"
    if "search" in name:
        assert "--host 127.0.0.1" in service["Service"]["ExecStart"]  # loopback only
        assert ("--members" in service["Service"]["ExecStart"]) == ("members" in name)
