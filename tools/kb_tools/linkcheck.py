"""Every internal link of a built site checked: each href and src leads to a file, each #fragment to an id in it.

Our own checker, not linkinator: it reads the folder MkDocs wrote (no server, no browser), so it runs in a
second over a few hundred pages and sees every output, feeds and sitemap included. A link is internal when it
is relative, starts with '/', or starts with the site's own address (site_url), as feeds and the sitemap write.
Run it by hand with:  .venv/bin/python -m kb_tools.linkcheck site/ https://learning.example.org/
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# (tag, attribute) pairs that point at another file; srcset is split into its URLs.
LINKING = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src")}
LINKING |= {("source", "src"), ("video", "src"), ("audio", "src"), ("track", "src"), ("form", "action"), ("use", "href")}
FEED_SUFFIXES = (".xml", ".atom", ".rss")
PAGE_ORIGIN = "https://site.invalid/"  # a stand-in origin for resolving relative links against a page's own address


@dataclass(frozen=True, order=True)
class Broken:
    """One link that leads nowhere: the file it is in, the link as written, and why."""

    source: str
    link: str
    reason: str

    def format(self) -> str:
        return f"{self.source}: {self.link} — {self.reason}"


class _Page(HTMLParser):
    """The ids a page defines and the links it makes, in one pass of the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif (tag, name) in LINKING:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())

    handle_startendtag = handle_starttag


def page_url(rel: str) -> str:
    """The address a file is served at, under the stand-in origin ('a/index.html' -> https://site.invalid/a/index.html)."""
    return PAGE_ORIGIN + rel


def target_file(site: Path, path: str) -> Path | None:
    """The file a site path is served from: the file itself, or a folder's index.html."""
    rel = unquote(path).lstrip("/")
    candidate = site / rel
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_path(link: str, base: str, site_url: str) -> tuple[str, str] | None:
    """(path under the site, fragment) for an internal link; None for another site, mailto:, data: and the like."""
    link = link.strip()
    if site_url and link.startswith(site_url):
        link = "/" + link[len(site_url) :]
    parts = urlsplit(urljoin(base, link))
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}/" != PAGE_ORIGIN:
        return None
    return parts.path, parts.fragment


def feed_links(text: str) -> Iterator[str]:
    """The addresses in a feed or sitemap: href attributes and the text of link, loc and permalink guid elements."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return
    for element in root.iter():
        name, text = element.tag.rsplit("}", 1)[-1], (element.text or "").strip()
        permalink = name == "guid" and element.get("isPermaLink", "true") == "true"
        if element.get("href"):
            yield element.get("href", "")
        elif text and (name in ("link", "loc") or permalink):
            yield text


def check_site(site: Path, site_url: str = "") -> tuple[list[Broken], int]:
    """(every broken internal link of the site, sorted; how many internal links were checked)."""
    site = Path(site)
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    pages: dict[str, _Page] = {}
    for path in sorted(site.rglob("*.html")):
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8", errors="replace"))
        parsed.close()
        pages[path.relative_to(site).as_posix()] = parsed
    sources: list[tuple[str, list[str]]] = [(rel, page.links) for rel, page in pages.items()]
    for path in sorted(p for p in site.rglob("*") if p.suffix in FEED_SUFFIXES and p.is_file()):
        sources.append((path.relative_to(site).as_posix(), list(feed_links(path.read_text(encoding="utf-8", errors="replace")))))
    broken: list[Broken] = []
    checked = 0
    for rel, links in sources:
        base = page_url(rel)
        for link in links:
            found = internal_path(link, base, site_url)
            if found is None:
                continue
            checked += 1
            path, fragment = found
            target = target_file(site, path)
            if target is None:
                broken.append(Broken(rel, link, f"no file at {path}"))
                continue
            target_rel = target.relative_to(site).as_posix()
            if fragment and target_rel in pages and unquote(fragment) not in pages[target_rel].ids:
                broken.append(Broken(rel, link, f"{target_rel} has no element with id '{unquote(fragment)}'"))
    return sorted(set(broken)), checked


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python -m kb_tools.linkcheck SITE_DIR [SITE_URL]", file=sys.stderr)
        return 2
    broken, checked = check_site(Path(argv[0]), argv[1] if len(argv) == 2 else "")
    for item in broken:
        print(item.format())
    print(f"{checked} internal links checked, {len(broken)} broken.")
    return 1 if broken else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
