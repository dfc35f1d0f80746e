"""Templates for new entries, generated from the content model so there is one source of truth.

`kb new`, the "How to contribute" page and the placeholder check all use this module: a field
added to `model.TYPE_FIELDS` appears in every template, commented hints included, at once.
Pure functions: no files are read or written here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.content.model import TYPE_FIELDS, Field
from kb.content.problems import Problem
from kb.content.urls import entry_path, entry_url, ref_of

if TYPE_CHECKING:
    from kb.content.catalogue import Entry

# Marks text the contributor still has to replace; `placeholder_problems` finds what is left.
PROMPT = "Write here:"
MAX_SLUG = 60

# What to write in the body of each type: (heading, question).
BODY_OUTLINES: dict[str, tuple[tuple[str, str], ...]] = {
    "network": (
        ("What we do", "what the network works on and why."),
        ("Who takes part", "the kinds of school and organisation that come."),
        ("How to join", "who to contact (a role, not a personal address)."),
    ),
    "case-study": (
        ("Context", "what was the situation before you started?"),
        ("What we did", "who did what, when and with whom?"),
        ("What changed", "what is different now, and how do you know?"),
        ("What we would do differently", "what would you tell a school about to try this?"),
    ),
    "minutes": (("Notes of discussion", "the main points of each agenda item, in a few sentences each."),),
    "research": (
        ("What we read", "what the reading is about, in two or three sentences."),
        ("What we took from it", "the points that matter for our schools."),
        ("Questions for our networks", "one or two questions to take back to colleagues."),
    ),
    "learning-summary": (
        ("What the networks learned", "the main learning of the period, network by network."),
        ("What the board should know", "decisions, risks or requests for the board."),
    ),
    "register-entry": (
        ("What is offered", "the practice, and what a partner school receives."),
        ("Where it has been used", "schools or settings that have used it, and what happened."),
        ("How to take it up", "the first step for a school that is interested."),
    ),
}


@dataclass(frozen=True)
class NewEntry:
    """The few facts `kb new` asks for; everything else comes from the model."""

    type: str
    title: str
    network: str | None  # None only for a network itself
    day: dt.date  # the entry's date; for minutes, the meeting date
    month: str | None = None  # research: YYYY-MM

    @property
    def stem(self) -> str:
        if self.type == "minutes":
            return self.day.isoformat()
        if self.type == "research":
            return f"{self.month}-{slugify(self.title)}"
        return slugify(self.title)

    @property
    def path(self) -> str:
        """Where the file goes, relative to the project root."""
        return entry_path(self.type, self.stem, self.network)

    @property
    def ref(self) -> str:
        return ref_of(self.type, self.stem, self.network)

    @property
    def url(self) -> str:
        return entry_url(self.ref)


def slugify(title: str) -> str:
    """A file name from a title: 'Oracy: a review!' -> 'oracy-a-review' (accents dropped, at most 60 characters)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug or "entry"


def default_title(entry_type: str, network_title: str | None, day: dt.date) -> str | None:
    """A sensible title where the type has a naming habit (minutes), else None."""
    if entry_type == "minutes" and network_title:
        return f"{network_title} meeting, {day.day} {day:%B %Y}"
    return None


