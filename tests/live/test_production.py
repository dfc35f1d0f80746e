"""scripts/production as a user would run it: the public site with production headers, the members' site
behind a sign-in, the search services on loopback only, and no draft or members-only entry where it must not be."""

from __future__ import annotations

import gzip
import socket
import urllib.request
from urllib.parse import quote

import psutil
import pytest

from tests.live.stack import DRAFT_ENTRY, DRAFT_MARK, MEMBER, MEMBERS_ENTRY, MEMBERS_MARK, PASSWORD, get

RIGHT = (MEMBER, PASSWORD)


@pytest.fixture(scope="module")
def stack(production_stack):
    return production_stack


def search(stack, words: str, members: bool = False) -> dict:
    import json

    path = ("members/" if members else "") + "api/search?q=" + quote(words)
    status, _, body = get(stack.url(path), auth=RIGHT if members else None)
    assert status == 200, (path, status, body[:200])
    return json.loads(body)


# --- the public site -----------------------------------------------------------------------------


def test_public_pages_answer_with_the_production_headers(stack):
    status, headers, body = get(stack.url("/"))
    assert status == 200 and b"<html" in body.lower()
    policy = headers["content-security-policy"]
    assert (
        "frame-ancestors 'self'" in policy
        and "object-src 'none'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "'sha256-" in policy  # the theme's inline scripts, by hash
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "public, max-age=300"
    assert "server" not in headers
    assert "strict-transport-security" not in headers  # plain HTTP on loopback; HSTS only over TLS (test_caddy.py)


def test_every_inline_script_of_a_page_is_allowed_by_the_header(stack):
    from kb.pages.security import inline_script_hashes

    for path in ("/", "case-studies/transition-coaching/", "search/", "board/", "minutes/equity/2026-07-02/"):
        status, headers, body = get(stack.url(path))
        assert status == 200, path
        hashes = inline_script_hashes(body.decode())
        assert hashes and all(h in headers["content-security-policy"] for h in hashes), path


def test_fingerprinted_files_are_kept_a_year_and_text_is_compressed(stack):
    status, _, body = get(stack.url("/"))
    css = next(part.split('"')[0] for part in body.decode().split('href="')[1:] if part.startswith("assets/stylesheets/main."))
    status, headers, _ = get(stack.url(css))
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    status, headers, _ = get(stack.url("assets/kb/kb.css"))  # ours: not fingerprinted, so kept briefly
    assert status == 200 and headers["cache-control"] == "public, max-age=300"
    for path in ("/", "feeds/all.atom.xml", "assets/kb/kb-search.js", "search/fallback.json"):
        for encoding in ("gzip", "zstd"):
            status, headers, body = get(stack.url(path), headers={"Accept-Encoding": encoding})
            assert status == 200 and headers["content-encoding"] == encoding, (path, encoding)
            assert len(body) > 0  # httpx undoes the compression: the file comes back whole
        compressed = urllib.request.urlopen(urllib.request.Request(stack.url(path), headers={"Accept-Encoding": "gzip"})).read()
        assert len(gzip.decompress(compressed)) > len(compressed), path


def test_public_search_answers_through_the_proxy_with_a_short_cache(stack):
    status, headers, body = get(stack.url("api/search?q=attendance"))
    assert status == 200 and b'"total"' in body
    assert headers["cache-control"] == "public, max-age=60"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"  # the service's own, for JSON
    assert headers["x-content-type-options"] == "nosniff"  # once, not twice (the proxy's replaces the service's)
    assert get(stack.url("api/search?q=attendance&page=0"))[0] == 400


def test_a_missing_public_page_is_the_sites_404_page(stack):
    status, headers, body = get(stack.url("no/such/page/"))
    assert status == 404 and b"<html" in body.lower() and "content-security-policy" in headers


# --- privacy -------------------------------------------------------------------------------------


def test_the_members_only_entry_is_neither_a_public_page_nor_a_public_search_result(stack):
    assert get(stack.url(MEMBERS_ENTRY))[0] == 404
    assert search(stack, MEMBERS_MARK)["total"] == 0
    assert MEMBERS_MARK.encode() not in get(stack.url("sitemap.xml"))[2]
    assert MEMBERS_MARK.lower().encode() not in get(stack.url("feeds/all.atom.xml"))[2].lower()


@pytest.mark.parametrize(
    "path",
    [
        "members",
        "members/",
        "members/index.html",
        f"members/{MEMBERS_ENTRY}",
        "members/api/search?q=" + MEMBERS_MARK,
        "members/api/health",
        "members/feeds/all.atom.xml",
        "members/calendar/all.ics",
        "members/sitemap.xml",
        "members/404.html",
        "members/no/such/page/",
        "members/../members/",
        "%6Dembers/",
    ],
)
def test_every_members_path_is_401_without_the_right_password_and_reveals_nothing(stack, path):
    for auth in (None, (MEMBER, "not the password at all"), ("nobody@example.org", PASSWORD), (MEMBER, "")):
        for method in ("GET", "HEAD", "POST"):
            status, headers, body = get(stack.url(path), auth=auth, method=method)
            assert status == 401, (path, auth, method, status)
            assert body == b"", (path, body[:100])
            assert headers["www-authenticate"] == 'Basic realm="Members"'
            assert headers["cache-control"] == "no-store"
            assert MEMBERS_MARK.lower() not in str(headers).lower()


def test_members_sign_in_and_find_their_entry_and_its_search_result(stack):
    status, headers, body = get(stack.url("members/"), auth=RIGHT)
    assert status == 200 and b"<html" in body.lower()
    assert headers["cache-control"] == "private, no-cache"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    status, _, body = get(stack.url(f"members/{MEMBERS_ENTRY}"), auth=RIGHT)
    assert status == 200 and MEMBERS_MARK.encode() in body
    found = search(stack, MEMBERS_MARK, members=True)
    assert [r["url"] for r in found["results"]] == [MEMBERS_ENTRY]
    status, headers, _ = get(stack.url("members/api/search?q=" + MEMBERS_MARK), auth=RIGHT)
    assert headers["cache-control"] == "private, max-age=60"  # never kept by a shared cache
    assert get(stack.url("members"), auth=RIGHT)[:2][0] == 308
    status, _, body = get(stack.url("members/no/such/page/"), auth=RIGHT)
    assert status == 404 and b'href="/members/' in body  # the members' own 404 page, linking inside /members/


def test_members_feeds_link_to_the_members_site(stack):
    status, _, body = get(stack.url("members/feeds/all.atom.xml"), auth=RIGHT)
    assert status == 200 and b"https://learning.example.org/members/" in body


def test_the_public_site_cannot_be_walked_into_the_members_folders(stack):
    for path in (
        "../site-members/index.html",
        "..%2fsite-members/index.html",
        "%2e%2e/site-members/",
        "../../releases/",
        "site-members/",
    ):
        status, _, body = get(stack.url(path))
        assert status in (400, 404), path
        assert MEMBERS_MARK.lower().encode() not in body.lower()


def test_a_draft_appears_nowhere(stack):
    assert get(stack.url(DRAFT_ENTRY))[0] == 404
    assert get(stack.url(f"members/{DRAFT_ENTRY}"), auth=RIGHT)[0] == 404
    assert search(stack, DRAFT_MARK)["total"] == 0
    assert search(stack, DRAFT_MARK, members=True)["total"] == 0
    live = stack.project / "live" / "current"
    for folder in ("site", "site.search", "site-members", "site-members.search"):
        files = [p for p in (live / folder).rglob("*") if p.is_file()]
        assert files, folder
        assert [p for p in files if DRAFT_MARK.lower().encode() in p.read_bytes().lower()] == [], folder


def test_the_credentials_file_is_never_copied_into_a_release(stack):
    passwd = stack.project / "members.passwd"
    line = next(line for line in passwd.read_text().splitlines() if line.startswith(MEMBER))
    hashed = line.split(":", 1)[1].encode()
    releases = stack.project / "live" / "releases"
    assert [p for p in releases.rglob("*") if p.is_file() and (hashed in p.read_bytes() or p.name == "members.passwd")] == []
    assert oct(passwd.stat().st_mode & 0o777) == "0o600"


# --- where the services listen -------------------------------------------------------------------


def non_loopback_addresses() -> list[str]:
    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family in (socket.AF_INET, socket.AF_INET6) and not address.address.startswith(("127.", "::1", "fe80")):
                found.append(address.address.split("%")[0])
    return found


def test_the_search_services_listen_on_loopback_only(stack):
    children = stack.state()["children"]
    assert set(children) == {"search-public-1", "search-public-2", "search-members-1", "web"}
    for name, child in children.items():
        listening = [c.laddr for c in psutil.Process(child["pid"]).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        assert listening, name
        assert all(address.ip in ("127.0.0.1", "::1") for address in listening), (name, listening)
    others = non_loopback_addresses()
    for name, child in children.items():
        for address in others:
            with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as probe:
                probe.settimeout(2)
                assert probe.connect_ex((address, child["port"])) != 0, f"{name} answers on {address}:{child['port']}"
