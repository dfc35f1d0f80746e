"""The comparison site: the same Markdown as plain MkDocs + Material.

Plain means no plugin of ours: Material's default search, register/ moved under the docs
folder, and (the best a plain site can do) entries kept out of the navigation with
`not_in_nav`; or, for the default plain site, every page in the navigation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from kb.content.model import ENTRY_TYPES
from kb_tools.corpus import _AnyTagLoader

KEPT_SETTINGS = ("site_name", "site_description", "use_directory_urls", "markdown_extensions")


def is_public_published(text: str) -> bool:
    """What our public build shows, read from the front matter text (plain MkDocs cannot tell)."""
    front = text.split("\n---", 1)[0]
    return "\nstatus: published" in front and "\nvisibility: members" not in front


def make_plain_project(project: Path, target: Path, *, in_nav: bool) -> None:
    """Copy the project's Markdown into target/docs (register/ inside it) with a plugin-free mkdocs.yml."""
    docs = target / "docs"
    shutil.copytree(project / "content", docs)
    shutil.copytree(project / "register", docs / "register")
    for etype in ENTRY_TYPES.values():  # the same public entries our public build shows
        folder = docs / etype.folder.removeprefix("content/")
        for path in folder.rglob("*.md"):
            if not is_public_published(path.read_text(encoding="utf-8")):
                path.unlink()
    ours = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    theme = {k: v for k, v in (ours.get("theme") or {"name": "material"}).items() if k != "custom_dir"}
    config = {k: ours[k] for k in KEPT_SETTINGS if k in ours}
    config.update(docs_dir="docs", site_dir="site", theme=theme, plugins=["search"])
    if not in_nav:
        nav = _existing(ours.get("nav") or [], docs)
        if nav:
            config["nav"] = nav
        else:
            config["not_in_nav"] = ""
        config["not_in_nav"] = "\n".join(f"/{t.url_prefix}/" for t in ENTRY_TYPES.values()) + "\n"
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _existing(nav: list, docs: Path) -> list:
    """Our nav without the pages our plugin generates (plain MkDocs has no such files)."""
    out = []
    for item in nav:
        if isinstance(item, str):
            if item.startswith(("http://", "https://")) or (docs / item).is_file():
                out.append(item)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    kept = _existing(value, docs)
                    if kept:
                        out.append({title: kept})
                elif isinstance(value, str) and (value.startswith(("http://", "https://")) or (docs / value).is_file()):
                    out.append({title: value})
    return out
