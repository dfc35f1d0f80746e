"""The home page, generated from the catalogue: search, this week's meetings and actions, what is new,
upcoming meetings, the networks and short routes for each kind of reader (so it is never out of date)."""

from __future__ import annotations

from kb.content.catalogue import Catalogue, Entry
from kb.meetings.schedule import this_week
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render

NEW_COUNT = 6
UPCOMING_COUNT = 5


def whats_new(cat: Catalogue, count: int = NEW_COUNT) -> list[Entry]:
    """The newest entries already dated (future meetings are 'upcoming', not new), networks aside."""
    found = []
    for entry in cat.entries.values():  # newest first
        if entry.type != "network" and entry.date and entry.date <= cat.today:
            found.append(entry)
            if len(found) == count:
                break
    return found


def upcoming_meetings(cat: Catalogue, count: int = UPCOMING_COUNT) -> list[Entry]:
    """Meetings on or after today, soonest first."""
    coming = [e for e in cat.of_type("minutes") if e.date and e.date >= cat.today]
    return sorted(coming, key=lambda e: (e.date, e.title))[:count]


def home_pages(cat: Catalogue) -> list[VirtualPage]:
    """The home page replaces content/index.md."""

    def render_page(url: str) -> str:
        return render(
            "home.html",
            cat=cat,
            new=whats_new(cat),
            upcoming=upcoming_meetings(cat),
            week=this_week(cat),
            titles={n: e.title for n, e in cat.networks.items()},
            networks=list(cat.networks.values()),
            url=lambda target: relative_url(url, target),
        )

    return [
        VirtualPage(
            "index.md",
            "Home",
            "What the City Learning Alliance's networks have learned: case studies, meetings, research and good practice.",
            meta={"nav": True},
            render_html=render_page,
        )
    ]
