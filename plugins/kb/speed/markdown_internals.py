"""Python-Markdown's patterns skipped on text they cannot match: the same HTML with less scanning.

Why: for every run of text in a page, Python-Markdown tries each inline pattern in turn (code, escapes, links,
images, autolinks, line breaks, HTML, entities, emphasis), each block of text against the heading, quote,
admonition and link-definition patterns, and each page against the fenced-code pattern; every try scans the whole
text, even text without the one character the pattern needs. Most of these expressions begin with a lookbehind, an
anchor or an alternation, so Python's re cannot jump to a likely start: it tries every position. Measured on 4,000
of the benchmark's entries, converting each as MkDocs does (its toc, tables and fenced_code, then the site's
attr_list and admonition): 6.6 s of CPU without, 4.0 s with.

Same output by construction: an expression is asked only when the text holds at least one of the strings it cannot
match without (NEEDS: the link pattern `(?<!\\!)\\[` cannot match text without "["); otherwise the answer "no match"
is given at once, which is what the expression would have said. A pattern is wrapped only where the installed
Markdown's expression is, character for character, the one written in NEEDS (and not made case-insensitive or, but
for the one written so, verbose); any other is left alone and check() names it (tests/speed/test_markdown_internals.py
fails loudly). Switched off with `speed: {markdown_scan: false}`.

Two more of Python-Markdown's slow paths, each replaced only where its source has the recorded SHA-256: a link's
text is read up to its closing bracket with a Python loop over every character (LinkInlineProcessor.getText: now
the brackets are found by an expression, the same text and end), and Markdown.is_block_level lower-cases and looks
each element's tag up in a list, some 80 times a page (now remembered per tag while the list stays as it was).
"""

from __future__ import annotations

import hashlib
import inspect
import re
import types
from functools import lru_cache
from typing import Any

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import InlineProcessor

# pattern name -> (its expression in Python-Markdown 3.x, strings of which a match holds at least one)
INLINE_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("://",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("@",)),
    "linebreak": (r"  \n", ("  \n",)),
    "html": (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?|"""
        r"""!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""",
        ("<",),
    ),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
}
# block processor name -> (its RE, which test() or run() try on each block, strings a match holds)
BLOCK_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "setextheader": (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "reference": (
        r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
        ("]:",),
    ),
    "hashheader": (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",)),
    "quote": (r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "admonition": (r"""(?:^|\n)!!! ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *(?:\n|$)""", ("!!!",)),
}

# preprocessor name -> (its expression, which run() searches each whole page with, strings a match holds); MkDocs
# always adds fenced_code, whose expression is written verbose, one part a line
PRE_NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "fenced_code_block": (
        "\n(?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence\n"
        "((\\{(?P<attrs>[^\\n]*)\\})|                                # (optional {attrs} or\n"
        "(\\.?(?P<lang>[\\w#.+-]*)[ ]*)?                            # optional (.)lang\n"
        "(hl_lines=(?P<quot>\"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)\n"
        "\\n                                                       # newline (end of opening fence)\n"
        "(?P<code>.*?)(?<=\\n)                                     # the code block\n"
        "(?P=fence)[ ]*$                                          # closing fence\n",
        ("~~~", "```"),
    ),
}

VERBOSE = frozenset(source for source, _needs in PRE_NEEDS.values())  # written with re.VERBOSE

# SHA-256 of InlineProcessor.__handleInline's source (Markdown 3.x), the loop over the inline patterns that
# _handle_inline stands in for; another source, and the inline processor keeps its own loop
INLINE_LOOP = "fe27babc114aed0ad06af7b99ad449f4bcf2cadab8ee03065a61d3a1f85caa5b"


# SHA-256 of LinkInlineProcessor.getText and Markdown.is_block_level (Markdown 3.x), which _get_text and
# _remembered_block_level stand in for; another source, and Markdown's own is kept
GET_TEXT = "7d0978a16aae3e5bcf046f83dbc99f98b2140103ae565a0bbd6680644647f9d6"
IS_BLOCK_LEVEL = "dc551fffd52a0eee3962b510340da32919f06cb917f3aaab939733b2cd1363d0"
BRACKET_RE = re.compile(r"[\[\]]")


class Prefilter:
    """A compiled expression whose search, match and finditer answer "no match" at once for text holding none of `needs`;
    everything else is the expression's own."""

    __slots__ = ("needs", "regex")

    def __init__(self, regex: re.Pattern, needs: tuple[str, ...]) -> None:
        self.regex = regex
        self.needs = needs

    def may_match(self, text: str) -> bool:
        for needed in self.needs:  # noqa: SIM110  # a loop: any() with a generator costs twice as much here
            if needed in text:
                return True
        return False

    def search(self, string: str, *args: Any) -> re.Match | None:
        return self.regex.search(string, *args) if self.may_match(string) else None

    def match(self, string: str, *args: Any) -> re.Match | None:
        return self.regex.match(string, *args) if self.may_match(string) else None

    def finditer(self, string: str, *args: Any):
        return self.regex.finditer(string, *args) if self.may_match(string) else iter(())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.regex, name)


