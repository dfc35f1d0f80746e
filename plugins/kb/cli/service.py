"""`kb search-service`: the search API (and optionally the built site) for production, behind a reverse proxy."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("search-service")
@click.option(
    "--index",
    "index_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The index folder (site.search/ beside a built site/).",
)
@click.option(
    "--site",
    "site_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Also serve this built site folder, so one process answers pages and /api/search.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8081, show_default=True)
@click.option("--plain", is_flag=True, help="Read the index only through Whoosh's documented API: the same answers, slower.")
@click.option(
    "--members",
    is_flag=True,
    help="Serve the members' index (site-members.search/), its answers kept by no shared cache; without it, a members' index is refused.",
)
def search_service(index_dir: Path, site_dir: Path | None, host: str, port: int, plain: bool, members: bool) -> None:
    """Serve /api/search (and the site, with --site) for production behind a reverse proxy."""
    import uvicorn

    from kb.search.index import MANIFEST
    from kb.search.service import create_app, refusal  # imported here: kb check need not load the web server
    from kb.search.uvicorn_limits import server_options

    serves = "members" if members else "public"
    try:
        info = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = None  # not built yet: every request checks the index it opens
    why = refusal(index_dir, info, serves) if isinstance(info, dict) else None
    if why is not None:
        raise click.ClickException(why)
    app = create_app(index_dir, site_dir, fast=not plain, serves=serves)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, **server_options())
