"""Running MkDocs for `kb build` and `kb serve`, with content problems turned into one clean error.

The kb plugin's settings that a person does not write in mkdocs.yml (members, preview, the preview's
search API and index) are handed to MkDocs as plugin options, so the plugin reads every setting from
its one schema (config.py). MkDocs itself or ProperDocs runs the build: see engine.py.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.utils import yaml_load

from kb.config import LimitsConfig, limits_of
from kb.content.limits import DEFAULT_LIMITS, Limits
from kb.output.folders import failure_words


class BuildError(Exception):
    """The site could not be built; the message says why in plain words."""


def plugins_with(config_file: Path, **settings: Any) -> dict[str, dict]:
    """mkdocs.yml's `plugins` as {name: options}, with these settings added to the kb plugin's own.

    A mapping, not a list: MkDocs empties each item of a plugins list as it reads it, and `kb serve`
    hands the same value to every rebuild's configuration. Raises BuildError without kb."""
    with open(config_file, "rb") as handle:
        raw = yaml_load(handle) or {}
    listed = raw.get("plugins", [])
    items = (
        list(listed.items())
        if isinstance(listed, dict)
        else [
            (item, {})
            if isinstance(item, str)
            else next(iter(item.items()))
            if isinstance(item, dict) and len(item) == 1
            else (item, None)
            for item in listed
        ]
    )
    plugins: dict[str, dict] = {}
    for name, options in items:
        if not isinstance(name, str) or name in plugins:
            raise BuildError(
                f"mkdocs.yml lists the plugin {name!r} in a way kb cannot read (twice, or not as a name). "
                "Fix: list each plugin once, as '- name' or '- name: {options}'."
            )
        plugins[name] = dict(options or {})
    if "kb" not in plugins:
        raise BuildError("mkdocs.yml does not enable the kb plugin. Fix: add '- kb' under plugins:.")
    plugins["kb"].update(settings)
    return plugins


def project_limits(config_file: Path) -> Limits:
    """The limits set in mkdocs.yml (`kb: limits:`), so `kb check` refuses what the build would; the defaults
    when there is no readable mkdocs.yml (the build then says what is wrong with it)."""
    try:
        options = plugins_with(config_file)["kb"].get("limits") or {}
    except (OSError, BuildError, ValueError, yaml.YAMLError):
        return DEFAULT_LIMITS
    schema = LimitsConfig()
    schema.load_dict(options if isinstance(options, dict) else {})
    failed, _warnings = schema.validate()
    if failed:
        raise BuildError("mkdocs.yml has a problem in kb's limits: " + "; ".join(f"{name}: {error}" for name, error in failed))
    return limits_of(schema)


def load_site_config(config_file: Path, *, site_dir: Path | None = None, **kb_settings: Any) -> Any:
    """MkDocs' configuration of the project, the kb plugin's settings given through its schema."""
    if not config_file.exists():
        raise BuildError(f"{config_file} does not exist. Run kb inside the project, or point at it with kb --project DIR.")
    try:
        return load_config(
            config_file=str(config_file),
            site_dir=str(site_dir) if site_dir else None,
            plugins=plugins_with(config_file, **kb_settings),
        )
    except (ConfigurationError, Abort) as exc:
        raise BuildError(f"mkdocs.yml has a problem: {exc}") from None


def editor_override(editor: str | None, local_url: str = "", branch: str = "") -> dict[str, Any]:
    """`--editor local` (or none): the plugin's `editor` setting replaced whatever mkdocs.yml says."""
    if editor is None:
        return {}
    settings = {"backend": editor}
    if local_url:
        settings["local_url"] = local_url
    if branch:
        settings["branch"] = branch
    return {"editor": settings}


