"""The meetings feature's pages, files and entry-page context, registered in site/plan.py.

Thin: each function asks minutes.py, arising.py, schedule.py, organisations.py or cycle.py for plain
data and hands it to a template. Pages: meetings/, actions/ (+ actions/actions.csv and its JSON rows),
organisations/ and organisations/<slug>/, and in the members' build convenor/ and convenor/<network>/;
context: minutes pages and network hubs. The calendars are feeds/calendar.py's.
"""

from __future__ import annotations

import csv
import io
import logging
from itertools import groupby
from typing import Any

from kb.content.catalogue import Catalogue, Entry
from kb.content.urls import entry_url, network_ref
from kb.meetings.arising import action_by_key, all_actions, matters_arising, open_actions_by_network
from kb.meetings.cycle import network_cycle, shows_convenor_pages
from kb.meetings.minutes import (
    STATUS_LABELS,
    Action,
    group_actions,
    is_held,
    meeting_network,
    meeting_state,
    meetings_by_network_cached,
    meetings_per_term,
    previous_meeting,
)
from kb.meetings.names import NORMALISATION_RULES
from kb.meetings.organisations import academic_year_start, attendance_table, grid_networks, organisations
from kb.meetings.papers import approval, papers_of
from kb.meetings.schedule import changes_ahead, latest_held, next_meeting, planned_of, this_week, upcoming
from kb.meetings.tracker import PAGE_ROWS, ordered, tracker_json_files
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render

log = logging.getLogger("mkdocs.plugins.kb")
CSV_HEADER = ("Network", "Meeting", "Action", "Owner", "Due", "Status", "Days overdue", "Agreed at")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HUB_ATTENDANCE_ROWS = 20  # a hub page stays small however many people a network has minuted
GRID_ROWS = 30  # organisations in the grid (a row is a cell per network); the rest are listed by name, so the page stays small


def safe_cell(value: object) -> str:
    """A spreadsheet cannot run a cell as a formula: text starting = + - @ (or tab/CR) gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def network_titles(catalogue: Catalogue) -> dict[str, str]:
    return {n: e.title for n, e in catalogue.networks.items()}


def csv_row(action: Action, titles: dict[str, str], base: str = "") -> list[str]:
    """One tracker row as CSV cells; the page's data attributes carry the same values. "Agreed at" is the meeting's
    full address (site_url + its path), which opens from a spreadsheet; without a site_url it is left empty."""
    return [
        titles.get(action.network, action.network),
        action.meeting_date.isoformat(),
        action.action,
        action.owner,
        action.due.isoformat() if action.due else "",
        STATUS_LABELS.get(action.status, action.status),
        str(action.days_overdue) if action.overdue else "",
        f"{base}{action.meeting_url}#{action.anchor}" if base else "",
    ]


def actions_csv(actions: list[Action], titles: dict[str, str], base: str = "") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for a in actions:
        writer.writerow([safe_cell(c) for c in csv_row(a, titles, base)])
    return buffer.getvalue()


def tracker_files(catalogue: Catalogue) -> dict[str, str]:
    """actions/actions.csv: the open actions, the rows the tracker shows before any filter; and its JSON rows."""
    titles = network_titles(catalogue)
    actions = all_actions(catalogue)
    grouped = group_actions(actions, "network", titles)  # the page's default view, in its order
    rows = [a for g in grouped for a in g["actions"] if a.status == "open"]
    base = catalogue.site_url.rstrip("/") + "/" if catalogue.site_url else ""
    if not base:
        log.warning(
            "The actions CSV's 'Agreed at' column is left empty: set site_url in mkdocs.yml "
            "(for example site_url: https://learning.example.org/) so it holds each meeting's address."
        )
    return {
        "actions/actions.csv": actions_csv(rows, titles, base),
        **tracker_json_files(actions, titles, lambda a: csv_row(a, titles, base)),
    }


def first_open_groups(actions: list[Action], titles: dict[str, str]) -> tuple[list[dict], int]:
    """The first PAGE_ROWS open actions in the tracker's order, grouped by network; and how many are open."""
    open_rows = [a for a in ordered(actions, titles)[0] if a.status == "open"]
    groups = [
        {"key": key, "label": titles.get(key, key), "actions": list(rows)}
        for key, rows in groupby(open_rows[:PAGE_ROWS], key=lambda a: a.network)
    ]
    return groups, len(open_rows)


