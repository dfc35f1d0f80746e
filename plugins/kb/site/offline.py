"""The site as an installable web app that keeps working on patchy school Wi-Fi: a web app manifest with its
icons, a service worker (templates/sw.js, registered by assets/kb/kb-offline.js) and the page it shows for a
page never opened while online (offline.html).

All made once per build from the catalogue's shape, like the feeds: the worker's cache is named after a digest
of what the site is made from (the catalogue's shape and kb's own files), so a new release or new entries
replace the old cache, and a warm build writes the same bytes as a cold one.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw

from kb.content.catalogue import Catalogue
from kb.content.fingerprints import catalogue_shape
from kb.pages.render import render
from kb.pages.security import add_csp_meta
from kb.search.page import FALLBACK_FILE
from kb.site.social import ACCENT, BACKGROUND, INK, font

MANIFEST = "manifest.webmanifest"
WORKER = "sw.js"
OFFLINE_PAGE = "offline.html"
ICON_SIZES = (192, 512)
THEME_COLOUR = "#3f51b5"  # Material's indigo, the site's primary colour (mkdocs.yml)
ASSETS = Path(__file__).resolve().parent.parent / "theme" / "assets" / "kb"
# Kept when the worker is installed, so search works offline from the first visit on (its fallback file
# holds titles and summaries only, about 300 bytes per entry).
STYLESHEET = "assets/kb/kb-site.css"  # the plugin's stylesheets joined into one (a theme template rendered each build)
PRECACHE = ("./", "search/", FALLBACK_FILE, OFFLINE_PAGE, STYLESHEET)


def icon_path(size: int) -> str:
    return f"assets/icons/icon-{size}.png"


def short_name(site_name: str) -> str:
    """What a phone writes under the icon: the site's name before any dash or colon."""
    for mark in (" — ", " – ", " - ", ": "):
        site_name = site_name.split(mark)[0]
    return site_name.strip() or "Learning"


def manifest_json(catalogue: Catalogue) -> str:
    name = catalogue.site_name or "Shared learning"
    manifest = {
        "name": name,
        "short_name": short_name(name),
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": icon_path(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"} for size in ICON_SIZES
        ],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def draw_icon(size: int, letters: str) -> bytes:
    """A square icon: the site's initials, white on indigo, with a teal bar (no words to keep out of it)."""
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, round(size * 0.8), size, round(size * 0.86)), fill=ACCENT)
    draw.text((size / 2, size * 0.45), letters, font=font(round(size * 0.34), bold=True), fill=INK, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def initials(name: str) -> str:
    words = [w for w in short_name(name).split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:3]) or "L"


def version(catalogue: Catalogue) -> str:
    """The build's cache name: the catalogue's shape (entries, settings, today) and kb's own scripts and styles."""

    def compute(cat: Catalogue) -> str:
        h = hashlib.blake2b(catalogue_shape(cat).encode(), digest_size=8)
        for asset in sorted(ASSETS.iterdir()):
            h.update(asset.name.encode() + asset.read_bytes())
        h.update(render("sw.js", version="", precache=list(PRECACHE), keep_pages=True).encode())
        return h.hexdigest()

    return catalogue.derive("offline_version", compute)


def offline_page(catalogue: Catalogue) -> str:
    """Shown for any page not kept: links from the site's root (it answers at every address), its own policy."""
    root = urlsplit(catalogue.site_url).path or "/"
    html = render(
        OFFLINE_PAGE,
        site_name=catalogue.site_name or "Shared learning",
        root=root,
        theme_colour=THEME_COLOUR,
        stylesheet=STYLESHEET,
    )
    return add_csp_meta(html, allowed=())


def offline_files(catalogue: Catalogue) -> dict[str, str | bytes]:
    """The manifest, its icons, the service worker and the offline page (FILE_GENERATORS)."""
    files: dict[str, str | bytes] = {MANIFEST: manifest_json(catalogue)}
    letters = initials(catalogue.site_name or "")
    files.update({icon_path(size): draw_icon(size, letters) for size in ICON_SIZES})
    # The members' site keeps nothing (see sw.js); nor does kb serve's preview, whose pages change on every save
    # (and whose live reload asks the server all the time): its worker is there, doing nothing.
    keep_pages = not (catalogue.members or catalogue.preview)
    precache = list(PRECACHE) if keep_pages else []
    files[WORKER] = render("sw.js", version=version(catalogue), precache=precache, keep_pages=keep_pages)
    files[OFFLINE_PAGE] = offline_page(catalogue)
    return files
