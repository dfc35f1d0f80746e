"""`kb check` accepts only what the build can publish: random Unicode (control characters, non-characters,
lone surrogates, line separators, right-to-left marks, combining marks, emoji...) in every text field of
every type of entry, and in their text, either gives an error in `kb check` or lets `kb check`, `kb build`
and the preview all succeed. The text fields are read from the content model, so a new one is covered.

Each example builds a small project twice (about 5 s), so the examples are bounded (CI stays well under
its 30 minutes); the characters that broke the build before are given as explicit examples.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.cli.main import main
from kb.content.model import TYPE_FIELDS, Field
from tests.conftest import MINI_NETWORK, MINI_TAGS, ROOT

TEXT_KINDS = ("text", "plain")
BASES: dict[str, tuple[str, dict[str, Any]]] = {  # one valid published entry of each type; its text fields are replaced
    "case-study": ("content/case-studies/prop-case.md", {"approach": "enquiring"}),
    "minutes": (
        "content/minutes/equity/2026-10-01.md",
        {
            "date": "2026-10-01",
            "meeting": {"start": '"16:00"', "end": '"17:00"', "format": "in-person"},
            "actions": [{"due": "2026-12-01", "status": "open"}],
            "next_meeting": "2026-12-10",
            "papers": [{"url": "https://example.org/paper.pdf"}],
            "approved": {"date": "2026-10-08"},
        },
    ),
    "research": ("content/research/2026-10-prop-reading.md", {"month": '"2026-10"', "reading": {"year": 2020}}),
    "learning-summary": ("content/summaries/prop-summary.md", {"period": {"from": "2026-09-01", "to": "2026-10-31"}}),
    "register-entry": ("register/prop-offer.md", {"offered_by": {}}),
    "network": (
        "content/networks/prop-net.md",
        {"model": "loose", "stage": "connecting", "functions": "[peer-support]", "phases": "[primary]"},
    ),
}
COMMON = {"date": "2026-10-01", "networks": "[equity]", "status": "published"}
# Text fields that name something else (other minutes, an action of theirs, a file beside the minutes): not free text.
REFERENCES = (("approves",), ("papers", "file"), ("updates",))


def text_slots(specs: tuple[Field, ...], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """(path of keys, kind) of every text field of the model, nested ones included."""
    slots = []
    for spec in specs:
        path = (*prefix, spec.name)
        if any(path[: len(ref)] == ref for ref in REFERENCES):
            continue
        if spec.kind in TEXT_KINDS or spec.kind == "text-list":
            slots.append((path, spec.kind))
        elif spec.kind in ("mapping", "records"):
            slots += text_slots(spec.fields, path)
    return slots


SLOTS = {etype: text_slots(TYPE_FIELDS[etype]) for etype in BASES}
COUNT = sum(len(slots) + 1 for slots in SLOTS.values())  # + the entry's text

# PyYAML reads these characters as they are inside quotes; every other one is written as an escape.
_PLAIN_OK = {chr(c) for c in range(0x20, 0x7F)} - {'"', "\\"}


def quoted(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _PLAIN_OK or (
            code >= 0xA0 and not 0xD800 <= code <= 0xDFFF and code not in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        ):
            out.append(ch)
        elif ch in '"\\':
            out.append("\\" + ch)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if isinstance(value, tuple):  # a text: quoted with escapes
        return quoted(value[0])
    return str(value)


def put(meta: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set a text at a path of keys; inside records (actions) the first record."""
    here: Any = meta
    for key in path[:-1]:
        here = here.setdefault(key, {})
        if isinstance(here, list):
            here = here[0]
    here[path[-1]] = value


def entry_file(etype: str, texts: list[str]) -> tuple[str, str]:
    path, extra = BASES[etype]
    meta: dict[str, Any] = {} if etype == "network" else dict(COMMON)
    meta.update(
        {k: (dict(v) if isinstance(v, dict) else [dict(r) for r in v] if isinstance(v, list) else v) for k, v in extra.items()}
    )
    if etype == "network":
        meta["status"] = "published"
    for (slot, kind), text in zip(SLOTS[etype], texts, strict=False):
        put(meta, slot, [(text,), ("B " + text,)] if kind == "text-list" else (text,))
    body = texts[len(SLOTS[etype])]
    return path, "---\n" + "\n".join(f"{k}: {flow(v)}" for k, v in meta.items()) + "\n---\n" + body.replace("\r", "") + "\n"


