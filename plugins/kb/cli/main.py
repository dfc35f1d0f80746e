"""`kb`: the contributors' and maintainers' door to checking, building and serving the site.

A shell around the same catalogue and validators the MkDocs plugin uses; domain errors
become a clean message and exit code here, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kb.building.address import DEFAULT_PORT
from kb.cli.common import Context, fail, load_or_fail
from kb.cli.new import new
from kb.cli.search import search
from kb.cli.service import search_service
from kb.content.problems import Problem, errors, sort_for_people


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def check(ctx: Context, as_json: bool, strict: bool, files: tuple[Path, ...]) -> None:
    """Check every entry (or only FILES, still resolving links against the whole project)."""
    problems = load_or_fail(ctx, members=True)[1]
    counted = _count_files(ctx.project)
    if not files and ctx.config_file.exists():
        from kb.building.runner import site_url_problem

        problems += [p for p in [site_url_problem(ctx.config_file)] if p is not None]
    if files:
        wanted = {_project_relative(ctx.project, f) for f in files}
        problems = [p for p in problems if p.path in wanted]
        counted = len(wanted)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in sort_for_people(problems)], indent=2, ensure_ascii=False))
    else:
        print_problems(problems, counted, colour=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    failed = errors(problems) or (strict and problems)
    sys.exit(1 if failed else 0)


def _project_relative(project: Path, path: Path) -> str:
    absolute = (Path.cwd() / path).resolve() if not path.is_absolute() else path.resolve()
    try:
        return absolute.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()


def _count_files(project: Path) -> int:
    from kb.content.loader import discover

    return len(discover(project)[0])


@main.command()
@click.option("--members", is_flag=True, help="Build the members' site, with members-only entries.")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/, or site-members/).",
)
@click.pass_obj
def build(ctx: Context, members: bool, site_dir: Path | None) -> None:
    """Build the static site; nothing is replaced unless the whole build succeeds."""
    runner = _runner()
    target = site_dir.resolve() if site_dir else ctx.project / ("site-members" if members else "site")
    try:
        runner.build_site(ctx.config_file, target, members=members)
    except runner.BuildError as exc:
        fail(str(exc))
    click.echo(f"Built the {'members' if members else 'public'} site in {target}")
    from kb.speed.memory import skip_final_collection

    skip_final_collection()


@main.command()
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True, help="Port to serve on (127.0.0.1).")
@click.option("--members", is_flag=True, help="Preview the members' site.")
@click.pass_obj
def serve(ctx: Context, port: int, members: bool) -> None:
    """Preview the site at http://127.0.0.1:PORT with live reload (and the search API on PORT+1)."""
    runner = _runner()
    try:
        runner.serve_site(ctx.config_file, port, members=members, say=click.echo)
    except runner.BuildError as exc:
        fail(str(exc))


def _runner():
    """building/runner.py, loaded after the engine is chosen (KB_ENGINE: MkDocs or ProperDocs, see building/engine.py)."""
    from kb.building.engine import EngineError, select_engine

    try:
        select_engine()
    except EngineError as exc:
        fail(str(exc))
    from kb.building import runner

    return runner


main.add_command(new)
main.add_command(search)
main.add_command(search_service)

if __name__ == "__main__":  # pragma: no cover
    main()
