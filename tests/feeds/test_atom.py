"""Feeds: valid Atom and RSS (parsed by feedparser), absolute links, stable ids, RFC dates, nothing private."""

from __future__ import annotations

import email.utils
import re
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ROOT, build

SITE = "https://learning.example.org/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
NETWORKS = sorted(p.stem for p in (ROOT / "content" / "networks").glob("*.md"))


def feed_paths(site: Path) -> list[Path]:
    return sorted(p for p in (site / "feeds").rglob("*.xml") if p.name != "sitemap.xml")


def test_every_feed_exists_for_site_networks_and_types(public_site):
    names = {p.relative_to(public_site / "feeds").as_posix() for p in feed_paths(public_site)}
    expected = {
        f"{key}.{fmt}.xml"
        for fmt in ("atom", "rss")
        for key in ["all", "case-studies", "minutes", "research", "summaries", "register"] + [f"networks/{n}" for n in NETWORKS]
    }
    assert names == expected


@pytest.mark.parametrize("key", ["all", "networks/send", "case-studies", "minutes"])
def test_feeds_parse_with_absolute_links_and_rfc_dates(public_site, key):
    atom = feedparser.parse((public_site / "feeds" / f"{key}.atom.xml").read_bytes())
    rss = feedparser.parse((public_site / "feeds" / f"{key}.rss.xml").read_bytes())
    assert not atom.bozo, atom.bozo_exception
    assert not rss.bozo, rss.bozo_exception
    assert atom.version == "atom10" and rss.version == "rss20"
    assert atom.entries and len(atom.entries) == len(rss.entries)
    for entry in atom.entries + rss.entries:
        assert entry.link.startswith(SITE) and entry.link.endswith("/")
        assert entry.id == entry.link  # stable id: the entry's permanent address
        assert entry.summary and entry.title
    raw_atom = (public_site / "feeds" / f"{key}.atom.xml").read_text()
    for stamp in re.findall(r"<(?:updated|published)>([^<]+)<", raw_atom):
        assert RFC3339.match(stamp), stamp
    raw_rss = (public_site / "feeds" / f"{key}.rss.xml").read_text()
    for stamp in re.findall(r"<(?:pubDate|lastBuildDate)>([^<]+)<", raw_rss):
        assert email.utils.parsedate_to_datetime(stamp).tzinfo is not None, stamp  # RFC 822 with a zone
    assert rss.feed.link == SITE + ("" if key == "all" else f"{key}/")  # the page the feed follows


def test_network_feed_holds_only_that_network(public_site):
    send = feedparser.parse((public_site / "feeds/networks/send.atom.xml").read_bytes())
    assert send.entries
    assert any("/minutes/send/" in e.link for e in send.entries)
    assert not any("/minutes/equity/" in e.link for e in send.entries)


def test_feeds_are_identical_across_two_builds(public_site, tmp_path):
    again = build(ROOT, tmp_path / "again")
    for path in feed_paths(public_site):
        assert (again / path.relative_to(public_site)).read_bytes() == path.read_bytes(), path
    ids = [e.id for e in feedparser.parse((again / "feeds/all.atom.xml").read_bytes()).entries]
    assert ids == [e.id for e in feedparser.parse((public_site / "feeds/all.atom.xml").read_bytes()).entries]


def test_public_feeds_carry_nothing_draft_or_members(public_site, members_site):
    for path in feed_paths(public_site):
        text = path.read_text(encoding="utf-8")
        assert "Zanzibarquill" not in text and "Quokkamembers" not in text, path
    public_all = feedparser.parse((public_site / "feeds/all.atom.xml").read_bytes())
    members_all = feedparser.parse((members_site / "feeds/all.atom.xml").read_bytes())
    assert len(members_all.entries) == len(public_all.entries) + 1  # the members-only meeting
    assert any("Quokkamembers" in e.summary for e in members_all.entries)
    assert not any("Zanzibarquill" in p.read_text() for p in feed_paths(members_site))
    assert "peace-community-safety/2026-11-12" not in (public_site / "sitemap.xml").read_text()


def test_head_and_network_page_link_the_feeds(public_site):
    home = (public_site / "index.html").read_text()
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="feeds/all.atom.xml"', home)
    network = (public_site / "networks/send/index.html").read_text()
    assert 'href="../../feeds/networks/send.atom.xml"' in network  # head and the page's own link
    assert network.count("feeds/networks/send.rss.xml") >= 2


def test_no_site_url_means_no_feeds_and_a_warning(project, tmp_path, caplog):
    config = (project.root / "mkdocs.yml").read_text()
    (project.root / "mkdocs.yml").write_text(re.sub(r"(?m)^site_url:.*\n", "", config))
    site = build(project.root, tmp_path / "site")
    assert not (site / "feeds").exists()
    assert any("set site_url" in r.getMessage() for r in caplog.records)
    assert "application/atom+xml" not in (site / "index.html").read_text()
