"""`kb serve` shows drafts, so it answers only requests addressed to 127.0.0.1 or localhost with its port:
a page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets a 421, not a draft."""

from __future__ import annotations

import http.client

from kb.building.local_only import only_local


def _call(app, host: str | None):
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    environ = {"PATH_INFO": "/"} | ({"HTTP_HOST": host} if host is not None else {})
    body = b"".join(app(environ, start_response))
    return seen["status"], body


def _inner(environ, start_response):
    start_response("200 OK", [])
    return [b"a draft"]


def test_only_the_local_names_with_the_port_are_answered():
    app = only_local(_inner, 8000)
    assert _call(app, "127.0.0.1:8000") == ("200 OK", b"a draft")
    assert _call(app, "LOCALHOST:8000") == ("200 OK", b"a draft")
    for host in ("evil.example:8000", "127.0.0.1:8001", "127.0.0.1", "localhost", "", None, "127.0.0.1:8000.evil.example"):
        status, body = _call(app, host)
        assert status.startswith("421") and b"draft" not in body and b"127.0.0.1:8000" in body, host


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_kb_serve_and_its_search_api_refuse_another_host(tmp_path):
    from tests.browser.serving import copy_project, kb_serve

    project = copy_project(tmp_path / "project")
    with kb_serve(project) as (url, _proc):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        draft = "case-studies/attendance-mentors-pilot/"  # a draft, shown only in the preview
        status, body = _get(port, "/" + draft, f"127.0.0.1:{port}")
        assert status == 200 and b"Draft" in body
        status, body = _get(port, "/" + draft, f"rebind.example:{port}")
        assert status == 421 and b"Draft" not in body
        api = port + 1
        assert _get(api, "/api/search?q=attendance", f"127.0.0.1:{api}")[0] == 200
        status, body = _get(api, "/api/search?q=attendance", f"rebind.example:{api}")
        assert status == 421 and b"attendance" not in body.lower().replace(b"api/search", b"")
