"""The action tracker's rows as JSON files (tracker.py): order, one row's fields, open.json and rows/<network>.json."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kb.meetings import arising as A
from kb.meetings import minutes as M
from kb.meetings.minutes import Action
from kb.meetings.pages import network_titles
from kb.meetings.tracker import ordered, row, tracker_json_files
from tests.meetings_fixture import DRAFT_MARKER, HOSTILE, MEMBERS_MARKER


def action(
    network="equity",
    owner="Network convener",
    status="open",
    due: dt.date | None = dt.date(2026, 10, 1),
    days_overdue=0,
    index=0,
    text="Send data",
    meeting="2026-09-10",
) -> Action:
    return Action(
        f"minutes/{network}/{meeting}", network, dt.date.fromisoformat(meeting), index, text, owner, due, status, days_overdue
    )


def test_ordered_is_the_network_view_with_each_rows_place_in_the_owner_view(cat):
    titles = network_titles(cat)
    actions = A.all_actions(cat)
    in_order, owner_rank = ordered(actions, titles)
    assert in_order == [a for g in M.group_actions(actions, "network", titles) for a in g["actions"]]
    by_owner = [a for g in M.group_actions(actions, "owner", titles) for a in g["actions"]]
    assert owner_rank == {a.key: i for i, a in enumerate(by_owner)}
    assert sorted(owner_rank.values()) == list(range(len(actions)))  # every action ranked once
    assert [a.network for a in in_order] == ["equity"] * 6 + ["send"]  # equity has the most overdue


def test_ordered_puts_groups_with_overdue_first_then_overdue_rows_first():
    quiet = action("arts", owner="Head, Arts School", days_overdue=0, due=dt.date(2026, 12, 1))
    late = action("zoo", owner="Keeper, Zoo School", days_overdue=5, index=0)
    later = action("zoo", owner="Keeper, Zoo School", days_overdue=9, due=dt.date(2026, 9, 1), index=1)
    done = action("zoo", owner="Arts lead, Zoo School", status="done", index=2)
    in_order, owner_rank = ordered([quiet, done, late, later], {"arts": "Arts", "zoo": "Zoo"})
    assert in_order == [later, late, done, quiet]  # the network with overdue actions first, earliest due first
    assert owner_rank == {later.key: 0, late.key: 1, done.key: 2, quiet.key: 3}  # owners: overdue first, then by name


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, {"status": "open", "statusText": "Open", "due": "2026-10-01", "dueText": "1 October 2026", "overdue": 53}),
        ({"due": None, "days_overdue": 0}, {"due": "", "dueText": "", "overdue": 0}),
        ({"status": "dropped", "days_overdue": 0}, {"status": "dropped", "statusText": "Dropped", "overdue": 0}),
        ({"status": "parked", "days_overdue": 0}, {"statusText": "parked"}),  # an unknown status shown as written
    ],
)
def test_row_holds_filter_keys_display_text_link_and_csv(changes, expected):
    a = action(**{"owner": "Data manager, Westbrook Academy (host)", "days_overdue": 53, **changes})
    r = row(a, 3, 7, ["cell", "=1"])
    base = {
        "key": "minutes/equity/2026-09-10#action-1",
        "network": "equity",
        "owner": "Data manager, Westbrook Academy (host)",
        "ownerKey": "data manager westbrook academy",  # grouped like the page: role kept, note dropped
        "action": "Send data",
        "href": "../minutes/equity/2026-09-10/#action-1",  # relative to actions/
        "meetingText": "10 September 2026",
        "rank": 3,
        "ownerRank": 7,
        "csv": ["cell", "=1"],  # passed through as given
    }
    assert r == r | base | expected
    assert set(r) == set(base) | {"status", "statusText", "due", "dueText", "overdue"}


def test_json_files_hold_open_rows_and_every_row_per_network(cat):
    titles = network_titles(cat)
    actions = A.all_actions(cat)
    files = tracker_json_files(actions, titles, lambda a: [a.network, a.action])
    assert set(files) == {"actions/open.json", "actions/rows/equity.json", "actions/rows/send.json"}
    open_rows = json.loads(files["actions/open.json"])
    assert [r["key"] for r in open_rows] == [a.key for a in ordered(actions, titles)[0] if a.status == "open"]
    assert {r["status"] for r in open_rows} == {"open"} and len(open_rows) == len(A.open_actions(cat))
    equity = json.loads(files["actions/rows/equity.json"])
    assert {r["network"] for r in equity} == {"equity"}
    assert {r["status"] for r in equity} == {"open", "done", "dropped"}  # a network's file holds every status
    send = json.loads(files["actions/rows/send.json"])
    assert [r["rank"] for r in equity + send] == list(range(len(actions)))  # one rank per row, in the tracker's order
    assert send[0]["csv"] == ["send", "Send the checklist"]  # cells from the csv_row given
    assert any(HOSTILE in r["action"] for r in equity)  # kept exact in the data; the script writes it as text
    text = "".join(files.values())
    assert MEMBERS_MARKER not in text and DRAFT_MARKER not in text


def test_json_files_keep_text_unescaped_and_with_no_actions_hold_an_empty_list():
    files = tracker_json_files([action(text="Café visit, ‘soon’")], {}, lambda a: [a.action])
    assert "Café visit, ‘soon’" in files["actions/open.json"]  # not \u-escaped: the files stay small
    assert json.loads(files["actions/rows/equity.json"])[0]["csv"] == ["Café visit, ‘soon’"]
    assert tracker_json_files([], {}, lambda a: []) == {"actions/open.json": "[]"}
