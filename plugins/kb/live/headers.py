"""What the web server adds to every answer: the Content-Security-Policy as an HTTP header, the other
security headers, and how long browsers and caches may keep each kind of file.

Each built page carries its own policy in a <meta> tag, listing the theme's inline scripts by hash
(pages/security.py). The header repeats it for the whole site, with the hashes of every page of the
release (a handful: they differ only by how deep a page is), and adds frame-ancestors, which a <meta>
policy cannot carry. A browser applies both, so the header never allows what the page's own policy forbids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kb.pages.security import policy

META_POLICY_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="(?P<policy>[^"]*)"', re.IGNORECASE)
HASH_RE = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000"  # a year; sent only over TLS
# Material's fingerprinted files (main.57a0d79d.min.css, bundle.a5f9d56c.min.js): their name changes with their content.
FINGERPRINTED = r"\.[0-9a-f]{8,}\.min\.(css|js)(\.map)?$"
LONG = "max-age=31536000, immutable"
MANIFEST_TYPE = "application/manifest+json"  # the web app manifest (kb.site.offline), manifest.webmanifest
PAGES = "max-age=300"  # pages, feeds and our own (not fingerprinted) scripts: a new release is seen within five minutes


def cache_control(audience: str, fingerprinted: bool) -> str:
    """The Cache-Control of a static file: members' files only in the member's own browser, never a shared cache."""
    scope = "private" if audience == "members" else "public"
    if fingerprinted:
        return f"{scope}, {LONG}"
    return f"{scope}, no-cache" if audience == "members" else f"{scope}, {PAGES}"


def site_script_hashes(site_dir: Path) -> list[str]:
    """The inline-script hashes the built pages' own policies approve (only the theme's scripts, see
    pages/security.py), never a script merely found in a page: one read of each page, at publish time."""
    found: set[str] = set()
    for page in Path(site_dir).rglob("*.html"):
        meta = META_POLICY_RE.search(page.read_text(encoding="utf-8", errors="replace"))
        if meta is not None:
            found.update(HASH_RE.findall(meta["policy"]))
    return sorted(found)


def header_policy(script_hashes: Iterable[str]) -> str:
    return policy(sorted(set(script_hashes)), frame_ancestors="'self'")