def meeting_files(catalogue: Catalogue) -> dict[str, str | bytes]:
    """FILE_GENERATORS entry: the tracker's CSV and JSON rows (calendars are feeds/calendar.py's)."""
    return dict(tracker_files(catalogue))


def _page(
    src: str, title: str, description: str, template: str, catalogue: Catalogue, nav: bool = False, shows=None, **ctx
) -> VirtualPage:
    def html(page_url: str) -> str:
        return render(template, cat=catalogue, url=lambda target: relative_url(page_url, target), **ctx)

    return VirtualPage(src, title, description, render_html=html, meta={"nav": True} if nav else {}, shows=shows)


def meeting_pages(catalogue: Catalogue) -> list[VirtualPage]:
    """GENERATORS entry: meetings/, actions/, organisations/, one page per organisation (and the convenor's pages)."""
    titles = network_titles(catalogue)
    actions = all_actions(catalogue)
    orgs = organisations(catalogue)
    networks_with_meetings = [n for n in titles if n in meetings_by_network_cached(catalogue)]
    reach = by_reach(orgs.values())
    grid = [o for o in reach if o.taking_part][
        :GRID_ROWS
    ]  # the organisations in the most networks this year that attend meetings
    pages = [
        _page(
            "meetings/index.md",
            "Meetings",
            "This week's meetings and actions, upcoming meetings across the partnership, and calendar feeds to subscribe to.",
            "meetings/upcoming.html",
            catalogue,
            nav=True,
            upcoming=upcoming(catalogue),
            week=this_week(catalogue),
            titles=titles,
            networks_with_meetings=networks_with_meetings,
            convenor=shows_convenor_pages(catalogue),
        ),
        _page(
            "actions/index.md",
            "Actions",
            "Every open action agreed at network meetings, overdue first.",
            "meetings/tracker.html",
            catalogue,
            nav=True,
            titles=titles,
            labels=STATUS_LABELS,
            first=first_open_groups(actions, titles),
            overdue=sum(a.overdue for a in actions),
            networks_with_actions=sorted({a.network for a in actions}),
            titles_links={
                n: {"title": t, "href": relative_url("actions/", entry_url(network_ref(n)))} for n, t in titles.items()
            },
            header=CSV_HEADER,
        ),
        _page(
            "organisations/index.md",
            "Organisations",
            "Which organisations take part in which networks, and how often.",
            "meetings/organisations.html",
            catalogue,
            orgs=list(orgs.values()),
            titles=titles,
            by_reach=reach,
            grid=grid,
            columns=grid_networks(grid, catalogue),
            rest=sorted((o for o in reach if o not in grid), key=lambda o: o.name.casefold()),
            rules=NORMALISATION_RULES,
            year_start=academic_year_start(catalogue.today),
        ),
    ]
    for org in orgs.values():
        context: dict[str, Any] = {
            "org": org,
            "titles": titles,
            "named": _by_type(org.entries, catalogue),
            "taking_part": sorted(org.taking_part.values(), key=lambda t: (-t.attended, titles.get(t.network, t.network))),
        }
        pages.append(
            _page(
                f"organisations/{org.slug}.md",
                org.name,
                f"Meetings, case studies and register entries of {org.name}.",
                "meetings/organisation.html",
                catalogue,
                shows=_organisation_shows(context, catalogue),
                **context,
            )
        )
    return pages + convenor_pages(catalogue)


