"""Social cards: the picture a link to the site shows when shared (Open Graph's og:image, Twitter's large card).

One card per network and one per entry type, plus one for the site, drawn once per build from the catalogue
(so only published, public facts can reach one: the catalogue is the one privacy filter). Each page names its
card in its meta (`kb_card`, see card_for); partials/kb-social.html turns that into absolute og:/twitter: tags.
Each card carries the words drawn on it as PNG text too, so a search of the built files for a word finds it.

Pillow draws them (a well-kept library: text layout and PNG writing are not ours to write). The font is
DejaVu Sans from Debian's fonts-dejavu-core, which scripts/setup installs; without it Pillow's own bundled
font is used, so a build never fails over a picture.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from kb.content.catalogue import Catalogue
from kb.content.model import ENTRY_TYPES
from kb.pages.page import VirtualPage

CARD_SIZE = (1200, 630)  # what Open Graph and Twitter's summary_large_image show uncropped (1.91:1)
MARGIN = 90
TEXT_WIDTH = CARD_SIZE[0] - MARGIN - 60
TITLE_SIZES = (76, 64, 54)
CARDS = "assets/cards/"
SITE_CARD = CARDS + "site.png"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TYPE_OF_PREFIX = {t.url_prefix: t.name for t in ENTRY_TYPES.values()}  # first URL segment -> entry type
BACKGROUND, ACCENT, INK, SOFT = "#303f9f", "#26a69a", "#ffffff", "#c5cae9"  # Material's indigo and teal, as the site


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.is_file() else ImageFont.load_default(size)


def network_card(slug: str) -> str:
    return f"{CARDS}network-{slug}.png"


def type_card(type_name: str) -> str:
    return f"{CARDS}type-{type_name}.png"


def fit_title(title: str) -> tuple[list[str], int]:
    """The title's lines and letter size: the largest size at which it fits in three lines across the card
    (measured in the font, not counted in characters); at the smallest, what does not fit ends in an ellipsis."""
    for size in TITLE_SIZES:
        lines = wrap(title, font(size, bold=True))
        if len(lines) <= 3:
            return lines, size
    last, face = lines[2].split(), font(size, bold=True)
    while len(last) > 1 and face.getlength(" ".join(last) + " …") > TEXT_WIDTH:
        last.pop()
    return [*lines[:2], " ".join(last) + " …"], size


def wrap(text: str, face: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and face.getlength(candidate) <= TEXT_WIDTH:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


@lru_cache(maxsize=256)
def draw_card(kind: str, title: str, site_name: str) -> bytes:
    """A 1200x630 PNG: what it is (`kind`), the title in large letters (at most three lines), the site's name.
    Kept per process: drawing one takes about 70 ms (mostly PNG compression), and kb serve re-plans every
    file after a front-matter edit; only a card whose words changed is drawn again."""
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    draw.text((MARGIN, 80), kind.upper(), font=font(34, bold=True), fill=SOFT)
    lines, size = fit_title(title)
    draw.multiline_text((MARGIN, 150), "\n".join(lines), font=font(size, bold=True), fill=INK, spacing=size // 4)
    draw.rectangle((MARGIN, 500, MARGIN + 120, 506), fill=ACCENT)
    draw.text((MARGIN, 530), site_name, font=font(34), fill=INK)
    words = PngInfo()
    words.add_text("Title", f"{kind}: {title}")
    words.add_text("Source", site_name)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=words)
    return out.getvalue()


def card_texts(catalogue: Catalogue) -> dict[str, tuple[str, str]]:
    """{site path of a card: (kind, title)}: the site, each entry type, each network of the catalogue."""
    site_name = catalogue.site_name or "Shared learning"
    texts = {SITE_CARD: ("Shared learning", site_name)}
    texts.update({type_card(t.name): ("Browse", t.plural) for t in ENTRY_TYPES.values()})
    texts.update({network_card(slug): ("Network", entry.title) for slug, entry in catalogue.networks.items()})
    return texts


def card_files(catalogue: Catalogue) -> dict[str, bytes]:
    """Every card of the build, drawn once (FILE_GENERATORS)."""
    site_name = catalogue.site_name or "Shared learning"
    return {path: draw_card(kind, title, site_name) for path, (kind, title) in card_texts(catalogue).items()}


def card_for(page: VirtualPage, catalogue: Catalogue) -> str:
    """The card a page shows when shared: a network's page and its listings its network's, an entry its
    type's, a type's listing its type's, any other page the site's."""
    parts = page.src_uri.split("/")
    networks = catalogue.derive("social_networks", lambda cat: frozenset(cat.networks))
    if page.entry is not None:
        return network_card(page.entry.slug) if page.entry.type == "network" else type_card(page.entry.type)
    if len(parts) > 2 and parts[0] == "networks" and parts[1] in networks:
        return network_card(parts[1])
    return type_card(TYPE_OF_PREFIX[parts[0]]) if len(parts) > 1 and parts[0] in TYPE_OF_PREFIX else SITE_CARD
