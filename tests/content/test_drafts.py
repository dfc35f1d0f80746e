"""`kb new` and its templates: valid drafts for every type, generated from the content model."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.content.drafts import PROMPT, NewEntry, slugify, template_text, uncomment_hints
from kb.content.model import ENTRY_TYPES, TYPE_FIELDS
from kb.content.tags import load_tags
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 23)
OPTIONS = {"minutes": ["--date", "2026-12-03"], "research": ["--month", "2026-11"]}


def run(project, *args, input=None):
    return CliRunner().invoke(main, ["--project", str(project), *args], input=input, env={"KB_TODAY": "2026-11-23"})


def check_json(project, *files):
    result = run(project, "check", "--json", *files)
    return result.exit_code, json.loads(result.output)


@pytest.fixture
def starter(tmp_path):
    """A copy of the starter project (content, register and mkdocs.yml)."""
    root = tmp_path / "starter"
    root.mkdir()
    for name in ("content", "register"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_slugify_makes_clean_file_names():
    assert slugify("Oracy: a review!") == "oracy-a-review"
    assert slugify("Élan — café  culture") == "elan-cafe-culture"
    assert slugify("  ") == "entry"
    long = slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")


@pytest.mark.parametrize("entry_type", list(ENTRY_TYPES))
def test_kb_new_writes_a_draft_that_kb_check_accepts(starter, entry_type):
    args = ["new", entry_type, "--title", "Reading aloud in Year 3"] + OPTIONS.get(entry_type, [])
    if entry_type != "network":
        args += ["--network", "equity"]
    result = run(starter, *args)
    assert result.exit_code == 0, result.output
    entry = NewEntry(
        entry_type,
        "Reading aloud in Year 3",
        None if entry_type == "network" else "equity",
        dt.date(2026, 12, 3) if entry_type == "minutes" else TODAY,
        "2026-11" if entry_type == "research" else None,
    )
    written = starter / entry.path
    assert written.exists(), result.output
    assert f"Wrote {entry.path}" in result.output
    assert f"http://127.0.0.1:8000/{entry.url}" in result.output
    text = written.read_text(encoding="utf-8")
    assert "status: draft" in text and 'title: "Reading aloud in Year 3"' in text
    code, problems = check_json(starter, entry.path)
    assert code == 0, problems
    assert all(p["severity"] == "warning" and PROMPT in p["message"] for p in problems), problems
    # every optional field of the model is offered as a commented hint, with its help
    for spec in TYPE_FIELDS[entry_type]:
        if not spec.required:  # (minutes: agenda and attendees are written out, carried from the last meeting)
            assert f"# {spec.name}:" in text or f"\n{spec.name}:  # {spec.help} Carried from the last meeting" in text, spec.name
            assert spec.help in text


@pytest.mark.parametrize("entry_type", list(ENTRY_TYPES))
def test_every_hint_switched_on_is_still_valid(starter, entry_type):
    """Removing the '# ' of every hint gives a file that passes: the hints are real examples."""
    entry = NewEntry(
        entry_type,
        "Hints on",
        None if entry_type == "network" else "equity",
        TODAY,
        "2026-11" if entry_type == "research" else None,
    )
    path = starter / entry.path
    path.parent.mkdir(parents=True, exist_ok=True)
    tags = tuple(load_tags(starter)[0])
    path.write_text(uncomment_hints(template_text(entry, tags=tags)), encoding="utf-8")
    _code, problems = check_json(starter, entry.path)
    assert [p for p in problems if p["severity"] == "error"] == [], problems


def test_prompts_left_in_a_published_entry_are_errors(starter):
    run(starter, "new", "case-study", "--title", "Left as is", "--network", "equity")
    path = starter / "content/case-studies/left-as-is.md"
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    code, problems = check_json(starter, "content/case-studies/left-as-is.md")
    assert code == 1
    summary = next(p for p in problems if p["field"] == "summary")
    assert summary["severity"] == "error" and summary["line"] == 3
    assert summary["message"] == "still has the template's 'Write here: …' prompt."
    text = next(p for p in problems if p["field"] == "text")
    assert text["message"] == "still has 4 'Write here: …' prompt(s) from the template."


def test_filled_in_draft_passes_strict(starter):
    run(starter, "new", "case-study", "--title", "Filled in", "--network", "send")
    path = starter / "content/case-studies/filled-in.md"
    text = path.read_text()
    text = text.replace(
        '"Write here: one or two plain sentences, at most 300 characters; shown in listings, feeds and search."',
        '"Three schools shared one reading list."',
    )
    text = "\n".join("We did it together." if line.startswith(PROMPT) else line for line in text.split("\n"))
    path.write_text(text)
    result = run(starter, "check", "--strict", "content/case-studies/filled-in.md")
    assert result.exit_code == 0, result.output
    assert "1 files checked, 0 error(s), 0 warning(s)." in result.output


def test_kb_new_refuses_to_overwrite(starter):
    target = starter / "content/case-studies/transition-coaching.md"
    before = target.read_text()
    result = run(starter, "new", "case-study", "--title", "Transition coaching", "--network", "equity")
    assert result.exit_code == 1
    assert "content/case-studies/transition-coaching.md already exists, and kb new never overwrites a file" in result.output
    assert target.read_text() == before


def test_kb_new_refuses_a_name_another_type_already_uses(starter):
    result = run(starter, "new", "register-entry", "--title", "Transition coaching", "--network", "equity")
    assert result.exit_code == 1
    assert "content/case-studies/transition-coaching.md already uses the name 'transition-coaching'" in result.output
    assert not (starter / "register/transition-coaching.md").exists()


def test_kb_new_asks_for_what_it_needs(starter):
    # minutes: the title first (Enter gives the usual one), the network (from the project's networks), the meeting date
    result = run(starter, "new", "minutes", input="\nequit\nequity\n2026-13-01\n2026-12-03\n")
    assert result.exit_code == 0, result.output
    assert result.output.index("Title") < result.output.index("Network (") < result.output.index("Meeting date")
    assert "Network (" in result.output and "send" in result.output  # the choices are shown
    assert "is not one of" in result.output  # a typo is asked again
    assert "not a date" in result.output or "not a real calendar date" in result.output
    text = (starter / "content/minutes/equity/2026-12-03.md").read_text()
    assert 'title: "Equity Network meeting, 3 December 2026"' in text
    assert "date: 2026-12-03" in text


def test_kb_new_research_asks_for_the_month(starter):
    result = run(starter, "new", "research", "--network", "equity", input="Talk for writing\n2026-10\n")
    assert result.exit_code == 0, result.output
    assert (starter / "content/research/2026-10-talk-for-writing.md").exists()


def test_kb_new_rejects_unknown_network_with_a_suggestion(starter):
    result = run(starter, "new", "case-study", "--title", "X y", "--network", "equality")
    assert result.exit_code == 1
    assert "'equality' is not a network of this project" in result.output and "did you mean 'equity'?" in result.output


def test_kb_new_rejects_a_badly_written_date(starter):
    result = run(starter, "new", "minutes", "--network", "equity", "--date", "3/12/2026", "--title", "Meeting")
    assert result.exit_code == 1
    assert "'3/12/2026' is not a date: dates are written 2026-03-12" in result.output


def test_kb_new_works_in_the_small_project_fixture(project):
    result = run(project.root, "new", "case-study", "--title", "Small one", "--network", "send")
    assert result.exit_code == 0, result.output
    assert not [p for p in project.problems() if p.severity == "error"]


def test_kb_new_minutes_starts_from_the_last_meeting(starter):
    result = CliRunner().invoke(
        main,
        [
            "--project",
            str(starter),
            "new",
            "minutes",
            "--network",
            "equity",
            "--date",
            "2026-12-01",
            "--title",
            "Equity network meeting",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (starter / "content/minutes/equity/2026-12-01.md").read_text(encoding="utf-8")
    import yaml

    meta = yaml.safe_load(text.split("---")[1])
    assert meta["agenda"][0] == "Matters arising from 8 October"
    carried = [item for item in meta["agenda"] if item.startswith("Matters arising: ")]
    assert carried and any("baseline attendance data" in item for item in carried)
    assert all("Write here" not in item for item in meta["agenda"])
    assert "Pupil premium lead, Westbrook Academy" in meta["attendees"]
    check = CliRunner().invoke(main, ["--project", str(starter), "check", str(starter / "content/minutes/equity/2026-12-01.md")])
    assert "0 error(s)" in check.output


def test_kb_new_minutes_without_a_previous_meeting_has_a_plain_agenda(starter):
    result = CliRunner().invoke(
        main,
        [
            "--project",
            str(starter),
            "new",
            "minutes",
            "--network",
            "culture-arts",
            "--date",
            "2026-12-01",
            "--title",
            "Culture network meeting",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (starter / "content/minutes/culture-arts/2026-12-01.md").read_text(encoding="utf-8")
    assert "Carried from the last meeting" not in text


@pytest.mark.parametrize("entry_type", ["case-study", "minutes", "research", "learning-summary"])
def test_kb_new_with_title_and_network_asks_nothing(starter, entry_type):
    """Runs unattended: no input at all, and the date or month default to today."""
    result = run(starter, "new", entry_type, "--title", "Unattended one", "--network", "equity", input="")
    assert result.exit_code == 0, result.output
    assert "Title" not in result.output and "Meeting date" not in result.output and "Month of" not in result.output
    assert result.output.startswith("Wrote ")
    if entry_type == "minutes":
        assert (starter / "content/minutes/equity/2026-11-23.md").exists()
    if entry_type == "research":
        assert (starter / "content/research/2026-11-unattended-one.md").exists()


def test_kb_new_without_anyone_to_answer_says_which_options_to_give(starter):
    result = run(starter, "new", "case-study", input="")  # stdin at its end: a script, not a person
    assert result.exit_code == 1
    assert (
        'To run kb new without questions, give the title and network: kb new case-study --title "Reading aloud"' in result.output
    )
    assert not list((starter / "content/case-studies").glob("reading*"))


def test_kb_new_prints_the_address_of_the_running_preview(starter):
    from kb.building import address

    address.remember(starter, 8123)  # as kb serve --port 8123 does; this test's process stands for it
    try:
        result = run(starter, "new", "case-study", "--title", "On another port", "--network", "equity")
    finally:
        address.forget(starter)
    assert "Preview: http://127.0.0.1:8123/case-studies/on-another-port/\n" in result.output
    result = run(starter, "new", "case-study", "--title", "No preview running", "--network", "equity")
    assert "Preview: http://127.0.0.1:8000/case-studies/no-preview-running/  (start the preview first:" in result.output


def test_a_note_left_by_a_preview_that_died_is_not_believed(starter, monkeypatch):
    from kb.building import address

    address.remember(starter, 8123)
    monkeypatch.setattr(address.os, "getpid", lambda: 2**22 + 7)  # no such process
    address.remember(starter, 8123)
    try:
        assert address.running_port(starter) is None
    finally:
        address.forget(starter)


def test_kb_new_names_kb_as_the_contributor_can_type_it(starter, monkeypatch):
    import kb.cli.common

    monkeypatch.setattr(kb.cli.common.shutil, "which", lambda name: None)  # virtual environment not activated
    monkeypatch.chdir(ROOT)
    result = run(starter, "new", "case-study", "--title", "Typed as shown", "--network", "equity")
    assert "run  .venv/bin/kb check content/case-studies/typed-as-shown.md" in result.output
    assert "(start the preview first: .venv/bin/kb serve)" in result.output
    monkeypatch.setattr(kb.cli.common.shutil, "which", lambda name: str(ROOT / ".venv/bin/kb"))  # activated
    result = run(starter, "new", "case-study", "--title", "Typed plainly", "--network", "equity")
    assert "run  kb check content/case-studies/typed-plainly.md" in result.output
