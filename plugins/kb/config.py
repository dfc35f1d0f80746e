"""Settings of the `kb` MkDocs plugin, as a schema MkDocs checks for us."""
from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


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
    # kb build: render a share of the entry pages in a second, forked process (see parallel.py).
    # "auto": wherever there is a second core (parallel.wanted says why).
    parallel = c.Choice((True, False, "auto"), default="auto")
