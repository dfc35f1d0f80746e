"""Settings of the `kb` MkDocs plugin, as a schema MkDocs checks for us.

`kb build` and `kb serve` set the ones a person does not write in mkdocs.yml (members, preview,
search_api, search_index) through this schema too (building/runner.py), so nothing is held in a
module-level setting.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SpeedConfig(base.Config):
    """Each speed-up can be switched off; with every one off the site is byte for byte the same."""

    # kb build: render a share of the entry pages in a second, forked process (speed/page_worker.py).
    # "auto": wherever there is a second core.
    parallel = c.Choice((True, False, "auto"), default="auto")
    # Material's navigation and other page-independent fragments rendered once per link shape (speed/theme_memo.py).
    theme_memo = c.Type(bool, default=True)
    # kb serve: rebuild only the pages a save changed (speed/rebuilds.py); off: every save rebuilds every page.
    incremental = c.Type(bool, default=True)
    # kb serve: hear saves from the operating system instead of MkDocs' polling (speed/watcher.py).
    native_watcher = c.Type(bool, default=True)
    # kb build: fewer garbage collections, the catalogue left out of them (speed/memory.py).
    memory = c.Type(bool, default=True)
    # The search index written by a forked process with Whoosh's internals bypassed (search/whoosh_internals.py).
    index_writer = c.Type(bool, default=True)
    # kb build and kb check: reuse what the last run made from unchanged entries (speed/warm_build.py), kept in cache_dir.
    build_cache = c.Type(bool, default=True)


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
    parallel = c.Deprecated(moved_to="speed.parallel")
