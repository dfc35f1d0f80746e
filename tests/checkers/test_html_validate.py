"""html-validate (html-validate:standard, .htmlvalidate.json) on every page of the starter content plus 300 generated
entries: no error from our templates. Material's own markup is forgiven only rule by rule and element by element,
each with its reason (html-validate-known.toml)."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tests.checkers.conftest import tool
from tests.conftest import ROOT

pytestmark = pytest.mark.checkers
KNOWN = tomllib.loads((Path(__file__).with_name("html-validate-known.toml")).read_text(encoding="utf-8"))["known"]


def validate(site: Path) -> list[dict]:
    """html-validate's JSON report on every .html file under site (its own directory walk), written to a file:
    Node cuts piped output short when the program exits."""
    out = site.parent / f"{site.name}.html-validate.json"
    with open(out, "w", encoding="utf-8") as report:
        run = subprocess.run(
            [str(tool("html-validate")), "--config", str(ROOT / ".htmlvalidate.json"), "--formatter", "json", str(site)],
            stdout=report,
            stderr=subprocess.PIPE,
            text=True,
            timeout=1800,
            cwd=ROOT,
        )
    if run.returncode not in (0, 1) or not out.stat().st_size:
        pytest.fail(f"html-validate did not run (exit {run.returncode}):\n{run.stderr}")
    return json.loads(out.read_text(encoding="utf-8"))


def is_known(message: dict) -> bool:
    return any(k["rule"] == message["ruleId"] and re.search(k["selector"], message.get("selector") or "") for k in KNOWN)


@pytest.fixture(scope="session")
def report(generated_site) -> list[dict]:
    return validate(generated_site)


def test_every_page_is_checked(report, generated_site, tmp_path):
    """html-validate's report names only the files it has something to say about (every Material page: its known
    markup); a page it left out must be one it finds nothing wrong with, checked here on its own."""
    pages = {str(p) for p in generated_site.rglob("*.html")}
    assert len(pages) > 300
    reported = {r["filePath"] for r in report}
    assert reported <= pages and len(reported) > 300
    alone = tmp_path / "alone"
    alone.mkdir()
    for page in sorted(pages - reported):
        (alone / Path(page).relative_to(generated_site).as_posix().replace("/", "__")).write_bytes(Path(page).read_bytes())
    assert validate(alone) == [] if any(alone.iterdir()) else True


def test_no_errors_from_our_templates(report, generated_site):
    errors = [
        (Path(r["filePath"]).relative_to(generated_site).as_posix(), m)
        for r in report
        for m in r["messages"]
        if m["severity"] == 2 and not is_known(m)
    ]
    by_rule = Counter(m["ruleId"] for _, m in errors)
    shown = "\n".join(f"{path}:{m['line']}: {m['ruleId']} {m.get('selector')}: {m['message']}" for path, m in errors[:40])
    assert not errors, f"{len(errors)} html-validate errors {dict(by_rule)}:\n{shown}"


def test_every_known_finding_still_happens(report):
    """A line of the known table that no longer matches anything is removed, so the table never forgives more than it must."""
    seen = {k["rule"] for k in KNOWN if any(is_known(m) and m["ruleId"] == k["rule"] for r in report for m in r["messages"])}
    assert seen == {k["rule"] for k in KNOWN}


def test_our_own_mistake_is_caught(tmp_path):
    """The checker and the known table catch a fault of ours on a rule the table forgives for Material's elements."""
    page = tmp_path / "page.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<input type="checkbox" id="kb-mine" autocomplete="off" aria-label="mine"></main></body></html>',
        encoding="utf-8",
    )
    messages = [m for r in validate(tmp_path) for m in r["messages"]]
    assert [m["ruleId"] for m in messages if not is_known(m)] == ["valid-autocomplete"]
