"""School terms from content/terms.yml: the one place term dates live.

The board reads the site term by term, so digests, "this term" and the board page all ask
this module which term a date belongs to. "Today" is the catalogue's (KB_TODAY when set).
A term's digest *window* runs from its first day to the day before the next term starts,
so work dated in a holiday counts in the term just ended and no dated item falls between terms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.content.problems import Problem
from kb.content.source import read_yaml

TERMS_FILE = "content/terms.yml"
TERM_NAMES = ("autumn", "spring", "summer")
YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_TERMS_FILE = 256 * 1024  # characters; a century of terms is about 10,000
FIRST_YEAR, LAST_YEAR = (
    1900,
    2100,
)  # term dates beyond these are typing slips (and date arithmetic overflows near year 1 and 9999)
EXAMPLE = "2026-27:\n  autumn: {start: 2026-09-01, end: 2026-12-18}\n  spring: {start: 2027-01-05, end: 2027-03-26}\n  summer: {start: 2027-04-12, end: 2027-07-21}"


@dataclass(frozen=True)
class Term:
    """One school term: its teaching days (start..end) and the window its digest counts."""

    name: str  # autumn | spring | summer
    year: str  # school year, e.g. "2026-27"
    start: dt.date
    end: dt.date
    until: dt.date  # last day of the digest window (the day before the next term, or `end`)

    @property
    def id(self) -> str:
        """URL id, e.g. autumn-2026 (the calendar year the term starts in)."""
        return f"{self.name}-{self.start.year}"

    @property
    def label(self) -> str:
        return f"{self.name.capitalize()} term {self.start.year}"

    @property
    def url(self) -> str:
        return f"board/digest/{self.id}/"

    def contains(self, day: dt.date | None) -> bool:
        """Whether a dated item counts in this term's digest."""
        return day is not None and self.start <= day <= self.until


def _lines(node: yaml.Node | None) -> dict[tuple[str, ...], int]:
    """Line number (1-based) of every mapping key, by its path of keys, for Problems."""
    out: dict[tuple[str, ...], int] = {}

    def walk(node: object, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (str(key.value),)
                out[sub] = key.start_mark.line + 1
                walk(value, sub)

    walk(node, ())
    return out


def parse_terms(text: str, *, path: str = TERMS_FILE) -> tuple[list[Term], list[Problem]]:
    """Terms from the text of terms.yml, oldest first, with every problem found (not just the first)."""
    if len(text) > MAX_TERMS_FILE:
        return [], [Problem(path, None, None, f"the term dates are {len(text):,} characters long.", "keep one block per year.")]
    data, node, read_problems = read_yaml(path, text, what="the term dates file", dates=True)
    if read_problems:
        return [], read_problems
    if not isinstance(data, dict) or not data:
        return [], [
            Problem(
                path, 1, None, "the term dates must be school years, each with its three terms.", "write them like\n" + EXAMPLE
            )
        ]
    lines = _lines(node)
    problems: list[Problem] = []
    found: list[tuple[str, dt.date, dt.date]] = []  # (name, start, end) before windows are known
    years: list[str] = []
    for year_key, spec in data.items():
        year = str(year_key)
        line = lines.get((year,))
        match = YEAR_RE.match(year)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            problems.append(
                Problem(
                    path, line, year, "is not a school year.", "name each year like 2026-27 (the second year follows the first)."
                )
            )
            continue
        if not isinstance(spec, dict):
            problems.append(Problem(path, line, year, "must list its three terms.", "write them like\n" + EXAMPLE))
            continue
        unknown = [str(k) for k in spec if k not in TERM_NAMES]
        for name in unknown:
            problems.append(
                Problem(path, lines.get((year, name)), f"{year}.{name}", "is not a term name.", f"use {', '.join(TERM_NAMES)}.")
            )
        for name in TERM_NAMES:
            if name not in spec:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"{year}.{name}",
                        "is missing.",
                        f"add  {name}: {{start: YYYY-MM-DD, end: YYYY-MM-DD}}  under {year}.",
                    )
                )
                continue
            term = _check_term(path, lines, year, name, spec[name], int(match[1]), problems)
            if term:
                found.append(term)
        years.append(year)
    if len(years) != len(set(years)):
        problems.append(Problem(path, None, None, "a school year is listed twice.", "keep one block per year."))
    found.sort(key=lambda t: t[1])
    for (name_a, _start_a, end_a), (name_b, start_b, _) in itertools.pairwise(found):
        if start_b <= end_a:
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    f"the {name_b} term starting {start_b} overlaps the {name_a} term ending {end_a}.",
                    "check both terms' dates: each term must end before the next starts.",
                )
            )
    if any(p.severity == "error" for p in problems):
        return [], problems
    terms = []
    for i, (name, start, end) in enumerate(found):
        until = found[i + 1][1] - dt.timedelta(days=1) if i + 1 < len(found) else end
        year = f"{start.year}-{(start.year + 1) % 100:02d}" if name == "autumn" else f"{start.year - 1}-{start.year % 100:02d}"
        terms.append(Term(name, year, start, end, until))
    return terms, problems


