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
