"""`kb`: the contributors' and maintainers' door to checking, building and serving the site.

A shell around the same catalogue and validators the MkDocs plugin uses; domain errors
become a clean message and exit code here, never a traceback.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kb.building.address import DEFAULT_PORT
from kb.cli.common import Context, check_cache, fail, kb_settings, load_or_fail, require_project
from kb.content.limits import DEFAULT_LIMITS, Limits
from kb.content.problems import Problem, errors, sort_for_people

if TYPE_CHECKING:
    from kb.speed.memory import BuildMemory

# Commands in their own modules, imported only when run (or listed by --help): `kb check` need not load
# the mail, calendar, TLS and web server modules first (click's "lazily loading subcommands").
LAZY_COMMANDS = {
    "new": "kb.cli.new:new",
    "mail": "kb.cli.mail:mail",
    "search": "kb.cli.search:search",
    "search-service": "kb.cli.service:search_service",
    "members": "kb.cli.members:members",
    "publish": "kb.cli.live:publish",
    "web-config": "kb.cli.live:web_config",
    "production": "kb.cli.live:production",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), name)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder (holding content/, register/ and mkdocs.yml).",
)
@click.pass_context
def main(click_ctx: click.Context, project: Path) -> None:
    """Check, build and serve the alliance's knowledge base."""
    click_ctx.obj = Context(project)


def print_problems(problems: list[Problem], files_checked: int, colour: bool) -> None:
    """Problems grouped by file, errors first, then a summary line."""
    current = None
    for p in sort_for_people(problems):
        if p.path != current:
            current = p.path
            click.echo(click.style(f"\n{p.path}", bold=True), color=colour)
        where = ", ".join(part for part in (f"line {p.line}" if p.line else "", p.field or "") if part)
        mark = click.style(p.severity.upper(), fg="red" if p.severity == "error" else "yellow", bold=True)
        click.echo(f"  {mark} {where + ': ' if where else ''}{p.message}", color=colour)
        if p.hint:
            click.echo(f"      Fix: {p.hint}", color=colour)
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    click.echo(f"\n{files_checked} files checked, {n_err} error(s), {n_warn} warning(s).", color=colour)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list, for tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too (for the maintainers' merge step).")
@click.option("--no-cache", "no_cache", is_flag=True, help="Read and check every file again, without the build cache.")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def check(ctx: Context, as_json: bool, strict: bool, no_cache: bool, files: tuple[Path, ...]) -> None:
    """Check every entry (or only FILES, still resolving links against the whole project)."""
    require_project(ctx)
    from kb.speed.memory import BuildMemory, skip_final_collection

    memory = BuildMemory()  # the build's use of the garbage collector: a check makes and keeps as many objects
    memory.start()
    try:
        problems = _project_problems(ctx, no_cache, memory)
    finally:
        memory.end()
    counted = _count_files(ctx.project)
    if files:
        wanted = {_project_relative(ctx.project, f) for f in files}
        problems = [p for p in problems if p.path in wanted]  # site_url's warning names mkdocs.yml: not among FILES
        counted = len(wanted)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in sort_for_people(problems)], indent=2, ensure_ascii=False))
    else:
        print_problems(problems, counted, colour=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    failed = errors(problems) or (strict and problems)
    skip_final_collection()
    sys.exit(1 if failed else 0)


def _project_problems(ctx: Context, no_cache: bool, memory: BuildMemory) -> list[Problem]:
    """Every problem kb check reports for the whole project, with the build cache's results of unchanged files."""
    limits = _limits(ctx)
    cache = None if no_cache else check_cache(ctx.project)
    if cache is not None:  # unchanged files' results from the last run, every one checked against its file again
        from kb.speed.build_cache import code_key, restore_entries, save_entries

        restored = restore_entries(cache, ctx.project, code_key())
        memory.keep()  # the restored results stay to the end: no collection needs to walk them
    from kb.speed.file_worker import split_map
    from kb.speed.forks import wanted

    speed = kb_settings(ctx.project).get("speed")
    parallel = speed.get("parallel", "auto") if isinstance(speed, dict) else "auto"
    problems = load_or_fail(ctx, members=True, limits=limits, map_files=split_map if wanted(parallel) else None)[1]
    if cache is not None:
        save_entries(cache, ctx.project, code_key(), restored)
        cache.write_manifest()
    if ctx.config_file.exists():
        _select_engine()
        from kb.building.site_url import site_url_problem

        problems += [p for p in [site_url_problem(ctx.config_file)] if p is not None]
    return problems


def _limits(ctx: Context) -> Limits:
    """The entry size limits mkdocs.yml sets; MkDocs' config machinery is loaded to read them only when it sets some."""
    if "limits" not in kb_settings(ctx.project):
        return DEFAULT_LIMITS
    runner = _runner()
    try:
        return runner.project_limits(ctx.config_file)
    except runner.BuildError as exc:
        fail(str(exc))


def _project_relative(project: Path, path: Path) -> str:
    absolute = (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()
    try:
        return absolute.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def _count_files(project: Path) -> int:
    from kb.content import file_cache
    from kb.content.loader import discover

    loaded = file_cache.last_load(project)  # the load just made saw every entry file
    return len(loaded.files) if loaded is not None else len(discover(project)[0])


EDITOR_OPTION = click.option(
    "--editor",
    type=click.Choice(["local", "none"]),
    help="Build /admin/ for decap-server on this computer (local), or leave it out (none), whatever mkdocs.yml says.",
)


@main.command()
@click.option("--members", is_flag=True, help="Build the members' site, with members-only entries.")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/, or site-members/).",
)
@EDITOR_OPTION
@click.option("--no-cache", "no_cache", is_flag=True, help="Build every page again, without the build cache (nor filling it).")
@click.pass_obj
def build(ctx: Context, members: bool, site_dir: Path | None, editor: str | None, no_cache: bool) -> None:
    """Build the static site; nothing is replaced unless the whole build succeeds."""
    runner = _runner()
    target = site_dir.resolve() if site_dir else ctx.project / ("site-members" if members else "site")
    try:
        runner.build_site(ctx.config_file, target, members=members, editor=editor, cache=not no_cache)
    except runner.BuildError as exc:
        fail(str(exc))
    click.echo(f"Built the {'members' if members else 'public'} site in {target}")
    from kb.speed.memory import skip_final_collection

    skip_final_collection()


