"""content/organisations.yml: the other spellings of an organisation, declared once, checked like tags.yml.

    Westbrook Academy: [Westbrook, WBA]
    St Mary's Catholic Primary School: ["St Mary's RC Primary"]
    Partnership Office: []

Each line names an organisation as it should be shown and the spellings that mean it. A name with an
empty list is declared as an organisation, so an attendee line holding only that name counts for it.
The file is optional. kb.project reads it once and hands the result to the catalogue.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.content.model import ORGANISATIONS_FILE
from kb.content.problems import Problem
from kb.meetings.names import name_key

ALIASES_FILE = ORGANISATIONS_FILE
EXAMPLE = "Westbrook Academy: [Westbrook, WBA]"


def _problem(line: int | None, field: str | None, message: str, hint: str) -> Problem:
    return Problem(ALIASES_FILE, line, field, message, hint)


def _anchors(text: str) -> list[Problem]:
    """YAML anchors and aliases (&name, *name) make one line stand for another: refused, as in entries."""
    found = []
    for event in yaml.parse(text):
        if getattr(event, "anchor", None) is not None:
            found.append(
                _problem(
                    event.start_mark.line + 1 if event.start_mark else None,
                    None,
                    "uses a YAML anchor or alias (&name or *name), which this file does not allow.",
                    "write each organisation and spelling out in full.",
                )
            )
    return found


def parse_aliases(text: str) -> tuple[dict[str, str], list[Problem]]:
    """{key of every spelling and name: the name to show}, and every problem found (not just the first)."""
    try:
        problems = _anchors(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [
            _problem(
                mark.line + 1 if mark else None,
                None,
                f"the list of organisations cannot be read ({exc.__class__.__name__}).",
                f"check its indentation and write each organisation on one line, e.g.  {EXAMPLE}",
            )
        ]
    if problems:
        return {}, problems
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [_problem(1, None, "must be a list of 'Name: [other spellings]' lines.", f"write e.g.  {EXAMPLE}")]
    out: dict[str, str] = {}
    claimed: dict[str, str] = {}  # key -> the organisation that claimed it first
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        name = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
        if not name_key(name):
            problems.append(_problem(line, None, "an organisation's name is empty or not text.", f"write e.g.  {EXAMPLE}"))
            continue
        spellings = _spellings(value_node, name, line, problems)
        for spelling in [name, *spellings]:
            key = name_key(spelling)
            if not key:
                continue
            owner = claimed.get(key)
            if owner is not None and owner != name:
                problems.append(
                    _problem(
                        line,
                        name,
                        f"'{spelling}' is already a spelling of '{owner}'.",
                        "list each spelling under one organisation only, or merge the two lines.",
                    )
                )
                continue
            if owner == name and spelling != name and key == name_key(name):
                continue  # the name itself written again, perhaps in another case: harmless
            claimed[key] = name
            out[key] = name
    return out, problems


def _spellings(node: yaml.Node, name: str, line: int, problems: list[Problem]) -> list[str]:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return []
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(n, yaml.ScalarNode) for n in node.value):
        problems.append(
            _problem(
                line,
                name,
                "must be followed by a list of other spellings in square brackets.",
                f"write e.g.  {name}: [{name.split()[0]}]  (or [] for none).",
            )
        )
        return []
    return [str(n.value).strip() for n in node.value if str(n.value).strip()]


def load_aliases(root: Path) -> tuple[dict[str, str], list[Problem]]:
    """content/organisations.yml of a project, checked; no file, no aliases."""
    path = Path(root) / ALIASES_FILE
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, [_problem(None, None, "the list of organisations cannot be read.", "save it as UTF-8 text.")]
    return parse_aliases(text)
