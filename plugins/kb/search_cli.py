"""`kb search` in the terminal, and the search API that `kb serve` runs beside the live preview.

Both need an index without a full site build: it is made from the catalogue into a cache
folder named by a fingerprint of the content, so a repeated `kb search` reuses it.
"""
from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

import click

from .catalogue import Catalogue
from .model import ENTRY_TYPES
from .search_index import INDEX_VERSION, build_index


def fingerprint(catalogue: Catalogue) -> str:
    """Changes whenever any visible entry or tag changes, so a cached index is never stale."""
    digest = hashlib.sha256(repr((catalogue.members, sorted(catalogue.tags.items()))).encode())
    for entry in catalogue.entries.values():
        digest.update(repr((entry.ref, sorted(entry.meta.items(), key=lambda kv: kv[0]), entry.body)).encode())
    return digest.hexdigest()[:16]


def cached_index(catalogue: Catalogue, project: Path) -> Path:
    """An index of this catalogue in the temporary folder, built only when the content changed."""
    project_key = hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    folder = Path(tempfile.gettempdir()) / "kb-search-cache" / project_key / f"v{INDEX_VERSION}-{fingerprint(catalogue)}"
    if not (folder / "kb-search.json").exists():
        build_index(catalogue, folder)
    return folder


def _highlighted(text: str, marks: list[list[int]], colour: bool) -> str:
    if not colour:
        return text
    out, last = [], 0
    for start, end in marks:
        out += [text[last:start], click.style(text[start:end], bold=True, fg="yellow")]
        last = end
    return "".join(out) + text[last:]


@click.command()
@click.argument("query", nargs=-1)
@click.option("--type", "entry_type", type=click.Choice(list(ENTRY_TYPES)), help="Only this type of entry.")
@click.option("--network", help="Only entries of this network (its id, e.g. equity).")
@click.option("--tag", help="Only entries with this tag (its id, e.g. attendance).")
@click.option("--members", is_flag=True, help="Search the members' build too (members-only entries included).")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option("--newest", is_flag=True, help="Newest first instead of most relevant first.")
@click.pass_obj
def search(ctx, query: tuple[str, ...], entry_type: str | None, network: str | None, tag: str | None,
           members: bool, limit: int, newest: bool) -> None:
    """Ranked search of the published entries: is this topic already covered?"""
    from .cli import _load
    from .search_query import SearchEngine
    catalogue, _ = _load(ctx, members=members)
    engine = SearchEngine(cached_index(catalogue, ctx.project))
    answer = engine.search(" ".join(query), type=entry_type, network=network, tag=tag, size=limit,
                           sort="newest" if newest else "relevance")
    colour = sys.stdout.isatty()
    for note in answer["notes"]:
        click.echo(note)
    if answer["did_you_mean"]:
        searched = "Searched for" if answer["corrections"] else "Did you mean"
        click.echo(f"{searched}: {answer['did_you_mean']}")
    for rank, hit in enumerate(answer["results"], 1):
        where = ", ".join(n["label"] for n in hit["networks"])
        facts = " · ".join(part for part in (hit["type_label"], hit["date"] or "", where) if part)
        click.echo(f"\n{rank:>2}. " + _highlighted(hit["title"], hit["title_highlights"], colour))
        click.echo(f"    {facts}\n    {hit['url']}")
        if hit["snippet"]["text"]:
            click.echo("    " + _highlighted(hit["snippet"]["text"], hit["snippet"]["highlights"], colour))
    shown = len(answer["results"])
    click.echo(f"\n{answer['total']} matching entr{'y' if answer['total'] == 1 else 'ies'}"
               + (f", the first {shown} shown." if shown < answer["total"] else "."))


def start_for_preview(project: Path, port: int, members: bool):
    """The search API on port+1 for `kb serve`; the plugin rewrites its index on every rebuild.

    Returns a stop function. The search page learns the API's address from SERVE_SETTINGS."""
    from .plugin import SERVE_SETTINGS
    from .search_service import create_app, serve_in_thread
    index_dir = Path(tempfile.gettempdir()) / "kb-search-preview" / hashlib.sha256(str(project.resolve()).encode()).hexdigest()[:10]
    api_port = port + 1
    origins = (f"http://127.0.0.1:{port}", f"http://localhost:{port}")
    try:
        stop = serve_in_thread(create_app(index_dir / ("members" if members else "public"), cors_origins=origins), "127.0.0.1", api_port)
    except OSError as exc:  # port taken: preview still works, search says it is unavailable
        click.echo(f"Search API not started on port {api_port}: {exc}", err=True)
        return lambda: None
    SERVE_SETTINGS["search_index"] = str(index_dir / ("members" if members else "public"))
    SERVE_SETTINGS["search_api"] = f"http://127.0.0.1:{api_port}/api/search"
    click.echo(f"Search API on http://127.0.0.1:{api_port}/api/search")
    return stop
