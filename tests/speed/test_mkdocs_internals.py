"""MkDocs' undocumented names behind one wall (speed/mkdocs_internals.py): the installed MkDocs has the shapes the
speed-ups rely on, a moved name is reported in words, and a File's dirty-build answer is set per file."""

from __future__ import annotations

import inspect
import os

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File

import kb.speed.mkdocs_internals as internals
from kb.speed.mkdocs_internals import check, forget_watches, set_modified, watched_paths


def test_the_installed_mkdocs_has_every_shape_relied_on():
    assert check() == []


@pytest.mark.parametrize("name", ["_build_page", "_populate_page"])
def test_check_names_a_page_function_that_is_gone(monkeypatch, name):
    monkeypatch.delattr(mkdocs_build, name)
    (problem,) = check()
    assert problem.startswith(f"mkdocs.commands.build.{name} is gone: the page worker")


def test_check_names_a_page_function_that_takes_other_parameters(monkeypatch):
    def _build_page(page, config, files, nav, env, dirty=False):  # doc_files renamed
        pass

    monkeypatch.setattr(mkdocs_build, "_build_page", _build_page)
    (problem,) = check()
    assert problem.startswith("mkdocs.commands.build._build_page now takes ('page', 'config', 'files', 'nav', 'env', 'dirty')")
    assert problem.endswith("not ('page', 'config', 'doc_files', 'nav', 'env').")


def test_extra_parameters_after_the_ones_used_are_fine(monkeypatch):
    def _populate_page(page, config, files, dirty=False, new_option=None):
        pass

    monkeypatch.setattr(mkdocs_build, "_populate_page", _populate_page)
    assert check() == []


def real_init_source() -> str:
    return inspect.getsource(LiveReloadServer.__init__)


@pytest.mark.parametrize("attribute", ["observer", "_watched_paths", "_watch_refs"])
def test_check_names_a_server_attribute_no_longer_set(monkeypatch, attribute):
    source = real_init_source()
    assert f"self.{attribute}" in source
    real = inspect.getsource

    def getsource(obj):
        text = real(obj)
        return text.replace(f"self.{attribute}", "self.renamed") if obj is LiveReloadServer.__init__ else text

    monkeypatch.setattr(internals.inspect, "getsource", getsource)
    (problem,) = check()
    assert problem.startswith(f"LiveReloadServer no longer sets self.{attribute}:")


def test_check_reads_the_server_class_it_was_given(monkeypatch):
    class Server(LiveReloadServer):  # a newer MkDocs: its watch list moved elsewhere
        def __init__(self, builder, host, port, root):
            self.observer = None
            self._watched_paths = {}

    monkeypatch.setattr(internals, "LiveReloadServer", Server)
    (problem,) = check()
    assert problem.startswith("LiveReloadServer no longer sets self._watch_refs: the native watcher")


@pytest.mark.parametrize("method", ["watch", "unwatch"])
def test_check_names_a_missing_server_method(monkeypatch, method):
    monkeypatch.delattr(LiveReloadServer, method)
    assert check() == [f"LiveReloadServer.{method} is gone."]


def test_check_names_a_file_that_can_no_longer_answer_per_file(monkeypatch):
    monkeypatch.setattr(File, "is_modified", False)
    assert check() == ["mkdocs.structure.files.File.is_modified is no longer a method: incremental rebuilds cannot mark files."]
    monkeypatch.undo()
    monkeypatch.setattr(File, "__slots__", ("src_uri", "dest_uri"), raising=False)
    assert check() == ["File has __slots__ now: is_modified cannot be answered per file."]


# --- set_modified ------------------------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    for name in ("a.md", "b.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"# {name}\n")
    return [File(name, str(docs), str(site), use_directory_urls=True) for name in ("a.md", "b.md")]


def test_set_modified_answers_for_that_file_only(files):
    a, b = files
    method = File.__dict__["is_modified"]
    assert a.is_modified() is True and b.is_modified() is True  # MkDocs' own answer: no output written yet
    set_modified(a, False)
    assert a.is_modified() is False
    assert b.is_modified() is True  # another File keeps MkDocs' own answer
    assert File("a.md", a.src_dir, a.dest_dir, use_directory_urls=True).is_modified() is True  # so does a new one
    set_modified(a, True)
    set_modified(b, False)
    assert (a.is_modified(), b.is_modified()) == (True, False)
    assert File.__dict__["is_modified"] is method  # the class itself is untouched


def test_set_modified_overrides_mkdocs_own_answer_either_way(files, tmp_path):
    a = files[0]
    (tmp_path / "site" / "a").mkdir(parents=True)
    out = tmp_path / "site" / "a" / "index.html"
    out.write_text("built")
    os.utime(out, (2_000_000_000, 2_000_000_000))  # newer than its source: MkDocs would skip it
    assert a.abs_dest_path == str(out) and a.is_modified() is False
    set_modified(a, True)
    assert a.is_modified() is True


# --- the live-reload server's watch list -------------------------------------------------------------------------


def test_watched_paths_and_forget_watches(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    (tmp_path / "docs").mkdir()
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "docs"))
    paths = watched_paths(server)
    assert paths == {str(tmp_path / "docs"): 2}
    paths.clear()
    assert watched_paths(server) == {str(tmp_path / "docs"): 2}  # a copy
    server.observer.unschedule_all()
    forget_watches(server)
    assert watched_paths(server) == {} and server._watch_refs == {}


BASES = ["https://learning.example.org/", "https://learning.example.org", "http://127.0.0.1:8000/", "https://x.org/kb/"]
URLS = ["", "case-studies/transition-coaching/", "about/", "search/", "tags/a%20b/", "minutes/send/2026-05-31/", "404.html"]


@pytest.mark.parametrize("base", BASES)
def test_plain_join_is_urljoin_for_plain_addresses(base):
    from urllib.parse import urljoin, urlsplit

    for url in URLS:
        slashed = base if base.endswith("/") else base + "/"
        assert internals.plain_join(base, url) == (urljoin(slashed, url), urlsplit(urljoin(slashed, url)).path), url


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("https://x.org/", "/abs/"),
        ("https://x.org/", "../up/"),
        ("https://x.org/", "a/./b/"),
        ("https://x.org/", "mailto:a@b.org"),
        ("https://x.org/", "a/?q=1"),
        ("https://x.org/", "a/#part"),
        ("https://x.org/", "a;b/"),
        ("https://x.org/", "a\\b/"),
        ("https://x.org/a/../b/", "c/"),
        ("https://x.org/?q=1", "c/"),
        ("/relative/", "c/"),
    ],
)
def test_plain_join_leaves_everything_else_to_urljoin(base, url):
    assert internals.plain_join(base, url) is None


def test_pages_get_mkdocs_own_canonical_urls_with_plain_urls_on_and_off(monkeypatch):
    from mkdocs.structure.pages import Page

    class FakePage:
        url = "case-studies/transition-coaching/"

    made = {}
    for on in (False, True):
        internals.plain_urls(on)
        page = FakePage()
        Page._set_canonical_url(page, "https://x.org/kb")
        made[on] = (page.canonical_url, page.abs_url)
    assert (
        made[True]
        == made[False]
        == ("https://x.org/kb/case-studies/transition-coaching/", "/kb/case-studies/transition-coaching/")
    )


def test_check_names_a_canonical_url_method_that_takes_other_parameters(monkeypatch):
    monkeypatch.setattr(internals, "_MKDOCS_CANONICAL", lambda self, base, extra=None: None)
    (problem,) = check()
    assert problem.startswith("Page._set_canonical_url no longer takes (self, base)")
