"""The Caddyfile kb writes: read by Debian's caddy itself (`caddy adapt`, `caddy validate`), checked for the
sign-in in front of every members' path, the headers, the caches, and settings refused in plain words."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import time

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.live import caddy
from kb.live.accounts import hash_password
from kb.live.caddy import WebConfigError, WebSettings
from kb.live.releases import Live, write_manifest


@pytest.fixture
def live(tmp_path):
    return Live(tmp_path / "live")


def local(**changes) -> WebSettings:
    settings = WebSettings("http://:8080", ["127.0.0.1:8081", "127.0.0.1:8082"], ["127.0.0.1:8091"], bind="127.0.0.1")
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings.check()


def adapt(live: Live, text: str) -> dict:
    """Caddy's own reading of the Caddyfile, as JSON (it fails on anything it does not understand)."""
    path = live.root / "Caddyfile.test"
    live.root.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(path), "--adapter", "caddyfile"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def handlers(node) -> list[str]:
    """Every handler name in the order it appears in the JSON (depth first)."""
    found = []
    if isinstance(node, dict):
        if "handler" in node:
            found.append(node["handler"])
        for value in node.values():
            found += handlers(value)
    elif isinstance(node, list):
        for value in node:
            found += handlers(value)
    return found


def members_route(node) -> dict:
    """The route matching /members and /members/*, wherever Caddy put it."""
    if isinstance(node, dict):
        if node.get("match") == [{"path": ["/members", "/members/*"]}]:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for value in node:
            found = members_route(value)
            if found:
                return found
    return {}


def test_every_members_path_passes_the_sign_in_before_anything_answers(live):
    hashed = hash_password("correct horse battery", 4)
    config = adapt(live, caddy.caddyfile(live, local(), {"alice": hashed}, ["'sha256-abc='"]))
    route = members_route(config)
    order = handlers(route)
    assert order[:3] == ["subroute", "subroute", "authentication"]  # the first thing in the route, before anything answers
    assert order.index("authentication") < min(
        order.index("file_server"), order.index("reverse_proxy"), order.index("static_response")
    )
    inner = route["handle"][0]["routes"][0]["handle"][0]["routes"][0]["handle"][0]
    provider = inner["providers"]["http_basic"]
    assert provider["accounts"] == [{"username": "alice", "password": base64.b64encode(hashed.encode()).decode()}]
    assert provider["hash"] == {"algorithm": "bcrypt"} and provider["realm"] == "Members"
    assert provider["hash_cache"] == {}  # one bcrypt check per member and password, not one per file


def test_without_members_every_members_path_is_refused(live):
    text = caddy.caddyfile(live, local(), {}, [])
    assert "basicauth" not in text and "respond 401" in text
    order = handlers(members_route(adapt(live, text)))
    assert order.index("static_response") < order.index("file_server")


def test_headers_caches_and_the_services(live):
    text = caddy.caddyfile(live, local(), {}, ["'sha256-abc='", "'sha256-def='"])
    config = adapt(live, text)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == ["127.0.0.1:8080"]
    assert (server["read_header_timeout"], server["idle_timeout"], server["max_header_bytes"]) == (10 * 10**9, 120 * 10**9, 16000)
    flat = json.dumps(config)
    assert "script-src 'self' 'sha256-abc=' 'sha256-def='" in flat and "frame-ancestors 'self'" in flat
    assert "Strict-Transport-Security" not in flat  # plain HTTP: no HSTS
    assert '"public, max-age=31536000, immutable"' in flat and '"private, no-cache"' in flat and '"public, max-age=300"' in flat
    assert "127.0.0.1:8081" in flat and "127.0.0.1:8082" in flat and "127.0.0.1:8091" in flat
    assert '"/api/health"' in flat and '"round_robin"' in flat
    assert '"zstd"' in flat and '"gzip"' in flat
    assert str(live.current / "site") in flat and str(live.current / "site-members") in flat


