"""Organisation names matched after the documented normalisation; the organisation × network map; attendance."""
from __future__ import annotations

import datetime as dt

import pytest

from kb.meetings import meetings_by_network
from kb.meeting_pages import meeting_pages
from kb.organisations import (NORMALISATION_RULES, academic_year_start, attendance_table, normalise_name,
                              organisation_of_attendee, organisations)

from .meetings_fixture import HOSTILE, MEMBERS_MARKER, write_meetings


@pytest.mark.parametrize("written, key", [
    ("Westbrook Academy", "westbrook academy"),
    ("  westbrook   ACADEMY. ", "westbrook academy"),
    ("Westbrook Academy (host)", "westbrook academy"),
    ("Data manager, Westbrook Academy (chair)", "westbrook academy"),
    ("Head, St. Mary's C.E. Primary", "st mary s c e primary"),
    ("The Hollies School", "hollies school"),
    ("Arts & Crafts Centre", "arts and crafts centre"),
    ("École Française", "ecole francaise"),
    ("Network convener", "network convener"),
])
def test_normalise_name(written, key):
    assert normalise_name(written) == key


def test_normalise_name_keeping_the_role_for_people_and_owners():
    assert normalise_name("Data manager, Westbrook Academy (host)", keep_role=True) == "data manager westbrook academy"
    assert normalise_name("network convener.", keep_role=True) == normalise_name("Network convener", keep_role=True)


@pytest.mark.parametrize("attendee, org", [
    ("SENCo, Canal Side Primary School.", "Canal Side Primary School."),
    ("Deputy head, Northgate Primary School (host)", "Northgate Primary School"),
    ("Network convener", None),
    ("Lead, ", None),
])
def test_organisation_of_attendee(attendee, org):
    assert organisation_of_attendee(attendee) == org


def test_rules_are_written_for_people():
    text = " ".join(NORMALISATION_RULES)
    for word in ("(chair)", "Role, Organisation", "Case", "punctuation"):
        assert word in text


def test_academic_year_start():
    assert academic_year_start(dt.date(2026, 11, 23)) == dt.date(2026, 9, 1)
    assert academic_year_start(dt.date(2027, 3, 1)) == dt.date(2026, 9, 1)
    assert academic_year_start(dt.date(2026, 8, 31)) == dt.date(2025, 9, 1)


@pytest.fixture
def cat(project):
    write_meetings(project)
    return project.catalogue()


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


def test_organisation_pages_list_meetings_and_escape_names(cat):
    pages = {p.src_uri: p for p in meeting_pages(cat)}
    index = pages["organisations/index.md"].render_html("organisations/")
    assert "Taking part in no network this year" in index and "Old Mill Nursery" in index
    assert "How names are matched" in index and "(chair)" in index
    hostile = [p for src, p in pages.items() if src.startswith("organisations/") and "quoted-org" in src]
    assert len(hostile) == 1
    html = hostile[0].render_html("organisations/quoted-org/")
    assert "<script>" not in html and "&#34;Quoted&#34; Org" in html
    westbrook = pages["organisations/westbrook-academy.md"].render_html("organisations/westbrook-academy/")
    assert 'href="../../minutes/equity/2026-09-10/"' in westbrook and 'href="../../networks/send/"' in westbrook
    assert HOSTILE not in index
