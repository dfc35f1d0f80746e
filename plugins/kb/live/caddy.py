"""The web server's configuration: a Caddyfile for Debian's Caddy (2.6), written from the web settings,
the members' accounts and the script hashes of the kept releases, then reloaded without a restart.

Behind one address it serves `/` (live/current/site), `/api/*` (the public search services),
`/members/` (live/current/site-members) and `/members/api/*` (the members' search services); every
path under /members/ needs a member's name and password (HTTP Basic, over TLS on a real domain) and
answers a bare 401 without them. Caddy reads the bcrypt hashes as they are (base64-encoded, as 2.6 wants)
and keeps a cache of checked passwords, so a page with its dozen files costs one bcrypt check, not twelve.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
from dataclasses import asdict, dataclass, field

from kb.live import headers
from kb.live.releases import Live, read_manifest, release_names

SETTINGS_FILE = "web.json"
CADDYFILE = "Caddyfile"
ADMIN_SOCKET = "caddy-admin.sock"
REALM = "Members"
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
HTTP_RE = re.compile(r"^http://(?P<host>[a-z0-9.-]*|\[[0-9a-f:]+\]):(?P<port>\d{1,5})$")
UNSAFE_IN_CADDYFILE = re.compile(r'["\\{}\n\r\t]')


class WebConfigError(Exception):
    """Settings the web server cannot use; the message names the setting and how to fix it."""


@dataclass
class WebSettings:
    """What `kb web-config` (or `kb production`) chose, kept in live/web.json."""

    address: str  # a domain (HTTPS, with a certificate from Let's Encrypt) or http://[host]:port
    public_search: list[str] = field(default_factory=lambda: ["127.0.0.1:8081", "127.0.0.1:8082"])
    members_search: list[str] = field(default_factory=lambda: ["127.0.0.1:8091"])
    bind: str = ""  # listen only on this address (kb production: 127.0.0.1)
    email: str = ""  # for Let's Encrypt's notices (optional)
    sso: str = ""  # HOST:PORT of an oauth2-proxy: browsers sign in with the partnership's accounts; Basic still works

    @property
    def tls(self) -> bool:
        return not self.address.startswith("http://")

    def check(self) -> WebSettings:
        if not (DOMAIN_RE.match(self.address) or HTTP_RE.match(self.address)):
            raise WebConfigError(
                f"The site address '{self.address}' is neither a domain name (learning.example.org) nor http://HOST:PORT. "
                "Fix: give the domain the site is reached at, without https:// or a path."
            )
        for name in ("public_search", "members_search"):
            if not getattr(self, name):
                raise WebConfigError(f"No {name.replace('_', ' ')} service is given. Fix: give at least one HOST:PORT.")
            for upstream in getattr(self, name):
                check_upstream(upstream, name)
        if self.bind:
            _ip(self.bind, "bind")
        if self.sso:
            check_upstream(self.sso, "sso")
        if self.email and not re.match(r"^[^@\s\"{}\\]+@[^@\s\"{}\\]+$", self.email):
            raise WebConfigError(f"'{self.email}' is not an e-mail address. Fix: give one Let's Encrypt can write to, or none.")
        return self


def _ip(value: str, setting: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        raise WebConfigError(f"{setting}: '{value}' is not an IP address such as 127.0.0.1.") from None


def check_upstream(upstream: str, setting: str) -> None:
    """HOST:PORT with an IP address; search services belong on loopback or a private network, never a public one."""
    host, _, port = upstream.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise WebConfigError(f"{setting}: '{upstream}' has no port. Fix: write it as 127.0.0.1:8081.")
    address = _ip(host, setting)
    if not (address.is_loopback or address.is_private):
        raise WebConfigError(
            f"{setting}: {host} is a public address. Fix: run the search services on 127.0.0.1 (or a private "
            "network behind the web server), never where anyone can reach them without the web server's checks."
        )


def save_settings(live: Live, settings: WebSettings) -> None:
    live.root.mkdir(parents=True, exist_ok=True)
    (live.root / SETTINGS_FILE).write_text(json.dumps(asdict(settings.check()), indent=2) + "\n", encoding="utf-8")


def load_settings(live: Live) -> WebSettings | None:
    path = live.root / SETTINGS_FILE
    if not path.exists():
        return None
    try:
        return WebSettings(**json.loads(path.read_text(encoding="utf-8"))).check()
    except (ValueError, TypeError) as exc:
        raise WebConfigError(
            f"{path} cannot be read ({exc}). Fix: write it again with kb web-config --site-address ..."
        ) from None


EDITOR_HEADER_POLICY = "frame-ancestors 'self'"


def quoted(value: str) -> str:
    """One Caddyfile token. Our own values only: anything Caddy would read as a placeholder or an escape is refused."""
    if UNSAFE_IN_CADDYFILE.search(value):
        raise WebConfigError(
            f"'{value}' holds a quote, backslash, brace or line break, which the web server's configuration cannot hold. Fix: use a folder path without them."
        )
    return f'"{value}"'


def kept_script_hashes(live: Live) -> list[str]:
    """The inline-script hashes of every kept release, so switching to any of them (or back) needs no reload."""
    found: set[str] = set()
    for name in release_names(live):
        for hashes in read_manifest(live, name).get("script_hashes", {}).values():
            found.update(hashes)
    return sorted(found)


def caddyfile(live: Live, settings: WebSettings, accounts: dict[str, str], script_hashes: list[str]) -> str:
    """The whole configuration, as text (tests adapt it with `caddy adapt` to prove Caddy reads it)."""
    site, members_site = quoted(str(live.current / "site")), quoted(str(live.current / "site-members"))
    policy = quoted(headers.header_policy(script_hashes))
    lines = [
        "# Written by kb (kb web-config, kb publish, kb members): do not edit, it is written again.",
        "{",
        f"\tadmin {quoted('unix/' + str(live.run / ADMIN_SOCKET))}",
        f"\tstorage file_system {quoted(str(live.root / 'caddy'))}",
        "\tskip_install_trust",
        *([f"\temail {quoted(settings.email)}"] if settings.email else []),
        "\tservers {",
        "\t\ttimeouts {",
        "\t\t\tread_header 10s",
        "\t\t\tread_body 30s",
        "\t\t\tidle 2m",
        "\t\t}",
        "\t\tmax_header_size 16KB",
        "\t}",
        "}",
        "",
        f"{quoted(settings.address)} {{",
        *([f"\tbind {settings.bind}"] if settings.bind else []),
        "\tencode zstd gzip",
        *_security_headers(settings, indent=1),
        "\t@fingerprinted path_regexp fingerprinted " + headers.FINGERPRINTED,
        "\t@manifest path *.webmanifest",
        "\t@editor path /admin /admin/*",
        "\t@not_editor not path /admin /admin/*",
        "\t@not_fingerprinted not path_regexp " + headers.FINGERPRINTED,
        "\t@members path /members /members/*",
        # a search asked from the search page's own form (?q=...): the search service renders the results into the
        # page, for readers without JavaScript (search/server_page.py); the page without a query is a static file
        *_search_page_matcher("@search_answer", "/search/"),
        *_search_page_matcher("@members_search_answer", "/members/search/"),
        "\thandle @members {",
        "\t\troute {",
        *(_single_sign_on(accounts, settings.sso) if settings.sso else _sign_in(accounts)),
        "\t\t\tredir /members /members/ 308",
        "\t\t\thandle @members_search_answer {",
        "\t\t\t\turi strip_prefix /members",
        *_proxy(settings.members_search, private=True, indent=4, page_policy=policy),
        "\t\t\t}",
        "\t\t\thandle /members/api/* {",
        "\t\t\t\turi strip_prefix /members",
        *_proxy(settings.members_search, private=True, indent=4),
        "\t\t\t}",
        "\t\t\thandle {",
        "\t\t\t\turi strip_prefix /members",
        *_static(members_site, policy, "members", indent=4),
        "\t\t\t}",
        "\t\t}",
        "\t}",
        "\thandle /api/* {",
        *_proxy(settings.public_search, private=False, indent=2),
        "\t}",
        "\thandle @search_answer {",
        *_proxy(settings.public_search, private=False, indent=2, page_policy=policy),
        "\t}",
        "\thandle {",
        *_static(site, policy, "public", indent=2),
        "\t}",
        "\thandle_errors {",
        *_security_headers(settings, indent=2),
        "\t\t@members_missing {",
        "\t\t\tpath /members/*",
        "\t\t\texpression {err.status_code} == 404",
        "\t\t}",
        "\t\thandle @members_missing {",
        f"\t\t\troot * {members_site}",
        "\t\t\trewrite * /404.html",
        "\t\t\tfile_server",
        "\t\t}",
        "\t\t@missing expression {err.status_code} == 404",
        "\t\thandle @missing {",
        f"\t\t\troot * {site}",
        "\t\t\trewrite * /404.html",
        "\t\t\tfile_server",
        "\t\t}",
        "\t\thandle {",  # 401 and the rest: the status alone, no page (so nothing about the content)
        '\t\t\theader Cache-Control "no-store"',
        '\t\t\trespond "" {err.status_code}',
        "\t\t}",
        "\t}",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _security_headers(settings: WebSettings, indent: int) -> list[str]:
    """On every answer, replacing what a search service sent (defer), and Caddy's name taken off."""
    tab = "\t" * indent
    return [
        f"{tab}header {{",
        f"{tab}\tdefer",
        *[f"{tab}\t{name} {quoted(value)}" for name, value in headers.SECURITY_HEADERS.items()],
        *([f"{tab}\tStrict-Transport-Security {quoted(headers.HSTS)}"] if settings.tls else []),
        f"{tab}\t-Server",
        f"{tab}}}",
    ]


