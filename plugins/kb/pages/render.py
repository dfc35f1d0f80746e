"""Our HTML fragments come from Jinja templates with autoescaping on; entry text is never concatenated into markup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import escape

from kb.content.model import ENTRY_TYPES, VOCABULARY_PAGES


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # package templates do not change while a process runs: no stat() per include
        cache_size=-1,  # a dict of our few templates: Jinja's LRU cache scans its queue on every lookup (2 µs)
    )
    # `templates`: an optional per-type include is looked up here, not tried (a failed lookup is not cached)
    env.globals.update(types=ENTRY_TYPES, vocabulary_pages=VOCABULARY_PAGES, templates=frozenset(env.list_templates()))
    env.filters["nicedate"] = nicedate
    env.filters["label"] = lambda value: str(value).replace("-", " ").capitalize()
    return env


@lru_cache(maxsize=8192)
def nicedate(day) -> str:
    """'9 March 2026', kept per date: a 2,000-entry build prints 2,754 dates 41,530 times."""
    return day.strftime("%-d %B %Y") if day else ""


def render(template: str, **context) -> str:
    """Render one of our templates to an HTML string."""
    return environment().get_template(template).render(**context)


_H1_WITHOUT_ID = re.compile(r"<h1(?![^>]*\sid=)([^>]*)>")


def with_title_anchor(html: str, toc: Iterable[Any]) -> str:
    """A generated page's <h1> with the id its table of contents points at.

    Material's "Skip to content" link (and the page's contents) target the first heading of the table of
    contents, made from the page's Markdown title; our templates write their own <h1>, which needs that id."""
    anchor = getattr(next(iter(toc), None), "id", None)
    if not anchor or f'id="{escape(anchor)}"' in html:
        return html
    return _H1_WITHOUT_ID.sub(lambda found: f'<h1 id="{escape(anchor)}"{found.group(1)}>', html, count=1)


_SECTION_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def section_headings(html: str) -> list[tuple[int, str, str]]:
    """(level, id, text as HTML-escaped text) of every h2 and h3 with an id, in page order: the page's contents.

    An entry's page is its body and the sections our templates add (a meeting's agenda, decisions, actions,
    the backlinks); the table of contents MkDocs made from the body alone misses the template's sections."""
    return [
        (int(level), anchor, " ".join(_TAG.sub("", _PERMALINK.sub("", inner)).split()))
        for level, anchor, inner in _SECTION_HEADING.findall(html)
    ]
