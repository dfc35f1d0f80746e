"""Links between entries: wiki links and relative `.md` links, found, resolved and rewritten.

Every link to an entry is rewritten to a relative link between the entries' generated
source files, so MkDocs itself turns it into the right URL from any folder (register/ too).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from kb.content.model import ENTRY_TYPES
from kb.content.problems import Problem, closest
from kb.content.urls import relpath, src_uri

if TYPE_CHECKING:
    from kb.content.catalogue import Entry

# One pattern for both kinds, so a link made from a wiki link is never rewritten a second time.
LINK_RE = re.compile(
    r"\[\[(?P<target>[^\[\]|\n]+?)(?:\|(?P<label>[^\[\]\n]+?))?\]\]"
    r"|(?P<open>\]\()(?P<lt><?)(?P<path>[^)\s>]+?\.md)(?P<anchor>#[^)\s>]*)?(?P<gt>>?)(?P<close>(?:\s+\"[^\"]*\")?\))"
)
# A Markdown link or image, its text in group 1, for text shown without its Markdown (the search index, backlinks).
# `(?:!\[|\[)`, not `!?\[`: the same matches, but re can skip ahead to a "!" or "[" instead of trying every position
# (a fifth of the search index's text clean-up at 10,000 entries).
LINKED_TEXT_RE = re.compile(r"(?:!\[|\[)([^\]]*)\]\([^)]*\)")
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
LIST_ITEM_RE = re.compile(r"^ {0,3}([-*+]|\d+[.)])(\s|$)")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")


@dataclass(frozen=True)
class RefIndex:
    """Every entry's reference, whatever its status, for resolving links."""

    refs: frozenset[str]
    by_slug: dict[str, list[str]]
    by_path: dict[str, str]  # project-relative source path -> ref

    def lookup(self, target: str) -> str | None:
        """The reference `[[target]]` leads to, or None (resolve says why)."""
        target = target.strip().strip("/")
        if target.endswith(".md"):
            target = target[:-3]
        if target in self.refs:
            return target
        found = self.by_slug.get(target, []) if "/" not in target else []
        return found[0] if len(found) == 1 else None

    def resolve(self, target: str) -> tuple[str | None, str | None]:
        """A reference from `[[target]]`, or the reason it cannot be resolved."""
        found_ref = self.lookup(target)
        if found_ref is not None:
            return found_ref, None
        target = target.strip().strip("/")
        if target.endswith(".md"):
            target = target[:-3]
        if "/" not in target:
            found = self.by_slug.get(target, [])
            if len(found) > 1:
                return (
                    None,
                    f"'{target}' matches more than one entry: {', '.join(sorted(found))}. Write the full reference, e.g. [[{sorted(found)[0]}]].",
                )
        near = closest(target, self.refs) or closest(target, self.by_slug)
        return None, f"there is no entry '{target}'." + (
            f" Did you mean [[{near}]]?" if near else " References look like case-studies/transition-coaching."
        )


def link_path(from_ref: str, to_ref: str) -> str:
    """The path a link to `to_ref` is rewritten to in `from_ref`'s body (relative between generated pages)."""
    return relpath(src_uri(to_ref), posixpath.dirname(src_uri(from_ref)))


