"""Small made-up entries and catalogues for tests that need no files: one place for each shape."""

from __future__ import annotations

import datetime as dt
import itertools

from kb.content.catalogue import Entry, build_catalogue


def case(**changes) -> str:
    fields = {
        "title": "Coaching in Year 7",
        "summary": "How coaching settled Year 7.",
        "date": "2026-03-12",
        "networks": "[equity]",
        "tags": "[coaching]",
        "status": "published",
        "approach": "enquiring",
    }
    fields.update(changes)
    lines = [f"{k}: {v}" for k, v in fields.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\nWe coached every new pupil.\n"


TODAY = dt.date(2026, 11, 23)
TAGS = {t: {"id": t, "label": t.title(), "description": "", "synonyms": []} for t in ("coaching", "attendance", "oracy", "send")}


def entry(
    ref: str,
    date: str | None = "2026-03-01",
    networks=("equity",),
    tags=(),
    links=(),
    status="published",
    visibility="public",
    etype: str | None = None,
) -> Entry:
    etype = (
        etype
        or {
            "case-studies": "case-study",
            "networks": "network",
            "register": "register-entry",
            "research": "research",
            "minutes": "minutes",
            "summaries": "learning-summary",
        }[ref.split("/")[0]]
    )
    meta = {
        "title": ref.rsplit("/", 1)[-1].replace("-", " ").title(),
        "summary": "S.",
        "status": status,
        "visibility": visibility,
        "networks": list(networks),
        "tags": list(tags),
    }
    if date:
        meta["date"] = dt.date.fromisoformat(date)
    return Entry(ref, etype, ref + ".md", meta, "", links=list(links))


def catalogue(entries, members=False):
    return build_catalogue(entries, TAGS, members=members, today=TODAY)


SEGMENTS = ["", "a", "b", "minutes", "x.md", ".", ".."]


def paths(segments: list[str] = SEGMENTS) -> list[str]:
    """Every path of up to three segments, relative, with a trailing slash and absolute."""
    found = {""}
    for depth in (1, 2, 3):
        for parts in itertools.product(segments, repeat=depth):
            path = "/".join(parts)
            found.update({path, path + "/", "/" + path})
    return sorted(found)


# A valid good-practice register entry (register/<slug>.md).
REGISTER = """---
title: Peer coaching
summary: Coaching offer.
date: 2026-03-20
networks: [equity]
status: published
area: Peer coaching
offered_by: {organisation: Northgate Primary School}
---
Offer.
"""
