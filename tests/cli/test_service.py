"""`kb search-service` (cli/service.py): its options, and the app it hands uvicorn (captured here, no server started)."""

from __future__ import annotations

import pytest
import uvicorn
from click.testing import CliRunner
from starlette.testclient import TestClient

from kb.cli.main import main
from kb.search.index import build_index


@pytest.fixture
def served(monkeypatch):
    """What uvicorn.run was called with, instead of running a server."""
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    return calls


def run(*args):
    return CliRunner().invoke(main, ["search-service", *args])


def test_help_lists_the_options():
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--index", "--site", "--host", "--port"):
        assert option in result.output, option
    assert "127.0.0.1" in result.output and "8081" in result.output  # the defaults are shown


def test_the_index_option_is_required(served):
    result = run()
    assert result.exit_code == 2 and "Missing option '--index'" in result.output
    assert served == []


def test_defaults_listen_only_on_this_machine_behind_a_proxy(project, tmp_path, served):
    index_dir = build_index(project.catalogue(), tmp_path / "site.search")
    result = run("--index", str(index_dir))
    assert result.exit_code == 0, result.output
    ((app, options),) = served
    limits = {
        key: options.pop(key) for key in ("http", "timeout_keep_alive", "limit_concurrency", "timeout_graceful_shutdown")
    }  # search/uvicorn_limits.py
    assert options == {"host": "127.0.0.1", "port": 8081, "log_level": "warning", "proxy_headers": True}
    assert limits["timeout_keep_alive"] == 15 and limits["limit_concurrency"] == 100 and limits["http"].header_timeout == 10.0
    assert limits["timeout_graceful_shutdown"] == 10  # a stop ends within the systemd units' 15 s
    client = TestClient(app)
    assert client.get("/api/health").json() == {"ok": True, "entries": 3}
    answer = client.get("/api/search", params={"q": "coached"})
    assert answer.json()["total"] == 1 and answer.headers["cache-control"] == "public, max-age=60"
    assert client.get("/").status_code == 404  # no --site: only the API


def test_a_members_service_marks_its_answers_private(project, tmp_path, served):
    index_dir = build_index(project.catalogue(members=True), tmp_path / "site-members.search")
    result = run("--index", str(index_dir), "--members")
    assert result.exit_code == 0, result.output
    ((app, _),) = served
    answer = TestClient(app).get("/api/search", params={"q": "coached"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "private, max-age=60"


def test_host_and_port_are_passed_on(tmp_path, served):
    result = run("--index", str(tmp_path / "site.search"), "--host", "0.0.0.0", "--port", "9000")
    assert result.exit_code == 0, result.output
    ((_, options),) = served
    assert options["host"] == "0.0.0.0" and options["port"] == 9000
    assert run("--index", str(tmp_path / "site.search"), "--port", "eighty").exit_code == 2


def test_a_missing_index_folder_starts_and_answers_503_until_one_is_built(project, tmp_path, served):
    index_dir = tmp_path / "site.search"
    result = run("--index", str(index_dir))
    assert result.exit_code == 0, result.output
    ((app, _),) = served
    client = TestClient(app)
    health = client.get("/api/health")
    assert health.status_code == 503 and "No search index in" in health.json()["error"]
    answer = client.get("/api/search", params={"q": "coached"})
    assert answer.status_code == 503 and answer.json()["error"] == "Search is not available right now."
    build_index(project.catalogue(), index_dir)  # the first build writes it: the running service picks it up
    assert client.get("/api/search", params={"q": "coached"}).json()["total"] == 1


def test_an_index_that_is_a_file_is_refused(tmp_path, served):
    (tmp_path / "site.search").write_text("not a folder")
    result = run("--index", str(tmp_path / "site.search"))
    assert result.exit_code == 2 and "is a file" in result.output and served == []


def test_the_site_folder_must_exist(tmp_path, served):
    result = run("--index", str(tmp_path / "site.search"), "--site", str(tmp_path / "nosite"))
    assert result.exit_code == 2 and "does not exist" in result.output and served == []


def test_with_a_site_one_process_answers_pages_and_the_api(project, tmp_path, served):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>Home page</h1>")
    index_dir = build_index(project.catalogue(), tmp_path / "site.search")
    result = run("--index", str(index_dir), "--site", str(site))
    assert result.exit_code == 0, result.output
    ((app, _),) = served
    client = TestClient(app)
    assert "Home page" in client.get("/").text
    assert client.get("/api/search", params={"q": "coached"}).json()["total"] == 1


def test_plain_reads_the_index_without_the_speed_ups_and_answers_the_same(project, tmp_path, served, monkeypatch):
    from kb.search import whoosh_internals

    index_dir = build_index(project.catalogue(), tmp_path / "site.search")
    blocks = []
    real = whoosh_internals.read_blocks
    monkeypatch.setattr("kb.search.match.read_blocks", lambda *a: blocks.append(1) or real(*a))
    answers = []
    for flags in ((), ("--plain",)):
        blocks.clear()
        assert run("--index", str(index_dir), *flags).exit_code == 0
        answers.append((TestClient(served[-1][0]).get("/api/search", params={"q": "coached"}).json(), bool(blocks)))
    (fast, read_blocks_fast), (plain, read_blocks_plain) = answers
    assert fast == plain and read_blocks_fast and not read_blocks_plain
