"""Atom and RSS feeds (whole site, per network, per type), written with feedgen.

Feeds carry absolute links, so they need mkdocs `site_url` (the starter mkdocs.yml sets one);
without it no feed is written and the build warns. Everything comes from the catalogue, so
a public build's feeds hold nothing unpublished or members-only. Output depends only on the
catalogue (no clock): ids are entry URLs and the feed's own date is its newest item's, so two
builds of the same content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from kb.content.catalogue import Catalogue, Entry
from kb.content.model import ENTRY_TYPES
from kb.content.urls import network_ref

log = logging.getLogger("mkdocs.plugins.kb")
MAX_ITEMS = 50
FORMATS = ("atom", "rss")
# Types with a feed of their own: listing URL prefix -> entry type.
TYPE_FEEDS = {t.url_prefix: t.name for t in ENTRY_TYPES.values() if t.name != "network"}


@dataclass(frozen=True)
class Feed:
    """One feed: where it lives, what it is called and which entries it holds."""

    key: str  # "all", "networks/equity", "case-studies"
    title: str
    description: str
    page_url: str  # the site page the feed follows

    def path(self, fmt: str) -> str:
        return f"feeds/{self.key}.{fmt}.xml"


def feed_links(feed_key: str) -> dict[str, str]:
    """Site URLs of a feed's two formats, for templates."""
    return {fmt: f"feeds/{feed_key}.{fmt}.xml" for fmt in FORMATS}


def plan_feeds(cat: Catalogue) -> list[tuple[Feed, list[Entry]]]:
    """Every feed with its entries, newest first, from one pass over the catalogue."""
    items = [e for e in cat.entries.values() if e.type != "network" and e.date is not None]
    items.sort(key=lambda e: (published(e, cat.today), e.ref), reverse=True)
    by_network: dict[str, list[Entry]] = {n: [] for n in cat.networks}
    by_type: dict[str, list[Entry]] = {prefix: [] for prefix in TYPE_FEEDS}
    prefix_of = {name: prefix for prefix, name in TYPE_FEEDS.items()}
    for e in items:
        for n in e.networks:
            if n in by_network:
                by_network[n].append(e)
        by_type[prefix_of[e.type]].append(e)
    feeds = [
        (
            Feed(
                "all", "Everything new", "Every case study, meeting, piece of research, learning summary and good practice.", ""
            ),
            items,
        )
    ]
    for n, network in cat.networks.items():
        feeds.append((Feed(network_ref(n), network.title, f"What is new from {network.title}.", network.url), by_network[n]))
    for prefix, name in TYPE_FEEDS.items():
        etype = ENTRY_TYPES[name]
        feeds.append((Feed(prefix, etype.plural, f"New {etype.plural.lower()}.", f"{prefix}/"), by_type[prefix]))
    return feeds


def published(entry: Entry, today: dt.date) -> dt.date:
    """When an entry appeared: its date, but a meeting still to come appeared with its agenda."""
    assert entry.date is not None  # feeds hold dated entries only (plan_feeds)
    if entry.date <= today:
        return entry.date
    announced = entry.meta.get("agenda_published")
    return announced if isinstance(announced, dt.date) and announced <= today else today


def _stamp(day: dt.date, at: dt.time = dt.time(0, 0)) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def updated(entry: Entry, today: dt.date) -> dt.datetime:
    """An entry's own last change, never after today: its review date when later than when it appeared, and for
    minutes the meeting's start time on the meeting day (so one day's meetings do not share one instant)."""
    day = published(entry, today)
    reviewed = entry.meta.get("reviewed")
    if isinstance(reviewed, dt.date) and day < reviewed <= today:
        return _stamp(reviewed)
    start = (entry.meta.get("meeting") or {}).get("start") if entry.type == "minutes" else None
    if day == entry.date and isinstance(start, str) and len(start) == 5:
        return _stamp(day, dt.time(int(start[:2]), int(start[3:])))
    return _stamp(day)


def _generator(feed: Feed, entries: list[Entry], cat: Catalogue, self_path: str) -> FeedGenerator:
    base = cat.site_url.rstrip("/") + "/"
    gen = FeedGenerator()
    gen.id(base + feed.path("atom"))
    gen.title(f"{cat.site_name}: {feed.title}" if cat.site_name else feed.title)
    gen.subtitle(feed.description)
    gen.link(href=base + self_path, rel="self")
    gen.link(href=base + feed.page_url, rel="alternate")  # last: feedgen takes RSS's <link> from the last link
    gen.language("en")
    # RFC 4287 4.1.1: every entry needs an author, given here once for the feed; RSS's author is an e-mail
    # address, which we do not publish, so the RSS twin goes without (it is optional there).
    gen.author(name=cat.site_name or "The knowledge base", uri=base)
    shown = entries[:MAX_ITEMS]
    newest = max((updated(e, cat.today) for e in shown), default=_stamp(cat.today))
    gen.updated(newest)
    gen.lastBuildDate(newest)
    for e in shown:
        link = base + e.url
        item = gen.add_entry(order="append")
        item.id(link)
        item.guid(link, permalink=True)
        item.title(e.title)
        item.link(href=link)
        item.summary(e.summary or e.title)
        item.published(_stamp(published(e, cat.today)))
        item.updated(updated(e, cat.today))
        item.category(term=ENTRY_TYPES[e.type].label)
        for tag in e.tags:
            item.category(term=tag, label=cat.tags.get(tag, {}).get("label", tag))
    return gen


def render_feed(feed: Feed, entries: list[Entry], cat: Catalogue) -> dict[str, bytes]:
    """The Atom and RSS files of one feed (each names itself as rel=self)."""
    return {
        feed.path("atom"): _generator(feed, entries, cat, feed.path("atom")).atom_str(pretty=True),
        feed.path("rss"): _generator(feed, entries, cat, feed.path("rss")).rss_str(pretty=True),
    }


def feed_files(cat: Catalogue) -> dict[str, bytes]:
    """Every feed file of the site; none without site_url (feeds need absolute links)."""
    if not cat.site_url:
        log.warning(
            "No feeds were written: set site_url in mkdocs.yml (for example site_url: https://learning.example.org/), "
            "because feeds need absolute links."
        )
        return {}
    files: dict[str, bytes] = {}
    for feed, entries in plan_feeds(cat):
        files.update(render_feed(feed, entries, cat))
    files.update(_folder_sitemaps(files, cat.site_url.rstrip("/") + "/"))
    return files


def _folder_sitemaps(files: dict[str, bytes], base: str) -> dict[str, bytes]:
    """A sitemap in each feeds folder, listing its feeds.

    Material's script treats every <link rel="alternate"> in the head as another version of the
    site and fetches sitemap.xml next to it; without these, every page would request a missing file.
    """
    folders: dict[str, list[str]] = {}
    for path in sorted(files):
        folders.setdefault(path.rsplit("/", 1)[0], []).append(path)
    out = {}
    for folder, paths in folders.items():
        urlset = ET.Element("urlset", xmlns="http://www.sitemaps.org/schemas/sitemap/0.9")
        for path in paths:
            ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = base + path
        out[f"{folder}/sitemap.xml"] = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return out
