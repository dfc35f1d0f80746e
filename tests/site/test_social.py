"""Social cards, Open Graph and Twitter tags on every kind of page, the web app manifest and its icons,
the service worker and the offline page (kb.site.social, kb.site.offline)."""

from __future__ import annotations

import json
import re

import pytest
from PIL import Image

from kb.site.offline import short_name
from tests.conftest import MINI_NETWORK, ROOT, build

SITE_URL = "https://learning.example.org/"
META_RE = re.compile(r'<meta (?:property|name)="(?P<name>(?:og|twitter):[a-z:_]+)" content="(?P<content>[^"]*)"')
KIND_PAGES = {
    "home": ("index.html", "website", "assets/cards/site.png"),
    "entry": ("case-studies/transition-coaching/index.html", "article", "assets/cards/type-case-study.png"),
    "network hub": ("networks/equity/index.html", "article", "assets/cards/network-equity.png"),
    "listing": ("case-studies/index.html", "website", "assets/cards/type-case-study.png"),
    "actions": ("actions/index.html", "website", "assets/cards/site.png"),
    "hand-written": ("about/index.html", "website", "assets/cards/site.png"),
}


def tags_of(html: str) -> dict[str, str]:
    return {m["name"]: m["content"] for m in META_RE.finditer(html)}


@pytest.mark.parametrize("kind", list(KIND_PAGES))
def test_each_kind_of_page_names_its_card_with_absolute_addresses(public_site, kind):
    path, og_type, card = KIND_PAGES[kind]
    tags = tags_of((public_site / path).read_text(encoding="utf-8"))
    assert tags["og:image"] == SITE_URL + card
    assert (public_site / card).is_file(), f"{card} is named by {path} but was not built"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:type"] == og_type
    assert tags["og:url"] == SITE_URL + path.removesuffix("index.html")
    assert tags["og:title"] and tags["og:description"]


def test_an_entry_page_says_its_own_title_and_summary(public_site):
    tags = tags_of((public_site / "case-studies/transition-coaching/index.html").read_text(encoding="utf-8"))
    source = (ROOT / "content/case-studies/transition-coaching.md").read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", source, re.MULTILINE)[1].strip().strip("\"'")
    assert tags["og:title"] == title
    assert tags["og:image:alt"] == title


def test_a_card_per_network_and_per_type_sized_for_sharing_with_its_words(public_site):
    cards = sorted((public_site / "assets/cards").glob("*.png"))
    networks = {p.stem for p in (ROOT / "content/networks").glob("*.md")} - {"index"}
    assert {c.stem for c in cards} >= {f"network-{n}" for n in networks} | {"site", "type-case-study", "type-minutes"}
    card = Image.open(public_site / "assets/cards/network-equity.png")
    assert card.size == (1200, 630)
    assert card.text["Title"] == "Network: Equity Network"  # the words drawn, also kept as PNG text (leak tests search them)
    assert card.text["Source"].startswith("City Learning Alliance")
    # Drawn, not blank: the title's white letters are on the indigo card.
    assert (255, 255, 255) in {colour for _, colour in card.convert("RGB").getcolors(1_000_000)}


