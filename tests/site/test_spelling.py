"""The site spells the role one way, "convenor", in everything a reader sees: pages, letters and emails.
The front matter field keeps its contract name, `convener`, which appears only as code in the guide."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """The page's words outside code and markup (attribute values such as option labels count as seen)."""
    return TAG.sub(" ", CODE.sub(" ", html)) + " ".join(re.findall(r'(?:value|content|title|aria-label)="([^"]*)"', html))


def test_visible_text_leaves_out_code():
    assert "convener" not in visible_text("<p>See <code>convener</code>.</p>")
    assert "convener" in visible_text('<option value="Network convener">x</option>')


@pytest.mark.parametrize("which", ["public_site", "members_site"])
def test_no_page_says_convener(request, which):
    site: Path = request.getfixturevalue(which)
    found = [str(p.relative_to(site)) for p in site.rglob("*.html") if "convener" in visible_text(p.read_text("utf-8")).lower()]
    assert not found, f"'convener' on {len(found)} pages, e.g. {found[:5]}"
