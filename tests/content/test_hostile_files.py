"""Bad input never breaks the checker: random front matter and hostile files always give plain
problems, never an exception, a hang or unbounded memory."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.content.model import ENTRY_TYPES
from kb.content.problems import Problem
from kb.content.source import decode, parse_front_matter
from kb.content.validate import Vocab, validate_entry

VOCAB = Vocab(frozenset({"attendance", "coaching"}), frozenset({"equity", "send"}))
FIELD_NAMES = [
    "title",
    "summary",
    "date",
    "networks",
    "tags",
    "status",
    "visibility",
    "authors",
    "meeting",
    "actions",
    "reading",
    "period",
    "sources",
    "offered_by",
    "month",
    "approach",
    "phases",
    "type",
    "x",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["2026-02-30", "2026-03-12", "16:00", "equity", "published", "[a, b]", "a, b"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELD_NAMES + ["start", "due", "owner"]), inner, max_size=4)
    ),
    max_leaves=12,
)
front_matter = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=10)


def check_text(path: str, etype: str, stem: str, text: str) -> list[Problem]:
    raw, problems = parse_front_matter(path, text)
    if raw is None:
        return problems
    return validate_entry(raw, ENTRY_TYPES[etype], stem, VOCAB)[1]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter, st.sampled_from(sorted(ENTRY_TYPES)))
def test_random_front_matter_gives_plain_problems(meta, etype):
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nBody.\n"
    stem = "2026-03-12" if etype == "minutes" else "2026-03-x" if etype == "research" else "x"
    problems = check_text(f"content/minutes/equity/{stem}.md" if etype == "minutes" else "content/x.md", etype, stem, text)
    for p in problems:
        assert isinstance(p, Problem) and p.message and p.severity in ("error", "warning")
        assert "Traceback" not in p.format()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    text, problems = decode("x.md", b"---\n" + data)
    if text is not None:
        _raw, problems = parse_front_matter("x.md", text)
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_random_text_never_raises(text):
    raw, problems = parse_front_matter("x.md", "---\n" + text + "\n---\nbody")
    assert raw is not None or problems


HOSTILE = {
    "billion-laughs": "---\na: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "---\nx",
    "deep-list": "---\ntitle: " + "[" * 100000 + "\n---\nx",
    "deep-map": "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)) + "---\nx",
    "python-tag": "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\nx",
    "huge-key": "---\n" + "k" * 100000 + ": 1\n---\nx",
    "tabs": "---\ntitle:\tA\n\tsummary: B\n---\nx",
    "binary": "\x00\x01\x02PNG\x00",
}


def test_hostile_files_give_plain_problems_without_building_what_they_ask_for(monkeypatch):
    """Each hostile file is refused in plain words; the ones that would take memory or time (alias bombs, deep
    nesting) are refused before YAML builds a single value from them: counted, not timed."""
    from kb.content import source

    built = []
    real = source._Loader.construct_document
    monkeypatch.setattr(source._Loader, "construct_document", lambda self, node: built.append(1) or real(self, node))
    refused_before_building = {"billion-laughs", "deep-list", "deep-map", "binary"}
    for name, text in HOSTILE.items():
        built.clear()
        decoded, problems = decode(f"{name}.md", text.encode())
        if decoded is not None:
            raw, problems = parse_front_matter(f"{name}.md", decoded)
            if raw is not None:
                problems = validate_entry(raw, ENTRY_TYPES["case-study"], name, VOCAB)[1]
        assert problems, f"{name} was accepted"
        assert all(p.message and p.hint for p in problems if p.severity == "error"), name
        if name in refused_before_building:
            assert built == [], f"{name}: YAML values were built before it was refused"
