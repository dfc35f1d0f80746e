"""The How to contribute page and the contributor's guide, read in a browser at desk and phone width."""

from __future__ import annotations

import re

from kb.content.model import ENTRY_TYPES
from tests.browser.conftest import ROOT, assert_accessible, screenshot


def test_how_to_contribute_shows_a_worked_example_of_each_type(page, phone, site_url):
    for pg, width in ((page, 1280), (phone, 375)):
        pg.goto(site_url + "contribute/")
        assert pg.locator("article h1").first.inner_text().replace("¶", "").strip() == "How to contribute"
        for name, etype in ENTRY_TYPES.items():
            section = pg.locator(f"section.kb-worked-example:has(h3#{name})")
            assert section.locator("h3").inner_text().strip() == etype.label
            assert f"kb new {name}" in section.locator(".kb-command").inner_text()
            assert "status: draft" in section.locator(".kb-template").inner_text()
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"sideways scroll at {width} px"
        screenshot(pg, f"contribute-{width}")
        assert_accessible(pg)
    # the type index is usable from the keyboard
    page.goto(site_url + "contribute/")
    link = page.locator(".kb-type-index a[href='#minutes']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/contribute/#minutes")
    # a finished example links to a real published entry
    page.locator("section.kb-worked-example:has(h3#case-study) a").last.click()
    page.wait_for_url("**/case-studies/**")


def test_guide_renders_with_its_screenshots(page, phone, site_url):
    for pg, width in ((page, 1280), (phone, 375)):
        pg.goto(site_url + "contribute/guide/")
        assert pg.locator("article h1").first.inner_text().replace("¶", "").strip() == "Contributor's guide"
        images = pg.locator("article img.kb-guide-shot")
        shots = re.findall(r"\]\(images/[^)\s]+\.png\)", (ROOT / "content/contribute/guide.md").read_text(encoding="utf-8"))
        assert images.count() == len(shots) == 5  # entry page, the editor's form and errors, preview draft and errors
        for i in range(len(shots)):
            images.nth(i).scroll_into_view_if_needed()
            pg.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle())
            assert images.nth(i).get_attribute("alt")
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), f"sideways scroll at {width} px"
        screenshot(pg, f"guide-{width}")
        assert_accessible(pg)
