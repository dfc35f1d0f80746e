"""The rules of RFC 4287 (Atom) and RSS 2.0 that the W3C feed validator enforces, as plain checks over one file.

Each function returns a list of complaints (empty: the file keeps the rules). Written from the specifications:
Atom 4.1.1 (feed: one id, title, updated, author unless every entry has one, a rel=self link), 4.1.2 (entry: one
id, title, updated, an alternate link as there is no content), 3.3 (dates are RFC 3339 with a time zone), 4.2.6
(ids are absolute IRIs, unique in the feed); RSS 2.0 (channel: title, link, description; item: title or
description; guid isPermaLink an absolute URL, unique; dates RFC 822 with a zone) and the validator's advice
(atom:link rel=self in RSS, no two entries with the same updated instant).
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _absolute(iri: str) -> bool:
    parts = urlsplit(iri)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "tag"))


def _one(parent: ET.Element, name: str, where: str, out: list[str]) -> ET.Element | None:
    found = parent.findall(ATOM + name)
    if len(found) != 1:
        out.append(f"{where}: {len(found)} atom:{name} elements, exactly one is required")
        return None
    return found[0]


def atom_problems(text: bytes, own_url: str) -> list[str]:
    out: list[str] = []
    feed = ET.fromstring(text)
    if feed.tag != ATOM + "feed":
        return [f"the root element is {feed.tag}, not atom:feed"]
    for name in ("id", "title", "updated"):
        _one(feed, name, "feed", out)
    feed_authors = feed.findall(ATOM + "author")
    for author in feed_authors:
        if not (author.findtext(ATOM + "name") or "").strip():
            out.append("feed: an atom:author without atom:name")
    selfs = [link.get("href") for link in feed.findall(ATOM + "link") if link.get("rel") == "self"]
    if selfs != [own_url]:
        out.append(f"feed: rel=self links {selfs}, expected exactly [{own_url}]")
    stamps = []
    feed_updated = feed.findtext(ATOM + "updated") or ""
    ids: set[str] = set()
    for i, entry in enumerate(feed.findall(ATOM + "entry")):
        where = f"entry {i + 1}"
        ident = _one(entry, "id", where, out)
        if ident is not None:
            iri = (ident.text or "").strip()
            if not _absolute(iri):
                out.append(f"{where}: atom:id {iri!r} is not an absolute IRI")
            if iri in ids:
                out.append(f"{where}: atom:id {iri} is used twice in the feed")
            ids.add(iri)
        _one(entry, "title", where, out)
        updated = _one(entry, "updated", where, out)
        if updated is not None:
            stamps.append((updated.text or "").strip())
        if entry.find(ATOM + "content") is None and not any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link")
        ):
            out.append(f"{where}: no atom:content, so an alternate atom:link is required")
        if not feed_authors and not entry.findall(ATOM + "author"):
            out.append(f"{where}: no atom:author, and the feed has none (RFC 4287 4.1.1)")
        for element in entry.iter():
            if element.tag in (ATOM + "updated", ATOM + "published") and not RFC3339.match((element.text or "").strip()):
                out.append(f"{where}: {element.tag} {element.text!r} is not an RFC 3339 date-time")
    if feed_updated and not RFC3339.match(feed_updated):
        out.append(f"feed: atom:updated {feed_updated!r} is not an RFC 3339 date-time")
    if stamps and feed_updated and max(stamps) > feed_updated:
        out.append(f"feed: atom:updated {feed_updated} is before its newest entry's {max(stamps)}")
    return out


def duplicate_updated(text: bytes) -> list[str]:
    """The validator's warning: two entries of one feed updated at the same instant."""
    stamps = [(e.findtext(ATOM + "updated") or "").strip() for e in ET.fromstring(text).findall(ATOM + "entry")]
    return sorted({s for s in stamps if stamps.count(s) > 1})


def _rfc822(value: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(value).tzinfo is not None
    except (TypeError, ValueError):
        return False


def rss_problems(text: bytes, own_url: str) -> list[str]:
    out: list[str] = []
    rss = ET.fromstring(text)
    if rss.tag != "rss" or rss.get("version") != "2.0":
        return [f"the root element is {rss.tag} version {rss.get('version')}, not rss version 2.0"]
    channel = rss.find("channel")
    if channel is None:
        return ["no channel element"]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            out.append(f"channel: no {name}")
    if not _absolute(channel.findtext("link") or ""):
        out.append("channel: link is not an absolute URL")
    selfs = [link.get("href") for link in channel.findall(ATOM + "link") if link.get("rel") == "self"]
    if selfs != [own_url]:
        out.append(f"channel: atom:link rel=self {selfs}, expected [{own_url}]")
    for name in ("pubDate", "lastBuildDate"):
        value = channel.findtext(name)
        if value is not None and not _rfc822(value):
            out.append(f"channel: {name} {value!r} is not an RFC 822 date with a zone")
    guids: set[str] = set()
    for i, item in enumerate(channel.findall("item")):
        where = f"item {i + 1}"
        if not (item.findtext("title") or item.findtext("description") or "").strip():
            out.append(f"{where}: neither title nor description")
        guid = item.find("guid")
        if guid is not None:
            value = (guid.text or "").strip()
            if guid.get("isPermaLink", "true") == "true" and not _absolute(value):
                out.append(f"{where}: permalink guid {value!r} is not an absolute URL")
            if value in guids:
                out.append(f"{where}: guid {value} is used twice")
            guids.add(value)
        value = item.findtext("pubDate")
        if value is not None and not _rfc822(value):
            out.append(f"{where}: pubDate {value!r} is not an RFC 822 date with a zone")
        author = item.findtext("author")
        if author is not None and "@" not in author:
            out.append(f"{where}: author {author!r} is not an e-mail address")
    return out
