"""pages.render: our templates, autoescaped, strict about missing variables, with the site's filters."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest

from kb.content.model import ENTRY_TYPES, VOCABULARY_PAGES
from kb.pages.render import environment, nicedate, render
from tests.factories import entry

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def _url(target: str) -> str:
    return "../" + target


def test_entry_text_is_escaped_in_our_templates():
    hostile = entry("case-studies/x")
    hostile.meta["title"] = HOSTILE
    html = render("breadcrumbs.html", entry=hostile, url=_url)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;" in html
    assert '<a href="../case-studies/">Case studies</a>' in html  # our own markup is kept


def test_strings_made_into_templates_are_escaped_too():
    assert environment().from_string("<p>{{ text }}</p>").render(text=HOSTILE) == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;</p>"
    )


def test_a_missing_variable_raises_instead_of_printing_nothing():
    with pytest.raises(jinja2.UndefinedError, match="'url' is undefined"):
        render("breadcrumbs.html", entry=entry("case-studies/x"))
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ entry.no_such_field }}").render(entry={"title": "x"})


def test_the_environment_is_made_once_with_the_model_as_globals():
    env = environment()
    assert env is environment()
    assert env.globals["types"] is ENTRY_TYPES and env.globals["vocabulary_pages"] is VOCABULARY_PAGES
    assert {"breadcrumbs.html", "entry_header.html", "facts/minutes.html"} <= env.globals["templates"]


@pytest.mark.parametrize(
    "day, text",
    [
        (dt.date(2026, 3, 9), "9 March 2026"),
        (dt.date(2026, 11, 23), "23 November 2026"),
        (dt.datetime(2026, 1, 1, 16, 30), "1 January 2026"),
        (None, ""),
    ],
)
def test_nicedate(day, text):
    assert nicedate(day) == text
    assert environment().from_string("{{ day | nicedate }}").render(day=day) == text


@pytest.mark.parametrize(
    "value, text",
    [
        ("sense-making", "Sense making"),
        ("knowledge-exchange", "Knowledge exchange"),
        ("post-16", "Post 16"),
        ("meshed", "Meshed"),
        (16, "16"),
        ("<b>in-person</b>", "&lt;b&gt;in person&lt;/b&gt;"),
    ],
)
def test_the_label_filter_makes_a_vocabulary_value_readable(value, text):
    assert environment().from_string("{{ value | label }}").render(value=value) == text
