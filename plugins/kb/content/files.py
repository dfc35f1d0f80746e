"""Every file under content/ and register/, each given its place in the content model or named as a problem.

Why: only regular files inside the project may ever be read or copied to the site. A symbolic link could
publish a file of the build machine (/etc/passwd, /proc/self/environ with CI secrets) or walk a folder of
drafts into the site, and a linked loop walks for ever; so the walk never follows a link and each one is an
error. A Markdown file outside the places the model names (content/model.py: entry folders, PAGE_FILES,
PAGE_FOLDERS) would be published past the privacy rule, so it is an error saying where it belongs; any other
file is copied only if its type is on the allow-list (STATIC_SUFFIXES), and backups and office files are
named in a warning. (os.scandir and string paths: this runs on every rebuild of `kb serve`.)
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass, field

from kb.content.model import (
    CONTENT_DIR,
    ENTRY_TYPES,
    ORGANISATIONS_FILE,
    PAGE_FILES,
    PAGE_FOLDERS,
    REGISTER_DIR,
    STATIC_SUFFIXES,
    TAGS_FILE,
    EntryType,
)
from kb.content.problems import Problem
from kb.content.terms import TERMS_FILE

# What MkDocs would turn into a page (mkdocs.utils.markdown_extensions): only .md has a place here.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
BACKUP_ENDINGS = ("~", ".orig", ".bak", ".rej", ".swp", ".swo", ".tmp", ".old", ".backup")
OFFICE_SUFFIXES = (".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".pages", ".numbers")
DATA_FILES = (TAGS_FILE, TERMS_FILE, ORGANISATIONS_FILE)
FIELD_OF_TYPE = (  # a front-matter field only one type has, to say where a stray entry belongs
    ("meeting", "minutes"),
    ("actions", "minutes"),
    ("attendees", "minutes"),
    ("reading", "research"),
    ("period", "learning-summary"),
    ("offered_by", "register-entry"),
    ("area", "register-entry"),
    ("convener", "network"),
    ("stage", "network"),
    ("approach", "case-study"),
)


@dataclass
class ProjectFiles:
    """The project's files by their place: entries with their type, hand-written pages, files copied as
    they are (all project-relative), and what is wrong with the rest."""

    entries: list[tuple[str, EntryType]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    links: list[Problem] = field(default_factory=list)  # links and special files: the build stops on these at once

    def published(self) -> frozenset[str]:
        """The paths inside content/ (MkDocs' docs_dir) that MkDocs may build or copy: pages and static files."""
        return frozenset(rel.removeprefix(CONTENT_DIR + "/") for rel in (*self.pages, *self.static))


def scan(root: str | os.PathLike[str]) -> ProjectFiles:
    """Walk content/ and register/ without following a link, and give each file its place."""
    root = os.fspath(root)
    files = ProjectFiles()
    found = [rel for top in (CONTENT_DIR, REGISTER_DIR) for rel in _regular_files(root, top, files.links)]
    files.problems += files.links
    by_type: dict[str, list[str]] = {name: [] for name in ENTRY_TYPES}
    for rel in found:
        etype = _entry_type(rel)
        if etype is not None:
            if rel.lower().endswith(MARKDOWN_SUFFIXES):
                by_type[etype.name].append(rel)
        elif rel not in DATA_FILES and rel.startswith(CONTENT_DIR + "/"):
            _place(root, rel, files)
    for name, rels in by_type.items():
        _entries(ENTRY_TYPES[name], rels, files)
    return files


def _regular_files(root: str, top: str, problems: list[Problem]) -> list[str]:
    """Project-relative paths of the regular files under `top`; each link or special file is a Problem."""
    try:
        top_stat = os.lstat(os.path.join(root, top))
    except OSError:
        return []  # no register/ folder: nothing to read
    if stat.S_ISLNK(top_stat.st_mode):
        problems.append(_link(root, top))
        return []
    found, folders = [], [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(os.path.join(root, folder)) as items:
                listed = sorted(items, key=lambda item: item.name)
        except OSError as exc:
            problems.append(
                Problem(folder, None, None, f"this folder cannot be read ({exc.strerror}).", "check its permissions.")
            )
            continue
        for item in listed:
            rel = f"{folder}/{item.name}"
            if item.is_symlink():
                problems.append(_link(root, rel))
            elif item.is_dir(follow_symlinks=False):
                folders.append(rel)
            elif item.is_file(follow_symlinks=False):
                found.append(rel)
            else:
                problems.append(
                    Problem(
                        rel,
                        None,
                        None,
                        "this is not an ordinary file (but a pipe, socket or device): kb never reads it.",
                        "remove it.",
                    )
                )
    return found


def _link(root: str, rel: str) -> Problem:
    try:
        target = os.readlink(os.path.join(root, rel))
    except OSError:
        target = "somewhere else"
    return Problem(
        rel,
        None,
        None,
        f"this is a symbolic link (to {target}); kb never follows links, so that nothing from outside the project "
        "and no unpublished entry can reach the site through one.",
        "put the file or folder itself here instead of a link, or remove the link.",
    )


def _entry_type(rel: str) -> EntryType | None:
    for etype in ENTRY_TYPES.values():
        if rel.startswith(etype.folder + "/"):
            return etype
    return None


def _entries(etype: EntryType, rels: list[str], files: ProjectFiles) -> None:
    """The entry files of one type, in a stable order; a file at the wrong depth or with the wrong ending is a Problem."""
    for rel in sorted(rels, key=lambda r: r.split("/")):
        inner = rel[len(etype.folder) + 1 :]
        stem, suffix = os.path.splitext(inner.rsplit("/", 1)[-1])
        if inner.count("/") + 1 != etype.depth:
            where = f"{etype.folder}/<network-id>/<YYYY-MM-DD>.md" if etype.depth == 2 else f"{etype.folder}/<slug>.md"
            message = f"this file is not where a {etype.label.lower()} lives."
            files.problems.append(Problem(rel, None, "file name", message, f"move it to {where}."))
        elif suffix != ".md":
            files.problems.append(
                Problem(rel, None, "file name", "the file ending must be '.md' in lower case.", f"rename it to {stem}.md.")
            )
        else:
            files.entries.append((rel, etype))


def _place(root: str, rel: str, files: ProjectFiles) -> None:
    """A file of content/ outside the entry folders: a hand-written page, a picture or PDF, or a problem."""
    if any(part.startswith(".") for part in rel.split("/")):
        return  # hidden files: MkDocs never publishes them, and kb never reads them
    name = rel.rsplit("/", 1)[-1]
    stem, suffix = os.path.splitext(name)
    if suffix.lower() in MARKDOWN_SUFFIXES:
        page_place = rel in PAGE_FILES or posixpath.dirname(rel) in PAGE_FOLDERS
        if page_place and suffix == ".md":
            files.pages.append(rel)
        elif page_place:
            files.problems.append(
                Problem(rel, None, "file name", "the file ending must be '.md' in lower case.", f"rename it to {stem}.md.")
            )
        else:
            files.problems.append(
                Problem(
                    rel,
                    None,
                    "file name",
                    "this Markdown file has no place in the site, so it would never be checked: it is not published.",
                    _where_it_belongs(root, rel, stem),
                )
            )
    elif suffix.lower() in STATIC_SUFFIXES:
        files.static.append(rel)
    else:
        files.problems.append(Problem(rel, None, "file name", *_not_copied(name, suffix.lower()), "warning"))


def _not_copied(name: str, suffix: str) -> tuple[str, str]:
    if name.endswith(BACKUP_ENDINGS) or name.startswith("#"):
        return "looks like an editor's backup copy; it is not published.", "delete it when you no longer need it."
    if suffix in OFFICE_SUFFIXES:
        return (
            "is an office document; it is not published.",
            "save it as PDF (which is published) or write its text as a page or an entry.",
        )
    kinds = ", ".join(s.lstrip(".") for s in STATIC_SUFFIXES)
    return f"is not a picture or a PDF, so it is not published (the site copies only {kinds}).", "remove it or convert it."


_KEY_RE = re.compile(r"^([a-z_]+):\s*(.*)$", re.MULTILINE)


def _where_it_belongs(root: str, rel: str, stem: str) -> str:
    """A hint naming the folder for the entry (or page) a stray Markdown file seems to be, from its front matter's field names."""
    try:
        with open(os.path.join(root, rel), "rb") as handle:
            head = handle.read(16_384).decode("utf-8", "replace")
    except OSError:
        head = ""
    keys = dict(_KEY_RE.findall(head.split("\n---", 1)[0] if head.startswith("---") else ""))
    guessed = keys.get("type", "").strip().strip("\"'")
    etype = ENTRY_TYPES.get(guessed) or next((ENTRY_TYPES[t] for key, t in FIELD_OF_TYPE if key in keys), None)
    if etype is not None:
        where = f"{etype.folder}/<network-id>/<YYYY-MM-DD>.md" if etype.depth == 2 else f"{etype.folder}/{stem}.md"
        return f"it looks like an entry of type {etype.name} ({etype.label.lower()}): move it to {where}."
    folders = " or ".join(f"{f}/" for f in PAGE_FOLDERS)
    if {"status", "networks", "date"} & set(keys):
        return "it looks like an entry: move it to the folder of its type (e.g. content/case-studies/<slug>.md)."
    return f"if it is an entry, move it to the folder of its type (e.g. content/case-studies/); if it is a page, to {folders}."
