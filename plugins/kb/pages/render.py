"""Our HTML fragments come from Jinja templates with autoescaping on; entry text is never concatenated into markup."""

from __future__ import annotations

from functools import lru_cache

import jinja2

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
