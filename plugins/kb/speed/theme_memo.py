"""Fragments of the page template rendered once per link shape instead of once per page.

Material renders the same fragments into every page: the site navigation and tabs, the colour
palette switch, the JSON config block, our stylesheet and script tags. Their HTML differs from
page to page only in relative links, and a relative link depends only on the page's depth and
on how far the page's path runs along the link's own path (`link_shape`). So each fragment is
rendered for the first page of each shape, and that HTML is reused for the others: at 10,000
entries a handful of renders instead of 10,000. The links a fragment makes are recorded (through
the `url` filter) when it is first rendered; the navigation and tabs are reused only on pages
that are not in the navigation (nothing in it is then marked active).

`install` is called from the plugin's on_env: MkDocs makes a new Jinja environment for every
build, so nothing here outlives a build.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import urlsplit

import jinja2
from jinja2.utils import LRUCache
from markupsafe import Markup

# Theme partials served through the memo -> whether only pages outside the navigation may reuse them.
PARTIALS = {
    "partials/nav.html": True,
    "partials/tabs.html": True,
    "partials/palette.html": False,
    "partials/top.html": False,
    "partials/kb-styles.html": False,
    "partials/kb-scripts.html": False,
}
CALL = "kb_memo_partial"  # the Jinja globals (main.html memoises its config block with the last two)
GET, KEEP = "kb_memo_get", "kb_memo_keep"
MEMO = "kb_fragment_memo"


def url_parts(url: str) -> list[str] | None:
    """A site URL as MkDocs' `url` filter compares it (mkdocs.utils.get_relative_url); None if it is absolute."""
    split = urlsplit(url)
    if split.scheme or split.netloc or url.startswith(("/", "#")):
        return None
    path = posixpath.normpath("/" + url)[1:]
    return path.split("/") if path else []


def page_dir_parts(page_url: str) -> list[str]:
    """The folder the `url` filter makes links relative to: the page's URL without a file name."""
    dirname, _, basename = page_url.rpartition("/")
    return url_parts(dirname if "." in basename else page_url) or []


def target_prefixes(targets) -> set[tuple[str, ...]]:
    """Every leading run of folders of the given link targets."""
    prefixes: set[tuple[str, ...]] = {()}
    for target in targets:
        parts = url_parts(target or ".")
        if parts is None:  # absolute: the same from every page
            continue
        for i in range(len(parts) + 1):
            prefixes.add(tuple(parts[:i]))
    return prefixes


def link_shape(page_url: str, prefixes: set[tuple[str, ...]]) -> tuple[int, tuple[str, ...]]:
    """What every relative link to the targets depends on: the page's depth (also all `base_url` depends on),
    and the longest start of its path that some target shares (the part a link can climb back into)."""
    parts = page_dir_parts(page_url)
    shared = 0
    while shared < len(parts) and tuple(parts[: shared + 1]) in prefixes:
        shared += 1
    return len(parts), tuple(parts[:shared])