def build_site(
    config_file: Path,
    site_dir: Path,
    *,
    members: bool = False,
    editor: str | None = None,
    site_path: str = "",
    cache: bool = True,
    **settings: Any,
) -> None:
    """Build into a temporary folder, then swap it into `site_dir` (the plugin does the swap).
    `site_path`: where under mkdocs.yml's site_url this site is served ("members/" behind the web server),
    so its feeds, sitemap and 404 page link to the right addresses. `cache=False` builds without the build
    cache whatever mkdocs.yml says; `settings` are more kb plugin settings (cache_dir, ...)."""
    try:
        config = load_site_config(config_file, site_dir=site_dir, members=members, **editor_override(editor), **settings)
        if site_path and config.site_url:
            config["site_url"] = config.site_url.rstrip("/") + "/" + site_path.strip("/") + "/"
        if not cache:
            config.plugins["kb"].config.speed.build_cache = False
        _build(config)
    except OSError as exc:  # a full disk, a read-only or forbidden folder: MkDocs lets these through
        raise BuildError(f"The site was not built: {failure_words(exc)} The previous site is unchanged.") from None


def _build(config: Any) -> None:
    _quiet_mkdocs()
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_said_by_us)
    build_log.addFilter(_not_dirty_warning)
    # The plugin builds into a new, empty folder (atomic_build), so MkDocs' dirty build is a full one there;
    # "dirty" lets pages rendered by the plugin's second process be skipped here (speed/page_worker.py).
    dirty = config.plugins["kb"].config.atomic_build
    from mkdocs.commands.build import build as mkdocs_build  # here, not above: kb check reads limits without it

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


def preview_index_dir(project: Path, members: bool) -> Path:
    """Where `kb serve` keeps the index its search API reads: a temporary folder per project and audience."""
    key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / "kb-search-preview" / key / ("members" if members else "public")


def serve_site(
    config_file: Path,
    port: int,
    *,
    members: bool = False,
    say: Callable[[str], None] = print,
    editor: str | None = None,
    editor_url: str = "",
    editor_branch: str = "",
) -> None:
    """Live preview on 127.0.0.1:port with the search API on port+1: drafts and members entries shown and
    marked, content errors shown as a page (see site/preview.py). `editor`: /admin/ built for decap-server."""
    from mkdocs.commands.serve import serve

    from kb.building import address
    from kb.building.local_only import local_hosts
    from kb.search.service import create_app, serve_in_thread

    if not config_file.exists():
        raise BuildError(f"{config_file} does not exist. Run kb inside the project, or point at it with kb --project DIR.")
    index_dir, api_port = preview_index_dir(config_file.parent, members), port + 1
    origins = (f"http://127.0.0.1:{port}", f"http://localhost:{port}")
    settings: dict[str, Any] = {"preview": True, "members": members, **editor_override(editor, editor_url, editor_branch)}
    try:
        hosts = local_hosts(api_port)
        stop_search = serve_in_thread(
            create_app(index_dir, cors_origins=origins, serves="preview", hosts=hosts), "127.0.0.1", api_port
        )
        settings.update(search_index=str(index_dir), search_api=f"http://127.0.0.1:{api_port}/api/search")
        say(f"Search API on http://127.0.0.1:{api_port}/api/search")
    except OSError as exc:  # port taken: the preview still works, its search page says search is unavailable
        say(f"Search API not started on port {api_port}: {exc}")
        stop_search = None
    _quiet_mkdocs()
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)  # "Serving on ...", "Reloading browsers"
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_not_dirty_warning)
    address.remember(config_file.parent, port)  # so `kb new` prints this preview's address
    try:
        # dirty: a save rebuilds only the pages it changed (the plugin decides which: speed/rebuilds.py)
        serve(
            str(config_file),
            dev_addr=f"127.0.0.1:{port}",
            livereload=True,
            build_type="dirty",
            plugins=plugins_with(config_file, **settings),
        )
    except (PluginError, Abort, ConfigurationError) as exc:
        raise BuildError(str(exc)) from None
    finally:
        build_log.removeFilter(_not_dirty_warning)
        address.forget(config_file.parent)
        if stop_search is not None:
            stop_search()


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale; ours does not (see speed/rebuilds.py)."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


def _quiet_mkdocs() -> None:
    """Show MkDocs warnings and errors, not its info chatter."""
    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.WARNING)
