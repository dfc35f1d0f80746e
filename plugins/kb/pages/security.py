"""A Content-Security-Policy for every built page: scripts only from the site itself, plus the theme's own
inline scripts by their SHA-256 hashes, so no 'unsafe-inline' is needed.

The hashes allowed are worked out from the theme alone, before any content is read (theme_script_hashes):
every inline script Material's `partials/javascripts/` templates can write, at every depth of page. A page's
policy lists those of them it carries, so an inline script that came from a page's text (past the sanitiser,
or in a page the sanitiser never saw) is never approved, whatever it says.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import urlsplit

INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
HEAD_RE = re.compile(r"<head[^>]*>", re.IGNORECASE)
DATA_BLOCK_TYPES = ("application/json", "application/ld+json")
THEME_SCRIPTS = "partials/javascripts/"  # Material's inline scripts, one template each
MAX_DEPTH = 16  # folders below the site root a page may sit at (ours: at most 4, board/digest/<term>/<network>/)


def inline_script_hashes(html: str) -> list[str]:
    """Hashes of the executable inline scripts of a page (JSON data blocks are not executed)."""
    hashes = []
    for match in INLINE_SCRIPT_RE.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or any(t in attrs for t in DATA_BLOCK_TYPES):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(set(hashes))


def theme_script_hashes(env: Any, config: Any) -> frozenset[str]:
    """Every inline script the theme's templates can put in a page, rendered for each page depth (some name
    the way back to the site root) and for the 404 page (which names the site's own path)."""
    names = [name for name in env.list_templates() if name.startswith(THEME_SCRIPTS) and name.endswith(".html")]
    bases = [".", *("/".join([".."] * depth) for depth in range(1, MAX_DEPTH + 1)), urlsplit(config.site_url or "").path or "/"]
    features = list(config.theme.get("features") or [])
    found: set[str] = set()
    for name in names:
        template = env.get_template(name)
        for base in bases:
            found.update(inline_script_hashes(template.render(config=config, base_url=base, features=features)))
    return frozenset(found)


def content_security_policy(html: str, allowed: Collection[str], connect: tuple[str, ...] = ()) -> str:
    """The page's policy: its inline scripts that are among the `allowed` hashes, and nothing else inline."""
    return policy((h for h in inline_script_hashes(html) if h in allowed), connect)


def policy(script_hashes: Iterable[str], connect: tuple[str, ...] = (), frame_ancestors: str = "") -> str:
    """The policy allowing these inline scripts; `frame_ancestors` only in an HTTP header (a <meta> policy ignores it)."""
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src " + " ".join(["'self'", *connect]),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
        + ([f"frame-ancestors {frame_ancestors}"] if frame_ancestors else [])
    )


def add_csp_meta(html: str, *, allowed: Collection[str], connect: tuple[str, ...] = ()) -> str:
    """The page with its policy as the first element of <head>, before any script can run."""
    policy = content_security_policy(html, allowed, connect)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return HEAD_RE.sub(lambda m: m.group(0) + meta, html, count=1)
