"""What every `kb` command shares: the project folder it works on, and loading it with domain errors as clean exits."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

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


def fail(message: str) -> None:
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
