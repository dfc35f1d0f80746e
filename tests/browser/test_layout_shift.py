"""The search page keeps room for its results: nothing on screen moves when they arrive, even when the search
service is slow (Lighthouse measured a cumulative layout shift of 0.17 there; on loopback the answer comes before
the first paint, so this test holds the answer back 1.5 s, as patchy school Wi-Fi would)."""

from __future__ import annotations

import pytest

from tests.browser.test_search import titles, wait_for_results

SLOW_SEARCH_AND_SHIFTS = """
(() => {
  window.__kbShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__kbShift += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  const fetchNow = window.fetch.bind(window);
  window.fetch = (url, options) => String(url).includes("/api/search")
    ? new Promise((resolve) => setTimeout(resolve, 1500)).then(() => fetchNow(url, options))
    : fetchNow(url, options);
})();
"""


@pytest.mark.parametrize("device", ["phone", "page"])
def test_results_arriving_late_move_nothing(device, request, site_url):
    pg = request.getfixturevalue(device)
    pg.add_init_script(SLOW_SEARCH_AND_SHIFTS)
    pg.goto(site_url + "search/?q=coaching")
    wait_for_results(pg)
    assert titles(pg)
    pg.wait_for_timeout(300)  # shifts are reported after the frame that made them
    shift = pg.evaluate("() => window.__kbShift")
    assert shift < 0.05, f"cumulative layout shift {shift:.3f} as the results arrived"
