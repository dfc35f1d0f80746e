"""Characters no page, feed or calendar can carry: control characters (but tab and newline), lone surrogates
and non-characters. An XML writer stops on them (a feed crashed `kb build`), and they are invisible in an
editor, so `kb check` names the field or line that holds one."""

from __future__ import annotations

from typing import Any

from kb.content.problems import Problem, find_unprintable, shown
from kb.content.source import RawEntry


def unprintable_problems(raw: RawEntry) -> list[Problem]:
    """Control characters (but tab and newline), non-characters and lone surrogates, in any field or the text:
    no page, feed or calendar can carry them (an XML writer stops on them), and they are invisible in an editor."""
    problems = []
    for name, text in _strings(raw.meta, ""):
        found = find_unprintable(text)
        if found:
            line = raw.lines.get(name) or raw.lines.get(name.split(".")[0].split("[")[0])
            problems.append(Problem(raw.path, line, shown(name), *_unprintable_words(found.group(0))))
    found = find_unprintable(raw.body)
    if found:
        line = raw.body_line + raw.body.count("\n", 0, found.start())
        problems.append(Problem(raw.path, line, None, *_unprintable_words(found.group(0), "the text")))
    return problems


def _unprintable_words(char: str, where: str = "it") -> tuple[str, str]:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "half of a character pair written on its own (a lone surrogate)"
    elif code < 0x20 or 0x7F <= code <= 0x9F:
        kind = "an invisible control character"
    else:
        kind = "a code that is not a character (a non-character)"
    return (
        f"{where} contains U+{code:04X}, {kind}, which cannot be published.",
        "delete it: retype the words around it, or remove the escape (such as \\e or \\x1b) that wrote it.",
    )


def _strings(value: object, name: str) -> list[tuple[str, str]]:
    """(field name, text) for every key and text inside a front-matter value."""
    if isinstance(value, str):
        return [(name, value)]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            sub = f"{name}.{key}" if name else str(key)
            found += [(sub, str(key))] if isinstance(key, str) else []
            found += _strings(item, sub)
        return found
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in _strings(item, f"{name}[{i}]")]
    return []


def visible(value: Any) -> Any:
    """The value with every unprintable character written as its code point (see problems.shown)."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return {visible(k): visible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [visible(v) for v in value]
    return value
