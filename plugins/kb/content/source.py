"""Reading one entry file: bytes to front matter, body and the line of every field.

Every awkward file (wrong encoding, no or unclosed front matter, YAML that is a list, an
alias bomb, nesting too deep) becomes a Problem instead of an exception.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from kb.content.problems import Problem

MAX_NESTING = 20
MAX_FRONT_MATTER = 256 * 1024  # characters; real front matter is a few hundred


# LibYAML's parser where PyYAML has it (its wheels do): five to ten times faster than the pure-Python one.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe YAML, but dates stay text so that we check them ourselves with a plain message."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RawEntry:
    """A file's front matter as data, its Markdown body and where each field stands."""

    path: str
    meta: dict[str, Any]
    body: str
    lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Text from bytes: UTF-8 with or without BOM, any line endings."""
    if b"\x00" in data[:8192]:
        return None, [
            Problem(
                path,
                None,
                None,
                "this is not a text file (it contains binary data).",
                "save the entry as a plain-text Markdown file, or remove it.",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                path,
                line,
                None,
                f"the file is not saved as UTF-8 (byte 0x{data[exc.start]:02x} cannot be read).",
                "re-save the file with the encoding 'UTF-8' (in most editors: Save As, then Encoding: UTF-8).",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _field_lines(node: yaml.Node, prefix: str, offset: int, lines: dict[str, int], depth: int = 0) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = sys.intern(f"{prefix}{key.value}") if isinstance(key, yaml.ScalarNode) else prefix
            lines[name] = key.start_mark.line + offset
            _field_lines(value, name + ".", offset, lines, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        base = prefix.rstrip(".")
        for i, item in enumerate(node.value):
            lines[sys.intern(f"{base}[{i}]")] = item.start_mark.line + offset  # interned: the cache pickles each name once
            _field_lines(item, f"{base}[{i}].", offset, lines, depth + 1)


def _depth(node: yaml.Node) -> int:
    """How deeply a node nests, walked without recursion so a hostile file cannot blow the stack."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(current, yaml.MappingNode):
            stack.extend((v, level + 1) for _, v in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((v, level + 1) for v in current.value)
    return deepest


_BRACKETS = re.compile(r"[\[\]{}]")


def _bracket_depth(text: str) -> int:
    """Deepest [ / { nesting, found in one linear pass (PyYAML slows quadratically on deep flow nesting)."""
    depth = deepest = 0
    for ch in _BRACKETS.findall(text):  # only the brackets, not a Python step per character
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest


_CURLY_QUOTES = "\u201c\u201d\u2018\u2019"
_FIELD_NAME = re.compile(r"^\s*(?:-\s*)?([A-Za-z_][\w-]*)\s*:")


def _yaml_problem(path: str, exc: yaml.YAMLError, fm_text: str, offset: int, what: str) -> Problem:
    """The YAML parser's complaint in plain words; a tab or curly quotes get their own message, since its words never say so."""
    fm_lines = fm_text.split("\n")
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + offset if mark else None
    tabbed = next((i for i, text in enumerate(fm_lines) if "\t" in text[: len(text) - len(text.lstrip())]), None)
    if tabbed is not None:
        return Problem(
            path,
            tabbed + offset,
            _field_on(fm_lines, tabbed),
            f"this line is indented with a tab; {what} must be indented with spaces.",
            "delete the tab at the start of the line and type spaces instead (two spaces per level, as in the template).",
        )
    at = mark.line if mark and mark.line < len(fm_lines) else None
    curly = next(
        (
            i
            for i in ([at] if at is not None else []) + list(range(len(fm_lines)))
            if any(q in fm_lines[i] for q in _CURLY_QUOTES)
        ),
        None,
    )
    if curly is not None:
        return Problem(
            path,
            curly + offset,
            _field_on(fm_lines, curly),
            f"this line uses curly quotes (\u201c \u201d or \u2018 \u2019), which do not count as quotes in {what}.",
            'replace them with straight quotes, e.g. title: "Oracy: a review" (word processors curl quotes as you type;'
            " write entries in a plain-text editor).",
        )
    problem = str(getattr(exc, "problem", "") or exc).strip()
    hint = "check the indentation and punctuation of this line; each field is written 'name: value'."
    if "mapping values are not allowed" in problem:
        hint = 'put quotes around text containing a colon, e.g. title: "Oracy: a review".'
    elif "found character '@'" in problem or "found character '`'" in problem:
        hint = "put quotes around text that starts with @ or `."
    return Problem(
        path, line, _field_on(fm_lines, at) if at is not None else None, f"{what} is not valid YAML ({problem}).", hint
    )


def _field_on(fm_lines: list[str], index: int) -> str | None:
    """The field a front-matter line belongs to: its own name, or the nearest field above it."""
    for i in range(index, -1, -1):
        found = _FIELD_NAME.match(fm_lines[i])
        if found and (i == index or not fm_lines[i][:1].isspace()):
            return found.group(1)
    return None


class _DatesLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """Safe YAML with dates read as dates (content/terms.yml)."""


def read_yaml(
    path: str, text: str, *, what: str, offset: int = 1, dates: bool = False
) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """(data, its node tree, problems) for one YAML text we read: front matter, tags.yml or terms.yml.

    Safe loading only; anchors and aliases (an alias bomb takes minutes and gigabytes), nesting deeper
    than MAX_NESTING and a key written twice in one mapping (the second silently wins: `status: draft`
    then `status: published` published a draft) are refused with the lines named. `offset` is the file
    line of the text's first line; `what` names the text in messages ("the front matter")."""
    if _bracket_depth(text) > MAX_NESTING:
        return None, None, [Problem(path, None, None, f"{what} nests more than {MAX_NESTING} levels deep.", _FLAT)]
    loader_class = _DatesLoader if dates else _Loader
    try:
        # Anchors and aliases need & or *; only then is the text scanned event by event.
        if ("&" in text or "*" in text) and any(
            isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) for ev in yaml.parse(text, Loader=loader_class)
        ):
            return (
                None,
                None,
                [
                    Problem(
                        path,
                        None,
                        None,
                        f"{what} uses YAML anchors or aliases (& or *).",
                        "write each value out in full; anchors and aliases are not allowed.",
                    )
                ],
            )
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is not None and _depth(node) > MAX_NESTING:
                return None, None, [Problem(path, None, None, f"{what} nests more than {MAX_NESTING} levels deep.", _FLAT)]
            twice = duplicate_keys(path, node, offset) if node is not None else []
            if twice:
                return None, node, twice
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return None, None, [_yaml_problem(path, exc, text, offset, what)]
    except RecursionError:
        return None, None, [Problem(path, None, None, f"{what} nests too deeply to read.", _FLAT)]
    return data, node, []


