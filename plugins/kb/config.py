"""Settings of the `kb` MkDocs plugin, as a schema MkDocs checks for us.

`kb build` and `kb serve` set the ones a person does not write in mkdocs.yml (members, preview,
search_api, search_index) through this schema too (building/runner.py), so nothing is held in a
module-level setting.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from kb.content.limits import Limits


class SpeedConfig(base.Config):
    """Each speed-up can be switched off; with every one off the site is byte for byte the same."""

    # kb build: render a share of the entry pages in a second, forked process (speed/page_worker.py); kb build and
    # kb check: with nothing cached, check half the entry files there (speed/file_worker.py).
    # "auto": wherever there is a second core.
    parallel = c.Choice((True, False, "auto"), default="auto")
    # Material's navigation and other page-independent fragments rendered once per link shape, and `d.key` on a
    # dict read without Jinja's AttributeError first (speed/theme_memo.py).
    theme_memo = c.Type(bool, default=True)
    # Each page's address joined as a string where MkDocs' urljoin would give the same (speed/mkdocs_internals.py).
    plain_urls = c.Type(bool, default=True)
    # kb serve: rebuild only the pages a save changed (speed/rebuilds.py); off: every save rebuilds every page.
    incremental = c.Type(bool, default=True)
    # kb serve: hear saves from the operating system instead of MkDocs' polling (speed/watcher.py).
    native_watcher = c.Type(bool, default=True)
    # kb build: fewer garbage collections, the catalogue left out of them (speed/memory.py).
    memory = c.Type(bool, default=True)
    # The search index written by a forked process with Whoosh's internals bypassed (search/whoosh_internals.py).
    index_writer = c.Type(bool, default=True)
    # Python-Markdown's patterns not tried on text they cannot match, its link text and block-level tests done
    # faster (speed/markdown_internals.py).
    markdown_scan = c.Type(bool, default=True)
    # One Markdown converter per build, reset between pages, where MkDocs makes one per page (speed/mkdocs_internals.py).
    markdown_reuse = c.Type(bool, default=True)
    # kb build and kb check: reuse what the last run made from unchanged entries (speed/warm_build.py), kept in cache_dir.
    build_cache = c.Type(bool, default=True)


class LimitsConfig(base.Config):
    """Sizes a person can mistype or paste by accident (content/limits.py); `kb check` reads them too."""

    # An entry file above this many KB gets a warning; above entry_max_kb it is refused.
    entry_warn_kb = c.Type(int, default=Limits.entry_warn_kb)
    entry_max_kb = c.Type(int, default=Limits.entry_max_kb)
    # The most items a list field (organisations, attendees, actions, tags...) may hold.
    list_items = c.Type(int, default=Limits.list_items)


def limits_of(settings: LimitsConfig) -> Limits:
    return Limits(entry_warn_kb=settings.entry_warn_kb, entry_max_kb=settings.entry_max_kb, list_items=settings.list_items)


class EditorConfig(base.Config):
    """The browser editor at /admin/ (Decap CMS, see editor/). backend "none": no /admin/ in the site at all."""

    # none | local (decap-server on this computer: kb edit) | github | gitlab | gitea
    backend = c.Choice(("none", "local", "github", "gitlab", "gitea"), default="none")
    repo = c.Type(str, default="")  # owner/name on the git host
    branch = c.Type(str, default="main")  # the branch the site is built from; pull requests go to it
    base_url = c.Type(str, default="")  # GitHub: your OAuth server; GitLab/Gitea: the host's address if self-hosted
    auth_endpoint = c.Type(str, default="")  # the OAuth server's path, if not the backend's default
    app_id = c.Type(str, default="")  # GitLab/Gitea: the OAuth application's id (PKCE, no secret in the browser)
    api_root = c.Type(str, default="")  # a self-hosted host's API, e.g. https://git.example.org/api/v1
    local_url = c.Type(str, default="http://localhost:8081/api/v1")  # local: where decap-server answers


class KnowledgeBaseConfig(base.Config):
    enabled = c.Type(bool, default=True)
    # Build the members' site: members-only entries are included (drafts never are).
    members = c.Type(bool, default=False)
    # Live preview: drafts and members entries shown and marked, errors shown as a page. Honoured only by
    # `mkdocs serve` / `kb serve` (which sets it), never by a build.
    preview = c.Type(bool, default=False)
    # Where the project's content/ and register/ live; default: the folder of mkdocs.yml.
    project_dir = c.Optional(c.Type(str))
    # Write the site to a temporary folder and move it into place only when the build succeeds.
    atomic_build = c.Type(bool, default=True)
    # kb serve: where the search page's script asks (the preview's API runs on another port); "" = api/search beside the site.
    search_api = c.Type(str, default="")
    # kb serve: the index folder the preview's search API reads, brought up to date after every rebuild.
    search_index = c.Optional(c.Type(str))
    # Where kb build and kb check keep the build cache (speed: build_cache), one folder per audience; relative to the
    # project folder. Keep it out of git; CI may save it between runs.
    cache_dir = c.Type(str, default=".cache/kb")
    speed = c.SubConfig(SpeedConfig)
    limits = c.SubConfig(LimitsConfig)
    editor = c.SubConfig(EditorConfig)
    parallel = c.Deprecated(moved_to="speed.parallel")
