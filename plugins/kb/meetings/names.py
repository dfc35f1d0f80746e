"""People and organisations as minutes write them: one normalisation, so the same organisation meets itself.

An attendee or apology line is read as a person (a name or a role, as written) and an organisation, in
the shapes minutes use: "Name (Organisation)", "Name (Organisation, role)" and "Name, Organisation".
Names are then matched after one documented normalisation (NORMALISATION_RULES, shown on the
organisations page too), and the other spellings declared in content/organisations.yml (aliases.py).
The action tracker groups owners by the same rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NORMALISATION_RULES = (
    "An attendee written “Name (Organisation)” or “Name (Organisation, role)” counts for the organisation in the brackets.",
    "An attendee written “Name, Organisation” or “Role, Organisation” counts for the organisation after the last comma "
    "(a bracket after it is a note); "
    "an attendee with neither (for example “Network convenor”) names a role, not an organisation, and is not counted, "
    "unless content/organisations.yml names it as an organisation.",
    "A bracketed note at the end is dropped: “Westbrook Academy (host)”, “… (chair)” and “… (online)” count as “Westbrook Academy” "
    "(a bracket starting with a small letter, or with a word such as Host, Chair, Online or Guest, is a note).",
    "Case, accents, punctuation, apostrophes and spacing are ignored, “&” counts as “and”, “St” and “St.” count as “Saint”, "
    "and a leading “The” is dropped. “School”, “Academy” and other words are kept as written: "
    "“St Mary's School” and “St Mary's Academy” are two organisations unless content/organisations.yml says otherwise.",
    "Other spellings of one organisation are declared once in content/organisations.yml; they count under its name.",
    "Organisation names in an entry's organisations list, and a register entry's offered_by organisation, are used as written.",
)

NOTE_WORDS = frozenset(
    (
        *("host", "hosting", "chair", "chairing", "co-chair", "online", "virtual", "remote", "remotely", "in-person"),
        *("guest", "guests", "observer", "observing", "minutes", "notes", "item", "items", "presenting", "presenter"),
        *("speaker", "visitor", "deputising", "substitute", "interim", "acting", "left", "joined", "apologies"),
    )
)
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]*)\)\s*$")
_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Attendee:
    """One attendee or apology line, read: who (as written, notes dropped), their organisation and role if given."""

    person: str
    organisation: str | None
    role: str = ""


def is_note(inner: str) -> bool:
    """Whether a bracket's text is a note about the person ("host", "online") rather than an organisation."""
    inner = inner.strip()
    if not inner:
        return True
    first = inner.split()[0].strip(",.;:").casefold()
    return inner[0].islower() or first in NOTE_WORDS


@lru_cache(maxsize=65536)
def strip_notes(text: str) -> str:
    """The line without bracketed notes at its end: "Westbrook Academy (host)" -> "Westbrook Academy"."""
    text = str(text).strip()
    while (found := _TRAILING_BRACKET.search(text)) and is_note(found.group(1)):
        text = text[: found.start()].strip()
    return text


@lru_cache(maxsize=65536)  # the same lines recur meeting after meeting: read each once per process
def parse_attendee(text: str) -> Attendee:
    """An attendee line as a person and an organisation (None when it names only a person or a role)."""
    text = strip_notes(text)
    found = _TRAILING_BRACKET.search(text)
    if found and "," in text[: found.start()]:  # "Role, Organisation (Site)": the comma shape; the bracket is a note
        text = text[: found.start()].strip()
    elif found and text[: found.start()].strip():
        organisation, _, role = found.group(1).partition(",")
        return Attendee(text[: found.start()].strip(), organisation.strip() or None, role.strip())
    if "," in text:
        person, organisation = (part.strip() for part in text.rsplit(",", 1))
        return Attendee(person, organisation or None)
    return Attendee(text, None)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The matching key of one name (see NORMALISATION_RULES): "St. Mary's & All Saints" -> "saint marys and all saints"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = _APOSTROPHES.sub("", text.casefold().replace("&", " and "))
    words = _NOT_WORD.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join("saint" if w == "st" else w for w in words)


def normalise_name(text: str, keep_role: bool = False) -> str:
    """The matching key of a line: its organisation's key, or (keep_role, for people and owners) the whole line's."""
    if keep_role:
        return name_key(strip_notes(text))
    organisation = parse_attendee(text).organisation
    return name_key(organisation if organisation else strip_notes(text))


def organisation_of_attendee(text: str) -> str | None:
    """The organisation part of an attendee line as written, or None when it names only a person or a role."""
    return parse_attendee(text).organisation