def _sign_in(accounts: dict[str, str]) -> list[str]:
    """Caddy's basic authentication with every member's bcrypt hash; with no members yet, everyone is refused."""
    if not accounts:
        return [
            f'\t\t\theader WWW-Authenticate "Basic realm=\\"{REALM}\\""',
            "\t\t\trespond 401",
        ]
    encoded = [
        f"\t\t\t\t{quoted(name)} {base64.b64encode(hashed.encode('ascii')).decode('ascii')}"
        for name, hashed in sorted(accounts.items())
    ]
    return [f"\t\t\tbasicauth bcrypt {quoted(REALM)} {{", *encoded, "\t\t\t}"]


def _single_sign_on(accounts: dict[str, str], sso: str) -> list[str]:
    """oauth2-proxy (run with --proxy-prefix=/members/oauth2) signs browsers in; a request that brings a
    Basic name and password (a feed reader, a calendar app) is checked against the members' accounts as before."""
    basic = [line.replace("\t\t\tbasicauth bcrypt", "\t\t\tbasicauth @basic bcrypt", 1) for line in _sign_in(accounts)]
    if not accounts:
        basic = [f'\t\t\theader @basic WWW-Authenticate "Basic realm=\\"{REALM}\\""', "\t\t\trespond @basic 401"]
    return [
        "\t\t\thandle /members/oauth2/* {",
        f"\t\t\t\treverse_proxy {sso}",
        "\t\t\t}",
        '\t\t\t@basic header Authorization "Basic *"',
        *basic,
        '\t\t\t@not_basic not header Authorization "Basic *"',
        f"\t\t\tforward_auth @not_basic {sso} {{",
        "\t\t\t\turi /members/oauth2/auth",
        "\t\t\t\tcopy_headers X-Auth-Request-User X-Auth-Request-Email",
        "\t\t\t\t@signed_out status 401",
        "\t\t\t\thandle_response @signed_out {",
        "\t\t\t\t\tredir * /members/oauth2/sign_in?rd={uri} 302",
        "\t\t\t\t}",
        "\t\t\t}",
    ]


