"""A hand-written page that carries a script is published without it: in the browser nothing of it runs,
the page reads and works as before, at phone and desktop width, and passes the accessibility scan."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, screenshot, serve_directory
from tests.conftest import build

ABOUT = """---
title: About the partnership
---
# About the partnership

<script>window.__pwned = 1</script>

Our networks meet every half term.

<img src="missing.png" alt="" onerror="window.__pwned = 2">
<p onclick="window.__pwned = 3" id="clickme">Click this paragraph.</p>
<a href="javascript:window.__pwned = 4" id="jslink">A link</a>

| Network | Meets |
|---|---|
| Equity | half-termly |
"""


@pytest.fixture
def hostile_about(project, tmp_path):
    import shutil

    from tests.conftest import ROOT

    for folder in ("about", "contribute"):  # the pages the navigation names, as in the real site
        shutil.copytree(ROOT / "content" / folder, project.root / "content" / folder, dirs_exist_ok=True)
    project.write("content/about/index.md", ABOUT)
    site = build(project.root, tmp_path / "site")
    url, stop = serve_directory(site)
    yield url + "about/"
    stop()


def test_nothing_of_a_script_in_a_hand_written_page_runs(hostile_about, page, phone):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(hostile_about)
    page.wait_for_load_state("networkidle")
    page.locator("#clickme").click()
    page.keyboard.press("Tab")  # keyboard use reaches the page's links as before
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#jslink").get_attribute("href") is None
    assert page.locator("article table td", has_text="half-termly").count() == 1
    assert violations == []  # nothing was left for the policy to block
    screenshot(page, "trust-about-1280")
    assert_accessible(page)
    phone.goto(hostile_about)
    assert phone.evaluate("window.__pwned") is None
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone, "trust-about-375")
