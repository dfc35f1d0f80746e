"""The one mkdocs.yml setting `kb check` warns about, read without loading MkDocs' configuration machinery.

Why: importing MkDocs' config options (with the build's runner) took a tenth of a warm `kb check` at 10,000
entries, whose budget is two seconds. MkDocs' own YAML reader is kept, so !ENV and !relative read as the build reads them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.content.problems import Problem


def site_url_problem(config_file: Path) -> Problem | None:
    """A warning for `kb check` when mkdocs.yml has no site_url: feeds and the actions CSV need the site's address."""
    from mkdocs.utils import yaml_load  # after the engine is chosen (building/engine.py)

    try:
        with open(config_file, "rb") as handle:
            raw = yaml_load(handle) or {}
    except (OSError, yaml.YAMLError, ValueError):
        return None  # kb build reports a broken mkdocs.yml in its own words
    if not isinstance(raw, dict) or raw.get("site_url"):
        return None
    return Problem(
        config_file.name,
        None,
        "site_url",
        "is not set, so no feeds are written and the actions CSV cannot give each meeting's address.",
        "add the site's public address to mkdocs.yml, e.g. site_url: https://learning.example.org/",
        "warning",
    )
