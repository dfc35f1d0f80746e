"""The organisation × network map and attendance (organisations.py), after the normalisation of names.py."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings.minutes import meetings_by_network
from kb.meetings.organisations import academic_year_start, attendance_table, organisations, slugify
from tests.meetings_fixture import MEMBERS_MARKER


def test_academic_year_start():
    assert academic_year_start(dt.date(2026, 11, 23)) == dt.date(2026, 9, 1)
    assert academic_year_start(dt.date(2027, 3, 1)) == dt.date(2026, 9, 1)
    assert academic_year_start(dt.date(2026, 8, 31)) == dt.date(2025, 9, 1)


def test_organisation_network_map(cat):
    orgs = organisations(cat)
    westbrook = orgs["westbrook-academy"]
    assert westbrook.name == "Westbrook Academy"
    assert set(westbrook.networks) == {"equity", "send"}  # attendance in both networks
    assert westbrook.networks_this_year == {"equity", "send"}
    assert westbrook.attended == ["minutes/send/2026-11-02", "minutes/equity/2026-09-10"]
    canal = orgs["canal-side-primary-school"]
    assert canal.apologies == ["minutes/equity/2026-09-10"] and canal.attended == []
    old = orgs["old-mill-nursery"]
    assert old.networks == {"send": 1} and old.networks_this_year == set()  # takes part in no network this year
    assert "network-convener" not in orgs  # a role without an organisation is not one
    assert not any(MEMBERS_MARKER.lower() in slug for slug in orgs)


def test_attendance_table_counts_attended_and_apologies(cat):
    rows = attendance_table(meetings_by_network(cat)["equity"])
    by_name = {r["name"]: r for r in rows}
    assert [m.ref for m in by_name["Data manager, Westbrook Academy"]["attended"]] == ["minutes/equity/2026-09-10"]
    assert len(by_name["SENCo, Canal Side Primary School."]["apologies"]) == 1
    assert "Deputy head, Northgate Primary School" in by_name  # "(host)" dropped, as written otherwise


@pytest.mark.parametrize("key, slug", [("westbrook academy", "westbrook-academy"), ("", "unnamed"), ("a", "a")])
def test_slugify(key, slug):
    assert slugify(key) == slug


# --- attendees written "Name (Organisation, role)", aliases, rates and the grid -----------------------


@pytest.fixture
def cycle_cat(project):
    from tests.cycle_fixture import write_cycle

    write_cycle(project)
    return project.catalogue()


def test_every_organisation_that_attended_has_its_meetings(cycle_cat):
    orgs = organisations(cycle_cat)
    assert {o.name: o.attended for o in orgs.values() if o.attended} == {
        "Westbrook Academy": ["minutes/send/2026-10-15", "minutes/equity/2026-09-17", "minutes/equity/2026-05-14"],
        # three spellings (St, St., Saint), one organisation, named as first met
        "St. Mary's C of E Primary School": ["minutes/send/2026-10-15", "minutes/equity/2026-09-17", "minutes/equity/2026-05-14"],
        "Eastfield High School": ["minutes/careers/2026-09-24", "minutes/equity/2026-09-17", "minutes/equity/2026-05-14"],
        "Partnership Office": ["minutes/equity/2026-09-17"],
        "Hillcrest Special School": ["minutes/send/2026-10-15"],
        "Riverside College": ["minutes/careers/2026-09-24"],
    }
    assert orgs["canal-side-primary-school"].apologies == ["minutes/equity/2026-05-14"]
    assert "network-convener" not in orgs and "amira-khan" not in orgs  # people and roles are not organisations


def test_each_organisation_page_lists_the_meetings_it_attended(cycle_cat):
    from kb.meetings.pages import meeting_pages

    pages = {p.src_uri: p for p in meeting_pages(cycle_cat)}
    for org in organisations(cycle_cat).values():
        html = pages[f"organisations/{org.slug}.md"].render_html(org.url)
        for ref in org.attended:
            assert f'href="../../{ref}/"' in html, (org.name, ref)
        if org.attended:
            assert "No attendance recorded" not in html


def test_rates_count_from_the_first_meeting_with_attendance_recorded(cycle_cat):
    orgs = organisations(cycle_cat)
    westbrook = orgs["westbrook-academy"].taking_part
    assert (westbrook["equity"].meetings, westbrook["equity"].attended, westbrook["equity"].rate) == (
        2,
        2,
        100,
    )  # not the July one
    assert (westbrook["careers"].attended, westbrook["careers"].apologies, westbrook["careers"].rate) == (0, 1, 0)
    office = orgs["partnership-office"].taking_part["equity"]
    assert (office.since, office.meetings, office.attended) == (dt.date(2026, 9, 17), 1, 1)  # only since it first came
    canal = orgs["canal-side-primary-school"].taking_part["equity"]
    assert (canal.meetings, canal.attended, canal.apologies, canal.rate) == (2, 0, 1, 0)


def test_the_grid_has_a_column_per_network_taking_part_and_a_cell_per_organisation(cycle_cat):
    from kb.meetings.pages import meeting_pages

    html = next(p for p in meeting_pages(cycle_cat) if p.src_uri == "organisations/index.md").render_html("organisations/")
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert [h for h in ("Careers", "Equity", "SEND") if h in head] == ["Careers", "Equity", "SEND"]
    row = html.split('href="westbrook-academy/"')[1].split("</tr>")[0]
    assert '<td data-label="Equity"><b class="kb-rate kb-rate--high">2 of 2</b> (100%)</td>' in row
    assert '<td data-label="Careers"><b class="kb-rate kb-rate--low">0 of 1</b> (0%)</td>' in row
    office = html.split('href="partnership-office/"')[1].split("</tr>")[0]
    assert office.count('class="kb-orggrid__none"') == 2  # no meetings of two networks: empty cells, hidden on a phone
    assert "canal-side-primary-school" not in html.split("<tbody>")[1].split("</tbody>")[0]  # no network this year
