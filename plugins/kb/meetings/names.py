"""People and organisations as minutes write them: one normalisation, so the same organisation meets itself.

Names are matched as written, after one documented normalisation (NORMALISATION_RULES, shown on the
organisations page too), so "Westbrook Academy", "westbrook academy." and "Data manager, Westbrook
Academy (host)" meet in one organisation. The action tracker groups owners by the same rule.
"""

from __future__ import annotations

import re
import unicodedata

NORMALISATION_RULES = (
    "A bracketed note at the end is dropped: “Westbrook Academy (host)” and “… (chair)” count as “Westbrook Academy”.",
    "An attendee written as “Role, Organisation” counts for the organisation after the last comma; "
    "an attendee with no comma (for example “Network convenor”) names a role, not an organisation, and is not counted.",
    "Case, accents, punctuation and spacing are ignored, “&” counts as “and”, and a leading “The” is dropped.",
    "Organisation names in an entry's organisations list, and a register entry's offered_by organisation, are used as written.",
)

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def strip_notes(text: str) -> str:
    """The name without bracketed notes at its end: "Westbrook Academy (host)" -> "Westbrook Academy"."""
    text = text.strip()
    while _TRAILING_NOTE.search(text):
        text = _TRAILING_NOTE.sub("", text).strip()
    return text


def normalise_name(text: str, keep_role: bool = False) -> str:
    """The matching key of a name (see NORMALISATION_RULES); keep_role keeps a 'Role, Org' whole."""
    text = strip_notes(str(text))
    if not keep_role and "," in text:
        text = text.rsplit(",", 1)[1]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _NOT_WORD.sub(" ", text.casefold().replace("&", " and ")).strip()
    return text.removeprefix("the ").strip()


def organisation_of_attendee(text: str) -> str | None:
    """The organisation part of an attendee string as written, or None when it names only a role."""
    text = strip_notes(str(text))
    if "," not in text:
        return None
    org = text.rsplit(",", 1)[1].strip()
    return org or None
