"""`kb new TYPE`: the shortest path from "I have something to share" to a valid draft file.

Asks only what it cannot know (title, network, meeting date or month, in that order) and nothing
when the title and network are given; offers the project's own networks as choices; writes the template from `content/drafts.py` and never overwrites a file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kb.building.address import preview_url
from kb.cli.common import kb_command
from kb.content.dates import TodayError, today
from kb.content.drafts import NewEntry, default_title, slugify, template_text
from kb.content.model import DATE_RE, ENTRY_TYPES, MONTH_RE, SLUG_RE
from kb.content.problems import choice_hint


def project_networks(project: Path) -> dict[str, str]:
    """Network id -> its title as written on the file's title line (for prompts only)."""
    found = {}
    for path in sorted((project / ENTRY_TYPES["network"].folder).glob("*.md")):
        title = path.stem
        for line in path.read_text(encoding="utf-8-sig", errors="replace").split("\n")[1:20]:
            if line.startswith("title:"):
                title = line.split(":", 1)[1].strip().strip("\"'") or path.stem
                break
        found[path.stem] = title
    return found


def project_tags(project: Path) -> tuple[str, ...]:
    from kb.content.tags import load_tags

    return tuple(load_tags(project)[0])


def _parse_date(value: str) -> dt.date:
    value = value.strip()
    if not DATE_RE.match(value):
        raise click.BadParameter(f"'{value}' is not a date: dates are written 2026-03-12 (year-month-day).")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a real calendar date; check the month and day.") from None


def _parse_month(value: str) -> str:
    value = value.strip()
    if not MONTH_RE.match(value):
        raise click.BadParameter(f"'{value}' is not a month: months are written 2026-03 (year-month).")
    return value


@click.command("new")
@click.argument("entry_type", metavar="TYPE", type=click.Choice(list(ENTRY_TYPES)))
@click.option("--title", help="The entry's title (asked for if left out).")
@click.option("--network", help="Id of the network it belongs to, e.g. equity (a file name in content/networks/).")
@click.option("--date", "day", help="For minutes: the meeting date, YYYY-MM-DD (default: today).")
@click.option("--month", help="For research: the month of the reading, YYYY-MM (default: this month).")
@click.pass_obj
def new(ctx, entry_type: str, title: str | None, network: str | None, day: str | None, month: str | None) -> None:
    """Start a new entry of TYPE as a draft from its template (never overwrites a file)."""
    project: Path = ctx.project
    if not (project / "content").is_dir():
        raise click.ClickException(
            f"{project} has no content/ folder. Run kb inside the project, or point at it with kb --project DIR."
        )
    try:
        now = today()
    except TodayError as exc:
        raise click.ClickException(str(exc)) from None
    networks = project_networks(project)
    if entry_type != "network" and network is not None and network not in networks:
        raise click.ClickException(f"'{network}' is not a network of this project. Fix: {choice_hint(network, list(networks))}")
    try:
        meeting_day = _parse_date(day) if day else None
        research_month = _parse_month(month) if month else None
    except click.BadParameter as exc:
        raise click.ClickException(exc.message) from None
    # Asked in the order a person thinks of them: title, network, then the date. With the title and the
    # network given, nothing is asked (the date and month default to today), so kb new runs unattended.
    asking = title is None or (entry_type != "network" and network is None)
    if entry_type != "network" and network is None and not networks:
        raise click.ClickException("There are no networks yet: create one first with kb new network.")
    try:
        if title is None:
            usual = entry_type == "minutes"  # minutes have a usual title, known once the network and date are
            title = click.prompt(
                "Title" + (" (Enter: '<network> meeting, <date>')" if usual else ""),
                default="" if usual else None,
                show_default=False,
            )
        if entry_type != "network" and network is None:
            network = click.prompt("Network", type=click.Choice(list(networks)), show_choices=True)
        if entry_type == "minutes" and meeting_day is None and asking:
            meeting_day = click.prompt("Meeting date (YYYY-MM-DD)", default=now.isoformat(), value_proc=_parse_date)
        if entry_type == "research" and research_month is None and asking:
            research_month = click.prompt(
                "Month of the reading (YYYY-MM)", default=now.strftime("%Y-%m"), value_proc=_parse_month
            )
    except click.Abort:
        raise click.ClickException(_unattended_hint(entry_type)) from None
    research_month = research_month or (now.strftime("%Y-%m") if entry_type == "research" else None)
    entry_day = meeting_day or now
    title = title.strip() or default_title(entry_type, networks.get(network or ""), entry_day) or ""
    title = " ".join(title.split())
    if not title or not slugify(title).strip("-") or len(title) > 120:
        raise click.ClickException("The title must be 1 to 120 characters with at least one letter or digit.")
    if entry_type == "network" and not SLUG_RE.match(slugify(title)):
        raise click.ClickException("The network's name must contain letters or digits.")
    entry = NewEntry(entry_type, title, None if entry_type == "network" else network, entry_day, research_month)
    target = project / entry.path
    if target.exists():
        raise click.ClickException(
            f"{entry.path} already exists, and kb new never overwrites a file. "
            "Open that file to edit it, or choose a different title."
        )
    if entry_type != "minutes":
        from kb.content.loader import discover

        clash = [rel for rel, et in discover(project)[0] if et.name != "minutes" and Path(rel).stem == entry.stem]
        if clash:
            raise click.ClickException(
                f"{clash[0]} already uses the name '{entry.stem}', so [[{entry.stem}]] links would be ambiguous. "
                "Choose a more specific title."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    prefilled = None
    if entry_type == "minutes":
        assert network is not None  # every type but network has one by now: given and checked, or asked for above
        prefilled = _from_last_meeting(project, network, entry_day)
    target.write_text(template_text(entry, tags=project_tags(project), prefilled=prefilled), encoding="utf-8")
    kb = kb_command()
    base, running = preview_url(project)
    click.echo(f"Wrote {entry.path} (status: draft).")
    click.echo(f"Preview: {base}{entry.url}" + ("" if running else f"  (start the preview first: {kb} serve)"))
    click.echo(f"Next: replace each 'Write here: …' line, then run  {kb} check {entry.path}")


def _unattended_hint(entry_type: str) -> str:
    example = f'kb new {entry_type} --title "Reading aloud"' + (" --network equity" if entry_type != "network" else "")
    return f"Stopped before writing anything. To run kb new without questions, give the title and network: {example}"


def _from_last_meeting(project: Path, network: str, day) -> dict | None:
    """Agenda (matters arising) and attendees carried from the network's previous meeting, if the project checks."""
    from kb.meetings.arising import prefill_minutes
    from kb.project import load_project

    catalogue, _ = load_project(project, members=True)
    prefilled = prefill_minutes(catalogue, network, day)
    carried = prefilled["attendees"] or any(item.startswith("Matters arising:") for item in prefilled["agenda"])
    return prefilled if carried else None  # a first meeting keeps the plain template
