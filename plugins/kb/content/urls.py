"""How files become references and URLs, and relative paths between site paths: the URL rule, once.

An entry's reference is its URL path without slashes at the ends (`case-studies/x`,
`minutes/equity/2026-03-12`); its page is generated at `<ref>.md` and served at `<ref>/`.

posixpath.relpath calls os.getcwd() twice per call (it makes both paths absolute first); a build
makes a few hundred thousand links, so the arithmetic is done here instead, with the same results
(tests/content/test_urls.py compares them over 118,000 pairs). MkDocs' own get_relative_url was
measured on the 289,315 calls of a 10,000-entry build (2026-12-02): 1.14-1.20 s against 0.88-1.05 s
for relpath here, and it answers differently for paths ending in a file; so relpath stays.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

from kb.content.model import ENTRY_TYPES, EntryType


def entry_ref(rel: str, etype: EntryType) -> tuple[str, str]:
    """(reference, file stem) of the entry file at project-relative path `rel`."""
    parts = rel[: -len(".md")].split("/")
    stem = parts[-1]
    if etype.depth == 2:  # minutes: <prefix>/<network>/<date>
        return f"{etype.url_prefix}/{parts[-2]}/{stem}", stem
    return f"{etype.url_prefix}/{stem}", stem


def entry_path(type_name: str, stem: str, network: str | None = None) -> str:
    """Where an entry of this type and stem lives, relative to the project root (the inverse of entry_ref)."""
    etype = ENTRY_TYPES[type_name]
    return f"{etype.folder}/{_network_of(etype, network)}/{stem}.md" if etype.depth == 2 else f"{etype.folder}/{stem}.md"


def ref_of(type_name: str, stem: str, network: str | None = None) -> str:
    """The reference of an entry of this type and stem (minutes: of this network)."""
    etype = ENTRY_TYPES[type_name]
    return f"{etype.url_prefix}/{_network_of(etype, network)}/{stem}" if etype.depth == 2 else f"{etype.url_prefix}/{stem}"


def _network_of(etype: EntryType, network: str | None) -> str:
    """Minutes live in their network's folder: without one there is no path (never content/minutes/None/...)."""
    if not network:
        raise ValueError(
            f"an entry of type {etype.name} lives in its network's folder ({etype.folder}/<network-id>/): name the network."
        )
    return network


def entry_url(ref: str) -> str:
    """An entry's site URL (directory style) from its reference."""
    return ref + "/"


def src_uri(ref: str) -> str:
    """The path of an entry's generated page inside the site's docs."""
    return ref + ".md"


def network_ref(slug: str) -> str:
    """The reference of a network's own entry (its hub)."""
    return f"{ENTRY_TYPES['network'].url_prefix}/{slug}"


def listing_url(type_name: str) -> str:
    """The listing page of one entry type: its URL prefix as a folder."""
    return ENTRY_TYPES[type_name].url_prefix + "/"


def minutes_network(ref: str) -> str | None:
    """The network folder a minutes reference sits in (`minutes/<network>/<date>`), else None."""
    parts = ref.split("/")
    return parts[1] if len(parts) == 3 else None


def relpath(path: str, start: str) -> str:
    """posixpath.relpath(path or ".", start or "."), for the slash-separated paths of the site."""
    start_parts, path_parts = _plain_parts(start), _plain_parts(path)
    if start_parts is None or path_parts is None:  # ".." or a leading "/": let posixpath normalise
        return posixpath.relpath(path or ".", start or ".")
    if start_parts and path_parts and start_parts[0] != path_parts[0]:  # another section: most links of a page
        return "../" * len(start_parts) + "/".join(path_parts)
    common = 0
    for a, b in zip(start_parts, path_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + list(path_parts[common:])) or "."


@lru_cache(maxsize=1 << 16)  # every page of a 10,000-entry site, and its links' targets
def _plain_parts(path: str) -> tuple[str, ...] | None:
    """A path's folders and file ("." dropped), or None when it needs normalising first."""
    parts = tuple(p for p in path.split("/") if p and p != ".")
    return None if path.startswith("/") or ".." in parts else parts
