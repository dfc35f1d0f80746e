"""The Content-Security-Policy allows the site's own scripts and the theme's inline ones by hash, nothing else."""

from __future__ import annotations

import base64
import hashlib

from kb.pages.security import add_csp_meta, content_security_policy, inline_script_hashes

PAGE = (
    '<html><head><meta charset="utf-8"><script>var a=1</script><script src="x.js"></script>'
    '<script type="application/json">{"a": 1}</script></head><body></body></html>'
)


def test_only_executable_inline_scripts_are_hashed():
    expected = "'sha256-" + base64.b64encode(hashlib.sha256(b"var a=1").digest()).decode() + "'"
    assert inline_script_hashes(PAGE) == [expected]


def test_policy_has_no_unsafe_inline_for_scripts():
    policy = content_security_policy(PAGE, allowed=inline_script_hashes(PAGE))
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


def test_policy_meta_is_the_first_thing_in_head():
    html = add_csp_meta(PAGE, allowed=inline_script_hashes(PAGE))
    assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script>")


def test_every_built_page_carries_the_policy(public_site):
    pages = list(public_site.rglob("*.html"))
    assert pages
    missing = [
        str(p.relative_to(public_site))
        for p in pages
        if 'http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")
    ]
    assert missing == []
