"""The browser editor's settings, checked, and where its parts (Decap CMS, decap-server) are on this machine.

mkdocs.yml's `editor:` (config.py) reaches the catalogue as a plain mapping (Catalogue.editor); this module
turns it into an EditorSettings or says in plain words what is missing. Decap CMS is never loaded from a
CDN: its built files are copied from node_modules, installed by scripts/setup (package.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HOSTS = ("github", "gitlab", "gitea")
# Where each git host's API answers when the host is not self-hosted (Decap's defaults).
DEFAULT_API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4", "gitea": ""}
KB_REPO = Path(__file__).resolve().parents[3]  # the kb source checkout (editable install): its node_modules


class EditorSetupError(Exception):
    """The editor is asked for but cannot be built; the message says what to change."""


@dataclass(frozen=True)
class EditorSettings:
    backend: str  # local | github | gitlab | gitea
    repo: str = ""
    branch: str = "main"
    base_url: str = ""
    auth_endpoint: str = ""
    app_id: str = ""
    api_root: str = ""
    local_url: str = "http://localhost:8081/api/v1"
    root: str = "."  # the project folder

    @property
    def api(self) -> str:
        """The address the browser talks to for entries: decap-server, or the git host's API."""
        if self.backend == "local":
            return self.local_url
        return self.api_root or DEFAULT_API[self.backend] or (self.base_url.rstrip("/") + "/api/v1")

    def host_edit_url(self, path: str) -> str:
        """The file's own edit page on the git host ("" for local editing)."""
        if self.backend == "github":
            return f"{self.base_host('https://github.com')}/{self.repo}/edit/{self.branch}/{path}"
        if self.backend == "gitlab":
            return f"{self.base_host('https://gitlab.com')}/{self.repo}/-/edit/{self.branch}/{path}"
        if self.backend == "gitea":
            return f"{self.base_host('')}/{self.repo}/_edit/{self.branch}/{path}"
        return ""

    def base_host(self, default: str) -> str:
        """The git host's web address: from api_root when self-hosted, else the public host."""
        if self.api_root and self.backend != "github":
            parts = urlsplit(self.api_root)
            return f"{parts.scheme}://{parts.netloc}"
        return (self.base_url if self.backend == "gitea" else "") or default


def editor_settings(options: dict[str, Any]) -> EditorSettings | None:
    """The editor's settings from Catalogue.editor, or None when there is no editor (backend none)."""
    backend = options.get("backend", "none")
    if backend in ("none", None, ""):
        return None
    known = {k: str(v) for k, v in options.items() if k in EditorSettings.__dataclass_fields__ and v is not None}
    settings = EditorSettings(**known)
    where = "mkdocs.yml, plugins: - kb: editor:"
    if backend in HOSTS and not _is_repo(settings.repo):
        raise EditorSetupError(
            f"{where} backend {backend} needs the repository the site is built from. "
            f"Fix: add  repo: owner/name  (e.g. repo: city-alliance/knowledge-base)."
        )
    if backend == "gitea" and not (settings.base_url or settings.api_root):
        raise EditorSetupError(
            f"{where} backend gitea needs your Gitea's address. Fix: add  base_url: https://git.example.org  "
            "(and app_id: the id of the OAuth application made for the editor)."
        )
    for name in ("base_url", "api_root", "local_url"):
        value = getattr(settings, name)
        if value and urlsplit(value).scheme not in ("http", "https"):
            raise EditorSetupError(f"{where} {name} is '{value}', not a web address. Fix: write it in full, e.g. https://...")
    return settings


def _is_repo(text: str) -> bool:
    owner, _, name = text.partition("/")
    return bool(owner and name and "/" not in name.strip("/") and " " not in text)


def node_package(root: str, name: str, inside: str) -> Path:
    """A file of an npm package installed by scripts/setup: the project's node_modules, else kb's own."""
    for base in (Path(root), KB_REPO):
        candidate = base / "node_modules" / name / inside
        if candidate.exists():
            return candidate
    raise EditorSetupError(
        f"The browser editor needs the npm package {name}, which is not installed "
        f"(looked for node_modules/{name}/{inside} in {root} and {KB_REPO}). "
        "Fix: run scripts/setup, which installs it with npm ci from package.json."
    )


def decap_dist(root: str) -> Path:
    """Decap CMS's built files (decap-cms.js, the chunks it loads, its WebAssembly)."""
    return node_package(root, "decap-cms", "dist/decap-cms.js").parent


def decap_server_script(root: str) -> Path:
    return node_package(root, "decap-server", "dist/index.js")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
