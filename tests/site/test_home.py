"""The home page (home.py): what is new and upcoming meetings, from the catalogue and today."""

from __future__ import annotations

import datetime as dt

from kb.site.home import NEW_COUNT, UPCOMING_COUNT, home_pages, upcoming_meetings, whats_new
from tests.factories import TODAY, catalogue, entry


def test_home_lists_new_and_upcoming_from_today(cat):
    assert [e.ref for e in upcoming_meetings(cat)] == ["minutes/equity/2026-12-03", "minutes/equity/2027-01-14"]
    new = [e.ref for e in whats_new(cat)]
    assert new[0] == "minutes/equity/2026-10-08" and "minutes/equity/2026-12-03" not in new
    assert not any(r.startswith("networks/") for r in new)


def dated(ref, day: dt.date, **kw):
    return entry(ref, date=day.isoformat(), **kw)


def test_whats_new_is_the_newest_dated_entries_up_to_today():
    days = [TODAY + dt.timedelta(days=d) for d in (2, 1, 0, -1, -2, -3, -4, -5, -6, -7)]
    minutes = [dated(f"minutes/equity/{d.isoformat()}", d) for d in days]
    undated = entry("case-studies/undated", date=None)
    cat = catalogue([*minutes, undated, entry("networks/equity", date=None, networks=())])
    new = whats_new(cat)
    assert [e.date for e in new] == days[2 : 2 + NEW_COUNT]  # today first, nothing still to come, NEW_COUNT at most
    assert all(e.type != "network" and e.ref != "case-studies/undated" for e in whats_new(cat, count=100))
    assert len(whats_new(cat, count=100)) == 8 and [e.date for e in whats_new(cat, count=2)] == days[2:4]


def test_whats_new_skips_network_entries_whatever_their_date():
    network = entry("networks/equity", date="2026-11-20", networks=())
    case = entry("case-studies/a", date="2026-01-01")
    assert [e.ref for e in whats_new(catalogue([network, case]))] == ["case-studies/a"]


def test_upcoming_meetings_soonest_first_from_today_at_most_five():
    days = [TODAY + dt.timedelta(days=d) for d in (-1, 0, 9, 3, 30, 3, 60, 90)]
    meetings = [dated(f"minutes/{'equity' if i % 2 else 'send'}/{d.isoformat()}-{i}", d) for i, d in enumerate(days)]
    meetings[3].meta["title"], meetings[5].meta["title"] = "B meeting", "A meeting"  # the same day: by title
    future_case = dated("case-studies/future", TODAY + dt.timedelta(days=1))
    cat = catalogue([*meetings, future_case])
    upcoming = upcoming_meetings(cat)
    assert [e.date for e in upcoming] == sorted(d for d in days if d >= TODAY)[:UPCOMING_COUNT] and UPCOMING_COUNT == 5
    assert [e.title for e in upcoming[1:3]] == ["A meeting", "B meeting"]
    assert all(e.type == "minutes" for e in upcoming_meetings(cat, count=100))  # a future case study is no meeting
    assert len(upcoming_meetings(cat, count=100)) == 7


def test_home_page_replaces_the_index_and_shows_only_what_is_visible(cat):
    (page,) = home_pages(cat)
    assert (page.src_uri, page.title) == ("index.md", "Home")
    assert page.meta == {"nav": True}  # full width as every generated page (site/plan.py)
    html = page.render_html("")
    assert 'href="minutes/equity/2026-12-03/"' in html and 'href="case-studies/a/"' in html
    assert "zanzibarquill" not in html.lower() and "quokkamembers" not in html.lower()