def _outside_code(body: str) -> Iterator[tuple[int, str, bool]]:
    """Yield (line number from 0, line, is_code) so links in code blocks are left alone.

    A fence is closed only by a fence of the same character at least as long, with nothing after it
    (CommonMark), so a ```` block may show ``` lines. An indented code block starts after a blank line
    with four spaces (eight inside a list, where four only continue the item, as Python-Markdown reads it)."""
    fence: str | None = None
    blank_before, in_list, in_indented = True, False, False
    for i, line in enumerate(body.split("\n")):
        if fence is not None:
            m = FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = None
            yield i, line, True
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if not line.strip():
            blank_before = True
            yield i, line, in_indented
            continue
        code_indent = 8 if in_list else 4
        if indent >= code_indent and (blank_before or in_indented):
            in_indented, blank_before = True, False
            yield i, line, True
            continue
        in_indented = False
        m = FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            blank_before = False
            yield i, line, True
            continue
        if LIST_ITEM_RE.match(line):
            in_list = True
        elif indent == 0 and blank_before:
            in_list = False  # a paragraph at the margin after a blank line ends the list
        blank_before = False
        yield i, line, False


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def rewrite_links(
    ref: str,
    path: str,
    body: str,
    body_line: int,
    index: RefIndex,
    titles: dict[str, str],
    answers: list[tuple[str, str, str | None, str | None]] | None = None,
) -> tuple[str, list[str], list[Problem]]:
    """Body with entry links made relative to the generated pages; the refs it links to; problems.

    `answers`, when given, receives what each link asked and was answered, for answers_hold: ("wiki", target,
    ref, the title it borrowed as its label), ("label", target, ref, None) and ("path", resolved path, ref or None)."""
    out, linked, problems = [], [], []
    asked = answers if answers is not None else []
    source_dir = posixpath.dirname(path)

    def wiki(match: re.Match[str], line_no: int) -> str:
        target, label = match.group("target"), match.group("label")
        found, why = index.resolve(target)
        if found is None:
            problems.append(
                Problem(
                    path,
                    body_line + line_no,
                    "link",
                    f"the wiki link [[{target}]] does not lead to an entry: {why}",
                    "correct the reference or remove the link.",
                )
            )
            unchanged: str = match.group(0)
            return unchanged
        linked.append(found)
        asked.append(("label", target, found, None) if label else ("wiki", target, found, titles.get(found)))
        text = _escape_label((label or titles.get(found) or found).strip())
        return f"[{text}]({link_path(ref, found)})"

    def md(match: re.Match[str], line_no: int) -> str:
        target: str = match.group("path")
        if "://" in target or target.startswith("/"):
            unchanged: str = match.group(0)
            return unchanged
        resolved = posixpath.normpath(posixpath.join(source_dir, target))
        found = index.by_path.get(resolved)
        asked.append(("path", resolved, found, None))
        if found is None:
            if resolved.startswith("content/") and not any(resolved.startswith(f) for f in _ENTRY_FOLDERS):
                # A site page such as content/about/index.md: MkDocs resolves it from the page's own place.
                rel = relpath(resolved[len("content/") :], posixpath.dirname(src_uri(ref)))
                return _md_link(match, rel)
            problems.append(
                Problem(
                    path,
                    body_line + line_no,
                    "link",
                    f"the link to '{target}' does not lead to an existing file (looked for {resolved}).",
                    "check the relative path from this file, e.g. ../case-studies/transition-coaching.md.",
                )
            )
            unchanged = match.group(0)
            return unchanged
        linked.append(found)
        return _md_link(match, link_path(ref, found))

    def link(match: re.Match[str], *, line_no: int) -> str:
        return wiki(match, line_no) if match.group("target") is not None else md(match, line_no)

    for line_no, line, is_code in _outside_code(body):
        if is_code or ("[[" not in line and ".md" not in line):
            out.append(line)
            continue
        pieces = CODE_SPAN_RE.split(line)
        # split keeps (ticks, code) groups: rewrite only the text between code spans
        rebuilt, i = [], 0
        while i < len(pieces):
            text = pieces[i]
            text = LINK_RE.sub(partial(link, line_no=line_no), text)
            rebuilt.append(text)
            if i + 2 < len(pieces):
                rebuilt.append(pieces[i + 1] + pieces[i + 2] + pieces[i + 1])
            i += 3
        out.append("".join(rebuilt))
    return "\n".join(out), linked, problems


def answers_hold(answers: tuple[tuple[str, str, str | None, str | None], ...], index: RefIndex, titles: dict[str, str]) -> bool:
    """Whether every link of a file would be answered as it was when its linked body was made (see rewrite_links)."""
    for kind, asked, found, title in answers:
        if kind == "path":
            if index.by_path.get(asked) != found:
                return False
        elif index.lookup(asked) != found or (kind == "wiki" and titles.get(found or "") != title):
            return False
    return True


def _md_link(match: re.Match[str], new_path: str) -> str:
    return "".join(
        (match.group("open"), match.group("lt"), new_path, match.group("anchor") or "", match.group("gt"), match.group("close"))
    )


_ENTRY_FOLDERS = tuple(t.folder + "/" for t in ENTRY_TYPES.values())


def visibility_problems(entry: Entry, everything: dict[str, Entry]) -> list[Problem]:
    """A published entry may not link to an entry its readers cannot see (everything: ref -> Entry, unfiltered)."""
    if entry.status != "published":
        return []
    out = []
    for target in dict.fromkeys(entry.links):
        other = everything[target]
        if other.status != "published":
            out.append(
                Problem(
                    entry.path,
                    None,
                    "link",
                    f"links to {target}, which is not published (status: {other.status}).",
                    "publish that entry first, or remove the link.",
                )
            )
        elif entry.visibility == "public" and other.visibility == "members":
            out.append(
                Problem(
                    entry.path,
                    None,
                    "link",
                    f"is public but links to {target}, which is for members only.",
                    "remove the link, or make this entry members-only too.",
                )
            )
    return out


def network_problems(entry: Entry, networks: dict[str, Entry]) -> list[Problem]:
    """A published entry may not name a network its readers cannot see: the network's id would reach the
    site (its listings, facets, feeds, calendars, actions CSV) before the network itself is published.
    (networks: id -> the network's Entry, unfiltered.)"""
    if entry.status != "published" or entry.type == "network":
        return []
    out = []
    for slug in entry.networks:
        network = networks.get(slug)
        if network is None:
            continue  # an unknown id is already an error of the networks field
        if network.status != "published":
            out.append(
                Problem(
                    entry.path,
                    entry.lines.get("networks"),
                    "networks",
                    f"names the network '{slug}', which is not published (status: {network.status}).",
                    f"publish the network first ({network.path}), or keep this entry as a draft until then.",
                )
            )
        elif entry.visibility == "public" and network.visibility == "members":
            out.append(
                Problem(
                    entry.path,
                    entry.lines.get("networks"),
                    "networks",
                    f"is public but names the network '{slug}', which is for members only.",
                    "make this entry members-only too (visibility: members), or remove the network from it.",
                )
            )
    return out
