"""What every `kb` command shares: the project folder it works on, and loading it with domain errors as clean exits."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import yaml

from kb.content.catalogue import Catalogue
from kb.content.dates import TodayError
from kb.content.problems import Problem
from kb.project import load_project


class Context:
    """The project a command works on (`kb --project DIR`, default the current folder)."""

    def __init__(self, project: Path):
        self.project = project.resolve()

    @property
    def config_file(self) -> Path:
        return self.project / "mkdocs.yml"


def fail(message: str) -> NoReturn:
    """Stop the command with a plain message and exit code 1 (never a traceback)."""
    raise click.ClickException(message)


def require_project(ctx: Context) -> None:
    if not (ctx.project / "content").is_dir():
        fail(f"{ctx.project} has no content/ folder. Run kb inside the project, or point at it with kb --project DIR.")


def load_or_fail(ctx: Context, **options) -> tuple[Catalogue, list[Problem]]:
    """The project's catalogue and problems, or a clean exit when it is not a project or KB_TODAY is wrong."""
    require_project(ctx)
    try:
        return load_project(ctx.project, **options)
    except TodayError as exc:
        raise click.ClickException(str(exc)) from None


class _AnyTag(yaml.SafeLoader):
    """mkdocs.yml may hold MkDocs' own tags (!ENV, !relative): read as plain values, for the few settings kb check needs."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def kb_settings(project: Path) -> dict[str, Any]:
    """The kb plugin's settings written in the project's mkdocs.yml ({} when there are none or it cannot be read),
    read without loading MkDocs: kb check needs only the build cache's."""
    try:
        raw = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag) or {}
        plugins = raw.get("plugins") or []
        items = plugins.items() if isinstance(plugins, dict) else (next(iter(p.items())) for p in plugins if isinstance(p, dict))
        return next((dict(options or {}) for name, options in items if name == "kb"), {})
    except (OSError, yaml.YAMLError, AttributeError, StopIteration, TypeError, ValueError):
        return {}


def check_cache(project: Path) -> Any:
    """kb check's build cache (speed/build_cache.py, folder `check/`), or None when mkdocs.yml switches it off."""
    settings = kb_settings(project)
    speed = settings.get("speed")
    if isinstance(speed, dict) and speed.get("build_cache", True) is False:
        return None
    from kb.speed.build_cache import BuildCache

    folder = project / str(settings.get("cache_dir") or ".cache/kb") / "check"
    return BuildCache(folder, say=lambda line: click.echo(line, err=True))


def kb_command() -> str:
    """`kb` as the contributor should type it here: plain `kb` when that is on PATH and is this kb,
    else the path of the kb beside this Python (e.g. .venv/bin/kb, when the virtual environment is not activated)."""
    here = Path(sys.executable).parent / "kb"
    on_path = shutil.which("kb")
    if on_path and (not here.exists() or Path(on_path).resolve() == here.resolve()):
        return "kb"
    if not here.exists():
        return f"{sys.executable} -m kb.cli.main"
    relative = os.path.relpath(here)
    return relative if os.sep in relative else f".{os.sep}{relative}"
