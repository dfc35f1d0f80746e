"""The site builds with MkDocs 1.6 and with ProperDocs 1.6, and the two are the same page for page.

The one difference that cannot be avoided is Material's generator tag, which names the engine and
its version (`mkdocs-1.6.1` against `mkdocs-ProperDocs 1.6.7`); it is the only line allowed to differ.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from kb.building.engine import EngineError, running_engine, select_engine
from tests.conftest import ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def kb(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kb.cli.main", "--project", str(ROOT), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "KB_TODAY": "2026-11-23", **env},
        timeout=600,
    )


def files_of(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_site_page_for_page(public_site, tmp_path):
    built = kb("build", "--site-dir", str(tmp_path / "site"), KB_ENGINE="properdocs")
    assert built.returncode == 0, built.stderr[-2000:]
    ours, theirs = files_of(public_site), files_of(tmp_path / "site")
    assert sorted(ours) == sorted(theirs)
    differing = {path for path in ours if ours[path] != theirs[path]}
    assert differing, "the generator tag should name ProperDocs: is it really ProperDocs that ran?"
    assert all(path.endswith(".html") for path in differing)
    for path in differing:
        assert GENERATOR.sub(b"", ours[path]) == GENERATOR.sub(b"", theirs[path]), path
        assert b"ProperDocs" in GENERATOR.search(theirs[path]).group(0)


def test_properdocs_is_what_runs_when_chosen():
    code = "from kb.building.engine import select_engine, running_engine; select_engine(); print(running_engine())"
    ran = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "KB_ENGINE": "properdocs"}
    )
    assert ran.stdout.strip() == "properdocs", ran.stderr
    assert running_engine() == "mkdocs"  # this process: MkDocs, the default


def test_an_unknown_engine_is_a_plain_message():
    with pytest.raises(EngineError, match=r"not an engine kb can run.*mkdocs or properdocs"):
        select_engine("hugo")
    ran = kb("build", "--site-dir", "/nonexistent/never-written", KB_ENGINE="hugo")
    assert ran.returncode == 1 and "KB_ENGINE is 'hugo'" in ran.stderr and "Traceback" not in ran.stderr


def test_properdocs_cannot_be_chosen_after_mkdocs_is_loaded():
    import mkdocs  # noqa: F401  (this test process has MkDocs loaded already)

    with pytest.raises(EngineError, match="after MkDocs was already loaded"):
        select_engine("properdocs")
    assert select_engine("") == "mkdocs"