def _check_term(
    path: str, lines: dict[tuple[str, ...], int], year: str, name: str, spec: object, first_year: int, problems: list[Problem]
) -> tuple[str, dt.date, dt.date] | None:
    where = f"{year}.{name}"
    line = lines.get((year, name))
    if not isinstance(spec, dict):
        problems.append(
            Problem(
                path,
                line,
                where,
                "must give the term's first and last day.",
                f"write  {name}: {{start: YYYY-MM-DD, end: YYYY-MM-DD}}",
            )
        )
        return None
    dates = {}
    for key in ("start", "end"):
        value = spec.get(key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            shown = "nothing" if value is None else f"'{value}'"
            problems.append(
                Problem(
                    path,
                    lines.get((year, name, key), line),
                    f"{where}.{key}",
                    f"must be a date, found {shown}.",
                    f"write it as YYYY-MM-DD, e.g. {key}: {first_year}-09-01.",
                )
            )
        elif not FIRST_YEAR <= value.year <= LAST_YEAR:
            problems.append(
                Problem(
                    path,
                    lines.get((year, name, key), line),
                    f"{where}.{key}",
                    f"{value} is not in the years {FIRST_YEAR} to {LAST_YEAR}.",
                    "check the year of the date.",
                )
            )
        else:
            dates[key] = value
    if len(dates) < 2:
        return None
    start, end = dates["start"], dates["end"]
    expected_year = first_year if name == "autumn" else first_year + 1
    if start.year != expected_year:
        problems.append(
            Problem(
                path,
                lines.get((year, name, "start"), line),
                f"{where}.start",
                f"is {start}, but the {name} term of {year} starts in {expected_year}.",
                "check the year of the date.",
            )
        )
        return None
    if end < start:
        problems.append(
            Problem(
                path,
                lines.get((year, name, "end"), line),
                f"{where}.end",
                f"{end} is before the start, {start}.",
                "give the last day of the term, after its first day.",
            )
        )
        return None
    return name, start, end


def load_terms(root: Path, today: dt.date) -> tuple[list[Term], list[Problem]]:
    """The project's terms, and problems for `kb check` and the build (a warning when the dates run out)."""
    file = Path(root) / TERMS_FILE
    if not file.exists():
        return [], []  # optional: without it the board page says how to add term dates, and no digest is built
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(TERMS_FILE, None, None, "the term dates file is not saved as UTF-8.", "save it again as UTF-8 text.")]
    terms, problems = parse_terms(text)
    if terms and today > terms[-1].until:
        problems.append(
            Problem(
                TERMS_FILE,
                None,
                None,
                f"today ({today}) is after the last term ({terms[-1].label}, ending {terms[-1].end}).",
                "add the next school year's term dates.",
                "warning",
            )
        )
    return terms, problems


def term_for(terms: list[Term], day: dt.date | None) -> Term | None:
    """The term whose digest counts an item of this date, if any."""
    for term in terms:
        if term.contains(day):
            return term
    return None


def current_term(terms: list[Term], today: dt.date) -> Term | None:
    """ "This term": the one today falls in; before the first term, the first; after the last, the last."""
    if not terms:
        return None
    found = term_for(terms, today)
    if found:
        return found
    return terms[0] if today < terms[0].start else terms[-1]


def terms_until(terms: list[Term], today: dt.date) -> list[Term]:
    """Terms that have started by today, newest first (what the board page lists)."""
    return [t for t in reversed(terms) if t.start <= today]