def _search_page_matcher(name: str, page: str) -> list[str]:
    """The search page asked with a query string (any: the service answers a bad one with a sentence)."""
    return [
        f"\t{name} {{",
        f"\t\tpath {page} {page}index.html",
        '\t\texpression {http.request.uri.query} != ""',
        "\t}",
    ]


def _proxy(upstreams: list[str], private: bool, indent: int, page_policy: str = "") -> list[str]:
    """The search services behind the proxy: round robin, health checks, and a retry on another replica
    when one stops (only GETs reach them, and a search changes nothing, so a retry is safe). `page_policy`:
    for the search page they render, the site's Content-Security-Policy, as on every static page."""
    tab = "\t" * indent
    return [
        f"{tab}reverse_proxy {' '.join(upstreams)} {{",
        f"{tab}\tlb_policy round_robin",
        *([f"{tab}\theader_down Content-Security-Policy {page_policy}"] if page_policy else []),
        f"{tab}\tlb_try_duration 5s",
        f"{tab}\tlb_try_interval 100ms",
        # a refused connection marks a replica down for this long; short, so that a rolling restart (one replica,
        # then the next a few seconds later) never finds every replica marked down: the active checks cover the rest
        f"{tab}\tfail_duration 2s",
        f"{tab}\thealth_uri /api/health",
        f"{tab}\thealth_interval 2s",
        f"{tab}\thealth_timeout 2s",
        # the members' answers are kept in the member's own browser only, never in a shared cache
        *([f"{tab}\theader_down Cache-Control public private"] if private else []),
        f"{tab}\ttransport http {{",
        f"{tab}\t\tdial_timeout 2s",
        f"{tab}\t\tresponse_header_timeout 30s",
        f"{tab}\t\tkeepalive 10s",
        f"{tab}\t\tkeepalive_idle_conns 32",
        f"{tab}\t}}",
        f"{tab}}}",
    ]