def _organisation_shows(context: dict, catalogue: Catalogue):
    """What an organisation's page shows (VirtualPage.shows): its template context and the entries it lists (their
    titles, dates and addresses), so a title edit elsewhere does not render 200 organisation pages to compare them."""
    org = context["org"]
    return lambda: (context, [catalogue.entries[ref] for ref in (*org.attended, *org.apologies, *org.entries)])


def convenor_pages(catalogue: Catalogue) -> list[VirtualPage]:
    """convenor/ and convenor/<network>/: the cycle at a glance (members' build and preview only, see cycle.py)."""
    if not shows_convenor_pages(catalogue):
        return []
    cycles = [network_cycle(n, catalogue) for n in catalogue.networks]
    pages = [
        _page(
            "convenor/index.md",
            "Convenors",
            "Each network's convenor's cycle at a glance: the next meeting, the last one and what is late.",
            "meetings/convenors.html",
            catalogue,
            cycles=cycles,
        )
    ]
    for c in cycles:
        pages.append(
            _page(
                f"convenor/{c.network}.md",
                f"Convenor's cycle: {c.title}",
                f"The {c.title} network's next and last meetings, step by step, with what is late.",
                "meetings/convenor.html",
                catalogue,
                cycle=c,
            )
        )
    return pages


def by_reach(orgs) -> list:
    """Organisations taking part this year, in the most networks first: the organisations page's table order."""
    return sorted((o for o in orgs if o.networks_this_year), key=lambda o: (-len(o.networks_this_year), o.name.casefold()))


def _by_type(refs: list[str], catalogue: Catalogue) -> dict[str, list[str]]:
    """An organisation's entries split into case studies, register entries and the rest."""
    out: dict[str, list[str]] = {"case-study": [], "register-entry": [], "other": []}
    for ref in refs:
        kind = catalogue.entries[ref].type
        out[kind if kind in out else "other"].append(ref)
    return out


def meeting_context(entry: Entry, catalogue: Catalogue) -> dict:
    """ENTRY_CONTEXT entry: what minutes pages and network hubs show about meetings."""
    if entry.type == "minutes":
        state = meeting_state(entry, catalogue.today)
        current = action_by_key(catalogue)
        return {
            "minutes": {
                "state": state,
                "scheduled": state == "scheduled",
                "planned": planned_of(entry, catalogue),
                "actions": [
                    current[f"{entry.ref}#action-{i + 1}"]
                    for i in range(len(entry.meta.get("actions") or []))
                    if f"{entry.ref}#action-{i + 1}" in current
                ],
                "matters": matters_arising(entry, catalogue),
                "previous": previous_meeting(entry, catalogue),
                "papers": papers_of(entry),
                "approval": approval(entry, catalogue),
                "draft": state == "held" and approval(entry, catalogue) is None,
                "labels": STATUS_LABELS,
                "network": meeting_network(entry),
            }
        }
    if entry.type == "network":
        meetings = meetings_by_network_cached(catalogue).get(entry.slug, [])
        latest = latest_held(entry.slug, catalogue)
        minuted = [m for m in meetings if is_held(m, catalogue.today)]
        attendance = attendance_table(minuted)  # most frequent first; the hub shows the top rows only
        open_here = open_actions_by_network(catalogue).get(entry.slug, [])
        return {
            "network_meetings": {
                "next": next_meeting(entry.slug, catalogue),
                "changes": changes_ahead(entry.slug, catalogue),
                "latest": latest,
                "latest_draft": latest is not None and approval(latest, catalogue) is None,
                "count": len(meetings),
                "open_actions": len(open_here),
                "overdue": sum(a.overdue for a in open_here),
                "attendance": attendance[:HUB_ATTENDANCE_ROWS],
                "attendance_rest": max(len(attendance) - HUB_ATTENDANCE_ROWS, 0),
                "minuted": len(minuted),
                "terms": meetings_per_term(meetings, catalogue.terms),
                "convenor": shows_convenor_pages(catalogue),
            }
        }
    return {}
