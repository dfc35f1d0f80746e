"""Material's navigation, rendered once per link shape instead of once per page.

Material renders the whole site navigation (sidebar and tabs) into every page. On a page that
is not itself in the navigation nothing in that HTML is marked active, so the HTML differs
between such pages only in its relative links, and a relative link depends only on the page's
depth and on how far the page's path runs along the navigation's own paths (`link_shape`).
At 10,000 entries that is a handful of shapes for 10,000 renders.

`install` is called from the plugin's on_env: MkDocs makes a new Jinja environment for every
build, so the memo never outlives a build.
"""
from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

MEMOISED = ("partials/nav.html", "partials/tabs.html")
GLOBAL = "kb_memoised_partial"


def url_parts(url: str) -> list[str] | None:
    """A site URL as MkDocs' `url` filter compares it (mkdocs.utils.get_relative_url); None if it is absolute."""
    if urlsplit(url).scheme or urlsplit(url).netloc or url.startswith(("/", "#")):
        return None
    path = posixpath.normpath("/" + url)[1:]
    return path.split("/") if path else []


def page_dir_parts(page_url: str) -> list[str]:
    """The folder the `url` filter makes links relative to: the page's URL without a file name."""
    dirname, _, basename = page_url.rpartition("/")
    return url_parts(dirname if "." in basename else page_url) or []


def target_prefixes(targets: list[str]) -> set[tuple[str, ...]]:
    """Every leading run of folders of the given link targets."""
    prefixes: set[tuple[str, ...]] = set()
    for target in targets:
        parts = url_parts(target or ".")
        if parts is None:  # absolute: the same from every page
            continue
        for i in range(len(parts) + 1):
            prefixes.add(tuple(parts[:i]))
    return prefixes


def link_shape(page_url: str, prefixes: set[tuple[str, ...]]) -> tuple[int, tuple[str, ...]]:
    """What every relative link to the targets depends on: the page's depth, and the longest start of
    its path that some target shares (the part of the path such a link can climb back into)."""
    parts = page_dir_parts(page_url)
    shared = 0
    while shared < len(parts) and tuple(parts[:shared + 1]) in prefixes:
        shared += 1
    return len(parts), tuple(parts[:shared])


def nav_targets(nav, config) -> list[str]:
    """Every URL Material's nav and tabs partials pass through the `url` filter."""
    targets = [str(t) for t in (config.extra.get("homepage"), config.theme.get("logo")) if t]
    if nav.homepage is not None:
        targets.append(nav.homepage.url)
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if getattr(item, "url", None) is not None:
            targets.append(item.url)
        stack.extend(getattr(item, "children", None) or [])
    return targets


class PartialMemo:
    """The Jinja global behind each memoised partial: reuse the HTML rendered for the same link shape."""

    def __init__(self, env: jinja2.Environment, loader: jinja2.BaseLoader) -> None:
        self.env, self.loader = env, loader
        self.templates: dict[str, jinja2.Template] = {}
        self.html: dict[tuple, Markup] = {}
        self.nav_pages: set[str] | None = None
        self.prefixes: set[tuple[str, ...]] = set()
        self.renders = 0  # for tests: how many times a partial was really rendered

    def key(self, name: str, context: jinja2.runtime.Context) -> tuple | None:
        """The memo key for this page, or None when the partial must be rendered for it."""
        page, nav, config = context.get("page"), context.get("nav"), context.get("config")
        if page is None or nav is None or config is None or "toc.integrate" in (config.theme.get("features") or []):
            return None
        if self.nav_pages is None:  # the navigation is the same for the whole build
            self.nav_pages = {p.file.src_uri for p in nav.pages}
            self.prefixes = target_prefixes(nav_targets(nav, config))
        if page.file.src_uri in self.nav_pages:
            return None  # its own entry in the navigation is marked active
        return (name, *link_shape(page.url, self.prefixes))

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, name: str) -> Markup:
        key = self.key(name, context)
        if key is not None and key in self.html:
            return self.html[key]
        if name not in self.templates:
            self.templates[name] = self.loader.load(self.env, name, self.env.globals)
        self.renders += 1
        html = Markup(self.templates[name].render(context.get_all()))
        if key is not None:
            self.html[key] = html
        return html


def install(env: jinja2.Environment) -> PartialMemo:
    """Serve the memoised partials through the memo; everything else, and the real partials, from the theme."""
    if isinstance(env.globals.get(GLOBAL), PartialMemo):  # already installed on this environment
        return env.globals[GLOBAL]
    memo = PartialMemo(env, env.loader)
    stubs = {name: "{{ %s(%r) }}" % (GLOBAL, name) for name in MEMOISED}
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(stubs), env.loader])
    env.globals[GLOBAL] = memo
    return memo