def test_on_a_domain_the_site_is_https_with_hsts(live):
    text = caddy.caddyfile(live, local(address="learning.example.org", bind="", email="web@example.org"), {}, [])
    assert "Strict-Transport-Security" in text
    config = adapt(live, text)
    assert "learning.example.org" in json.dumps(config["apps"]["http"]["servers"])
    assert config["apps"]["tls"]["automation"]["policies"][0]["issuers"][0]["email"] == "web@example.org"
    env = {**os.environ, **caddy.caddy_env(live)}
    path = live.root / "Caddyfile.domain"
    path.write_text(text)
    validated = subprocess.run(
        ["caddy", "validate", "--config", str(path), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert validated.returncode == 0 and "Valid configuration" in validated.stdout + validated.stderr


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"address": "https://learning.example.org/"}, "neither a domain name"),
        ({"address": "learning example"}, "neither a domain name"),
        ({"public_search": ["8.8.8.8:8081"]}, "public address"),
        ({"public_search": ["127.0.0.1"]}, "has no port"),
        ({"public_search": ["search.example.org:8081"]}, "not an IP address"),
        ({"members_search": []}, "No members search service"),
        ({"bind": "everywhere"}, "not an IP address"),
        ({"email": 'a"b@example.org'}, "not an e-mail address"),
    ],
)
def test_settings_it_cannot_use_are_refused_in_plain_words(changes, words):
    settings = WebSettings("http://:8080")
    for name, value in changes.items():
        setattr(settings, name, value)
    with pytest.raises(WebConfigError, match=words) as caught:
        settings.check()
    assert "Fix:" in str(caught.value) or "not an" in str(caught.value)


@pytest.mark.parametrize("folder", ['/srv/k"b', "/srv/{kb}", "/srv/kb\\x", "/srv/k\nb"])
def test_a_folder_the_configuration_cannot_hold_is_refused(tmp_path, folder):
    with pytest.raises(WebConfigError, match="cannot hold"):
        caddy.caddyfile(Live(tmp_path / folder.lstrip("/")), local(), {}, [])


def test_the_header_allows_the_scripts_of_every_kept_release(live):
    for name, hashes in (("20261121-090000", ["'sha256-old='"]), ("20261122-090000", ["'sha256-new='"])):
        (live.releases / name).mkdir(parents=True)
        write_manifest(live.releases / name, {"script_hashes": {"site": hashes, "site-members": ["'sha256-m='"]}})
    assert caddy.kept_script_hashes(live) == ["'sha256-m='", "'sha256-new='", "'sha256-old='"]


def test_the_written_configuration_is_for_its_owner_only(live):
    assert caddy.write_config(live, local(), {"alice": hash_password("correct horse battery", 4)}) is True
    assert stat.S_IMODE((live.run / "Caddyfile").stat().st_mode) == 0o600
    assert stat.S_IMODE(live.run.stat().st_mode) == 0o700
    assert caddy.write_config(live, local(), {"alice": "x"}) is True
    before = (live.run / "Caddyfile").read_text()
    assert caddy.write_config(live, local(), {"alice": "x"}) is False and (live.run / "Caddyfile").read_text() == before
    assert not caddy.is_running(live)


def test_refresh_says_what_it_did(live):
    assert "No web server is set up" in caddy.refresh(live, {})
    caddy.save_settings(live, local())
    assert "read when the web server starts" in caddy.refresh(live, {})
    (live.root / "web.json").write_text("{not json")
    with pytest.raises(WebConfigError, match="cannot be read"):
        caddy.refresh(live, {})


def test_kb_web_config(project, monkeypatch):
    monkeypatch.delenv("KB_LIVE_DIR", raising=False)

    def run(*args):
        return CliRunner().invoke(main, ["--project", str(project.root), "web-config", *args])

    first = run()
    assert first.exit_code == 1 and "No web settings are saved yet" in first.output
    done = run(
        "--site-address", "learning.example.org", "--public-search", "127.0.0.1:9001", "--members-search", "127.0.0.1:9002"
    )
    assert done.exit_code == 0, done.output
    saved = json.loads((project.root / "live" / "web.json").read_text())
    assert saved["address"] == "learning.example.org" and saved["public_search"] == ["127.0.0.1:9001"]
    assert "127.0.0.1:9001" in (project.root / "live" / "run" / "Caddyfile").read_text()
    again = run()  # as kb-web.service does before starting: written again from the saved settings
    assert again.exit_code == 0 and "read when the web server starts" in again.output
    bad = run("--site-address", "https://x/")
    assert bad.exit_code == 1 and "neither a domain name" in bad.output and "Traceback" not in bad.output
    partial = run("--public-search", "127.0.0.1:9003")
    assert partial.exit_code == 1 and "Give --site-address too" in partial.output