def make_project(root: Path, texts: list[str]) -> None:
    (root / "content/networks").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "register").mkdir()
    (root / "content/tags.yml").write_text(MINI_TAGS, encoding="utf-8")
    (root / "content/networks/equity.md").write_text(MINI_NETWORK.format(title="Equity"), encoding="utf-8")
    at = 0
    for etype in BASES:
        n = len(SLOTS[etype]) + 1
        path, text = entry_file(etype, texts[at : at + n])
        at += n
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8", errors="surrogatepass")


def _text(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A letter first, so that no field is simply empty (an error tested elsewhere, which would prove little here)."""
    return st.builds(
        lambda first, rest: first + rest, st.sampled_from(["A", "é", "Ж"]), st.text(alphabet=characters, max_size=24)
    )


def _character(c: str) -> bool:
    return not (0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE)


ANY_TEXT = _text(st.characters(codec=None, exclude_categories=()))  # surrogates, controls, non-characters, unassigned...
# Everything kb check should let through (format characters, private use, unassigned code points, line
# separators...): half the examples use only these, so that the build, not only the check, meets random text.
PUBLISHABLE_TEXT = _text(st.characters(codec=None, exclude_categories=("Cc", "Cs")).filter(_character))
TEXTS = st.booleans().flatmap(lambda hostile: st.lists(ANY_TEXT if hostile else PUBLISHABLE_TEXT, min_size=COUNT, max_size=COUNT))
KNOWN = [
    "\x1b[31m",
    "\x07",
    "\x0b",
    "\x7f",
    "\x00",
    "\ufffe",
    "\ud800",
    "\u2028",
    "\u202e",
    "e\u0301",
    "😀",
    "<script>",
    "]]>",
    "&amp;",
]


def check_build_and_preview(texts: list[str]) -> bool:
    """True when kb check accepted the texts and the build and the preview succeeded; False when kb check
    refused them in words; anything else (a traceback, a failed build) fails the test."""
    from mkdocs.commands.build import build as mkdocs_build

    from kb.building.runner import build_site, load_site_config

    root = Path(tempfile.mkdtemp(prefix="kb-unicode-"))
    try:
        make_project(root / "project", texts)
        checked = CliRunner().invoke(main, ["--project", str(root / "project"), "check"])
        assert checked.exception is None or isinstance(checked.exception, SystemExit), checked.exception
        assert "Traceback" not in checked.output
        if checked.exit_code != 0:
            assert "error(s)" in checked.output and " 0 error(s)" not in checked.output  # refused, in words
            return False
        build_site(root / "project/mkdocs.yml", root / "site")  # raises on any failure
        assert (root / "site/case-studies/prop-case/index.html").exists() and (root / "site.search/kb-search.json").exists()
        config = load_site_config(root / "project/mkdocs.yml", site_dir=root / "preview", preview=True)
        config.plugins.on_startup(command="serve", dirty=False)
        mkdocs_build(config)
        assert "kb-preview-errors" not in (root / "preview/index.html").read_text(encoding="utf-8")
        return True
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_ordinary_text_in_every_field_is_published():
    """The property below is not empty: texts of every script, and markup-like text, pass and build."""
    assert check_build_and_preview(["Plain text"] * COUNT)
    assert check_build_and_preview([f"{word} é 教育 😀 e\u0301" for word in ("<script>", "]]>", "&amp;", "O'Brien")] * COUNT)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@example(texts=["Plain text"] * COUNT)
@example(texts=[KNOWN[i % len(KNOWN)] + " x" for i in range(COUNT)])
@example(texts=["A \u2028 B \u202e C \u00a0 D 😀 e\u0301"] * COUNT)
@given(texts=TEXTS)
def test_random_unicode_in_every_text_field_is_refused_or_published(texts):
    check_build_and_preview(texts)
