"""Checking one entry's front matter against the content model.

Returns cleaned values (dates as `date`, lists as lists) and every problem at once: a run of
`kb check` shows all that is wrong, never just the first fault.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from kb.content.characters import unprintable_problems, visible
from kb.content.limits import DEFAULT_LIMITS, Limits
from kb.content.model import (
    ACCEPTED_EXTRA,
    DATE_RE,
    MONTH_RE,
    RESERVED_STEMS,
    SLUG_RE,
    TIME_RE,
    TYPE_FIELDS,
    VOCABULARIES,
    EntryType,
    Field,
)
from kb.content.problems import Problem, choice_hint, closest
from kb.content.source import RawEntry

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# Dates outside these years are typing slips, and date arithmetic (a week before, a term after) overflows near 1 and 9999.
FIRST_YEAR, LAST_YEAR = 1900, 2100
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


@dataclass(frozen=True)
class Vocab:
    """The ids an entry may name that come from the project itself, not the model."""

    tags: frozenset[str]
    networks: frozenset[str]
    # Other words people write for them: a tag's synonyms and label, a network's title -> the id to write instead.
    tag_words: tuple[tuple[str, str], ...] = ()
    network_names: tuple[tuple[str, str], ...] = ()


def name_key(text: object) -> str:
    """A name reduced for matching: 'SEND Network (primary focus)' and 'send network' both give 'send'."""
    words = re.sub(r"\([^)]*\)", " ", str(text)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", words.replace("&", " and "))
    return " ".join(w for w in words.split() if w not in ("network", "the"))


class _Checker:
    problems: list[Problem]

    def __init__(self, raw: RawEntry, vocab: Vocab, limits: Limits = DEFAULT_LIMITS) -> None:
        self.raw, self.known, self.limits, self.problems = raw, vocab, limits, []

    def add(self, name: str, message: str, hint: str = "", severity: str = "error") -> None:
        line = self.raw.lines.get(name) or self.raw.lines.get(name.split(".")[0].split("[")[0])
        self.problems.append(Problem(self.raw.path, line, name, message, hint, severity))

    # -- one method per kind of field; each returns the cleaned value or None --------------
    def text(self, name: str, value: object, spec: Field) -> str | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(name, f"must be text, but is {_describe(value)}.", f"write it as {spec.name}: {spec.example or 'some text'}")
            return None
        value = value.strip()
        if not value:
            self.add(name, "is empty.", f"write it, e.g. {spec.name}: {spec.example or 'some text'}")
            return None
        if spec.max_len and len(value) > spec.max_len:
            self.add(
                name,
                f"is {len(value)} characters long; at most {spec.max_len} are allowed.",
                f"shorten it by {len(value) - spec.max_len} characters.",
            )
        return value

    plain = text

    def date(self, name: str, value: object, spec: Field) -> dt.date | None:
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if text is None or not DATE_RE.match(text):
            self.add(name, f"'{value}' is not a date written YYYY-MM-DD.", f"dates are written like {spec.name}: 2026-03-12.")
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            self.add(
                name, f"'{text}' is not a real calendar date.", "check the month and day, e.g. 2026-02-28 rather than 2026-02-30."
            )
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.add(name, f"{text} is not in the years {FIRST_YEAR} to {LAST_YEAR}.", "check the year of the date.")
            return None
        return day

    def month(self, name: str, value: object, spec: Field) -> str | None:
        if not isinstance(value, str) or not MONTH_RE.match(value.strip()):
            self.add(name, f"'{value}' is not a month written YYYY-MM.", 'write it in quotes, e.g. month: "2026-03".')
            return None
        return value.strip()

    def time(self, name: str, value: object, spec: Field) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            value = f"{value // 60:02d}:{value % 60:02d}"  # YAML 1.1 read an unquoted 16:00 as minutes
        if not isinstance(value, str) or not TIME_RE.match(value.strip()):
            self.add(
                name,
                f"'{value}' is not a time written HH:MM (24-hour clock).",
                f'write it in quotes, e.g. {spec.name.split(".")[-1]}: "16:00".',
            )
            return None
        return value.strip()

    def year(self, name: str, value: object, spec: Field) -> int | None:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 1000 <= value <= 2100:
            self.add(name, f"'{value}' is not a year.", "write four digits, e.g. year: 2019.")
            return None
        return value

    def url(self, name: str, value: object, spec: Field) -> str | None:
        value = self.text(name, value, spec)
        if value and not URL_RE.match(value):
            self.add(
                name,
                f"'{value}' is not a web address starting http:// or https://; it will not be linked.",
                "write the full address, e.g. https://example.org/paper.",
                "warning",
            )
        return value

    def doi(self, name: str, value: object, spec: Field) -> str | None:
        value = self.text(name, value, spec)
        if value:
            value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.IGNORECASE)
            if not DOI_RE.match(value):
                self.add(name, f"'{value}' is not a DOI; it will not be linked.", "a DOI looks like 10.1000/xyz123.", "warning")
        return value

    def vocab_value(self, name: str, value: object, spec: Field) -> str | None:
        assert spec.vocab is not None  # every vocab field of the model names its vocabulary
        choices = VOCABULARIES[spec.vocab]
        if not isinstance(value, str) or value not in choices:
            self.add(name, f"'{value}' is not a known value.", choice_hint(value, choices))
            return None
        return value

    def _list(self, name: str, value: object, spec: Field) -> list[Any] | None:
        if isinstance(value, str):
            if "," in value:
                items = ", ".join(v.strip() for v in value.split(","))
                self.add(
                    name,
                    "is a comma-separated text, but a list is needed.",
                    f"write it as a list in square brackets: {spec.name}: [{items}]",
                )
            else:
                self.add(name, "is a single text, but a list is needed.", f"write it in square brackets: {spec.name}: [{value}]")
            return None
        if not isinstance(value, list):
            self.add(
                name, f"must be a list, but is {_describe(value)}.", f"write it as {spec.name}: {spec.example or '[one, two]'}"
            )
            return None
        if spec.required and not value:
            self.add(name, "is an empty list; at least one is needed.", f"e.g. {spec.name}: {spec.example}")
        if len(value) > self.limits.list_items:
            self.add(
                name,
                f"has {len(value):,} items; at most {self.limits.list_items} are allowed (each can make a page or a table row).",
                "keep the list to what matters for this entry, or split the entry.",
            )
            return None
        return value

    def _ids(
        self,
        name: str,
        value: object,
        spec: Field,
        known: Collection[str],
        what: str,
        where: str,
        other_words: tuple[tuple[str, str], ...] = (),
    ) -> list[str] | None:
        items = self._list(name, value, spec)
        if items is None:
            return None
        clean: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or item not in known:
                meant = _meant(item, other_words, what)
                if meant is not None:
                    self.add(f"{name}[{i}]", *meant)
                    continue
                near = closest(item, known)
                hint = (f"did you mean '{near}'? " if near else "") + f"Known {what} are listed in {where}."
                self.add(f"{name}[{i}]", f"'{item}' is not a known {what[:-1]}.", hint)
            elif item not in clean:
                clean.append(item)
        return clean

    def vocab_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        assert spec.vocab is not None  # every vocab-list field of the model names its vocabulary
        return self._ids(
            name, value, spec, VOCABULARIES[spec.vocab], "values", f"the content model ({', '.join(VOCABULARIES[spec.vocab])})"
        )

    def tag_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        return self._ids(name, value, spec, self.known.tags, "tags", "content/tags.yml", self.known.tag_words)

    def network_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        return self._ids(name, value, spec, self.known.networks, "networks", "content/networks/", self.known.network_names)

    def text_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        items = self._list(name, value, spec)
        if items is None:
            return None
        return [v for i, item in enumerate(items) if (v := self.text(f"{name}[{i}]", item, spec)) is not None]

    def email_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        items = self._list(name, value, spec)
        if items is None:
            return None
        clean = []
        for i, item in enumerate(items):
            address = str(item).strip() if isinstance(item, str) else ""
            if not EMAIL_RE.match(address):
                self.add(
                    f"{name}[{i}]",
                    f"'{item}' is not an email address.",
                    f"write a plain address, e.g. {spec.name}: {spec.example}",
                )
            else:
                clean.append(address)
        return clean

    def ref_list(self, name: str, value: object, spec: Field) -> list[str] | None:
        items = self._list(name, value, spec)
        if items is None:
            return None
        return [str(item).strip().strip("/") for item in items]

    def mapping(self, name: str, value: object, spec: Field) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            sub = ", ".join(f.name for f in spec.fields)
            self.add(
                name,
                f"must be a set of fields ({sub}), but is {_describe(value)}.",
                f"indent its fields under it, e.g.\n  {spec.name}:\n    {spec.fields[0].name}: {spec.fields[0].example}",
            )
            return None
        return self.fields(value, spec.fields, name + ".")

    def records(self, name: str, value: object, spec: Field) -> list[dict[str, Any]] | None:
        items = self._list(name, value, spec)
        if items is None:
            return None
        out: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            sub = Field(spec.name, "mapping", fields=spec.fields)
            cleaned = self.mapping(f"{name}[{i}]", item, sub)
            if cleaned is not None:
                out.append(cleaned)
        return out

    def fields(self, meta: dict[str, Any], specs: tuple[Field, ...], prefix: str = "") -> dict[str, Any]:
        """Check each known field, report unknown ones, return the cleaned mapping."""
        by_name = {f.name: f for f in specs}
        clean: dict[str, Any] = {}
        for key, value in meta.items():
            name = prefix + str(key)
            spec = by_name.get(key)
            if spec is None:
                if not prefix and key in ACCEPTED_EXTRA:
                    continue
                near = closest(key, by_name)
                self.add(
                    name,
                    "is not a field of this kind of entry; it is ignored.",
                    f"did you mean '{near}'?" if near else f"known fields: {', '.join(by_name)}.",
                    "warning",
                )
                continue
            if value is None or value == "":
                if spec.required:
                    self.add(name, "is empty.", f"fill it in, e.g. {spec.name}: {spec.example}")
                continue
            checked = getattr(self, _METHOD.get(spec.kind, spec.kind.replace("-", "_")))(name, value, spec)
            if checked is not None:
                clean[spec.name] = _shared(checked)
        for spec in specs:
            if spec.required and spec.name not in meta:
                where = f" under {prefix.rstrip('.')}" if prefix else ""
                self.problems.append(
                    Problem(
                        self.raw.path,
                        self.raw.lines.get(prefix.rstrip(".")) or (1 if not prefix else None),
                        prefix + spec.name,
                        f"is missing{where}; it is required.",
                        f"add it, e.g. {spec.name}: {spec.example}" + (f" ({spec.help})" if spec.help else ""),
                    )
                )
        return clean


_METHOD = {"vocab": "vocab_value"}


def _shared(value: Any) -> Any:
    """Short text interned: the same ids, names and words recur across thousands of entries, and the build cache
    pickles one string once however many entries hold it (content/file_cache.py)."""
    if isinstance(value, str) and len(value) <= 80:
        return sys.intern(value)
    if isinstance(value, list):
        return [_shared(item) for item in value]
    return value


def _meant(item: object, other_words: tuple[tuple[str, str], ...], what: str) -> tuple[str, str] | None:
    """(message, fix) when an unknown value is another word for a known id: a tag's synonym or label, a network's name."""
    key = name_key(item)
    ident = next((ident for word, ident in other_words if word == key), None)
    if ident is None:
        return None
    if what == "tags" and key == name_key(ident):
        return f"'{item}' is written differently from the tag id '{ident}'.", f"write {ident} instead of {item}."
    if what == "tags":
        return (
            f"'{item}' is a synonym of the tag '{ident}'; tags are written as their id.",
            f"write {ident} instead of {item} (searches for '{item}' still find entries tagged {ident}).",
        )
    return (
        f"'{item}' is the name of the network '{ident}'; networks are written as their id.",
        f"write {ident} instead of {item} (the id is the network's file name in content/networks/).",
    )


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"yes/no ({value})"
    return f"'{value}'"


def validate_entry(
    raw: RawEntry, etype: EntryType, stem: str, vocab: Vocab, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict[str, Any], list[Problem]]:
    """Clean the front matter of one entry and list everything wrong with it."""
    check = _Checker(raw, vocab, limits)
    unprintable = unprintable_problems(raw)
    if unprintable:  # each named once here; the rest of the check sees the text with the characters made visible
        check.problems += unprintable
        raw = RawEntry(raw.path, visible(raw.meta), raw.body, raw.lines, raw.body_line)
        check.raw = raw
    declared = raw.meta.get("type")
    if declared is not None and declared != etype.name:
        check.add(
            "type",
            f"says '{declared}', but files in {etype.folder}/ are of type '{etype.name}'.",
            f"write type: {etype.name}, remove the type line, or move the file to the folder for '{declared}'.",
        )
    meta = check.fields(raw.meta, TYPE_FIELDS[etype.name])
    if not raw.body.strip():
        check.problems.append(
            Problem(
                raw.path,
                raw.body_line,
                None,
                "the entry has no text below its front matter.",
                "write the entry's text after the closing '---' line.",
            )
        )
    _type_rules(check, etype, stem, meta)
    return meta, check.problems


def _type_rules(check: _Checker, etype: EntryType, stem: str, meta: dict[str, Any]) -> None:
    """Rules that tie fields to each other or to the file name."""
    if etype.name == "minutes":
        network = check.raw.path.split("/")[-2]
        if network not in check.known.networks:
            check.add(
                "networks",
                f"the folder '{network}' is not a known network.",
                choice_hint(network, sorted(check.known.networks)) + " Minutes live in content/minutes/<network-id>/.",
            )
        elif "networks" in meta and network not in meta["networks"]:
            check.add(
                "networks",
                f"does not include '{network}', the network whose folder holds these minutes.",
                f"add {network} to networks, or move the file to content/minutes/<network>/.",
            )
        if isinstance(meta.get("date"), dt.date) and DATE_RE.match(stem) and meta["date"].isoformat() != stem:
            check.add(
                "date",
                f"is {meta['date']}, but the file name says {stem}.",
                "make the file name the meeting date, or correct the date.",
            )
        _meeting_state_rules(check, meta)
        times = meta.get("meeting") or {}
        if times.get("start") and times.get("end") and times["end"] <= times["start"]:
            check.add(
                "meeting.end", f"{times['end']} is not after the start, {times['start']}.", "check the times (24-hour clock)."
            )
    if etype.name == "research" and meta.get("month") and not stem.startswith(meta["month"] + "-"):
        check.add(
            "month",
            f"is {meta['month']}, but the file name starts {stem[:7]}.",
            f"name the file {meta['month']}-<slug>.md or correct the month.",
        )
    if etype.name == "learning-summary":
        period = meta.get("period") or {}
        if period.get("from") and period.get("to") and period["from"] > period["to"]:
            check.add("period.to", f"{period['to']} is before {period['from']}.", "swap the dates: from comes first.")


def _meeting_state_rules(check: _Checker, meta: dict[str, Any]) -> None:
    """A postponed meeting says its new date; each paper is a file or a web address."""
    moved, day = meta.get("postponed_to"), meta.get("date")
    if meta.get("state") == "postponed" and not moved:
        check.add("state", "says postponed but gives no new date.", "add the new date, e.g. postponed_to: 2026-12-10.")
    elif moved and meta.get("state") != "postponed":
        check.add(
            "postponed_to",
            "is only read when the meeting is postponed.",
            "write state: postponed, or remove postponed_to.",
            "warning",
        )
    elif isinstance(moved, dt.date) and isinstance(day, dt.date) and moved <= day:
        check.add("postponed_to", f"{moved} is not after the meeting date, {day}.", "a postponed meeting moves to a later date.")
    for i, paper in enumerate(meta.get("papers") or []):
        if not paper.get("file") and not paper.get("url"):
            check.add(
                f"papers[{i}]", "has neither a file nor a web address.", "add  file: papers/<name>.pdf  or  url: https://..."
            )


def check_slug(path: str, stem: str, etype: EntryType) -> list[Problem]:
    """The file name must become a clean URL."""
    if stem in RESERVED_STEMS:
        listing = etype.url_prefix + "/"
        return [
            Problem(
                path,
                None,
                "file name",
                f"'{stem}' is a reserved name: the page at {listing} is the list of every {etype.label.lower()}, "
                "so an entry of that name would never be seen.",
                f"give the entry a name of its own, e.g. {etype.folder}/my-{etype.name}.md.",
            )
        ]
    if etype.stem_pattern.match(stem):
        return []
    message = f"'{stem}.md' is not a valid file name for a {etype.label.lower()}: it must be {etype.stem_hint}."
    if etype.stem_pattern is not SLUG_RE:
        return [
            Problem(
                path,
                None,
                "file name",
                message,
                f"rename the file to {etype.stem_hint.split(', e.g. ')[-1]}.md, following the pattern ({etype.stem_hint}).",
            )
        ]
    suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "my-entry"
    return [Problem(path, None, "file name", message, f"rename the file to {suggestion}.md.")]


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))