_FLAT = "keep fields flat, as in the templates."


def duplicate_keys(path: str, node: yaml.Node, offset: int) -> list[Problem]:
    """A Problem for every key written twice in the same mapping, naming both lines (walked without recursion)."""
    problems, stack = [], [(node, "")]
    while stack:
        current, prefix = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key, value in current.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
                line = key.start_mark.line + offset
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    problems.append(
                        Problem(
                            path,
                            line,
                            prefix + name,
                            f"is written twice, on lines {seen[key.value]} and {line}; only one value can count.",
                            "keep the line you mean and delete the other.",
                        )
                    )
                elif isinstance(key, yaml.ScalarNode):
                    seen[key.value] = line
                stack.append((value, f"{prefix}{name}."))
        elif isinstance(current, yaml.SequenceNode):
            base = prefix.rstrip(".")
            stack.extend((item, f"{base}[{i}].") for i, item in enumerate(current.value))
    return problems


def parse_front_matter(path: str, text: str) -> tuple[RawEntry | None, list[Problem]]:
    """Split and parse front matter with line numbers; never raises on bad input."""
    if not text.strip():
        return None, [
            Problem(
                path,
                None,
                None,
                "the file is empty.",
                "start it with front matter between two '---' lines; `kb new` writes a template.",
            )
        ]
    boundary = frontmatter.YAMLHandler.FM_BOUNDARY
    if not text.startswith("---"):
        return None, [
            Problem(
                path,
                1,
                None,
                "the file has no front matter: its first line must be '---'.",
                "add the fields between two '---' lines at the top; `kb new` writes a template.",
            )
        ]
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if boundary.match(lines[i]) or lines[i].rstrip() == "..."), None)
    if close is None:
        return None, [
            Problem(
                path,
                1,
                None,
                "the front matter is opened with '---' on line 1 but never closed.",
                "add a line '---' after the last field, before the text of the entry.",
            )
        ]
    fm_text, body = "\n".join(lines[1:close]), "\n".join(lines[close + 1 :])
    offset = 2  # YAML's line 0 is line 2 of the file
    if len(fm_text) > MAX_FRONT_MATTER:
        return None, [
            Problem(
                path,
                1,
                None,
                f"the front matter is {len(fm_text):,} characters long, far more than fields need.",
                "keep long text in the body of the entry, below the closing '---'.",
            )
        ]
    meta, node, problems = read_yaml(path, fm_text, what="the front matter", offset=offset)
    if problems:
        return None, problems
    if meta is None:
        return None, [
            Problem(
                path,
                1,
                None,
                "the front matter is empty.",
                "add the required fields (title, summary, date, networks, status) between the '---' lines.",
            )
        ]
    if not isinstance(meta, dict):
        kind = "a list" if isinstance(meta, list) else "a single value"
        return None, [
            Problem(
                path,
                2,
                None,
                f"the front matter is {kind}, not a set of fields.",
                "write one 'field: value' per line, e.g. title: My entry (no '-' in front of fields).",
            )
        ]
    bad_keys = [k for k in meta if not isinstance(k, str)]
    if bad_keys:
        return None, [
            Problem(
                path,
                2,
                None,
                f"the front matter has a field name that is not text ({bad_keys[0]!r}).",
                "field names are words such as title or summary.",
            )
        ]
    field_lines: dict[str, int] = {}
    assert node is not None  # meta is a mapping, so there was a node
    _field_lines(node, "", offset, field_lines)
    return RawEntry(path, meta, body, field_lines, close + 2), []


