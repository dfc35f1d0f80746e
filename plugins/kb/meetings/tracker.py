"""The action tracker's rows as JSON files, so the tracker page itself stays small at any size.

The page renders only the first open actions; the script fetches `actions/open.json` (every open
action) or `actions/rows/<network>.json` (every action of one network) to filter, show and export.
Rows carry their CSV cells, so the filtered download holds exactly the filtered rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kb.meetings.minutes import OPEN, STATUS_LABELS, Action, group_actions
from kb.meetings.names import normalise_name
from kb.pages.page import relative_url

PAGE_URL = "actions/"
PAGE_ROWS = 50  # open actions rendered into the page itself (overdue first, about 1 KB each); the rest come from JSON


def ordered(actions: list[Action], titles: dict[str, str]) -> tuple[list[Action], dict[str, int]]:
    """Actions in the tracker's network order, and each action's position in the owner order."""
    by_network = [a for g in group_actions(actions, "network", titles) for a in g["actions"]]
    owner_rank = {a.key: i for i, a in enumerate(a for g in group_actions(actions, "owner", titles) for a in g["actions"])}
    return by_network, owner_rank


def row(action: Action, rank: int, owner_rank: int, csv_cells: list[str]) -> dict:
    """One action as the script needs it: filter keys, display text, link and CSV cells."""
    return {
        "key": action.key,
        "network": action.network,
        "owner": action.owner,
        "ownerKey": normalise_name(action.owner, keep_role=True),
        "status": action.status,
        "overdue": action.days_overdue,
        "action": action.action,
        "due": action.due.isoformat() if action.due else "",
        "dueText": action.due.strftime("%-d %B %Y") if action.due else "",
        "statusText": STATUS_LABELS.get(action.status, action.status),
        "href": relative_url(PAGE_URL, action.meeting_url) + "#" + action.anchor,
        "meetingText": action.meeting_date.strftime("%-d %B %Y"),
        "rank": rank,
        "ownerRank": owner_rank,
        "csv": csv_cells,
    }


def tracker_json_files(actions: list[Action], titles: dict[str, str], csv_row: Callable[[Action], list[str]]) -> dict[str, str]:
    """actions/open.json and actions/rows/<network>.json, each a list of rows in the tracker's order."""
    in_order, owner_rank = ordered(actions, titles)
    rows = [(a, row(a, i, owner_rank[a.key], csv_row(a))) for i, a in enumerate(in_order)]
    files = {"actions/open.json": json.dumps([r for a, r in rows if a.status == OPEN], ensure_ascii=False)}
    per_network: dict[str, list[dict]] = {}
    for a, r in rows:
        per_network.setdefault(a.network, []).append(r)
    for network, network_rows in per_network.items():
        files[f"actions/rows/{network}.json"] = json.dumps(network_rows, ensure_ascii=False)
    return files