class FragmentMemo:
    """The HTML of each fragment by link shape, and the links each fragment makes."""

    def __init__(self, env: jinja2.Environment, loader: jinja2.BaseLoader) -> None:
        self.env, self.loader = env, loader
        self.templates: dict[str, jinja2.Template] = {}
        self.html: dict[tuple | None, Markup] = {}  # looked up with key(), which may be None; stored only under a tuple
        self.links: dict[str, set[str]] = {}  # fragment -> the links it made when first rendered
        self.prefixes: dict[str, set[tuple[str, ...]]] = {}  # fragment -> their leading folders
        self.recording: list[set[str]] = []  # link targets of the fragments being rendered for the first time
        self.nav_pages: set[str] | None = None
        self.renders = 0  # for tests: how many times a fragment was really rendered

    def key(self, name: str, context: jinja2.runtime.Context, outside_nav_only: bool) -> tuple | None:
        """This page's key for the fragment, or None when the fragment must be rendered for it."""
        page, nav = context.get("page"), context.get("nav")
        if page is None or getattr(page, "file", None) is None or name not in self.prefixes:
            return None
        if outside_nav_only:
            if nav is None or "toc.integrate" in (context["config"].theme.get("features") or []):
                return None
            if self.nav_pages is None:
                self.nav_pages = {p.file.src_uri for p in nav.pages}
            if page.file.src_uri in self.nav_pages:
                return None  # its own entry in the navigation is marked active
        return (name, *link_shape(page.url, self.prefixes[name]))

    @jinja2.pass_context
    def render_partial(self, context: jinja2.runtime.Context, name: str) -> Markup:
        html = self.get(context, name)
        if html is not None:
            return html
        if name not in self.templates:
            self.templates[name] = self.loader.load(self.env, name, self.env.globals)
        return self.keep(context, name, self.templates[name].render(context.get_all()))

    @jinja2.pass_context
    def get(self, context: jinja2.runtime.Context, name: str) -> Markup | None:
        """A fragment's HTML for this page if known; if not, None, and its links are recorded until `keep`."""
        html = self.html.get(self.key(name, context, PARTIALS.get(name, False)))
        if html is None:
            self.renders += 1
            self.recording.append(set())
        else:
            for links in self.recording:  # reused inside a fragment being recorded: its links count there too
                links.update(self.links[name])
        return html

    @jinja2.pass_context
    def keep(self, context: jinja2.runtime.Context, name: str, html: str) -> Markup:
        """Remember a fragment just rendered for this page; the first rendering also fixes its links."""
        links = self.recording.pop()
        if name not in self.links:
            self.links[name], self.prefixes[name] = links, target_prefixes(links)
        key = self.key(name, context, PARTIALS.get(name, False))
        if key is not None:
            self.html[key] = Markup(html)
        return Markup(html)


def unbounded_cache(env: jinja2.Environment) -> None:
    """The theme's compiled templates kept in a plain dict: Jinja's default LRU cache of 400 moves each template it
    hands out to the back of a queue by searching the queue, about 2 µs a lookup, and a page looks up some fifty
    (every include and import; about 1 s of CPU at 10,000 entries). A theme has a few hundred templates at most;
    the templates handed out are the same ones either way."""
    if isinstance(env.cache, LRUCache):
        env.cache = {}


DICT_ATTRIBUTES = frozenset(dir(dict))  # the names `d.name` finds on a dict itself (get, items...), before its keys


def dict_lookups(env: jinja2.Environment, on: bool = True) -> None:
    """`d.key` on a plain dict answered from the dict at once. Jinja's getattr tries the attribute first and takes
    the key only after an AttributeError is raised and caught (about a microsecond): templates read dict keys this
    way some 600,000 times in a 10,000-entry build (labels, counts, Material's palette and page.meta). The same
    answers: a name that is one of dict's own attributes, and anything that is not exactly a dict, goes to Jinja's.
    `on=False` takes it away again (our own templates' environment lasts as long as the process)."""
    if isinstance(vars(env).get("getattr"), _DictLookups):
        if on:
            return
        del env.getattr
    if not on or type(env).getattr is not jinja2.Environment.getattr or "getattr" in vars(env):
        return  # off, or a sandbox or another getattr: left as it is
    env.getattr = _DictLookups(env)  # type: ignore[method-assign]


class _DictLookups:
    """Environment.getattr for one environment, plain dicts first."""

    __slots__ = ("env", "general")

    def __init__(self, env: jinja2.Environment) -> None:
        self.env, self.general = env, env.getattr

    def __call__(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.env.undefined(obj=obj, name=attribute)
        return self.general(obj, attribute)


def install(env: jinja2.Environment) -> FragmentMemo:
    """Serve the memoised partials through the memo (the real ones stay in the theme) and record links."""
    existing = env.globals.get(MEMO)
    if isinstance(existing, FragmentMemo):  # already installed on this environment
        return existing
    assert env.loader is not None  # MkDocs' environment loads the theme's templates
    memo = env.globals[MEMO] = FragmentMemo(env, env.loader)
    stubs = {name: f"{{{{ {CALL}({name!r}) }}}}" for name in PARTIALS}
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader(stubs), env.loader])
    env.globals.update({CALL: memo.render_partial, GET: memo.get, KEEP: memo.keep})
    url = env.filters["url"]

    @jinja2.pass_context
    def recorded_url(context: jinja2.runtime.Context, value) -> str:
        for links in memo.recording:
            links.add(str(value))
        return url(context, value)

    env.filters["url"] = recorded_url
    return memo
