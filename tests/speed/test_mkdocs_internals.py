"""MkDocs' undocumented names behind one wall (speed/mkdocs_internals.py): the installed MkDocs has the shapes the
speed-ups rely on, a moved name is reported in words, and a File's dirty-build answer is set per file."""

from __future__ import annotations

import inspect
import os

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

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


# One Markdown converter per build (reuse_markdown): every page gets what a converter of its own would give.

PAGES = {
    "index.md": "# Home\n\nSee [the guide](guide.md#setting-up) and [ref][r].\n\n[r]: https://example.org/r\n\n"
    "Text[^1] with HTML.\n\n[^1]: A note.\n\n*[HTML]: Hyper Text\n",
    "guide.md": '# Guide\n\n## Setting up\n\n## Setting up\n\n!!! note "Careful"\n    Inside.\n\n'
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nNo definition here: [ref][r]. Another[^1] HTML.\n\n[^1]: Its own note.\n\n"
    '<div id="raw-anchor" markdown>raw</div>\n\n{: #para-id }\n',
    "deep/page.md": "Title from nothing\n\n## Back [home](../index.md)\n\n[up](../guide.md#missing) `code` **bold**\n",
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    (tmp_path / "docs" / "deep").mkdir(parents=True)
    for name, text in PAGES.items():
        (tmp_path / "docs" / name).write_text(text)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nmarkdown_extensions:\n  - attr_list\n  - admonition\n  - tables\n  - footnotes\n  - abbr\n"
        "  - md_in_html\n  - toc:\n      permalink: true\n"
    )
    monkeypatch.setattr(internals, "_REUSED", dict(internals._REUSED))
    monkeypatch.setattr(Page, "render", internals._MKDOCS_RENDER)

    def load():
        config = load_config(str(tmp_path / "mkdocs.yml"))
        return config, get_files(config)

    return load


def render_all(config, files) -> list[tuple]:
    from mkdocs.structure.pages import Page as MkDocsPage

    made = []
    for name in PAGES:
        page = MkDocsPage(None, files.get_file_from_path(name), config)
        page.read_source(config)
        page.render(config, files)
        made.append((page.content, toc_items(page.toc), page._title_from_render, page.present_anchor_ids, links_by_source(page)))
    return made


def links_by_source(page) -> dict[str, dict[str, str]]:
    return {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}


def toc_items(items) -> list[tuple]:
    return [(item.title, item.url, item.level, toc_items(item.children)) for item in items]


@pytest.fixture
def converters_made(monkeypatch):
    import markdown

    made = []
    real_init = markdown.Markdown.__init__

    def counting_init(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", counting_init)
    return made


def test_one_converter_reset_between_pages_gives_each_page_what_its_own_converter_gives(site, converters_made):
    config, files = site()
    converters_made.clear()  # loading the configuration makes one too
    internals.reuse_markdown(False)
    own = render_all(config, files)
    assert len(converters_made) == len(PAGES)
    internals.reuse_markdown(True)
    assert Page.render is internals._render_reusing
    for _ in range(2):  # the second round: the same converter again, nothing of the first round left in it
        assert render_all(config, files) == own
    assert len(converters_made) == len(PAGES) + 1
    assert 'href="https://example.org/r"' not in own[1][0] and "fnref:1" in own[1][0]  # the pages differ where state could leak


def test_a_new_build_gets_a_new_converter(site, converters_made):
    internals.reuse_markdown(True)
    builds = [site(), site()]  # kb serve: a new config for each build
    converters_made.clear()
    assert render_all(*builds[0]) == render_all(*builds[1])
    assert len(converters_made) == 2


class OutsideExtension(__import__("markdown").extensions.Extension):
    """An extension not known to reset (this module is neither Python-Markdown's nor kb's)."""

    def extendMarkdown(self, md):
        pass


def test_an_extension_not_known_to_reset_gets_a_converter_per_page(site, converters_made):
    config, files = site()
    config["markdown_extensions"].append(OutsideExtension())
    converters_made.clear()
    internals.reuse_markdown(True)
    render_all(config, files)
    assert len(converters_made) == len(PAGES)


@pytest.mark.parametrize("name", ["pymdownx.superfences", "some_package.extension"])
def test_extensions_by_name_from_elsewhere_are_not_known_to_reset(name):
    assert not internals._resettable(name)
    assert internals._resettable("toc") and internals._resettable("markdown.extensions.toc")


def test_after_a_conversion_that_failed_every_page_gets_its_own_converter(site, converters_made, monkeypatch):
    from mkdocs.structure import pages as mkdocs_pages

    config, files = site()
    internals.reuse_markdown(False)
    own = render_all(config, files)
    internals.reuse_markdown(True)
    real_run = mkdocs_pages._RelativePathTreeprocessor.run

    def failing_run(self, root):
        if self.file.src_uri == "index.md":
            raise RuntimeError("half-way")
        return real_run(self, root)

    monkeypatch.setattr(mkdocs_pages._RelativePathTreeprocessor, "run", failing_run)
    with pytest.raises(RuntimeError, match="half-way"):
        render_all(config, files)
    assert internals._REUSED["markdown"] is None
    monkeypatch.setattr(mkdocs_pages._RelativePathTreeprocessor, "run", real_run)
    before = len(converters_made)
    assert render_all(config, files) == own
    assert len(converters_made) == before + len(PAGES)


def test_a_changed_render_is_named_and_left_alone(monkeypatch):
    monkeypatch.setattr(internals, "RENDER_SHA256", "0" * 64)
    monkeypatch.setattr(internals, "_REUSED", dict(internals._REUSED))
    monkeypatch.setattr(Page, "render", internals._MKDOCS_RENDER)
    (problem,) = check()
    assert problem.startswith("Page.render is not the one recorded") and "markdown_reuse" in problem
    internals.reuse_markdown(True)
    assert Page.render is internals._MKDOCS_RENDER


def test_check_names_a_page_processor_that_is_gone(monkeypatch):
    from mkdocs.structure import pages as mkdocs_pages

    monkeypatch.delattr(mkdocs_pages, "_ExtractTitleTreeprocessor")
    (problem,) = check()
    assert "a class it registers is gone" in problem
