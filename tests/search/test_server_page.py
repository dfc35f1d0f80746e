"""The search page rendered by the search service for ?q= (search/server_page.py): results in the HTML for readers
without JavaScript, escaped, with links that lead somewhere, and nothing a public reader may not see."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from starlette.testclient import TestClient

from kb.search import server_page
from kb.search.index import index_dir_for
from kb.search.service import create_app

DRAFT_MARK = "Zanzibarquill"  # in a draft of the starter content (content/case-studies/attendance-mentors-pilot.md)
MEMBERS_MARK = "Quokkamembers"  # in a members-only minutes of the starter content


@pytest.fixture(scope="module")
def client(public_site):
    """The service alone (no --site), as production runs it behind Caddy: it finds the page beside its index."""
    return TestClient(create_app(index_dir_for(public_site)), raise_server_exceptions=False)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value for name, value in attrs if name == "href" and value]
        self.scripts += tag == "script"


def region(html: str, marker: str) -> str:
    """The element with this data- attribute, up to its closing tag (our regions do not nest their own kind)."""
    found = re.search(rf"<(\w+)[^>]*\b{marker}\b[^>]*>(.*?)</\1>", html, re.S)
    assert found, f"no {marker} in the page"
    return found.group(2)


def test_a_query_gets_the_page_with_its_results_in_it(client, public_site):
    r = client.get("/search/", params={"q": "attendance"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    api = client.get("/api/search", params={"q": "attendance"}).json()
    results = region(r.text, "data-kb-results")
    titles = re.findall(r'<h2 class="kb-result__title"><a href="([^"]+)">(.*?)</a></h2>', results, re.S)
    assert len(titles) == len(api["results"]) == 10
    assert [re.sub(r"</?mark>", "", t) for _, t in titles] == [h["title"] for h in api["results"]]
    assert "<mark>" in results  # the words found are highlighted, as the script highlights them
    assert f"{api['total']} entries found, page 1 of {api['pages']}." in region(r.text, "data-kb-status")
    # every result link leads to a built page
    for href, _ in titles:
        target = urlsplit(urljoin("http://x/search/", href)).path.strip("/")
        assert (public_site / target / "index.html").exists(), href
    # the form keeps the words, the filters are links, the next page is a link
    assert 'value="attendance"' in r.text
    assert re.search(r'<details class="kb-search__filters" data-kb-filters>', r.text)
    assert 'href="?q=attendance&amp;network=equity"' in r.text
    assert 'href="?q=attendance&amp;page=2">Next page</a>' in r.text
    assert "Search needs JavaScript" not in r.text and "works only where this site runs" not in r.text
    # the headers of the rest of the site
    assert r.headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "public, max-age=60"


def test_filters_and_pages_follow_the_links(client):
    first = client.get("/search/", params={"q": "attendance", "network": "equity"})
    chosen = re.search(r'<a class="kb-facet__option" href="([^"]+)" aria-current="true">', first.text)
    assert chosen and "network" not in parse_qs(urlsplit(chosen.group(1).replace("&amp;", "&")).query)  # pressing it takes it off
    assert "Searching in <strong>Equity Network</strong> only." in first.text
    assert '<input type="hidden" name="network" value="equity">' in first.text  # a new search keeps the filter
    page2 = client.get("/search/", params={"q": "attendance", "page": "2"})
    api2 = client.get("/api/search", params={"q": "attendance", "page": "2"}).json()
    assert api2["results"][0]["title"] in page2.text and "page 2 of" in page2.text
    assert 'href="?q=attendance">Previous page</a>' in page2.text


def test_what_a_reader_types_is_escaped_everywhere(client):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    r = client.get("/search/", params={"q": hostile})
    assert r.status_code == 200
    body = r.text[r.text.index(server_page.START) : r.text.index(server_page.END)]
    assert "<script" not in body and "<img" not in body
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;"' in body
    parsed = Links()
    parsed.feed(body)
    assert parsed.scripts == 0


def test_the_public_page_never_shows_a_draft_or_a_members_only_entry(client):
    for q in ("attendance mentors pilot", DRAFT_MARK, MEMBERS_MARK, "peace community safety members"):
        r = client.get("/search/", params={"q": q})
        assert r.status_code == 200
        assert DRAFT_MARK not in r.text.replace(f'value="{q}"', "")
        assert MEMBERS_MARK not in r.text.replace(f'value="{q}"', "")
        assert "attendance-mentors-pilot" not in r.text and "2026-11-12" not in region(r.text, "data-kb-results")


def test_the_members_service_fills_the_members_page(members_site):
    members = TestClient(create_app(index_dir_for(members_site), serves="members"))
    r = members.get("/search/", params={"q": MEMBERS_MARK})
    assert r.status_code == 200 and MEMBERS_MARK in region(r.text, "data-kb-results")
    assert r.headers["cache-control"] == "private, max-age=60"


def test_a_bad_query_gets_the_page_with_a_sentence(client):
    r = client.get("/search/", params={"q": "a", "type": "poem"})
    assert r.status_code == 400 and r.headers["cache-control"] == "no-store"
    assert "&#39;type&#39; must be one of:" in region(r.text, "data-kb-status")
    assert region(r.text, "data-kb-results").strip() == ""


def test_without_a_query_the_page_is_the_built_one(client, public_site):
    r = client.get("/search/")
    assert r.status_code == 200 and r.text == (public_site / "search" / "index.html").read_text(encoding="utf-8")
    # which, for scripts-off readers on a static host, says plainly what works and what does not
    assert "Without JavaScript, the Search button works only where this site runs its search service" in r.text
    assert client.get("/search/index.html", params={"q": "attendance"}).text.count('class="kb-result"') == 10


def test_without_the_index_the_page_says_search_is_not_available(public_site, tmp_path):
    (tmp_path / "site" / "search").mkdir(parents=True)
    (tmp_path / "site" / "search" / "index.html").write_bytes((public_site / "search" / "index.html").read_bytes())
    r = TestClient(create_app(tmp_path / "site.search")).get("/search/", params={"q": "attendance"})
    assert r.status_code == 503 and "Search is not available right now" in r.text


def test_a_page_without_the_markers_is_answered_as_it_is(index_for_old_page):
    client, page = index_for_old_page
    r = client.get("/search/", params={"q": "attendance"})
    assert r.status_code == 200 and r.text == page


@pytest.fixture
def index_for_old_page(public_site, tmp_path):
    page = "<!doctype html><title>Search</title><p>An older build.</p>"
    path = tmp_path / "index.html"
    path.write_text(page, encoding="utf-8")
    return TestClient(create_app(index_dir_for(public_site), search_page=path)), page


def test_default_page_is_in_the_site_or_beside_the_index():
    assert server_page.default_page(Path("/live/current/site.search"), None) == Path("/live/current/site/search/index.html")
    assert server_page.default_page(Path("/x/idx"), Path("/srv/site")) == Path("/srv/site/search/index.html")


def test_marked_cuts_text_as_the_script_does():
    assert server_page.marked("Attendance matters", [[0, 10]]) == [("Attendance", True), (" matters", False)]
    assert server_page.marked("abc", [[1, 2], [0, 1], [2, 9]]) == [("a", False), ("b", True), ("c", False)]


def test_did_you_mean_soft_filters_and_the_card_are_links(client, public_site):
    fixed = client.get("/search/", params={"q": "safegaurding"}).text
    assert 'Including results for <a href="?q=safeguarding">safeguarding</a>.' in region(fixed, "data-kb-notice")
    soft = client.get("/search/", params={"q": "SEND transition"}).text
    chip = region(soft, "data-kb-chips")
    assert "Showing SEND Network (primary focus) first" in chip
    assert 'href="?q=SEND+transition&amp;plain=network%3Asend">Search everything</a>' in chip
    undone = client.get("/search/", params={"q": "SEND transition", "plain": "network:send"}).text
    assert 'href="?q=SEND+transition">Show SEND Network (primary focus) first</a>' in region(undone, "data-kb-chips")
    card = client.get("/search/", params={"q": "meshed network"}).text
    assert "<strong data-kb-card-label>Meshed</strong>" in card and "data-kb-card aria-labelledby" in card
    link = re.search(r'<a data-kb-card-link href="([^"]+)">Read more in Network models</a>', card)
    assert link and (public_site / urlsplit(urljoin("http://x/search/", link.group(1))).path.strip("/") / "index.html").exists()