@lru_cache(maxsize=64)
def prefilter(regex: re.Pattern, needs: tuple[str, ...]) -> Prefilter:
    """One Prefilter per expression: MkDocs makes a Markdown for every page, its patterns share compiled expressions."""
    return Prefilter(regex, needs)


def _known(regex: object, source: str) -> bool:
    """The expression NEEDS was written for: its very source, not case-insensitive (a need is matched as written),
    verbose only where written verbose (PRE_NEEDS; elsewhere the spaces in it are needed as written)."""
    if not isinstance(regex, re.Pattern) or regex.pattern != source:
        return False  # another expression (or wrapped already)
    return not regex.flags & re.IGNORECASE and bool(regex.flags & re.VERBOSE) == (source in VERBOSE)


def _wrap(owner: Any, attribute: str, source: str, needs: tuple[str, ...]) -> bool:
    regex = getattr(owner, attribute, None)
    if not _known(regex, source):
        return False  # left as it is
    setattr(owner, attribute, prefilter(regex, needs))  # on this instance only
    return True


class SkipHopeless(Extension):
    """Added last to MkDocs' Markdown extensions (building/session.py, as a build starts): wraps the patterns the
    extensions before it made."""

    def extendMarkdown(self, md: Markdown) -> None:
        install(md)


def skip_hopeless(config: Any) -> None:
    """Add SkipHopeless after the site's own Markdown extensions (once: kb serve loads the config for each build)."""
    if not any(isinstance(extension, SkipHopeless) for extension in config.markdown_extensions):
        config.markdown_extensions.append(SkipHopeless())


def install(md: Markdown) -> list[str]:
    """Wrap this Markdown's patterns that NEEDS knows; returns the names wrapped."""
    wrapped = []
    for name, (source, needs) in INLINE_NEEDS.items():
        if name in md.inlinePatterns and _wrap(md.inlinePatterns[name], "compiled_re", source, needs):
            wrapped.append(name)
    for name, (source, needs) in BLOCK_NEEDS.items():
        if name in md.parser.blockprocessors and _wrap(md.parser.blockprocessors[name], "RE", source, needs):
            wrapped.append(name)
    for name, (source, needs) in PRE_NEEDS.items():
        if name in md.preprocessors and _wrap(md.preprocessors[name], "FENCED_BLOCK_RE", source, needs):
            wrapped.append(name)
    for pattern in md.inlinePatterns:
        own = getattr(type(pattern), "getText", None) is LinkInlineProcessor.getText and "getText" not in vars(pattern)
        if own and _source_is(LinkInlineProcessor.getText, GET_TEXT):
            pattern.getText = types.MethodType(_get_text, pattern)  # on this instance only
            wrapped.append(f"{type(pattern).__name__}.getText")
    own = type(md).is_block_level is Markdown.is_block_level and "is_block_level" not in vars(md)
    if own and _source_is(Markdown.is_block_level, IS_BLOCK_LEVEL):
        md.is_block_level = _remembered_block_level(md)  # on this instance only
        wrapped.append("is_block_level")
    if "inline" in md.treeprocessors and _inline_loop_is_known():
        inline = md.treeprocessors["inline"]
        if isinstance(inline, InlineProcessor) and "_InlineProcessor__handleInline" not in vars(inline):
            inline._InlineProcessor__handleInline = types.MethodType(_handle_inline, inline)  # on this instance only
            wrapped.append("inline loop")
    return wrapped


