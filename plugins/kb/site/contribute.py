"""The "How to contribute" page: for each type, what it is for, the `kb new` command, the template
it writes (from `content/drafts.py`, so the page can never drift from the tool) and a finished example.
"""

from __future__ import annotations

from kb.content.catalogue import Catalogue
from kb.content.drafts import NewEntry, template_text
from kb.content.model import ENTRY_TYPES, TYPE_FIELDS
from kb.pages.page import VirtualPage, relative_url
from kb.pages.render import render

PURPOSE = {
    "case-study": "A story of something schools tried together: the context, what you did, what changed and what you would do differently.",
    "minutes": "The record of one network meeting: agenda, who came, decisions and actions. A future date with an agenda is a scheduled meeting.",
    "research": "Research of the month: a reading a group discussed, and what it means for our schools.",
    "learning-summary": "A summary for the board of what the networks learned over a period, drawing on other entries.",
    "register-entry": "An entry in the good-practice register: a practice a school or organisation offers to others.",
    "network": "A network's own page: what it is for, how it works and who convenes it. Usually written once by the convenor.",
}
EXAMPLE_TITLES = {
    "case-study": "Reading buddies across Year 2 and Year 6",
    "minutes": None,
    "research": "What the evidence says about homework",
    "learning-summary": "Learning summary for the board: spring term",
    "register-entry": "Phonics catch-up sessions for new arrivals",
    "network": "Early Years Network",
}
ORDER = ("case-study", "minutes", "research", "register-entry", "learning-summary", "network")


def worked_examples(cat: Catalogue) -> list[dict]:
    """One example per type: purpose, command, template text and a finished published entry."""
    network = next(iter(cat.networks), "equity")
    network_title = cat.networks[network].title if network in cat.networks else network
    out = []
    for name in ORDER:
        title = EXAMPLE_TITLES[name] or f"{network_title} meeting, {cat.today.day} {cat.today:%B %Y}"
        new = NewEntry(
            name,
            title,
            None if name == "network" else network,
            cat.today,
            cat.today.strftime("%Y-%m") if name == "research" else None,
        )
        command = f'kb new {name} --title "{title}"' + ("" if name == "network" else f" --network {network}")
        if name == "minutes":
            command += f" --date {cat.today.isoformat()}"
        if name == "research":
            command += f" --month {new.month}"
        finished = [cat.entries[r] for r in cat.by_type.get(name, [])]
        out.append(
            {
                "type": ENTRY_TYPES[name],
                "purpose": PURPOSE[name],
                "command": command,
                "path": new.path,
                "template": template_text(new, tags=tuple(cat.tags)),
                "required": [f.name for f in TYPE_FIELDS[name] if f.required],
                "example": finished[0] if finished else None,
            }
        )
    return out


def contribute_pages(cat: Catalogue) -> list[VirtualPage]:
    examples = worked_examples(cat)
    return [
        VirtualPage(
            "contribute/index.md",
            "How to contribute",
            "Add what your network has learned: one command makes a draft, kb check says what to fix, kb serve shows it.",
            render_html=lambda page_url: render(
                "contribute.html", examples=examples, url=lambda target: relative_url(page_url, target)
            ),
            meta={"nav": True, "hide": []},  # keeps the sidebar that leads on to the guide
        )
    ]
