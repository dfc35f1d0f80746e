"""What an entry page shows beyond its front matter: review age, a checked citation, a summary's
sources and a network hub's contents, worked out in Python so templates only lay them out."""

from __future__ import annotations

import datetime as dt
import re

from kb.content.catalogue import Catalogue, Entry
from kb.content.urls import listing_url
from kb.content.validate import DOI_RE, URL_RE

EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
HUB_SECTIONS = (  # (type, heading, how many cards a hub shows before linking to the listing)
    ("case-study", "Case studies", 6),
    ("register-entry", "Good practice", 6),
    ("research", "Research of the month", 4),
    ("learning-summary", "Learning summaries", 4),
)


def age_in_words(since: dt.date, today: dt.date) -> str:
    """'1 year and 2 months', '3 months', 'less than a month': how long ago, for people."""
    months = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    years, months = divmod(max(months, 0), 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " and ".join(parts) or "less than a month"


def review_status(reviewed: dt.date | None, today: dt.date) -> dict:
    """Whether a register entry is overdue for review (not reviewed for over a year), in words."""
    if reviewed is None:
        return {"overdue": True, "words": "Never reviewed: ask the network convenor to check it is still offered."}
    try:
        year_later = reviewed.replace(year=reviewed.year + 1)
    except ValueError:  # 29 February
        year_later = reviewed.replace(year=reviewed.year + 1, day=28)
    if today > year_later:
        return {"overdue": True, "words": f"Not reviewed for {age_in_words(reviewed, today)}: it may be out of date."}
    return {
        "overdue": False,
        "words": f"Reviewed {age_in_words(reviewed, today)} ago." if reviewed < today else "Reviewed today.",
    }


def month_words(month: str | None) -> str:
    """'2026-03' as 'March 2026'."""
    try:
        return dt.datetime.strptime(str(month), "%Y-%m").strftime("%B %Y")
    except ValueError:
        return str(month or "")


def citation(reading: dict) -> dict:
    """A reading's citation parts, with DOI and URL links only when they are well formed."""
    authors = [str(a) for a in reading.get("authors", [])]
    if len(authors) > 1:
        author_text = ", ".join(authors[:-1]) + " and " + authors[-1]
    else:
        author_text = "".join(authors)
    doi = str(reading.get("doi") or "").strip()
    url = str(reading.get("url") or "").strip()
    return {
        "authors": author_text,
        "year": reading.get("year"),
        "title": reading.get("title", ""),
        "publisher": reading.get("publisher", ""),
        "doi": doi,
        "doi_url": "https://doi.org/" + doi if DOI_RE.match(doi) else None,
        "url": url,
        "url_ok": bool(URL_RE.match(url)),
    }


def contact(text: str | None) -> dict:
    """How to contact a register entry's offerer: a role address as a mail link, else the words, else via the convenor."""
    text = (text or "").strip()
    if not text:
        return {"text": "Via the network convenor", "mailto": None}
    return {"text": text, "mailto": "mailto:" + text if EMAIL_RE.match(text) else None}


def network_hub(network: Entry, cat: Catalogue) -> dict:
    """Everything of one network for its hub page: upcoming and latest meetings, then each type's newest."""
    refs = cat.by_network.get(network.slug, [])
    by_type: dict[str, list[Entry]] = {}
    for ref in refs:  # newest first already
        entry = cat.entries[ref]
        by_type.setdefault(entry.type, []).append(entry)
    minutes = by_type.get("minutes", [])
    upcoming = [m for m in minutes if m.date and m.date >= cat.today][::-1]  # soonest first
    past = [m for m in minutes if not (m.date and m.date >= cat.today)]
    sections = [
        {
            "type": "minutes-upcoming",
            "heading": "Upcoming meetings",
            "entries": upcoming[:3],
            "total": len(upcoming),
            "listing": None,
        },
        {
            "type": "minutes",
            "heading": "Latest meetings",
            "entries": past[:4],
            "total": len(past),
            "listing": listing_url("minutes"),
        },
    ]
    for etype, heading, limit in HUB_SECTIONS:
        found = by_type.get(etype, [])
        sections.append(
            {"type": etype, "heading": heading, "entries": found[:limit], "total": len(found), "listing": listing_url(etype)}
        )
    return {"sections": [s for s in sections if s["entries"]], "total": len(refs)}


def entry_facts_context(entry: Entry, cat: Catalogue) -> dict:
    """ENTRY_CONTEXT hook: the extra variables the facts and network templates need."""
    if entry.type == "register-entry":
        return {"review": review_status(entry.meta.get("reviewed"), cat.today), "contact": contact(entry.meta.get("contact"))}
    if entry.type == "research":
        return {"citation": citation(entry.meta.get("reading", {})), "month": month_words(entry.meta.get("month"))}
    if entry.type == "learning-summary":
        return {"sources": [cat.entries[r] for r in entry.meta.get("sources", []) if r in cat.entries]}
    if entry.type == "network":
        return {"hub": network_hub(entry, cat)}
    return {}
