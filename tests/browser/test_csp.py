"""The policy is real: pages work under it, with no violation reported by the browser."""

from __future__ import annotations


def test_pages_run_under_the_policy_without_violations(page, site_url):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    for path in ("", "case-studies/transition-coaching/", "networks/equity/"):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
    # The theme's inline scripts ran: the palette toggle works.
    toggle = page.locator("label[for^='__palette']").first
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    toggle.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme


def test_injected_inline_script_is_blocked(page, site_url):
    page.goto(site_url)
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1'; document.head.appendChild(s); }"""
    )
    assert page.evaluate("window.__pwned") is None
