"""The README is written for its readers, and it and docs/ never send a reader out of the repository.

README.md says what the project is, the set-up commands (the one CI runs among them), how to write an entry, the
route to the site, the `kb` commands and going live in short, and links to docs/ for the long narratives
(performance, going live, architecture, privacy and security...). Every link in README.md and docs/*.md resolves to a
file or folder of the repository, and its #fragment to a heading there (GitHub's anchors). No link leaves the
repository: a Markdown link, image or <autolink> is a relative path, never an address with a scheme; a web address
written in prose (which GitHub turns into a link) may only be the reader's own machine (127.0.0.1, localhost) or a
name reserved for examples (example.org, example.com, example.net: RFC 2606), as in "learning.example.org". Code
(fenced blocks and `spans`) is what a reader types or configures, not a link, so it is not checked.

Links are found with a few patterns rather than a Markdown library: Python-Markdown (what we have) does not nest
fenced code in list items the way GitHub does, and GitHub is where these files are read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
LOCAL_HOSTS = re.compile(r"^(127\.0\.0\.1|localhost|([\w-]+\.)*example\.(org|com|net))(:\w+)?$")
FENCE = re.compile(r"^ *(```|~~~).*?^ *\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
INLINE_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
AUTOLINK = re.compile(r"<([a-zA-Z][\w+.-]*:[^>\s]*)>")
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""")
BARE_ADDRESS = re.compile(r"\b(?:https?|ftp)://[^\s<>)\]\"'`]+|\bwww\.[\w.-]+", re.I)
SCHEME = re.compile(r"^[a-zA-Z][\w+.-]*:|^//")


def documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def unfenced(text: str) -> str:
    """The text without its fenced code blocks (line numbers kept)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def prose(text: str) -> str:
    """The text a reader reads as prose: fenced code blocks and code spans blanked out."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), unfenced(text))


