"""`kb publish`, `kb web-config` and `kb production`: putting the built sites in front of their readers."""

from __future__ import annotations

import click

from kb.cli.common import Context, fail, require_project
from kb.live import accounts, caddy
from kb.live.releases import ReleaseError, current_name, live_for


def _engine() -> None:
    """Choose MkDocs or ProperDocs (KB_ENGINE) before anything imports the build."""
    from kb.building.engine import EngineError, select_engine

    try:
        select_engine()
    except EngineError as exc:
        fail(str(exc))


@click.command()
@click.option("--rollback", is_flag=True, help="Go back to the release before the live one (nothing is built).")
@click.option("--keep", type=int, default=5, show_default=True, help="How many releases to keep for rolling back.")
@click.pass_obj
def publish(ctx: Context, rollback: bool, keep: int) -> None:
    """Build the public and the members' site into a new release and switch to it in one step."""
    require_project(ctx)
    _engine()
    from kb.building.runner import BuildError
    from kb.live import publish as releases

    live = live_for(ctx.project)
    before = current_name(live)
    try:
        if rollback:
            name = releases.rollback(ctx.project, live)
            click.echo(f"Rolled back: {live.current} now points at release {name} (it was {before}).")
            return
        done = releases.publish(ctx.project, live, keep=keep, say=click.echo)
    except BuildError as exc:
        fail(f"{exc}\nNothing was published: the live release is still {before or 'none'}.")
    except (ReleaseError, accounts.AccountsError, caddy.WebConfigError) as exc:
        fail(f"{exc}\nThe live release is still {current_name(live) or 'none'}.")
    click.echo(f"Published release {done.name}: {live.current} points at it. {done.web}")
    if done.removed:
        click.echo(f"Removed old releases: {', '.join(done.removed)}.")
    from kb.speed.memory import skip_final_collection

    skip_final_collection()


@click.command("web-config")
@click.option("--site-address", help="The domain the site is reached at (HTTPS), or http://HOST:PORT.")
@click.option("--public-search", multiple=True, help="HOST:PORT of a public search service; give it once per replica.")
@click.option("--members-search", multiple=True, help="HOST:PORT of a members' search service; once per replica.")
@click.option("--email", default="", help="An address for Let's Encrypt's notices about the certificate.")
@click.option(
    "--sso", default="", help="HOST:PORT of an oauth2-proxy for signing in with the partnership's accounts (docs/going-live.md)."
)
@click.pass_obj
def web_config(
    ctx: Context, site_address: str | None, public_search: tuple[str, ...], members_search: tuple[str, ...], email: str, sso: str
) -> None:
    """Write the web server's configuration (live/run/Caddyfile); without options, again from the saved settings."""
    require_project(ctx)
    live = live_for(ctx.project)
    try:
        if site_address:
            settings = caddy.WebSettings(address=site_address, email=email, sso=sso)
            settings.public_search = list(public_search) or settings.public_search
            settings.members_search = list(members_search) or settings.members_search
            caddy.save_settings(live, settings)
        elif public_search or members_search or email or sso:
            fail("Give --site-address too: the settings are written as a whole.")
        message = caddy.refresh(live, accounts.read_accounts(accounts.members_file(ctx.project)))
    except (caddy.WebConfigError, accounts.AccountsError) as exc:
        fail(str(exc))
    if message.startswith("No web server"):
        fail("No web settings are saved yet. Give them once: kb web-config --site-address learning.example.org")
    click.echo(message)


@click.command()
@click.option("--port", type=int, required=True, help="The port the web server listens on (127.0.0.1).")
@click.option("--replicas", type=int, default=2, show_default=True, help="How many public search services run behind it.")
@click.option("--no-publish", is_flag=True, help="Serve the live release as it is instead of publishing a new one first.")
@click.pass_obj
def production(ctx: Context, port: int, replicas: int, no_publish: bool) -> None:
    """Publish, then serve the site as in production on 127.0.0.1:PORT until Ctrl-C (scripts/production)."""
    require_project(ctx)
    _engine()
    from kb.building.runner import BuildError
    from kb.live import publish as releases
    from kb.live.production import ProductionError, run_production

    live = live_for(ctx.project)
    try:
        if not no_publish:
            done = releases.publish(ctx.project, live, say=click.echo)
            click.echo(f"Published release {done.name}.")
        code = run_production(ctx.project, live, port=port, replicas=replicas, say=click.echo)
    except BuildError as exc:
        fail(f"{exc}\nNothing was published or started.")
    except (ProductionError, ReleaseError, accounts.AccountsError, caddy.WebConfigError) as exc:
        fail(str(exc))
    raise SystemExit(code)
