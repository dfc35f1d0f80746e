"""/admin/ in the site: Decap CMS copied from node_modules, its generated config.yml, our preview and
messages (admin.js), and the one page of the site with a looser Content-Security-Policy; and the
"Edit this page" links of entry pages. Nothing of this is built when no editor is configured.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kb.content.catalogue import Catalogue, Entry
from kb.content.model import ENTRY_TYPES
from kb.editor.cms_config import cms_config
from kb.editor.settings import EditorSettings, decap_dist, editor_settings, origin
from kb.pages.render import render

ADMIN = "admin/"
SCRIPT = Path(__file__).with_name("admin.js")
# Decap's built files that the page loads: the app, the chunks it fetches on demand, its WebAssembly.
DECAP_FILES = ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")
# Avatars the git hosts show beside the signed-in person.
AVATARS = {"github": ("https://avatars.githubusercontent.com",), "gitlab": ("https://secure.gravatar.com",), "gitea": ()}


def settings_of(cat: Catalogue) -> EditorSettings | None:
    """The build's editor settings, checked once per build (every entry page asks)."""
    return cat.derive("editor-settings", lambda c: editor_settings(c.editor) if c.editor else None)


def admin_policy(settings: EditorSettings) -> str:
    """What Decap needs and nothing more: its own scripts (it compiles its config schema with new Function,
    hence 'unsafe-eval', on this page only), inline styles, and the git host or decap-server."""
    hosts = sorted({o for o in (origin(settings.api), origin(settings.base_url)) if o})
    images = " ".join(["'self'", "data:", "blob:", *hosts, *AVATARS.get(settings.backend, ())])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {images}",
            "font-src 'self' data:",
            "connect-src " + " ".join(["'self'", "blob:", *hosts]),
            "frame-src 'self' blob:",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def preview_styles() -> list[str]:
    """Material's stylesheets (as the site copies them to assets/stylesheets/) and ours, for the editor's preview."""
    built = resources.files("material") / "templates" / "assets" / "stylesheets"
    theirs = sorted(f"../assets/stylesheets/{p.name}" for p in built.iterdir() if p.name.endswith(".min.css"))
    return theirs + ["../assets/kb/kb.css", "../assets/kb/kb-meetings.css", "admin.css"]


@lru_cache(maxsize=2)
def decap_files(dist: Path) -> dict[str, bytes]:
    """Decap's files, read once per process (kb serve keeps them between rebuilds)."""
    return {p.name: p.read_bytes() for pattern in DECAP_FILES for p in sorted(dist.glob(pattern))}


def admin_files(cat: Catalogue) -> dict[str, str | bytes]:
    """Every file of /admin/, or nothing when no editor is configured."""
    settings = settings_of(cat)
    if settings is None:
        return {}
    files: dict[str, str | bytes] = {ADMIN + name: data for name, data in decap_files(decap_dist(settings.root)).items()}
    # LibYAML's writer: at 10,000 entries (9,000 sources to choose from, 1.3 MB) 0.75 s against 3 s in Python.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    files[ADMIN + "config.yml"] = yaml.dump(
        cms_config(cat, settings), Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000
    )
    files[ADMIN + "kb-admin.js"] = SCRIPT.read_text(encoding="utf-8")
    for sheet in ("admin.css", "admin-page.css"):  # the preview's, the editor page's
        files[ADMIN + sheet] = Path(__file__).with_name(sheet).read_text(encoding="utf-8")
    files[ADMIN + "index.html"] = render(
        "admin.html",
        policy=admin_policy(settings),
        site_name=cat.site_name or "the knowledge base",
        preview_styles=preview_styles(),
        types=list(ENTRY_TYPES),
        backend=settings.backend,
    )
    return files


def editor_context(entry: Entry, cat: Catalogue) -> dict[str, Any]:
    """`edit_links` for the entry page: the browser editor, and the file on the git host."""
    settings = settings_of(cat)
    if settings is None:
        return {"edit_links": []}
    slug = entry.ref.removeprefix(ENTRY_TYPES[entry.type].url_prefix + "/")
    links = [
        {"text": "Edit this page", "href": ADMIN, "fragment": f"#/collections/{entry.type}/entries/{slug}", "external": False}
    ]
    on_host = settings.host_edit_url(entry.path)
    if on_host:
        links.append(
            {"text": f"Edit the file on {settings.backend.capitalize()}", "href": on_host, "fragment": "", "external": True}
        )
    return {"edit_links": links}
