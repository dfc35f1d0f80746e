"""Running MkDocs for `kb build` and `kb serve`, with content problems turned into one clean error."""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError


class BuildError(Exception):
    """The site could not be built; the message says why in plain words."""


def _config(config_file: Path, members: bool, **overrides):
    if not config_file.exists():
        raise BuildError(f"{config_file} does not exist. Run kb inside the project, or point at it with kb --project DIR.")
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except (ConfigurationError, Abort) as exc:
        raise BuildError(f"mkdocs.yml has a problem: {exc}") from None
    if "kb" not in config.plugins:
        raise BuildError("mkdocs.yml does not enable the kb plugin. Fix: add '- kb' under plugins:.")
    config.plugins["kb"].config.members = members
    return config


def build_site(config_file: Path, site_dir: Path, *, members: bool = False) -> None:
    """Build into a temporary folder, then swap it into `site_dir` (the plugin does the swap)."""
    config = _config(config_file, members, site_dir=str(site_dir))
    _quiet_mkdocs()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_said_by_us)
    build_log.addFilter(_not_dirty_warning)
    # The plugin builds into a new, empty folder (atomic_build), so MkDocs' dirty build is a full one there;
    # "dirty" lets pages rendered by the plugin's second process be skipped here (parallel.py).
    dirty = config.plugins["kb"].config.atomic_build
    try:
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except (PluginError, Abort) as exc:
        # MkDocs logs a plugin's error and raises a bare Abort: the words are on the original error.
        original = exc.__context__ if isinstance(exc.__context__, PluginError) else exc
        raise BuildError(str(original)) from None
    finally:
        build_log.removeFilter(_said_by_us)
        build_log.removeFilter(_not_dirty_warning)


def _said_by_us(record: logging.LogRecord) -> bool:
    """Drop MkDocs' copy of our own failure message: kb prints it once, itself."""
    return not str(record.msg).startswith("The site was not built")


def serve_site(config_file: Path, port: int, *, members: bool = False) -> None:
    """Live preview: drafts and members entries shown and marked, content errors shown as a page (see preview.py)."""
    from mkdocs.commands.serve import serve

    from .plugin import SERVE_SETTINGS
    if not config_file.exists():
        raise BuildError(f"{config_file} does not exist. Run kb inside the project, or point at it with kb --project DIR.")
    SERVE_SETTINGS.update(preview=True, members=members)
    _quiet_mkdocs()
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)  # "Serving on ...", "Reloading browsers"
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_not_dirty_warning)
    try:
        # dirty: a save rebuilds only the pages it changed (the plugin decides which: serve_incremental.py)
        serve(str(config_file), dev_addr=f"127.0.0.1:{port}", livereload=True, build_type="dirty")
    except (PluginError, Abort, ConfigurationError) as exc:
        raise BuildError(str(exc)) from None
    finally:
        SERVE_SETTINGS.clear()
        build_log.removeFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale; ours does not (see serve_incremental.py)."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _quiet_mkdocs() -> None:
    """Show MkDocs warnings and errors, not its info chatter."""
    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING)