def test_the_manifest_names_the_site_and_its_icons(public_site):
    index = (public_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="manifest.webmanifest">' in index
    entry = (public_site / "case-studies/transition-coaching/index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="../../manifest.webmanifest">' in entry
    manifest = json.loads((public_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "City Learning Alliance — shared learning"
    assert manifest["short_name"] == "City Learning Alliance"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("./", "./", "standalone")
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        with Image.open(public_site / icon["src"]) as image:
            sizes[icon["sizes"]] = image.size
        assert icon["type"] == "image/png"
    assert sizes == {"192x192": (192, 192), "512x512": (512, 512)}


def test_short_name_is_the_name_before_a_dash():
    assert short_name("City Learning Alliance — shared learning") == "City Learning Alliance"
    assert short_name("Equity: what works") == "Equity"
    assert short_name("Plain") == "Plain"


def test_every_page_registers_the_service_worker_from_the_site_itself(public_site):
    for path in ("index.html", "search/index.html", "case-studies/transition-coaching/index.html", "404.html"):
        html = (public_site / path).read_text(encoding="utf-8")
        assert re.search(r'<script src="[^"]*assets/kb/kb-offline\.js" defer></script>', html), path
    assert (public_site / "assets/kb/kb-offline.js").is_file()


def test_the_service_worker_never_keeps_the_search_service_or_the_editor(public_site):
    worker = (public_site / "sw.js").read_text(encoding="utf-8")
    assert re.search(r'var VERSION = "[0-9a-f]{16}";', worker)
    assert 'var NEVER = [SCOPE + "api/", SCOPE + "admin/", SCOPE + "members/"];' in worker
    precache = json.loads(re.search(r"var PRECACHE = (\[.*\]);", worker)[1])
    assert precache == ["./", "search/", "search/fallback.json", "offline.html", "assets/kb/kb-site.css"]  # the styles too
    for path in precache:
        assert (public_site / path / ("index.html" if path.endswith("/") else "")).is_file(), path


def test_the_offline_page_links_home_from_any_address_under_its_own_policy(public_site):
    html = (public_site / "offline.html").read_text(encoding="utf-8")
    assert '<a href="/">Go to the home page</a>' in html
    assert '<html lang="en">' in html and "<h1>You are offline</h1>" in html
    assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';" in html


def test_cards_and_the_worker_follow_the_catalogue(tmp_path, project, monkeypatch):
    """A new network gets its card; the worker's cache gets a new name, so readers' old copies are replaced.
    Each card is drawn once per build, not once per page that shows it."""
    from kb.site import social

    drawn = []
    draw = social.draw_card
    monkeypatch.setattr(social, "draw_card", lambda *args: drawn.append(args) or draw(*args))
    first = build(project.root, tmp_path / "one", cache_dir=str(tmp_path / "cache-one"))
    assert len(drawn) == len(list((first / "assets/cards").glob("*.png")))
    project.write("content/networks/newcomers.md", MINI_NETWORK.format(title="Newcomers"))
    second = build(project.root, tmp_path / "two", cache_dir=str(tmp_path / "cache-two"))
    assert not (first / "assets/cards/network-newcomers.png").exists()
    assert Image.open(second / "assets/cards/network-newcomers.png").text["Title"] == "Network: Newcomers"
    version = re.compile(r'var VERSION = "([0-9a-f]+)"')
    assert version.search((first / "sw.js").read_text())[1] != version.search((second / "sw.js").read_text())[1]


@pytest.mark.parametrize("status, visibility", [("draft", "public"), ("published", "members")])
def test_a_hidden_network_gets_no_card_and_is_in_none(tmp_path, project, status, visibility):
    hidden = MINI_NETWORK.format(title="Hidden LeakCardZq").replace(
        "status: published", f"status: {status}\nvisibility: {visibility}"
    )
    project.write("content/networks/leak-card.md", hidden)
    site = build(project.root, tmp_path / "site")
    assert not (site / "assets/cards/network-leak-card.png").exists()
    assert (site / "assets/cards/network-equity.png").exists()
    for path in [*(site / "assets").rglob("*.png"), site / "sw.js", site / "manifest.webmanifest", site / "offline.html"]:
        assert b"LeakCardZq" not in path.read_bytes(), path
    assert "LeakCardZq" not in Image.open(site / "assets/cards/type-network.png").text["Title"]


def test_the_members_site_worker_keeps_no_page(tmp_path, project):
    """On a shared school computer a kept members' page would be readable offline without the password."""
    public = (build(project.root, tmp_path / "public") / "sw.js").read_text(encoding="utf-8")
    members = (build(project.root, tmp_path / "members", members=True) / "sw.js").read_text(encoding="utf-8")
    assert "var KEEP_PAGES = true;" in public
    assert "var KEEP_PAGES = false;" in members
    assert json.loads(re.search(r"var PRECACHE = (\[.*\]);", members)[1]) == []


@pytest.mark.parametrize(
    "title",
    ["Peace and Community Safety Network", "Recruitment, Retention and Development of Staff across the Whole City " * 3, "SEND"],
)
def test_a_title_fits_across_the_card_in_three_lines(title):
    from kb.site.social import TEXT_WIDTH, fit_title, font

    lines, size = fit_title(title)
    assert 1 <= len(lines) <= 3
    assert all(font(size, bold=True).getlength(line) <= TEXT_WIDTH for line in lines)
    assert " ".join(lines).removesuffix(" …").split() == title.split()[: len(" ".join(lines).removesuffix(" …").split())]


def test_the_preview_worker_keeps_nothing(project):
    """kb serve's pages change on every save and its live reload asks the server all the time."""
    from kb.site.offline import offline_files

    catalogue = project.catalogue()
    catalogue.site_name = "Preview"
    assert "var KEEP_PAGES = true;" in str(offline_files(catalogue)["sw.js"])
    catalogue.preview = True
    catalogue.derived.clear()
    worker = str(offline_files(catalogue)["sw.js"])
    assert "var KEEP_PAGES = false;" in worker and "var PRECACHE = [];" in worker


def test_every_page_names_a_card_that_was_built(public_site):
    """Whichever process rendered it (the page worker renders a share of the entries), every page has its card."""
    pages = [p for p in public_site.rglob("*.html") if p.name != "offline.html" and "admin" not in p.parts]
    named = {p.relative_to(public_site).as_posix(): tags_of(p.read_text(encoding="utf-8")).get("og:image", "") for p in pages}
    assert len(named) > 100
    missing = {page: card for page, card in named.items() if not (public_site / card.removeprefix(SITE_URL)).is_file()}
    assert missing == {}
    entry_cards = {card for page, card in named.items() if page.startswith("case-studies/") and page.count("/") == 2}
    assert entry_cards == {SITE_URL + "assets/cards/type-case-study.png"}
