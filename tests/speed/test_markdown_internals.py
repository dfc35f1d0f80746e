"""Python-Markdown's patterns skipped on text they cannot match (speed/markdown_internals.py): each skip is one the
expression would have made itself, the HTML is the same, and a pattern whose expression changed is left alone and
named."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import markdown
import markdown.blockprocessors
import markdown.inlinepatterns
import pytest

from kb.speed import markdown_internals as internals
from kb.speed.markdown_internals import (
    BLOCK_NEEDS,
    INLINE_NEEDS,
    PRE_NEEDS,
    Prefilter,
    SkipHopeless,
    check,
    install,
    skip_hopeless,
)
from kb_tools.corpus import generate_project

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "admonition"]  # MkDocs' own three, then mkdocs.yml's

TRICKY = """\
# A heading with `code` and a [link](../x.md) #

Text with *emphasis*, __strong__, _under_score_ words, snake_case_name and 2 * 3 * 4.
A line that ends in two spaces@@
then a break; an escaped \\* star, \\[bracket\\] and a backslash \\\\ alone.
Mail <someone@example.org>, a link <https://example.org/a?b=c&d=e>, not a link <notalink>.
Entities &amp; &#169; &#x2014; and a lone & ampersand; inline <span class="x">HTML</span> and <!-- a comment -->.
An image ![alt text](pic.png) and ![ref image][img], a [reference][ref] and a [short] one, a bare ! and [ apart.

[ref]: https://example.org/ref "Title"
[img]: pic.png
[short]: https://example.org/short

> A quote with **bold** and `code`
> over two lines

!!! note "An admonition"
    Inside it, a [link](y.md) and *emphasis*.

Setext heading
--------------

| a | b |
|---|---|
| `x|y` | *z* |

    indented code with * and [ and < and &

```python
fenced = "code with * and [ and <"
```

~~~
a tilde fence
~~~

1. one
2. two with _em_

- item with # not a heading
- item > not a quote
{: .cls }
""".replace("@@", "  ")  # a Markdown line break: two spaces before the line's end


def convert(text: str, *extra) -> str:
    return markdown.Markdown(extensions=[*EXTENSIONS, *extra]).convert(text)


def test_the_installed_markdown_has_every_expression_relied_on():
    assert check() == []
    md = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
    assert isinstance(md.inlinePatterns["link"].compiled_re, Prefilter)
    assert isinstance(md.parser.blockprocessors["quote"].RE, Prefilter)
    links = ["Link", "Image", "Reference", "ImageReference", "ShortReference", "ShortImageReference"]
    assert sorted(install(markdown.Markdown(extensions=EXTENSIONS))) == sorted(
        [*INLINE_NEEDS, *BLOCK_NEEDS, *PRE_NEEDS, "inline loop", "is_block_level"]
        + [f"{name}InlineProcessor.getText" for name in links]
    )


def test_the_same_html_with_and_without_the_prefilter():
    bodies = [TRICKY, TRICKY.replace("\n", "\r\n"), "", "plain words only", "#", "> ", "!!!", "*", "  \n", "&", "<", "["]
    assert convert(TRICKY) != convert("plain words only")  # the document exercises the patterns
    for body in bodies:
        assert convert(body, SkipHopeless()) == convert(body), body


def test_the_same_html_for_generated_entries(tmp_path):
    generate_project(tmp_path / "p", 150, seed=11)
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for p in sorted((tmp_path / "p").rglob("*.md"))]
    assert len(bodies) > 150
    different = [body[:60] for body in bodies if convert(body, SkipHopeless()) != convert(body)]
    assert different == []


def _alphabet(source: str) -> str:
    return "".join(sorted(set(source) | set("aZ09 \n\t.:/@!<>[]()#*_`&;-='\"\\")))


TABLES = {"inline": INLINE_NEEDS, "block": BLOCK_NEEDS, "pre": PRE_NEEDS}


@pytest.mark.parametrize(("kind", "name"), [(kind, name) for kind, table in TABLES.items() for name in table])
def test_an_expression_never_matches_text_without_what_it_needs(kind, name):
    """The table's promise, tried on 3,000 random texts built from the expression's own characters (half given a
    needed string): those without any needed string never match, so skipping them changes nothing."""
    source, needs = TABLES[kind][name]
    md = markdown.Markdown(extensions=EXTENSIONS)
    regex = {  # flags and all
        "inline": lambda: md.inlinePatterns[name].compiled_re,
        "block": lambda: md.parser.blockprocessors[name].RE,
        "pre": lambda: md.preprocessors[name].FENCED_BLOCK_RE,
    }[kind]()
    assert regex.pattern == source
    alphabet = _alphabet(source)
    rng = random.Random(name)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.5:  # half of them given a needed string, at the start or anywhere
            at = rng.choice([0, rng.randint(0, len(text))])
            text = text[:at] + rng.choice(needs) + text[at:]
        if not any(need in text for need in needs):
            assert regex.search(text) is None, (name, text)
            assert Prefilter(regex, needs).search(text) is None
            assert list(Prefilter(regex, needs).finditer(text)) == []
            assert regex.match(text) is None and Prefilter(regex, needs).match(text) is None
    assert regex.search(MATCHED[kind, name])  # and the expression does match text that has what it needs


MATCHED = {
    ("inline", "backtick"): "a `b` c",
    ("inline", "escape"): "a \\* b",
    ("inline", "reference"): "a [b][c]",
    ("inline", "link"): "a [b](c)",
    ("inline", "image_link"): "![a](b)",
    ("inline", "image_reference"): "![a][b]",
    ("inline", "short_reference"): "[a]",
    ("inline", "short_image_ref"): "![a]",
    ("inline", "autolink"): "<https://example.org>",
    ("inline", "automail"): "<a@example.org>",
    ("inline", "linebreak"): "a  \nb",
    ("inline", "html"): "<span>",
    ("inline", "entity"): "&amp;",
    ("inline", "em_strong"): "*a*",
    ("block", "hashheader"): "# A",
    ("block", "quote"): "> a",
    ("block", "admonition"): '!!! note "A"',
    ("block", "setextheader"): "A\n===",
    ("block", "reference"): "[a]: https://example.org",
    ("pre", "fenced_code_block"): "```\ncode\n```",
}


def test_a_changed_expression_is_left_alone_and_named(monkeypatch):
    monkeypatch.setattr(markdown.inlinepatterns, "ENTITY_RE", r"(&(?:\#[0-9]+|[a-zA-Z0-9]+);)")
    monkeypatch.setattr(markdown.blockprocessors.BlockQuoteProcessor, "RE", re.compile(r"(^|\n)[ ]{0,2}>[ ]?(.*)"))
    md = markdown.Markdown(extensions=EXTENSIONS)
    wrapped = install(md)
    assert "entity" not in wrapped and "quote" not in wrapped and "link" in wrapped
    assert not isinstance(md.inlinePatterns["entity"].compiled_re, Prefilter)
    assert check() == [
        "Markdown's inline pattern 'entity' has another expression now: it is converted without the prefilter "
        "(speed/markdown_internals.py NEEDS needs updating).",
        "Markdown's block processor 'quote' has another expression now: it is converted without the prefilter "
        "(speed/markdown_internals.py NEEDS needs updating).",
    ]


def test_a_missing_pattern_is_named(monkeypatch):
    monkeypatch.setitem(internals.INLINE_NEEDS, "strikethrough", (r"~~", ("~~",)))
    assert check() == ["Markdown has no inline pattern named 'strikethrough' any more: it is converted without the prefilter."]


def test_wrapping_twice_wraps_once():
    md = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
    assert install(md) == []  # already wrapped: the expression is a Prefilter now
    config = SimpleNamespace(markdown_extensions=list(EXTENSIONS))
    skip_hopeless(config)
    skip_hopeless(config)
    assert [type(e) for e in config.markdown_extensions].count(SkipHopeless) == 1


def test_the_inline_loop_passes_over_hopeless_patterns_only_where_its_source_is_the_known_one(monkeypatch):
    md = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
    assert "_InlineProcessor__handleInline" in vars(md.treeprocessors["inline"])
    monkeypatch.setattr(internals, "INLINE_LOOP", "0" * 64)  # as if Markdown's loop had changed
    internals._inline_loop_is_known.cache_clear()
    try:
        other = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
        assert "_InlineProcessor__handleInline" not in vars(other.treeprocessors["inline"])
        assert isinstance(other.inlinePatterns["link"].compiled_re, Prefilter)  # the patterns are still prefiltered
        assert other.convert(TRICKY) == convert(TRICKY)
        assert check() == [
            "Markdown's InlineProcessor.__handleInline has another source now: inline patterns are tried one by one "
            "as Markdown does (speed/markdown_internals.py INLINE_LOOP)."
        ]
    finally:
        internals._inline_loop_is_known.cache_clear()


def test_an_expression_made_case_insensitive_or_verbose_is_left_alone(monkeypatch):
    """A need is matched as written: the same source compiled case-insensitive (or verbose, where its spaces would
    no longer be needed) is not the expression NEEDS was written for."""
    monkeypatch.setattr(markdown.blockprocessors.BlockQuoteProcessor, "RE", re.compile(BLOCK_NEEDS["quote"][0], re.I))
    monkeypatch.setattr(markdown.inlinepatterns, "LINE_BREAK_RE", INLINE_NEEDS["linebreak"][0])
    original = markdown.inlinepatterns.SubstituteTagInlineProcessor.__init__

    def verbose(self, pattern, tag):
        original(self, pattern, tag)
        self.compiled_re = re.compile(pattern, re.DOTALL | re.VERBOSE)

    monkeypatch.setattr(markdown.inlinepatterns.SubstituteTagInlineProcessor, "__init__", verbose)
    wrapped = install(markdown.Markdown(extensions=EXTENSIONS))
    assert "quote" not in wrapped and "linebreak" not in wrapped and "hashheader" in wrapped
    assert [line.split(" has ")[0] for line in check()] == [
        "Markdown's inline pattern 'linebreak'",
        "Markdown's block processor 'quote'",
    ]


def test_link_text_is_read_as_markdown_reads_it():
    """_get_text against LinkInlineProcessor.getText on random texts of brackets, from every index."""
    from markdown.inlinepatterns import LinkInlineProcessor

    own = LinkInlineProcessor(r"\[", markdown.Markdown())
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice("[]ab !()\\") for _ in range(rng.randint(0, 14)))
        for index in range(len(text) + 1):
            assert internals._get_text(own, text, index) == own.getText(text, index), (text, index)


def test_block_level_answers_are_markdowns_and_follow_a_longer_list():
    md = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
    plain = markdown.Markdown(extensions=EXTENSIONS)
    from xml.etree.ElementTree import Comment

    tags = ["p", "P", "div/", "span", "em", "Table", "custom", None, 3, Comment]
    for _ in range(2):  # the second time from memory
        assert [md.is_block_level(t) for t in tags] == [plain.is_block_level(t) for t in tags]
    assert not md.is_block_level("custom")
    md.block_level_elements.append("custom")  # as an extension set up later might
    assert md.is_block_level("custom")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("GET_TEXT", "Markdown's LinkInlineProcessor.getText has another source now: a link's text is read a character"),
        ("IS_BLOCK_LEVEL", "Markdown's Markdown.is_block_level has another source now: each tag is looked up every time"),
    ],
)
def test_a_changed_link_reader_or_block_level_test_is_named_and_left_alone(monkeypatch, name, said):
    monkeypatch.setattr(internals, name, "0" * 64)
    internals._source_is.cache_clear()
    try:
        (problem,) = check()
        assert problem.startswith(said)
        md = markdown.Markdown(extensions=[*EXTENSIONS, SkipHopeless()])
        replaced = "getText" in vars(md.inlinePatterns["link"]) if name == "GET_TEXT" else "is_block_level" in vars(md)
        assert not replaced
        assert md.convert(TRICKY) == convert(TRICKY)
    finally:
        internals._source_is.cache_clear()
