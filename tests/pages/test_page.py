"""pages.relative_url: string arithmetic that must give exactly what posixpath.relpath gave."""

from __future__ import annotations

import itertools
import posixpath

import pytest

from kb.pages.page import relative_url
from tests.factories import paths

SEGMENTS = ["", "a", "b", "tags", "minutes", "2026-03-09", "x.json", ".", ".."]


def with_relpath(from_url: str, to_url: str) -> str:
    """The definition relative_url had before it was made fast."""
    rel = posixpath.relpath(to_url or ".", from_url or ".")
    if rel == ".":
        return "./"
    return rel + "/" if to_url.endswith("/") else rel


def urls() -> list[str]:
    return paths(SEGMENTS)


def test_relative_url_equals_relpath_on_every_pair():
    every = urls()
    pages = [u for u in every if u.count("/") <= 3]
    assert len(every) > 1000
    for from_url, to_url in itertools.product(pages[::41], every):
        assert relative_url(from_url, to_url) == with_relpath(from_url, to_url), (from_url, to_url)


@pytest.mark.parametrize(
    "from_url, to_url, expected",
    [
        ("case-studies/x/", "networks/equity/", "../../networks/equity/"),
        ("networks/equity/", "networks/", "../"),
        ("networks/equity/", "networks/equity/", "./"),
        ("", "tags/attendance/", "tags/attendance/"),
        ("minutes/send/2026-03-09/", "minutes/rows.json", "../../rows.json"),
        ("tags/", "", ".."),
    ],
)
def test_relative_url_examples(from_url, to_url, expected):
    assert relative_url(from_url, to_url) == expected