def _quote(text: str) -> str:
    """A YAML double-quoted string (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _prompt(spec: Field) -> str:
    words = spec.help.rstrip(".") or spec.name
    text = f"{PROMPT} {words[0].lower() + words[1:]}."
    return text[: spec.max_len] if spec.max_len else text


def _hint_value(spec: Field, examples: dict[str, str]) -> str:
    return examples.get(spec.name, spec.example)


def _comment(help_text: str) -> str:
    return f"  # {help_text}" if help_text else ""


def _filled(spec: Field, new: NewEntry, examples: dict[str, str], top: bool) -> str | None:
    """The value written for a required field, or None for a nested block (mapping)."""
    if top and spec.name == "title":
        return _quote(new.title)
    if top and spec.name == "date":
        return new.day.isoformat()
    if top and spec.name == "networks":
        return f"[{new.network}]"
    if top and spec.name == "status":
        return "draft"
    if top and spec.name == "month":
        return _quote(new.month or new.day.strftime("%Y-%m"))
    if spec.kind in ("text", "plain"):
        return _quote(_prompt(spec))
    if spec.kind == "text-list":
        return f"[{_quote(_prompt(spec))}]"
    if spec.kind == "year":
        return str(new.day.year)
    if spec.kind == "date":
        return (new.day.replace(day=1) if spec.name == "from" else new.day).isoformat()
    if spec.kind == "mapping":
        return None
    return _hint_value(spec, examples)


def _hint_lines(spec: Field, indent: str, examples: dict[str, str], in_list: bool = False) -> list[str]:
    """An optional field as commented lines that work when the '# ' is removed."""
    if spec.kind in ("mapping", "records"):
        lines = [f"# {indent}{spec.name}:{_comment(spec.help)}"]
        for i, sub in enumerate(spec.fields):
            if spec.kind == "records":
                lead = f"{indent}  - " if i == 0 else f"{indent}    "
            else:
                lead = f"{indent}  "
            value = _hint_value(sub, examples)
            lines.append(f"# {lead}{sub.name}:{' ' + value if value else ''}{_comment(sub.help)}")
        return lines
    value = _hint_value(spec, examples)
    return [f"# {indent}{spec.name}:{' ' + value if value else ''}{_comment(spec.help)}"]


def _field_lines(
    specs: tuple[Field, ...], new: NewEntry, examples: dict[str, str], indent: str = "", prefilled: dict[str, Any] | None = None
) -> list[str]:
    required = [s for s in specs if s.required]
    optional = [s for s in specs if not s.required]
    lines, carried = [], []
    for spec in list(optional):  # lists carried over from the last meeting are written out, not hinted
        values = (prefilled or {}).get(spec.name)
        if spec.kind == "text-list" and values:
            optional.remove(spec)
            carried += [f"{indent}{spec.name}:{_comment(spec.help + ' Carried from the last meeting: edit as needed.')}"]
            carried += [f"{indent}  - {json.dumps(str(v), ensure_ascii=False)}" for v in values]
    for spec in required:
        value = _filled(spec, new, examples, top=not indent)
        if value is None:
            lines.append(f"{indent}{spec.name}:{_comment(spec.help)}")
            lines += _field_lines(spec.fields, new, examples, indent + "  ")
        else:  # a prompt already says what to write; other values get the field's help as a comment
            lines.append(f"{indent}{spec.name}: {value}{'' if PROMPT in value else _comment(spec.help)}")
    lines += carried
    for spec in optional:
        lines += _hint_lines(spec, indent, examples)
    return lines


def template_text(new: NewEntry, *, tags: tuple[str, ...] = (), prefilled: dict[str, Any] | None = None) -> str:
    """The whole file `kb new` writes: required fields filled, optional ones as commented hints, a body outline.

    `tags` are the project's tag ids, so the commented tag example uses tags that exist.
    """
    examples = {}
    if tags:
        model_tags = [
            t.strip() for t in next(f.example for f in TYPE_FIELDS["case-study"] if f.name == "tags").strip("[]").split(",")
        ]
        chosen = [t for t in model_tags if t in tags] or list(tags[:2])
        examples["tags"] = "[" + ", ".join(chosen) + "]"
    lines = ["---", *_field_lines(TYPE_FIELDS[new.type], new, examples, prefilled=prefilled), "---"]
    for heading, question in BODY_OUTLINES[new.type]:
        lines += ["", f"## {heading}", "", f"{PROMPT} {question}"]
    return "\n".join(lines) + "\n"


def uncomment_hints(text: str) -> str:
    """The template with every commented hint switched on: used by tests and the worked examples."""
    front, sep, body = text.partition("\n---\n")
    return re.sub(r"(?m)^# ", "", front) + sep + body


def _prompts_in(value: object, path: str) -> Iterator[str]:
    if isinstance(value, str) and PROMPT in value:
        yield path
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from _prompts_in(sub, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _prompts_in(sub, f"{path}[{i}]")


def placeholder_problems(entries: Iterable[Entry], today: dt.date) -> list[Problem]:
    """Template prompts left in an entry: a warning in a draft, an error once it is up for review or published."""
    out = []
    for entry in entries:
        out += entry.remembered("placeholders", _placeholders)  # a pure function of the entry: kept between rebuilds
    return out


def _placeholders(entry: Entry) -> list[Problem]:
    severity = "warning" if entry.status == "draft" else "error"
    out = []
    for name in _prompts_in(entry.meta, ""):
        out.append(
            Problem(
                entry.path,
                entry.lines.get(name) or entry.lines.get(name.split(".")[0].split("[")[0]),
                name,
                f"still has the template's '{PROMPT} …' prompt.",
                f"replace the prompt with your own words (delete '{PROMPT}' too).",
                severity,
            )
        )
    left = sum(1 for line in entry.body.split("\n") if PROMPT in line)
    if left:
        out.append(
            Problem(
                entry.path,
                None,
                "text",
                f"still has {left} '{PROMPT} …' prompt(s) from the template.",
                f"write your own text in their place (search the file for '{PROMPT}').",
                severity,
            )
        )
    return out