def test_single_sign_on_sends_browsers_to_oauth2_proxy_and_keeps_basic_for_feed_readers(live):
    """`kb web-config --sso`: Caddy itself, with a stand-in for oauth2-proxy's /oauth2/auth (202 for its cookie, 401 without)."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from kb.live.releases import switch_to
    from kb.search.service import serve_in_thread
    from tests.browser.conftest import free_port
    from tests.live.stack import get

    def auth(request):
        return Response(status_code=202 if request.cookies.get("_oauth2_proxy") == "signed-in" else 401)

    proxy = Starlette(
        routes=[
            Route("/members/oauth2/auth", auth),
            Route("/members/oauth2/sign_in", lambda request: PlainTextResponse("Sign in with your partnership account")),
        ]
    )
    proxy_port, web_port = free_port(), free_port()
    stop_proxy = serve_in_thread(proxy, "127.0.0.1", proxy_port)
    (live.releases / "20261123-090000" / "site-members").mkdir(parents=True)
    (live.releases / "20261123-090000" / "site-members" / "index.html").write_text("<h1>Members</h1>")
    switch_to(live, "20261123-090000")
    settings = local(address=f"http://127.0.0.1:{web_port}", bind="", sso=f"127.0.0.1:{proxy_port}")
    caddy.write_config(live, settings, {"alice": hash_password("correct horse battery", 4)})
    web = subprocess.Popen(
        ["caddy", "run", "--config", str(live.run / "Caddyfile"), "--adapter", "caddyfile"],
        env=caddy.caddy_env(live),
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{web_port}/members/"
    try:
        deadline = time.monotonic() + 30
        while not caddy.is_running(live):
            assert web.poll() is None and time.monotonic() < deadline, "caddy did not start"
            time.sleep(0.1)
        status, headers, _ = get(base)
        assert status == 302 and headers["location"] == "/members/oauth2/sign_in?rd=/members/"
        assert get(base + "oauth2/sign_in")[2] == b"Sign in with your partnership account"
        assert get(base, headers={"Cookie": "_oauth2_proxy=signed-in"})[:3:2] == (200, b"<h1>Members</h1>")
        assert get(base, headers={"Cookie": "_oauth2_proxy=forged"})[0] == 302
        assert get(base, auth=("alice", "correct horse battery"))[0] == 200
        assert get(base, auth=("alice", "wrong password here"))[0] == 401
    finally:
        web.terminate()
        web.wait(timeout=30)
        stop_proxy()


def test_the_browser_editor_keeps_its_own_policy_behind_the_web_server(live):
    """/admin/ runs Decap under the policy in its own <meta> tag ('unsafe-eval'); the site's header policy, which a
    browser would apply as well, must not reach it, while every other page keeps the header. Caddy answers for real."""
    import httpx

    from tests.browser.conftest import free_port
    from tests.live.stack import get

    for folder in (live.current / "site" / "admin", live.current / "site-members"):
        folder.mkdir(parents=True)
    (live.current / "site" / "index.html").write_text("<p>home</p>")
    (live.current / "site" / "admin" / "index.html").write_text("<p>editor</p>")
    port = free_port()
    live.run.mkdir(parents=True)
    path = live.run / "Caddyfile"
    path.write_text(caddy.caddyfile(live, local(address=f"http://:{port}"), {}, ["'sha256-abc='"]))
    server = subprocess.Popen(
        ["caddy", "run", "--config", str(path), "--adapter", "caddyfile"],
        env=caddy.caddy_env(live),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, page_headers, _ = get(f"http://127.0.0.1:{port}/")
                break
            except (OSError, httpx.HTTPError):
                assert time.monotonic() < deadline and server.poll() is None, "caddy did not start"
                time.sleep(0.2)
        assert status == 200 and "script-src 'self' 'sha256-abc='" in page_headers["content-security-policy"]
        status, admin_headers, body = get(f"http://127.0.0.1:{port}/admin/")
        assert status == 200 and b"editor" in body
        assert admin_headers["content-security-policy"] == caddy.EDITOR_HEADER_POLICY == "frame-ancestors 'self'"
        assert admin_headers["x-content-type-options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_search_page_with_a_query_goes_to_the_search_services_members_after_signing_in(live):
    """For readers without JavaScript the search services render /search/?q= (search/server_page.py)."""
    config = adapt(live, caddy.caddyfile(live, local(), {"alice": hash_password("correct horse battery", 4)}, ["'sha256-abc='"]))
    flat = json.dumps(config)
    assert '"path": ["/search/", "/search/index.html"]' in flat and '"/members/search/"' in flat
    assert flat.count('{http.request.uri.query} != \\"\\"') == 2  # only with a query: the bare page is a static file
    order = handlers(members_route(config))
    assert order.index("authentication") < order.index("reverse_proxy")
    # the rendered page gets the site's policy, as every static page does
    assert flat.count("Content-Security-Policy") >= 4 and flat.count("script-src 'self' 'sha256-abc='") >= 4
