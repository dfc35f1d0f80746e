"""`kb search` in the terminal: ranked results of the published entries (is this topic already covered?)."""

from __future__ import annotations

import sys

import click

from kb.cli.common import load_or_fail
from kb.content.model import ENTRY_TYPES


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
def search(
    ctx,
    query: tuple[str, ...],
    entry_type: str | None,
    network: str | None,
    tag: str | None,
    members: bool,
    limit: int,
    newest: bool,
) -> None:
    """Ranked search of the published entries: is this topic already covered?"""
    from kb.search.cache import cached_index  # imported here: kb check need not load the search engine
    from kb.search.query import SearchEngine

    catalogue, _ = load_or_fail(ctx, members=members)
    engine = SearchEngine(cached_index(catalogue, ctx.project))
    answer = engine.search(
        " ".join(query), type=entry_type, network=network, tag=tag, size=limit, sort="newest" if newest else "relevance"
    )
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
    click.echo(
        f"\n{answer['total']} matching entr{'y' if answer['total'] == 1 else 'ies'}"
        + (f", the first {shown} shown." if shown < answer["total"] else ".")
    )
