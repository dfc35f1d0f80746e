"""The board in a real browser: home -> this term's digest in two clicks, print view, A4 PDF, axe, screenshots."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.browser.conftest import SHOTS, assert_accessible, screenshot

THIS_TERM = "board/digest/autumn-2026/"


def test_board_reaches_this_terms_digest_from_home_in_two_clicks(page, site_url):
    page.goto(site_url)
    page.locator("article a[href='board/']").first.click()  # the home page's own board route (not the tabs)
    page.wait_for_url(re.compile(r"/board/$"))
    page.get_by_role("link", name=re.compile(r"This term's digest: Autumn term 2026")).click()
    page.wait_for_url(re.compile(re.escape(THIS_TERM) + "$"))
    assert page.locator("h1").inner_text() == "Autumn term 2026: what the networks did"
    assert page.locator("section.kb-digest-network", has_text="Networks with no recorded activity this term").count() == 1


def test_board_lists_summaries_newest_first_and_is_keyboard_usable(page, site_url):
    page.goto(site_url + "board/")
    titles = page.locator(".kb-card--learning-summary .kb-card__title").all_inner_texts()
    assert titles[:2] == ["Learning summary for the board: autumn term 2026", "Learning summary for the board: summer term 2026"]
    link = page.get_by_role("link", name=re.compile("This term's digest"))
    for _ in range(80):  # reach the button with Tab alone
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the digest link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(THIS_TERM) + "$"))
    assert_accessible(page)


def test_digest_counts_public_only_and_charts_have_tables(page, site_url):
    page.goto(site_url + THIS_TERM)
    text = page.locator("article").inner_text()
    assert "Zanzibarquill" not in text and "Quokkamembers" not in text
    assert (
        page.locator(".kb-total", has_text="Meetings held").locator("dd").inner_text() == "6"
    )  # members-only meeting not counted
    assert page.locator(".kb-total", has_text="Decisions taken").locator("dd").inner_text() == "11"
    peace = page.locator(".kb-counts tbody tr", has_text="Peace and Community Safety")
    assert peace.locator("td").first.inner_text() == "0"  # its 12 November meeting is members-only
    charts = page.locator("figure.kb-chart")
    assert charts.count() == 2
    for i in range(2):
        drawing = charts.nth(i).locator("[role=img]")
        assert drawing.get_attribute("aria-labelledby")
        charts.nth(i).locator("summary").click()
        assert charts.nth(i).locator("table tbody tr").count() >= 3
    assert_accessible(page)


def test_print_view_has_no_navigation_and_links_show_addresses(page, site_url):
    page.goto(site_url + THIS_TERM)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", "nav.kb-term-nav"):
        loc = page.locator(selector)
        assert loc.count() == 0 or not loc.first.is_visible(), selector
    after = page.locator("a[data-print-url]").nth(3).evaluate("el => getComputedStyle(el, '::after').content")
    assert "https://learning.example.org/" in after
    breaks = page.locator("section.kb-digest-network").evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
    assert breaks and set(breaks) == {"page"}


def test_digest_prints_to_a4_pdf_with_expected_text(page, site_url, tmp_path):
    page.goto(site_url + THIS_TERM)
    pdf = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 in points (chromium: 595.92 x 842.88)
    assert 10 <= len(reader.pages) <= 30, len(reader.pages)  # a page per active network (9) plus the summary pages
    text = "\n".join(p.extract_text() for p in reader.pages)
    for words in (
        "Autumn term 2026: what the networks did",
        "SEND Network (primary focus)",
        "Networks with no recorded activity",
        "https://learning.example.org/minutes/send/2026-11-19/",
    ):
        assert words in text.replace("\n", " ") or words in text, words
    assert "Zanzibarquill" not in text and "Quokkamembers" not in text
    assert "Browse" not in reader.pages[0].extract_text()  # no navigation tabs on paper
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "board-digest-print.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run scripts/setup --test (installs poppler-utils)")
    for number in (1, 2):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(SHOTS / "board-digest-print.pdf"),
                str(SHOTS / f"board-digest-print-page{number}"),
            ],
            check=True,
        )
        assert (SHOTS / f"board-digest-print-page{number}.png").stat().st_size > 5000


def test_summary_page_shows_its_term_beside_it(page, site_url):
    page.goto(site_url + "summaries/autumn-2026/")
    aside = page.locator("aside.kb-summary-digest")
    assert "autumn term 2026 in numbers" in aside.inner_text().lower()
    aside.get_by_role("link", name=re.compile("full term digest")).click()
    page.wait_for_url(re.compile(re.escape(THIS_TERM) + "$"))


def test_network_page_links_its_term_digest_and_feeds(page, site_url):
    page.goto(site_url + "networks/send/")
    board = page.locator("section.kb-network-board")
    assert board.get_by_role("link", name=re.compile("Atom feed")).count() == 1
    board.get_by_role("link", name=re.compile("autumn term 2026")).click()
    page.wait_for_url(re.compile(r"board/digest/autumn-2026/send/$"))
    assert "SEND Network (primary focus): Autumn term 2026" in page.locator("h1").inner_text()
    assert page.locator("figure.kb-chart").count() == 2
    assert_accessible(page)


# Text in the charts and the network table smaller than 12 px, or cut: wider than its box, or a table
# wider than its scrolling frame (a column out of sight).
UNREADABLE = """() => {
  const found = [];
  const text = '.kb-chart__label, .kb-chart__value, .kb-chart__caption, .kb-chart text, .kb-counts th, .kb-counts td';
  for (const el of document.querySelectorAll(text)) {
    const scale = el.getScreenCTM ? el.getScreenCTM().a : 1;  // text inside a scaled SVG is drawn smaller
    const size = parseFloat(getComputedStyle(el).fontSize) * scale;
    const name = el.textContent.trim().slice(0, 40);
    if (el.getClientRects().length && size < 12) found.push(`${name}: ${size.toFixed(1)}px`);
    const box = el.ownerSVGElement ? el.ownerSVGElement.getBoundingClientRect() : null;
    if (box ? el.getBoundingClientRect().right > box.right + 1 : el.scrollWidth > el.clientWidth + 1) found.push(`${name}: cut`);
  }
  for (const frame of document.querySelectorAll('.kb-scroll, .md-typeset__scrollwrap')) {
    if (frame.scrollWidth > frame.clientWidth + 1) found.push(`a table scrolls sideways by ${frame.scrollWidth - frame.clientWidth}px`);
  }
  return found;
}"""


def unreadable(pg) -> list[str]:
    return pg.evaluate(UNREADABLE)


@pytest.mark.parametrize(
    "path, name",
    [(THIS_TERM, "digest"), ("board/", "board"), ("summaries/autumn-2026/", "summary"), (THIS_TERM + "send/", "digest-send")],
)
def test_screenshots_and_no_sideways_scroll_on_a_phone(phone, page, site_url, path, name):
    for pg, width in ((phone, 375), (page, 1280)):
        pg.goto(site_url + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        assert not unreadable(pg), f"{path} at {width}px: {unreadable(pg)[:5]}"
        screenshot(pg, f"board-{name}-{width}")
    assert_accessible(phone)