def github_anchor(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation dropped (not - or _), spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a Markdown text, the second of two equal headings with -1 as GitHub numbers them."""
    counts: dict[str, int] = {}
    found = set()
    for line in unfenced(text).splitlines():
        heading = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            anchor = github_anchor(heading.group(1))
            found.add(anchor if anchor not in counts else f"{anchor}-{counts[anchor]}")
            counts[anchor] = counts.get(anchor, 0) + 1
    return found


def links(text: str) -> list[str]:
    found = [m.group(1) for pattern in (INLINE_LINK, REFERENCE_LINK, AUTOLINK, HTML_LINK) for m in pattern.finditer(prose(text))]
    return [target for target in found if target]


def link_problem(source: Path, text: str, target: str) -> str | None:
    """Why a link in `source` (whose text is `text`) does not resolve inside the repository, or None when it does."""
    if SCHEME.match(target):
        return "leaves the repository (write the name or address as `code`, or link a file of the repository)"
    address, _, fragment = target.partition("#")
    if not address:
        return None if fragment in anchors(text) else f"#{fragment} is no heading of {source.relative_to(ROOT)}"
    resolved = (source.parent / address).resolve()
    if not resolved.is_relative_to(ROOT):
        return "points outside the repository"
    if not resolved.exists():
        return "names no file of the repository"
    if fragment and (resolved.suffix != ".md" or fragment not in anchors(resolved.read_text(encoding="utf-8"))):
        return f"#{fragment} is no heading of {resolved.relative_to(ROOT)}"
    return None


def problems(path: Path, text: str | None = None) -> list[str]:
    """Every link of a README or docs/ page that does not resolve in the repository, and every address outside it."""
    text = path.read_text(encoding="utf-8") if text is None else text
    named = path.relative_to(ROOT)
    found = [f"{named}: ({target}) {why}" for target in links(text) if (why := link_problem(path, text, target))]
    outside_links = HTML_LINK.sub("", AUTOLINK.sub("", REFERENCE_LINK.sub("", INLINE_LINK.sub("", prose(text)))))
    for address in (found_address.rstrip(".,;:!?*_~") for found_address in BARE_ADDRESS.findall(outside_links)):
        host = re.sub(r"^\w+://", "", address).split("/")[0]
        if not LOCAL_HOSTS.match(host):
            found.append(f"{named}: {address} is an address outside the repository (name it in words or as `code`)")
    return found


def sections(path: Path) -> dict[str, str]:
    """The text of each `## ` section (its ### subsections included), by heading."""
    parts = re.split(r"(?m)^## (.*)$", path.read_text(encoding="utf-8"))
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize("path", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_stays_in_the_repository_and_resolves(path):
    assert problems(path) == []


def test_the_link_check_catches_what_it_should():
    """Broken, outside and escaping links are each reported; code, loopback and example addresses are not."""
    sample = (
        "# Title\n## A heading, with `code`\n[ok](#a-heading-with-code) [ok](../README.md#go-live) [ok](../plugins/kb/)\n"
        "[no](#nowhere) [no](missing.md) [no](../../etc/passwd) [no](https://github.com/x) <https://example.org/x>\n"
        "[no](../README.md#no-such-heading) see https://pypi.org/, but http://127.0.0.1:8000; and https://learning.example.org/.\n"
        "```sh\ngit clone https://git.example.com/x [no](nowhere.md)\n```\n`https://outside.net/` [no][ref]\n\n[ref]: http://x.org/\n"
    )
    found = problems(DOCS / "sample.md", sample)
    assert [re.match(r"docs/sample.md: \(?(\S+?)\)? ", line).group(1) for line in found] == [
        "#nowhere",
        "missing.md",
        "../../etc/passwd",
        "https://github.com/x",
        "../README.md#no-such-heading",
        "http://x.org/",
        "https://example.org/x",
        "https://pypi.org/",
    ]


def test_github_anchors_are_made_as_github_makes_them():
    assert github_anchor("Performance (measured)") == "performance-measured"
    assert github_anchor("The `kb` command") == "the-kb-command"
    assert github_anchor("From draft to the site: the review route") == "from-draft-to-the-site-the-review-route"
    assert github_anchor("MkDocs, ProperDocs and Material's end of life") == "mkdocs-properdocs-and-materials-end-of-life"
    assert github_anchor("City Learning Alliance — shared learning") == "city-learning-alliance--shared-learning"


def test_the_readme_has_what_a_reader_needs():
    text = README.read_text(encoding="utf-8")
    by_heading = sections(README)
    intro = text.split("\n## ", 1)[0]
    assert intro.startswith("# ") and "site" in intro and len(intro.split()) > 30, "what it is, before the first section"
    needed = ["Start here", "Write your first entry", "From draft to the site: the review route", "The `kb` command"]
    needed += ["Contributor tools", "Go live", "Read more"]
    assert [heading for heading in needed if heading not in by_heading] == []
    assert (
        "### In the browser" in by_heading["Write your first entry"] and "### As a file" in by_heading["Write your first entry"]
    )
    assert "(docs/going-live.md)" in by_heading["Go live"]
    assert len(text.splitlines()) < 400, "the README stays a reader's page: long narratives go to docs/"


def test_the_readme_says_a_web_server_is_needed_to_open_the_built_site():
    start = sections(README)["Start here"]
    assert "file://" in start and "web server" in start
    for way in ("scripts/serve", "kb search-service --index site.search --site site", "scripts/production"):
        assert way in start, way


def test_the_readme_links_every_document_in_docs():
    linked = set(re.findall(r"\]\((docs/[^)#\s]+\.md)", sections(README)["Read more"]))
    assert linked and linked == {f"docs/{path.name}" for path in DOCS.glob("*.md")}


def test_ci_runs_the_readmes_test_command():
    """.ci/run runs `scripts/test`, the command the README gives for running every test."""
    (commands,) = [
        block for block in re.findall(r"```sh\n(.*?)```", sections(README)["Start here"], re.S) if "scripts/test" in block
    ]
    first_words = [line.split()[0] for line in commands.splitlines() if line.strip()]
    assert first_words == ["scripts/serve", "scripts/edit", "scripts/test"]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"(?m)^exec scripts/test$", ci)
