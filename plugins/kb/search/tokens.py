"""The token rules, written down once: how text becomes words, for the index and for a query.

Why our own rules: Whoosh's tokenizer splits "co-production" into "co" and "production", so a search for
"coproduction" found nothing and "co-production" could be "corrected" part by part; and "Year 7", "Y7"
and "KS3" never met. The rules (tests/search/test_tokens.py holds each one):

1. Words are runs of letters and digits as Whoosh's default pattern finds them (`\\w+(\\.?\\w+)*`),
   lower-cased; Whoosh's stop words are left out and the words after them renumbered as its StopFilter
   does (the first word kept keeps its place, the others follow on).
2. A hyphenated word ("co-production", "e-safety", "year-7") is indexed split, each part at its own
   position, and joined ("coproduction") at the position of its last part, so "co-production",
   "co production" and "coproduction" all find it and phrases across it still match. Runs of numbers
   only ("2026-11-24", "7-9") are not joined.
3. Year groups and key stages, from one table (KEY_STAGE_OF_YEAR): "Year 7", "year-7", "Years 7 and 8",
   "Years 7 to 9", "Y7", "Yr 7" and "year7" add the canonical words "year7" and its key stage "ks3";
   "KS 3", "Key Stage 3" and "keystage3" add "ks3". So "Y7" and "year 7" find the same entries, and "KS3"
   finds Years 7, 8 and 9. The added words sit at the position of the number.

4. Words are stemmed by the Porter2 (English Snowball) stemmer, which keeps short words' inflections
   together ("planning" and "plans" are "plan"; Porter's first stemmer made "plann") and keeps apart
   what Porter joined ("communication" and "community" were both "commun"). Irregular plurals
   (IRREGULAR: "children", "people", "staff" stays) are made singular first, so "children" finds "child".

Added words ("aliases") never move the words around them. Rules 2 and 3 cost a Python loop only where
a hyphen joins two words (JOIN_RE) or a year group may be named (FORM_HINT_RE); the rest is rule 1 in C.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from whoosh.analysis import STOP_WORDS

WORD_RE = re.compile(r"\w+(?:\.\w+)*")  # Whoosh's default pattern, \w+(\.?\w+)*, without its exponential backtracking
HYPHENS = "\\-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes: "2025\u201326" is a range)
STOPS = frozenset(STOP_WORDS)

# Rule 3's table: year group -> key stage (England). Reception and the early years have no number here.
KEY_STAGE_OF_YEAR = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2, 6: 2, 7: 3, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 5}
KEY_STAGES = frozenset(KEY_STAGE_OF_YEAR.values())
YEAR_WORDS = frozenset({"year", "years", "yr", "yrs"})
ONE_WORD_YEAR_RE = re.compile(r"^(?:y|yr|year)(\d{1,2})$")  # y7, yr7, year7
ONE_WORD_STAGE_RE = re.compile(r"^(?:ks|keystage)(\d)$")  # ks3, keystage3
RANGE_WORDS = frozenset({"and", "or", "to"})
FORM_INITIALS = frozenset("yk")  # every form number_forms finds begins with a word starting so (year, yr, y7, ks, key...)

JOIN_RE = re.compile(rf"[{HYPHENS}](?<=\w[{HYPHENS}])(?=\w)")  # a hyphen between two word characters
FORM_HINT_RE = re.compile(rf"y(?:ea)?r?s?[\s{HYPHENS}]*\d|ks\s*\d|key\s*stage\s*\d")  # in lower-cased text: rule 3 may apply


IRREGULAR = {  # rule 4: plurals the stemmer cannot see, and their singulars
    "children": "child",
    "people": "person",
    "women": "woman",
    "men": "man",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "knives": "knife",
    "wives": "wife",
    "halves": "half",
    "selves": "self",
    "analyses": "analysis",
    "theses": "thesis",
    "crises": "crisis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
}


class Token(NamedTuple):
    word: str  # lower-cased
    pos: int
    start: int = 0  # character offsets in the text (an alias spans every word it was made from)
    end: int = 0
    stopped: bool = False  # a stop word (kept only when the caller asks for stop words)
    alias: bool = False  # added by rule 2 or 3: not a word of the text (it does not count in a field's length)


def year_forms(n: int) -> list[str]:
    """The canonical words rule 3 adds for year group n: the year and its key stage."""
    return [f"year{n}", f"ks{KEY_STAGE_OF_YEAR[n]}"]


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() and len(word) <= 2 else None


def joins(text: str) -> list[int]:
    """The index of each word that a hyphen joins to the word before it ("co-production": [1]). Rule 2 as
    written; scan() finds the same joins while it finds the words (tests/search/test_tokens.py holds them equal)."""
    found: list[int] = []
    counted, at = 0, 0  # words before `at`; `at` is always the start of a word or of the text
    for hyphen in JOIN_RE.finditer(text):
        counted += len(WORD_RE.findall(text, at, hyphen.start()))
        found.append(counted)
        at = hyphen.start() + 1
    return found


def number_forms(words: list[str], hyphened: list[bool]) -> list[tuple[int, int, list[str]]]:
    """(first word, last word, canonical words) for each year group or key stage named in `words`
    (lower-cased, stop words kept); `hyphened[i]`: word i was joined to word i - 1 by a hyphen."""
    found: list[tuple[int, int, list[str]]] = []
    i, count = 0, len(words)
    while i < count:
        word = words[i]
        if word[:1] not in FORM_INITIALS:  # most words: no form begins with them
            i += 1
            continue
        following = _number(words[i + 1]) if i + 1 < count else None
        one_year = ONE_WORD_YEAR_RE.match(word)
        one_stage = ONE_WORD_STAGE_RE.match(word)
        if one_year and int(one_year.group(1)) in KEY_STAGE_OF_YEAR:
            found.append((i, i, year_forms(int(one_year.group(1)))))
        elif one_stage and int(one_stage.group(1)) in KEY_STAGES:
            found.append((i, i, [f"ks{one_stage.group(1)}"]))
        elif word in YEAR_WORDS and following in KEY_STAGE_OF_YEAR:
            i = _year_list(words, hyphened, i, found)
            continue
        elif word == "ks" and following in KEY_STAGES:
            found.append((i, i + 1, [f"ks{following}"]))
            i += 1
        elif word == "key" and i + 2 < count and words[i + 1] == "stage" and _number(words[i + 2]) in KEY_STAGES:
            found.append((i, i + 2, [f"ks{words[i + 2]}"]))
            i += 2
        i += 1
    return found


def _year_list(words: list[str], hyphened: list[bool], at: int, found: list) -> int:
    """'Year 7', 'Years 7 and 8', 'Years 7 to 9', 'Years 7-9', 'Years 7, 8 and 9': a form per year named.
    Returns the index of the first word after the list."""
    last = int(words[at + 1])
    found.append((at, at + 1, year_forms(last)))
    i = at + 2
    while i < len(words):
        n = _number(words[i])
        joiner = None
        if n is None and words[i] in RANGE_WORDS and i + 1 < len(words):
            joiner, n = words[i], _number(words[i + 1])
        if n not in KEY_STAGE_OF_YEAR or n is None:
            break
        i += 1 if joiner else 0
        ranged = (joiner == "to" or (joiner is None and hyphened[i])) and n > last
        for year in range(last + 1, n + 1) if ranged else [n]:
            found.append((i, i, year_forms(year)))
        last, i = n, i + 1
    return i


def scan(text: str, *, compounds: bool = True, forms: bool = True) -> tuple[list[str], list[tuple[int, int, str]]]:
    """(words, aliases): the lower-cased words of rule 1, stop words kept, and each alias of rules 2
    (when `compounds`) and 3 (when `forms`) as (first word, last word, alias), indexes counted in `words`."""
    lowered = text.lower()
    # Lower-casing the text first finds the same words, lower-cased, where every character is ASCII (elsewhere
    # lower-casing can change a text's length or what counts as a letter): one call instead of one a word.
    ascii_only = text.isascii()
    source = lowered if ascii_only else text
    joined: list[int] = []
    if compounds or forms:
        # Words never span a hyphen, so the words of the text are those of its pieces between joining hyphens,
        # and each piece's end is where a join falls: one pass of WORD_RE where joins() makes two.
        words = []
        for piece in JOIN_RE.split(source):
            words += WORD_RE.findall(piece)
            joined.append(len(words))
        joined.pop()
    else:
        words = WORD_RE.findall(source)
    if not ascii_only:
        words = list(map(str.lower, words))
    return words, aliases_of(words, joined, lowered, compounds=compounds, forms=forms)


def aliases_of(words: list[str], joined: list[int], lowered: str, *, compounds: bool, forms: bool) -> list[tuple[int, int, str]]:
    """scan()'s aliases, from the text's words, its joins (as joins() finds them) and the text lower-cased."""
    aliases: list[tuple[int, int, str]] = []
    if compounds and joined:
        runs: list[list[int]] = []
        for j in joined:
            if runs and runs[-1][-1] == j - 1:
                runs[-1].append(j)
            else:
                runs.append([j - 1, j])
        aliases += [
            (run[0], run[-1], "".join(words[run[0] : run[-1] + 1])) for run in runs if not all(words[i].isdigit() for i in run)
        ]
    if forms and FORM_HINT_RE.search(lowered):
        hyphened = [False] * len(words)
        for j in joined:
            hyphened[j] = True
        aliases += [(first, last, word) for first, last, canonical in number_forms(words, hyphened) for word in canonical]
    return aliases


def tokens(
    text: str, *, compounds: bool = True, forms: bool = True, chars: bool = False, keep_stops: bool = False
) -> list[Token]:
    """The words of `text` in order with positions (and offsets when `chars`), each alias just after the
    last word it was made from, stop words left out unless `keep_stops` (then marked `stopped`)."""
    words, aliases = scan(text, compounds=compounds, forms=forms)
    offsets = [m.span() for m in WORD_RE.finditer(text)] if chars else None
    after: dict[int, dict[str, int]] = {}  # last word -> {alias: first word}, one of each
    for first, last, alias in aliases:
        if alias != words[last] and alias not in STOPS:
            after.setdefault(last, {}).setdefault(alias, first)
    out: list[Token] = []
    pos: int | None = None
    for i, word in enumerate(words):
        start, end = offsets[i] if offsets else (0, 0)
        if word not in STOPS:
            pos = i if pos is None else pos + 1
            out.append(Token(word, pos, start, end))
        elif keep_stops:
            out.append(Token(word, i, start, end, True))
        for alias, first in after.get(i, {}).items():
            out.append(Token(alias, i if pos is None else pos, offsets[first][0] if offsets else 0, end, alias=True))
    return out


def positions(text: str) -> tuple[int, list[str], dict[str, list[int]]]:
    """(position of the first kept word, kept words in order, {alias: positions}): rule 1's words without
    stop words (numbered on from the first), and the aliases' positions, as tokens() numbers them.
    The index writer's fast path (analysis.word_positions)."""
    words, aliases = scan(text)
    kept = [w for w in words if w not in STOPS]
    first = next((i for i, w in enumerate(words) if w not in STOPS), len(words)) if kept else 0
    if not aliases:
        return first, kept, {}
    kept_before = 0  # kept words in words[: i + 1], counted as the aliases are walked in order of their last word
    walked = 0
    placed: dict[str, list[int]] = {}
    seen: set[tuple[int, str]] = set()
    for _, last, alias in sorted(aliases, key=lambda a: a[1]):
        if alias == words[last] or alias in STOPS or (last, alias) in seen:
            continue
        seen.add((last, alias))
        while walked <= last:
            kept_before += words[walked] not in STOPS
            walked += 1
        placed.setdefault(alias, []).append(first + kept_before - 1 if kept_before else last)
    return first, kept, placed
