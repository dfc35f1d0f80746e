"""`kb mail agenda|reminder|minutes REF --out DIR [--send]`: the emails of the convenor's cycle, ready to send.

Each message (meetings/mail.py) is written as an .eml file that Outlook and Thunderbird open as a message
to send (Outlook reads X-Unsent: 1; in Thunderbird use "Edit as new message"). With --send it also goes
out through the SMTP server named in the environment:

    KB_MAIL_FROM       the sender's address (or --from): a role address, e.g. equity-convenor@school.example
    KB_SMTP_HOST       the server (required with --send)
    KB_SMTP_PORT       default 587 (465 with KB_SMTP_SECURITY=ssl)
    KB_SMTP_SECURITY   starttls (default), ssl or none
    KB_SMTP_USER, KB_SMTP_PASSWORD   to log in, when the server asks

Only what the site shows is mailed: the meeting must be published (and public, unless --members).
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from pathlib import Path

import click
import yaml

from kb.cli.common import Context, fail, load_or_fail
from kb.content.dates import TodayError, today
from kb.content.problems import closest, errors
from kb.meetings.mail import KINDS, MailError, compose

RECORD_FIELD = {"agenda": "agenda_published", "reminder": "reminder_sent", "minutes": "minutes_sent"}
REF = re.compile(r"^(?:content/)?/?(minutes/[a-z0-9-]+/\d{4}-\d{2}-\d{2})(?:\.md|/)?$")


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV; only site_url is read, so any tag reads as nothing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def configured_site_url(config_file: Path) -> str:
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # a SafeLoader: no tag runs code
    except (OSError, yaml.YAMLError):
        return ""
    return str(data.get("site_url") or "") if isinstance(data, dict) else ""


def smtp_settings() -> dict:
    """The SMTP settings from the environment, checked, with a plain message for each mistake."""
    host = os.environ.get("KB_SMTP_HOST", "").strip()
    if not host:
        fail("--send needs the mail server: set KB_SMTP_HOST (and KB_SMTP_PORT, KB_SMTP_USER, KB_SMTP_PASSWORD as needed).")
    security = os.environ.get("KB_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "ssl", "none"):
        fail(f"KB_SMTP_SECURITY is '{security}'; write starttls, ssl or none.")
    port_text = os.environ.get("KB_SMTP_PORT", "465" if security == "ssl" else "587").strip()
    if not port_text.isdigit():
        fail(f"KB_SMTP_PORT is '{port_text}'; write a port number such as 587.")
    return {
        "host": host,
        "port": int(port_text),
        "security": security,
        "user": os.environ.get("KB_SMTP_USER", ""),
        "password": os.environ.get("KB_SMTP_PASSWORD", ""),
    }


def send(message: EmailMessage, settings: dict) -> None:
    """Hand the message to the SMTP server; every failure becomes one plain sentence."""
    outgoing = copy.deepcopy(message)
    del outgoing["X-Unsent"]  # the .eml's note to Outlook; the sent message is an ordinary one
    host, port = settings["host"], settings["port"]
    try:
        if settings["security"] == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=30)
        with server:
            if settings["security"] == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings["user"]:
                server.login(settings["user"], settings["password"])
            server.send_message(outgoing)
    except smtplib.SMTPAuthenticationError:
        fail(f"the mail server {host} refused the login: check KB_SMTP_USER and KB_SMTP_PASSWORD.")
    except smtplib.SMTPRecipientsRefused as exc:
        fail(f"the mail server {host} refused the address(es) {', '.join(exc.recipients)}: check the network's mailing_list.")
    except smtplib.SMTPNotSupportedError:
        fail(f"the mail server {host} does not offer STARTTLS: set KB_SMTP_SECURITY=ssl (port 465) or none.")
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        fail(f"the message was written but not sent: the mail server {host}:{port} could not be reached or refused it ({exc}).")


def _entry(catalogue, every: dict, ref_text: str, members: bool):
    found = REF.match(ref_text.strip())
    if found is None:
        raise click.ClickException(
            f"'{ref_text}' is not a meeting reference: write it like minutes/equity/2026-12-03 (the minutes file's folder and date)."
        )
    ref = found.group(1)
    if ref in catalogue.entries:
        return catalogue.entries[ref]
    if ref in every:
        hidden = every[ref]
        if hidden.status != "published":
            fail(f"{ref} is not published (status: {hidden.status}): publish it first; emails carry only what the site shows.")
        if not members:
            fail(f"{ref} is members-only: add --members to mail a members-only meeting to the network's list.")
    near = closest(ref, [r for r in catalogue.entries if r.startswith("minutes/")])  # only what may be mailed
    fail(
        f"there is no meeting {ref}."
        + (f" Did you mean {near}?" if near else " Minutes live in content/minutes/<network>/<date>.md.")
    )


@click.command("mail")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("ref", metavar="REF")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the .eml file into.",
)
@click.option("--send", "send_it", is_flag=True, help="Also send it through the SMTP server named by KB_SMTP_HOST and friends.")
@click.option("--from", "sender", help="The sender's address (default: KB_MAIL_FROM).")
@click.option("--site-url", help="The site's address for links (default: site_url in mkdocs.yml).")
@click.option("--members", is_flag=True, help="Allow a members-only meeting (the message goes to the network's own list).")
@click.pass_obj
def mail(
    ctx: Context, kind: str, ref: str, out_dir: Path, send_it: bool, sender: str | None, site_url: str | None, members: bool
) -> None:
    """Write the agenda, reminder or minutes email of the meeting REF (e.g. minutes/equity/2026-12-03) as an .eml file."""
    catalogue, problems = load_or_fail(ctx, members=members)
    if errors(problems):
        fail(f"the project has {len(errors(problems))} error(s), so nothing is mailed: run  kb check  and fix them first.")
    from kb.project import load_project

    every = load_project(ctx.project, members=True, preview=True)[0].entries
    entry = _entry(catalogue, every, ref, members)
    sender = (sender or os.environ.get("KB_MAIL_FROM", "")).strip()
    if not re.match(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$", sender):
        fail("the message needs a sender's address: pass --from ADDRESS or set KB_MAIL_FROM (a role address).")
    site_url = (site_url or configured_site_url(ctx.config_file)).strip()
    if not site_url.startswith(("http://", "https://")):
        fail("the email links to the site, so it needs the site's address: set site_url in mkdocs.yml or pass --site-url.")
    try:
        message = compose(kind, entry, catalogue, sender=sender, site_url=site_url, now=dt.datetime.now(dt.UTC))
    except MailError as exc:
        fail(str(exc))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{entry.ref.removeprefix('minutes/').replace('/', '-')}-{kind}.eml"
    target.write_bytes(message.as_bytes(policy=policy.SMTP))
    click.echo(f"Wrote {target}: {message['Subject']}")
    if not message["To"]:
        click.echo(
            "Note: the network has no mailing_list, so the message has no recipient; add  mailing_list: [list@example.org]  to its page."
        )
    if send_it:
        if not message["To"]:
            fail("nothing was sent: the network has no mailing_list to send to.")
        send(message, smtp_settings())
        click.echo(f"Sent to {message['To']}.")
    try:
        day = today()
    except TodayError:
        day = dt.date.today()
    click.echo(f"Once it has gone out, record it in {entry.path}:  {RECORD_FIELD[kind]}: {day.isoformat()}")