@main.command()
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to serve on (127.0.0.1).")
@click.option("--members", is_flag=True, help="Preview the members' site.")
@EDITOR_OPTION
@click.pass_obj
def serve(ctx: Context, port: int, members: bool, editor: str | None) -> None:
    """Preview the site at http://127.0.0.1:PORT with live reload (and the search API on PORT+1)."""
    runner = _runner()
    try:
        runner.serve_site(ctx.config_file, port, members=members, say=click.echo, editor=editor)
    except runner.BuildError as exc:
        fail(str(exc))


@main.command()
@click.option("--port", type=int, default=8000, show_default=True, help="Port of the preview (127.0.0.1).")
@click.option("--members", is_flag=True, help="Preview the members' site.")
@click.option("--workflow", is_flag=True, help="Save each entry on its own git branch, as the review workflow does.")
@click.pass_obj
def edit(ctx: Context, port: int, members: bool, workflow: bool) -> None:
    """Write and edit entries in the browser at http://127.0.0.1:PORT/admin/, with the preview beside it."""
    runner = _runner()
    from kb.building.editing import edit_site

    try:
        edit_site(ctx.config_file, port, members=members, workflow=workflow, say=click.echo)
    except runner.BuildError as exc:
        fail(str(exc))


def _select_engine() -> None:
    """Make mkdocs.* imports come from the engine KB_ENGINE names (MkDocs or ProperDocs, see building/engine.py)."""
    from kb.building.engine import EngineError, select_engine

    try:
        select_engine()
    except EngineError as exc:
        fail(str(exc))


def _runner():
    """building/runner.py, loaded after the engine is chosen."""
    _select_engine()
    from kb.building import runner

    return runner


if __name__ == "__main__":  # pragma: no cover
    main()
