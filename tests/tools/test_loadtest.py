"""The search service under a bounded load and hostile input: no 5xx, clear 4xx."""

from __future__ import annotations

import pytest

from kb_tools.loadtest import run_load

QUERIES = [
    "attendance",
    "mentored",
    "attendence",
    "knife crime",
    '"peer coaching"',
    "NQT",
    "behavior",
    "safegaurding",
    "apprentiships",
    "transition year 7",
    "oracy",
    "climate",
    "😀 emoji",
    '"unbalanced',
    "AND OR NOT",
    "x" * 150,
]


@pytest.fixture(scope="module")
def service_url(public_site):
    from tests.browser.conftest import serve_site_with_search

    url, stop = serve_site_with_search(public_site)
    yield url
    stop()


def test_bounded_load_has_no_server_errors(service_url):
    report = run_load(service_url, QUERIES, requests=400, concurrency=8)
    assert report["requests"] == 400
    assert report["server_errors"] == 0, report
    assert set(report["statuses"]) == {"200"}, report
    assert report["requests_per_second"] > 0 and report["p95_ms"] is not None


def test_halfway_is_told_once_half_the_requests_are_answered(service_url):
    import threading

    halfway = threading.Event()
    seen_at: list[bool] = []
    waiter = threading.Thread(target=lambda: seen_at.append(halfway.wait(60)))
    waiter.start()
    report = run_load(service_url, QUERIES, requests=40, concurrency=1, halfway=halfway)
    waiter.join()
    assert seen_at == [True] and report["requests"] == 40
    assert not run_load(service_url, QUERIES, requests=0, concurrency=1, halfway=(unset := threading.Event()))["requests"]
    assert unset.is_set() is False  # nothing answered: never told


@pytest.mark.parametrize("query", ["x" * 2000, "../../etc/passwd", "%00", "q\x00uery"])
def test_hostile_queries_get_a_4xx_or_a_plain_answer(service_url, query):
    report = run_load(service_url, [query], requests=4, concurrency=2)
    assert report["server_errors"] == 0
    assert all(s in ("200", "400") for s in report["statuses"]), report


def test_load_test_refuses_other_hosts():
    with pytest.raises(ValueError):
        run_load("http://10.0.0.1:8000/", ["x"], requests=1)