def _static(root: str, policy: str, audience: str, indent: int) -> list[str]:
    tab = "\t" * indent
    return [
        f"{tab}root * {root}",
        f"{tab}header @not_editor Content-Security-Policy {policy}",
        # /admin/ (the browser editor, when one is configured) carries its own policy in a <meta> tag (editor/pages.py):
        # Decap needs 'unsafe-eval' there, which the site's header must not grant, so the header only forbids framing.
        f"{tab}header @editor Content-Security-Policy {quoted(EDITOR_HEADER_POLICY)}",
        f"{tab}header @fingerprinted Cache-Control {quoted(headers.cache_control(audience, True))}",
        f"{tab}header @not_fingerprinted Cache-Control {quoted(headers.cache_control(audience, False))}",
        f"{tab}header @manifest Content-Type {quoted(headers.MANIFEST_TYPE)}",  # Caddy has no type for it
        f"{tab}file_server",
    ]


def caddy_env(live: Live) -> dict[str, str]:
    """Caddy keeps its state (certificates, the last configuration it loaded) in live/caddy and live/run, not in a home folder."""
    return {**os.environ, "XDG_DATA_HOME": str(live.root / "caddy"), "XDG_CONFIG_HOME": str(live.run)}


def caddy_binary() -> str:
    found = shutil.which("caddy")
    if not found:
        raise WebConfigError("Caddy is not installed. Fix: sudo apt-get install caddy (scripts/setup --production does it).")
    return found


def write_config(live: Live, settings: WebSettings, accounts: dict[str, str]) -> bool:
    """Write live/run/Caddyfile (owner-only: it holds the password hashes); True when it changed."""
    text = caddyfile(live, settings, accounts, kept_script_hashes(live))
    live.run.mkdir(parents=True, exist_ok=True)
    os.chmod(live.run, 0o700)
    path = live.run / CADDYFILE
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    temporary = path.with_name(f".{CADDYFILE}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return True


def is_running(live: Live) -> bool:
    """Whether a Caddy started with this configuration answers on its control socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(live.run / ADMIN_SOCKET))
        except OSError:
            return False
    return True


def reload(live: Live) -> None:
    """Hand the written configuration to the running Caddy: it switches without dropping a connection."""
    result = subprocess.run(
        [
            caddy_binary(),
            "reload",
            "--config",
            str(live.run / CADDYFILE),
            "--adapter",
            "caddyfile",
            "--address",
            "unix/" + str(live.run / ADMIN_SOCKET),
        ],
        env=caddy_env(live),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        raise WebConfigError(f"The web server did not take the new configuration: {last_error(result.stderr)}")


def last_error(output: str) -> str:
    """Caddy's own words for what went wrong: its last line starting with Error, else the last line."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error")]
    return (errors or lines or ["(no message)"])[-1]


def refresh(live: Live, accounts: dict[str, str]) -> str:
    """Write the configuration again from the saved settings and reload a running web server; says what it did."""
    settings = load_settings(live)
    if settings is None:
        return "No web server is set up here yet (kb web-config or scripts/production sets one up)."
    changed = write_config(live, settings, accounts)
    if not is_running(live):
        return f"The web server's configuration is in {live.run / CADDYFILE}; it is read when the web server starts."
    if changed:
        reload(live)
        return "The running web server has the new configuration."
    return "The running web server's configuration was already up to date."
