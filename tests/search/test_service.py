"""The HTTP face of search: JSON answers, limits, 4xx with a sentence, headers, and the static site."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from kb.search.index import index_dir_for
from kb.search.service import create_app


@pytest.fixture(scope="module")
def client(public_site):
    return TestClient(create_app(index_dir_for(public_site), public_site), raise_server_exceptions=False)


def test_search_answers_json_with_security_headers(client):
    r = client.get("/api/search", params={"q": "safegaurding"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    data = r.json()
    assert data["corrections"] == {"safegaurding": "safeguarding"} and data["total"] >= 1
    assert set(data["facets"]) == {"type", "network", "tag", "phase", "approach", "brokerage", "year"}
    hit = data["results"][0]
    assert {"ref", "url", "title", "type", "type_label", "date", "networks", "snippet"} <= set(hit)


def test_filters_and_paging(client):
    data = client.get(
        "/api/search", params={"q": "attendance", "network": "equity", "type": "minutes", "size": 2, "page": 2}
    ).json()
    assert data["page"] == 2 and len(data["results"]) <= 2
    assert all(h["type"] == "minutes" and any(n["id"] == "equity" for n in h["networks"]) for h in data["results"])


@pytest.mark.parametrize(
    "params, words",
    [
        ({"q": "x" * 201}, "limit is 200"),
        ({"q": "a", "size": "51"}, "'size' must be a whole number from 1 to 50"),
        ({"q": "a", "size": "0"}, "'size'"),
        ({"q": "a", "page": "-1"}, "'page'"),
        ({"q": "a", "page": "abc"}, "'page'"),
        ({"q": "a", "page": "101"}, "'page'"),
        ({"q": "a", "type": "poem"}, "'type' must be one of"),
        ({"q": "a", "network": "../etc/passwd"}, "'network' must be an id"),
        ({"q": "a", "tag": "<script>"}, "'tag' must be an id"),
        ({"q": "a", "sort": "random"}, "'sort' must be one of"),
        ([("q", "a"), ("q", "b")], "'q' may be given once"),
        ({"q": "a", "phase": "university"}, "'phase' must be one of: early-years"),
        ({"q": "a", "approach": "../x"}, "'approach' must be an id"),
        ({"q": "a", "brokerage": "money"}, "'brokerage' must be one of"),
        ({"q": "a", "year": "20x6"}, "'year' must be a whole number from 1900 to 2999"),
        ({"q": "a", "year": "1066"}, "'year'"),
        ({"q": "a", "plain": "network:send;drop"}, "'plain' must be soft filters"),
        ({"q": "a", "plain": "tag:send"}, "'plain' must be soft filters"),
        ({"q": "a", "plain": "network:" + "x" * 200}, "'plain'"),
    ],
)
def test_hostile_parameters_get_a_400_with_a_sentence(client, params, words):
    r = client.get("/api/search", params=params)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    assert words in r.json()["error"]


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "AND OR NOT -",
        "😀" * 50,
        "x" * 200,
        "%00",
        "\x00\x07",
        "a" * 199 + "😀",
        '" " " "',
        "title:(x",
        "*?~^",
        "-" * 200,
    ],
)
def test_malformed_queries_never_a_server_error(client, q):
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text


def test_unknown_api_path_and_wrong_method(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and "api/search" in r.json()["error"]
    assert client.post("/api/search", data={"q": "x"}).status_code == 405


def test_missing_index_is_503_with_a_message(tmp_path):
    r = TestClient(create_app(tmp_path / "none")).get("/api/search?q=x")
    assert r.status_code == 503 and "not available" in r.json()["error"]


def test_serves_the_site_without_path_traversal(client, public_site):
    r = client.get("/search/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "data-kb-search" in r.text
    assert r.headers["x-content-type-options"] == "nosniff" and "frame-ancestors 'self'" in r.headers["content-security-policy"]
    for path in (
        "/../site.search/kb-search.json",
        "/%2e%2e/site.search/kb-search.json",
        "/..%2fsite.search/kb-search.json",
        "/search/..%2f..%2fsite.search%2fkb-search.json",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/search/fallback.json").headers["content-type"].startswith("application/json")


def test_answer_is_small_when_gzipped(client):
    r = client.get("/api/search", params={"q": "attendance"}, headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"
    assert int(r.headers["content-length"]) < 6000


def test_cors_only_for_the_preview_origin(public_site):
    app = create_app(index_dir_for(public_site), cors_origins=("http://127.0.0.1:8000",))
    c = TestClient(app)
    ok = c.get("/api/search?q=x", headers={"Origin": "http://127.0.0.1:8000"})
    assert ok.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    assert "access-control-allow-origin" not in c.get("/api/search?q=x", headers={"Origin": "http://evil.example"}).headers


# -- numbers, errors, audiences and hosts (issue 18) -------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [
        ("page", "²"),  # a superscript two: str.isdigit() says yes
        ("page", "١٢"),  # Arabic-Indic twelve: int() reads it as 12
        ("size", "５"),  # a full-width five
        ("size", "5" * 5000),
        ("page", "0" * 7 + "1"),
        ("page", "1.0"),
        ("size", " 5"),
        ("page", "+2"),
    ],
)
def test_numbers_are_ascii_digits_of_bounded_length_or_400(client, name, value):
    r = client.get("/api/search", params={"q": "attendance", name: value})
    assert r.status_code == 400, (value[:20], r.status_code)
    assert f"'{name}' must be a whole number" in r.json()["error"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_server_error_carries_the_security_headers_too(public_site, monkeypatch):
    from kb.search.query import SearchEngine

    def broken(self, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(SearchEngine, "search", broken)
    r = TestClient(create_app(index_dir_for(public_site), public_site), raise_server_exceptions=False).get("/api/search?q=x")
    assert r.status_code == 500
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert "a bug" not in r.text


def test_a_public_service_refuses_the_members_index(members_site):
    r = TestClient(create_app(index_dir_for(members_site))).get("/api/search?q=attendance")
    assert r.status_code == 503 and "--members" in r.json()["detail"]
    assert TestClient(create_app(index_dir_for(members_site))).get("/api/health").status_code == 503
    ok = TestClient(create_app(index_dir_for(members_site), serves="members")).get("/api/search?q=attendance")
    assert ok.status_code == 200 and ok.json()["total"] > 0


def test_a_preview_index_is_served_only_by_the_preview(project, tmp_path):
    from kb.project import load_project
    from kb.search.index import build_index

    target = build_index(load_project(project.root, preview=True)[0], tmp_path / "preview.search")
    for serves in ("public", "members"):
        r = TestClient(create_app(target, serves=serves)).get("/api/search?q=coaching")
        assert r.status_code == 503 and "preview" in r.json()["detail"], serves
    assert TestClient(create_app(target, serves="preview")).get("/api/search?q=coaching").status_code == 200


def test_an_index_swapped_for_a_members_one_is_refused_at_the_next_request(public_site, members_site, tmp_path):
    import shutil

    live = tmp_path / "live.search"
    shutil.copytree(index_dir_for(public_site), live)
    c = TestClient(create_app(live))
    assert c.get("/api/search?q=attendance").status_code == 200
    shutil.rmtree(live)
    shutil.copytree(index_dir_for(members_site), live)
    assert c.get("/api/search?q=attendance").status_code == 503


def test_the_search_service_command_refuses_to_start_on_a_members_index(members_site):
    from click.testing import CliRunner

    from kb.cli.main import main

    result = CliRunner().invoke(main, ["search-service", "--index", str(index_dir_for(members_site)), "--port", "1"])
    assert result.exit_code == 1 and "members' index" in result.output and "--members" in result.output
    assert "Traceback" not in result.output


def test_a_service_for_one_host_answers_no_other(public_site):
    c = TestClient(create_app(index_dir_for(public_site), hosts=("127.0.0.1:8001", "localhost:8001")))
    assert c.get("/api/search?q=x", headers={"host": "127.0.0.1:8001"}).status_code == 200
    assert c.get("/api/search?q=x", headers={"host": "localhost:8001"}).status_code == 200
    for host in ("evil.example:8001", "127.0.0.1:9999", "127.0.0.1", "evil.example"):
        r = c.get("/api/search?q=x", headers={"host": host})
        assert r.status_code == 421 and r.headers["x-content-type-options"] == "nosniff", host


def test_the_new_filters_and_soft_filters_reach_the_engine(client):
    data = client.get("/api/search", params={"q": "coaching", "phase": "secondary", "year": "2026"}).json()
    assert data["filters"]["phase"] == "secondary" and data["filters"]["year"] == "2026" and data["total"] >= 1
    assert {f["id"] for f in data["facets"]["phase"]} >= {"secondary"}
    soft = client.get("/api/search", params={"q": "transition year 7 send"}).json()["soft"]
    assert [(s["key"], s["on"]) for s in soft] == [("network:send", True)]
    plain = client.get("/api/search", params={"q": "transition year 7 send", "plain": "network:send"}).json()["soft"]
    assert [(s["key"], s["on"]) for s in plain] == [("network:send", False)]