@lru_cache(maxsize=1)
def _inline_loop_is_known() -> bool:
    source = inspect.getsource(InlineProcessor._InlineProcessor__handleInline)
    return hashlib.sha256(source.encode("utf-8")).hexdigest() == INLINE_LOOP


@lru_cache(maxsize=4)
def _source_is(function: Any, sha256: str) -> bool:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest() == sha256


def _get_text(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """LinkInlineProcessor.getText: the text up to the bracket that closes the one before `index` (nested pairs
    inside), the index after that bracket and True; without one, the rest of the text, its length and False."""
    depth = 1
    for bracket in BRACKET_RE.finditer(data, index):
        at = bracket.start()
        depth += 1 if data[at] == "[" else -1
        if depth == 0:
            return data[index:at], at + 1, True
    return data[index:], max(index, len(data)), False


def _remembered_block_level(md: Markdown) -> Any:
    """md.is_block_level, each tag's answer remembered while md.block_level_elements keeps its length (extensions add
    to it as they are set up, never while a page is converted)."""
    answer_for = types.MethodType(Markdown.is_block_level, md)
    known: dict[Any, bool] = {}
    size = [len(md.block_level_elements)]

    def is_block_level(tag: Any) -> bool:
        if len(md.block_level_elements) != size[0]:
            known.clear()
            size[0] = len(md.block_level_elements)
        answer = known.get(tag)
        if answer is None:
            answer = known[tag] = answer_for(tag)
        return answer

    return is_block_level


def _handle_inline(self: InlineProcessor, data: str, patternIndex: int = 0) -> str:
    """InlineProcessor.__handleInline, passing over a pattern whose Prefilter says the text cannot match: for it,
    the original's call to __applyPattern answers (data, not matched, start 0), which moves on to the next pattern
    from the text's start, as this does (measured on 4,000 entries: a further 0.3 s of CPU, a tenth of the rest)."""
    if not isinstance(data, util.AtomicString):
        startIndex = 0  # the original's names, to compare line by line
        patterns = list(self.inlinePatterns)  # the registry in priority order, as inlinePatterns[i] reads it
        count = len(patterns)
        apply = self._InlineProcessor__applyPattern
        while patternIndex < count:
            pattern = patterns[patternIndex]
            regex = pattern.getCompiledRegExp()
            if type(regex) is Prefilter and not regex.may_match(data):
                patternIndex += 1
                startIndex = 0
                continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
    return data


def check(extensions: tuple[str, ...] = ("admonition", "fenced_code")) -> list[str]:
    """What no longer has the shape NEEDS was written for, in words (empty when all is well)."""
    md = Markdown(extensions=list(extensions))
    found = []
    for kind, table, registry, attribute in (
        ("inline pattern", INLINE_NEEDS, md.inlinePatterns, "compiled_re"),
        ("block processor", BLOCK_NEEDS, md.parser.blockprocessors, "RE"),
        ("preprocessor", PRE_NEEDS, md.preprocessors, "FENCED_BLOCK_RE"),
    ):
        for name, (source, _needs) in table.items():
            if name not in registry:
                found.append(f"Markdown has no {kind} named {name!r} any more: it is converted without the prefilter.")
                continue
            if not _known(getattr(registry[name], attribute, None), source):
                found.append(
                    f"Markdown's {kind} {name!r} has another expression now: it is converted without the prefilter "
                    f"(speed/markdown_internals.py NEEDS needs updating)."
                )
    for function, sha256, what in (
        (LinkInlineProcessor.getText, GET_TEXT, "a link's text is read a character at a time"),
        (Markdown.is_block_level, IS_BLOCK_LEVEL, "each tag is looked up every time"),
    ):
        if not _source_is(function, sha256):
            found.append(f"Markdown's {function.__qualname__} has another source now: {what}, as Markdown does.")
    if not _inline_loop_is_known():
        found.append(
            "Markdown's InlineProcessor.__handleInline has another source now: inline patterns are tried one by one "
            "as Markdown does (speed/markdown_internals.py INLINE_LOOP)."
        )
    return found
