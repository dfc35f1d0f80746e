"""`kb members add|remove|list`: who may sign in to the members' site, kept as bcrypt hashes (live/accounts.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kb.cli.common import Context, fail, require_project
from kb.live import accounts, caddy
from kb.live.releases import live_for


@click.group()
def members() -> None:
    """The members' accounts: who may sign in to /members/ (stored as bcrypt hashes in members.passwd)."""


def accounts_file(ctx: Context) -> Path:
    require_project(ctx)
    try:
        return accounts.members_file(ctx.project)
    except accounts.AccountsError as exc:
        fail(str(exc))
        raise  # unreachable: fail raises


def read_password() -> str:
    """From a terminal: asked twice, not shown. Otherwise the first line of standard input, so scripts can pipe it."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt="Type it again")
    line = sys.stdin.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password[:-1] if password.endswith("\r") else password
    if not password:
        fail(
            "No password came on standard input. Type it when asked, or pipe it in: printf '%s\\n' \"$PASSWORD\" | kb members add NAME"
        )
    return password


def tell_web_server(ctx: Context, path: Path) -> None:
    """The web server holds the hashes in its configuration: write it again and reload it if it runs."""
    try:
        click.echo(caddy.refresh(live_for(ctx.project), accounts.read_accounts(path)))
    except (caddy.WebConfigError, accounts.AccountsError) as exc:
        fail(f"The account is saved, but the web server was not told: {exc}")


@members.command("add")
@click.argument("name")
@click.option("--replace", is_flag=True, help="Give an existing member a new password.")
@click.pass_obj
def add(ctx: Context, name: str, replace: bool) -> None:
    """Add a member NAME; the password is read from the terminal (twice) or from standard input."""
    path = accounts_file(ctx)
    try:
        accounts.check_name(name)
        new = accounts.add_member(path, name, read_password(), replace=replace)
    except accounts.AccountsError as exc:
        fail(str(exc))
    click.echo(f"{'Added' if new else 'Changed the password of'} {name} ({path}).")
    tell_web_server(ctx, path)


@members.command("remove")
@click.argument("name")
@click.pass_obj
def remove(ctx: Context, name: str) -> None:
    """Remove a member NAME: they can no longer sign in."""
    path = accounts_file(ctx)
    try:
        accounts.remove_member(path, name)
    except accounts.AccountsError as exc:
        fail(str(exc))
    click.echo(f"Removed {name} from {path}.")
    tell_web_server(ctx, path)


@members.command("list")
@click.pass_obj
def list_members(ctx: Context) -> None:
    """The members' names, one a line (never their passwords)."""
    path = accounts_file(ctx)
    try:
        names = sorted(accounts.read_accounts(path))
    except accounts.AccountsError as exc:
        fail(str(exc))
    if not names:
        click.echo(f"No members yet ({path} has none). Add one with kb members add NAME.", err=True)
    for name in names:
        click.echo(name)
