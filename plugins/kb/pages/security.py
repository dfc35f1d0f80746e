"""A Content-Security-Policy for every built page: scripts only from the site itself, plus the
theme's own inline scripts by their SHA-256 hashes, so no 'unsafe-inline' is needed."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)
HEAD_RE = re.compile(r"<head[^>]*>", re.IGNORECASE)
DATA_BLOCK_TYPES = ("application/json", "application/ld+json")


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


def content_security_policy(html: str, connect: tuple[str, ...] = ()) -> str:
    return policy(inline_script_hashes(html), connect)


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


def add_csp_meta(html: str, connect: tuple[str, ...] = ()) -> str:
    """The page with its policy as the first element of <head>, before any script can run."""
    policy = content_security_policy(html, connect)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return HEAD_RE.sub(lambda m: m.group(0) + meta, html, count=1)