def read_entry(root: Path, relpath: str) -> tuple[RawEntry | None, list[Problem]]:
    """Read one file of the project; every failure is a Problem."""
    try:
        data = read_file(os.path.join(root, relpath))
    except OSError as exc:
        return None, [
            Problem(
                relpath,
                None,
                None,
                f"the file cannot be read ({exc.strerror}).",
                "check that it exists and that you may read it.",
            )
        ]
    key = (relpath, hashlib.blake2b(data, digest_size=16).digest())
    if key not in _PARSED:  # a live-preview rebuild parses only the files whose bytes changed
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.clear()
        text, problems = decode(relpath, data)
        _PARSED[key] = (None, problems) if text is None else parse_front_matter(relpath, text)
    raw, problems = _PARSED[key]
    return (copy_raw(raw) if raw is not None else None), list(problems)


def read_file(path: str, limit: int = -1) -> bytes:
    """A file's bytes (at most `limit`), never through a symbolic link at the last step: content/files.py
    refuses links on the way, and this keeps a link made since from being followed."""
    with open(path, "rb", opener=_no_follow) as handle:
        return handle.read(limit)


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


def copy_raw(raw: RawEntry) -> RawEntry:
    """A copy the caller may change without changing the parse kept for the next rebuild: the nested
    front matter deep-copied, the flat line map copied plainly (half the time of deepcopy of the whole)."""
    return dataclasses.replace(raw, meta=copy.deepcopy(raw.meta), lines=dict(raw.lines))


# (path, hash of the file's bytes) -> parse result. Parsing YAML is most of a rebuild's reading time.
_PARSED: dict[tuple[str, bytes], tuple[RawEntry | None, list[Problem]]] = {}
_PARSED_MAX = 50_000
