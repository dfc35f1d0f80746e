"""One stylesheet of ours per page (the plugin's stylesheets joined at build time) and our scripts deferred, so a
page on a phone waits for Material's stylesheet and ours only (issue 19: six stylesheets blocked rendering)."""

from __future__ import annotations

import re

from tests.conftest import ROOT

PARTS = ROOT / "plugins" / "kb" / "theme" / "assets" / "kb"
SHEETS = ["kb.css", "kb-browse.css", "kb-meetings.css", "kb-board.css", "kb-search.css", "kb-contribute.css"]
STYLESHEET_RE = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT_RE = re.compile(r"<script src=\"([^\"]+)\"([^>]*)>")


def test_the_one_stylesheet_holds_every_part_in_order(public_site):
    bundle = (public_site / "assets" / "kb" / "kb-site.css").read_text(encoding="utf-8")
    where = [bundle.find((PARTS / sheet).read_text(encoding="utf-8").strip()) for sheet in SHEETS]
    assert -1 not in where, dict(zip(SHEETS, where))
    assert where == sorted(where)
    assert len(bundle) < 1.05 * sum(len((PARTS / sheet).read_text(encoding="utf-8")) for sheet in SHEETS)
    assert "{%" not in bundle and "{{" not in bundle


def test_every_page_links_one_stylesheet_of_ours_and_defers_every_script(public_site):
    pages = list(public_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        if page.relative_to(public_site).parts[0] == "admin":  # the browser editor's own page links two parts itself
            continue
        html = page.read_text(encoding="utf-8")
        ours = [href for href in STYLESHEET_RE.findall(html) if "assets/kb/" in href]
        assert [href.rsplit("/", 1)[1] for href in ours] == ["kb-site.css"], page
        scripts = SCRIPT_RE.findall(html)
        if page.name == "offline.html" and page.parent == public_site:  # the service worker's page: no script at all
            assert scripts == []
            continue
        assert any("assets/kb/" in src for src, _ in scripts), page
        assert not any("assets/javascripts/" in src for src, _ in scripts), page  # not Material's bundle: kb-theme.js
        assert all(rest.split() == ["defer"] for _, rest in scripts), (page, scripts)
