"""What the web server says about each answer: the policy header built from every page's inline scripts, and cache lifetimes."""

from __future__ import annotations

import re

from kb.live import headers
from kb.pages.security import add_csp_meta, inline_script_hashes


def test_the_header_policy_holds_every_pages_script_hashes_and_frame_ancestors(public_site):
    hashes = headers.site_script_hashes(public_site)
    assert hashes and all(h.startswith("'sha256-") for h in hashes)
    for page in ("index.html", "case-studies/transition-coaching/index.html", "board/index.html", "404.html"):
        assert set(inline_script_hashes((public_site / page).read_text())) <= set(hashes), page
    policy = headers.header_policy(hashes)
    assert "frame-ancestors 'self'" in policy and "'unsafe-inline'" not in re.search(r"script-src[^;]*", policy).group(0)


def test_the_header_never_allows_what_a_pages_own_policy_forbids(tmp_path):
    """Same directives as the <meta> policy, plus frame-ancestors: the two together are the page's policy."""
    raw = "<html><head></head><body><script>go()</script></body></html>"
    page = add_csp_meta(raw, allowed=inline_script_hashes(raw))
    (tmp_path / "index.html").write_text(page)
    meta = re.search(r'content="([^"]+)"', page).group(1)
    header = headers.header_policy(headers.site_script_hashes(tmp_path))
    assert header == meta + "; frame-ancestors 'self'"


def test_script_hashes_of_a_folder_are_those_the_pages_own_policies_approve(tmp_path):
    def page(scripts: str, approved: str) -> str:
        return add_csp_meta(f"<html><head></head><body>{scripts}</body></html>", allowed=inline_script_hashes(approved))

    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(page("<script>one()</script><script src='x.js'></script>", "<script>one()</script>"))
    # a script that came from a page's text is in the page but not in its policy: the header must not approve it either
    (tmp_path / "a" / "index.html").write_text(page("<script>two()</script><script>evil()</script>", "<script>two()</script>"))
    (tmp_path / "a" / "data.json").write_text("<script>not a page()</script>")
    (tmp_path / "a" / "no-policy.html").write_text("<script>three()</script>")
    assert headers.site_script_hashes(tmp_path) == sorted(inline_script_hashes("<script>one()</script><script>two()</script>"))


def test_cache_lifetimes():
    assert headers.cache_control("public", fingerprinted=True) == "public, max-age=31536000, immutable"
    assert headers.cache_control("public", fingerprinted=False) == "public, max-age=300"
    assert headers.cache_control("members", fingerprinted=True) == "private, max-age=31536000, immutable"
    assert headers.cache_control("members", fingerprinted=False) == "private, no-cache"
    fingerprinted = re.compile(headers.FINGERPRINTED)
    for name in (
        "assets/stylesheets/main.57a0d79d.min.css",
        "assets/javascripts/bundle.a5f9d56c.min.js",
        "x.a5f9d56c.min.js.map",
    ):
        assert fingerprinted.search(name), name
    for name in ("assets/kb/kb.css", "index.html", "assets/javascripts/lunr/min/lunr.de.min.js", "feeds/all.atom.xml"):
        assert not fingerprinted.search(name), name
