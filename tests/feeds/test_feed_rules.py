"""Every feed file of the built sites keeps the rules of RFC 4287 and RSS 2.0 (tests/feeds/feed_rules.py)."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from tests.feeds.feed_rules import atom_problems, duplicate_updated, rss_problems

SITE = "https://learning.example.org/"
GOOD_ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>https://x.example/f.xml</id><title>F</title>
<updated>2026-11-20T00:00:00+00:00</updated><author><name>Alliance</name></author>
<link href="https://x.example/f.xml" rel="self"/>
<entry><id>https://x.example/a/</id><title>A</title><updated>2026-11-20T00:00:00+00:00</updated><link href="https://x.example/a/"/></entry>
<entry><id>https://x.example/b/</id><title>B</title><updated>2026-11-19T16:00:00+00:00</updated><link href="https://x.example/b/"/></entry>
</feed>"""
GOOD_RSS = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>F</title><link>https://x.example/</link>
<description>D</description><atom:link href="https://x.example/f.rss" rel="self"/>
<item><title>A</title><guid isPermaLink="true">https://x.example/a/</guid><pubDate>Fri, 20 Nov 2026 00:00:00 +0000</pubDate></item>
</channel></rss>"""


def test_the_rules_pass_a_good_feed_and_name_each_fault():
    assert atom_problems(GOOD_ATOM, "https://x.example/f.xml") == []
    assert rss_problems(GOOD_RSS, "https://x.example/f.rss") == []
    no_author = GOOD_ATOM.replace(b"<author><name>Alliance</name></author>", b"")
    assert atom_problems(no_author, "https://x.example/f.xml") == [
        "entry 1: no atom:author, and the feed has none (RFC 4287 4.1.1)",
        "entry 2: no atom:author, and the feed has none (RFC 4287 4.1.1)",
    ]
    twice = GOOD_ATOM.replace(b"https://x.example/b/</id>", b"https://x.example/a/</id>").replace(
        b"2026-11-19T16:00", b"2026-11-20T00:00"
    )
    assert atom_problems(twice, "https://x.example/f.xml") == ["entry 2: atom:id https://x.example/a/ is used twice in the feed"]
    assert duplicate_updated(twice) == ["2026-11-20T00:00:00+00:00"]
    bad_date = GOOD_ATOM.replace(b"2026-11-19T16:00:00+00:00", b"2026-11-19")
    assert "is not an RFC 3339 date-time" in " ".join(atom_problems(bad_date, "https://x.example/f.xml"))
    stale = GOOD_ATOM.replace(
        b"<updated>2026-11-20T00:00:00+00:00</updated><author>", b"<updated>2026-01-01T00:00:00+00:00</updated><author>"
    )
    assert atom_problems(stale, "https://x.example/f.xml") == [
        "feed: atom:updated 2026-01-01T00:00:00+00:00 is before its newest entry's 2026-11-20T00:00:00+00:00"
    ]
    assert atom_problems(GOOD_ATOM, "https://x.example/other.xml")[0].startswith("feed: rel=self links")
    rss = GOOD_RSS.replace(b"<description>D</description>", b"").replace(b"Fri, 20 Nov 2026 00:00:00 +0000", b"2026-11-20")
    assert rss_problems(rss, "https://x.example/f.rss") == [
        "channel: no description",
        "item 1: pubDate '2026-11-20' is not an RFC 822 date with a zone",
    ]


def _feeds(site: Path) -> list[Path]:
    return sorted(p for p in (site / "feeds").rglob("*.xml") if p.name != "sitemap.xml")


@pytest.mark.parametrize("which", ["public_site", "members_site", "generated_site"])
def test_every_feed_file_keeps_the_rules(request, which):
    site = request.getfixturevalue(which)
    feeds = _feeds(site)
    assert len(feeds) >= 40  # the site's, each network's and each type's, in two formats
    for path in feeds:
        own_url = SITE + path.relative_to(site).as_posix()
        check = atom_problems if path.name.endswith(".atom.xml") else rss_problems
        assert check(path.read_bytes(), own_url) == [], path


def test_entries_are_dated_by_their_own_dates(public_site):
    """Not the build's day: a summary by its date, a meeting by its date and start time."""
    entries = {e.id: e for e in feedparser.parse((public_site / "feeds/all.atom.xml").read_bytes()).entries}
    assert entries[SITE + "summaries/summer-2026/"].updated == "2026-07-20T00:00:00+00:00"
    assert entries[SITE + "minutes/send/2026-11-19/"].updated == "2026-11-19T16:00:00+00:00"
    assert entries[SITE + "minutes/send/2026-11-19/"].published == "2026-11-19T00:00:00+00:00"


def test_entries_share_an_updated_instant_only_on_the_build_day(public_site):
    """In the starter site the only instant two entries share is today's (a summary dated today, a meeting announced
    without a date). On a bigger site two entries of one day share midnight: an entry's date has no time of day (but a
    meeting's start), and the W3C validator reports that as a warning, not an error."""
    for path in _feeds(public_site):
        if path.name.endswith(".atom.xml"):
            assert set(duplicate_updated(path.read_bytes())) <= {"2026-11-23T00:00:00+00:00"}, path
