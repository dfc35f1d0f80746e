"""loader: a whole project read, checked and linked once; every fault a Problem; the caller's checks run over every entry.

These call kb.content.loader.load_project itself (no feature checks); tests/test_project.py covers kb.project."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.content.drafts import PROMPT
from kb.content.loader import discover, load_project
from kb.content.model import ENTRY_TYPES
from kb.content.problems import Problem
from tests.factories import REGISTER, case

SUMMARY = """---
title: Spring summary
summary: What we learned.
date: 2026-04-01
networks: [equity]
status: published
period: {from: 2026-01-05, to: 2026-03-27}
sources:
  - coaching-year-7
  - case-studies/no-such-study
---
Summary.
"""

MINUTES = """---
title: Equity meeting
summary: Autumn meeting.
date: 2026-03-12
networks: [{network}]
status: published
---
Notes.
"""


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# -- discover ----------------------------------------------------------------------------------


def test_discover_finds_every_entry_file_with_its_type_in_a_stable_order(project):
    project.write("content/minutes/equity/2026-03-12.md", MINUTES.format(network="equity"))
    project.write("register/peer-coaching.md", REGISTER)
    project.write("content/case-studies/a-first.md", case())
    project.write("content/case-studies/notes.txt", "not an entry")
    project.write("content/about/network-models.md", "# Not an entry folder\n")
    found, problems = discover(project.root)
    assert problems == []
    assert [(rel, etype.name) for rel, etype in found] == [
        ("content/networks/equity.md", "network"),
        ("content/networks/send.md", "network"),
        ("content/case-studies/a-first.md", "case-study"),
        ("content/case-studies/coaching-year-7.md", "case-study"),
        ("content/minutes/equity/2026-03-12.md", "minutes"),
        ("register/peer-coaching.md", "register-entry"),
    ]
    assert all(etype is ENTRY_TYPES[etype.name] for _, etype in found)


@pytest.mark.parametrize(
    "rel, label, where",
    [
        ("content/case-studies/old/coaching.md", "case study", "content/case-studies/<slug>.md"),
        ("register/2026/peer-coaching.md", "good practice", "register/<slug>.md"),
        ("content/minutes/2026-03-12.md", "minutes", "content/minutes/<network-id>/<YYYY-MM-DD>.md"),
        ("content/minutes/equity/2026/2026-03-12.md", "minutes", "content/minutes/<network-id>/<YYYY-MM-DD>.md"),
    ],
    ids=["case-too-deep", "register-too-deep", "minutes-too-shallow", "minutes-too-deep"],
)
def test_discover_names_a_file_at_the_wrong_depth_and_leaves_it_out(project, rel, label, where):
    project.write(rel, case())
    found, (problem,) = discover(project.root)
    assert rel not in [r for r, _ in found]
    assert (problem.path, problem.line, problem.field, problem.severity) == (rel, None, "file name", "error")
    assert problem.message == f"this file is not where a {label} lives."
    assert problem.hint == f"move it to {where}."


@pytest.mark.parametrize("name", ["coaching.MD", "coaching.Md", "coaching.mD"])
def test_discover_asks_for_a_lower_case_md_ending(project, name):
    rel = f"content/case-studies/{name}"
    project.write(rel, case())
    found, (problem,) = discover(project.root)
    assert rel not in [r for r, _ in found]
    assert (problem.path, problem.field) == (rel, "file name")
    assert problem.message == "the file ending must be '.md' in lower case."
    assert problem.hint == "rename it to coaching.md."


def test_discover_copes_with_missing_folders(tmp_path):
    assert discover(tmp_path) == ([], [])


# -- load_project ------------------------------------------------------------------------------


def test_the_small_project_loads_without_problems(project):
    catalogue, problems = load_project(project.root)
    assert problems == []
    assert list(catalogue.entries) == ["case-studies/coaching-year-7", "networks/send", "networks/equity"]  # networks last
    assert catalogue.today == dt.date(2026, 11, 23)  # KB_TODAY
    assert set(catalogue.tags) == {"attendance", "coaching"}


def test_problems_of_discovery_and_of_files_are_listed_together(project):
    project.write("content/case-studies/Bad.MD", case())
    project.write("content/case-studies/coaching-year-7.md", case(tags="[coachin]"))
    _, problems = load_project(project.root)
    assert {(p.path, p.field) for p in _errors(problems)} == {
        ("content/case-studies/Bad.MD", "file name"),
        ("content/case-studies/coaching-year-7.md", "tags[0]"),
    }


def test_duplicate_slugs_across_types_name_both_files(project):
    project.write("register/coaching-year-7.md", REGISTER)
    _, problems = load_project(project.root)
    clashes = sorted((p.path, p.message) for p in problems if p.field == "file name")
    assert clashes == [
        (
            "content/case-studies/coaching-year-7.md",
            "the name 'coaching-year-7' is also used by register/coaching-year-7; bare [[coaching-year-7]] links would be ambiguous.",
        ),
        (
            "register/coaching-year-7.md",
            "the name 'coaching-year-7' is also used by case-studies/coaching-year-7; bare [[coaching-year-7]] links would be ambiguous.",
        ),
    ]
    assert all(p.severity == "error" and "more specific file name" in p.hint for p in problems if p.field == "file name")


def test_duplicate_slug_names_every_other_entry(project):
    project.write("register/coaching-year-7.md", REGISTER)
    project.write("content/summaries/coaching-year-7.md", SUMMARY.replace("  - case-studies/no-such-study\n", ""))
    _, problems = load_project(project.root)
    (problem,) = [p for p in problems if p.field == "file name" and p.path == "content/case-studies/coaching-year-7.md"]
    others = problem.message.split("also used by ", 1)[1].split(";", 1)[0]
    assert sorted(others.split(", ")) == ["register/coaching-year-7", "summaries/coaching-year-7"]


def test_minutes_of_the_same_date_in_two_networks_are_not_duplicates(project):
    project.write("content/minutes/equity/2026-03-12.md", MINUTES.format(network="equity"))
    project.write("content/minutes/send/2026-03-12.md", MINUTES.format(network="send"))
    catalogue, problems = load_project(project.root)
    assert not [p for p in problems if "also used by" in p.message]
    assert {"minutes/equity/2026-03-12", "minutes/send/2026-03-12"} <= set(catalogue.entries)


def test_checks_are_called_once_with_every_entry_drafts_included_and_today(project):
    project.write("content/case-studies/a-draft.md", case(title="A draft", status="draft"))
    project.write("content/case-studies/for-members.md", case(title="For members", visibility="members"))
    project.write("content/case-studies/broken.md", case(title=None))  # still read: a check may look at it
    calls = []

    def record(entries, today):
        calls.append(([e.ref for e in entries], today))
        return [Problem("content/case-studies/a-draft.md", None, None, "seen by the check.", severity="warning")]

    catalogue, problems = load_project(project.root, today=dt.date(2026, 1, 2), checks=[record])
    ((refs, today),) = calls
    assert sorted(refs) == [
        "case-studies/a-draft",
        "case-studies/broken",
        "case-studies/coaching-year-7",
        "case-studies/for-members",
        "networks/equity",
        "networks/send",
    ]
    assert today == dt.date(2026, 1, 2) == catalogue.today
    assert "seen by the check." in [p.message for p in problems]
    assert "case-studies/a-draft" not in catalogue.entries  # the check saw what the build does not show


def test_checks_get_the_entries_with_links_resolved(project):
    project.write("content/case-studies/linker.md", case(title="Linker").replace("We coached", "See [[coaching-year-7]]."))
    seen = {}

    def record(entries, today):
        seen.update({e.ref: e for e in entries})
        return []

    load_project(project.root, checks=[record])
    assert seen["case-studies/linker"].links == ["case-studies/coaching-year-7"]
    assert "](coaching-year-7.md)" in seen["case-studies/linker"].body


def test_every_check_runs_in_order_and_today_defaults_to_kb_today(project):
    order = []
    checks = [
        lambda entries, today: order.append(("first", today)) or [],
        lambda entries, today: order.append(("second", today)) or [],
    ]
    load_project(project.root, checks=checks)
    assert order == [("first", dt.date(2026, 11, 23)), ("second", dt.date(2026, 11, 23))]


@pytest.mark.parametrize("status, severity", [("published", "error"), ("review", "error"), ("draft", "warning")])
def test_the_placeholder_check_runs_without_being_asked(project, status, severity):
    project.write(
        "content/case-studies/left.md", case(title="Left", status=status).replace("We coached", f"{PROMPT} what changed?")
    )
    _, problems = load_project(project.root, checks=())
    (problem,) = [p for p in problems if p.field == "text"]
    assert (problem.path, problem.severity) == ("content/case-studies/left.md", severity)
    assert f"still has 1 '{PROMPT} …' prompt(s)" in problem.message


def test_tag_list_problems_are_included(project):
    (project.root / "content" / "tags.yml").unlink()
    _, problems = load_project(project.root)
    assert [(p.path, p.severity) for p in problems if p.path == "content/tags.yml"] == [("content/tags.yml", "warning")]
    assert any(p.field == "tags[0]" and "not a known tag" in p.message for p in problems)  # coaching is no longer known


def test_term_problems_are_included_and_judged_against_today(project):
    project.write("content/terms.yml", "2025-26:\n  autumn: {start: 2025-09-03, end: 2025-12-19}\n")
    _, problems = load_project(project.root)
    assert any(p.path == "content/terms.yml" and p.severity == "error" and "is missing" in p.message for p in problems)
    good = (
        "2025-26:\n  autumn: {start: 2025-09-03, end: 2025-12-19}\n  spring: {start: 2026-01-05, end: 2026-03-27}\n"
        "  summer: {start: 2026-04-13, end: 2026-07-22}\n"
    )
    project.write("content/terms.yml", good)
    catalogue, problems = load_project(project.root, today=dt.date(2026, 11, 23))
    assert [p.severity for p in problems if p.path == "content/terms.yml"] == ["warning"]  # the terms have run out
    assert [t.id for t in catalogue.terms] == ["autumn-2025", "spring-2026", "summer-2026"]
    _, problems = load_project(project.root, today=dt.date(2026, 1, 10))
    assert not [p for p in problems if p.path == "content/terms.yml"]


def test_sources_resolve_like_wiki_links_and_count_as_links(project):
    project.write("content/summaries/spring-2026.md", SUMMARY)
    catalogue, problems = load_project(project.root)
    (problem,) = _errors(problems)
    assert (problem.path, problem.line, problem.field) == ("content/summaries/spring-2026.md", 10, "sources[1]")
    assert problem.message.startswith("'case-studies/no-such-study' is not an entry: there is no entry")
    assert catalogue.entries["summaries/spring-2026"].links == ["case-studies/coaching-year-7"]
    assert catalogue.backlinks["case-studies/coaching-year-7"] == ["summaries/spring-2026"]


def test_a_published_entry_linking_to_a_members_one_is_an_error(project):
    project.write("content/case-studies/private.md", case(title="Private", visibility="members"))
    project.write("content/case-studies/linker.md", case(title="Linker").replace("We coached", "See [[private]]."))
    _, problems = load_project(project.root)
    (problem,) = _errors(problems)
    assert problem.path == "content/case-studies/linker.md" and "which is for members only" in problem.message


@pytest.mark.parametrize(
    "options, shown",
    [
        ({}, {"case-studies/coaching-year-7"}),
        ({"members": True}, {"case-studies/coaching-year-7", "case-studies/private"}),
        ({"preview": True}, {"case-studies/coaching-year-7", "case-studies/private", "case-studies/a-draft"}),
    ],
    ids=["public", "members", "preview"],
)
def test_the_catalogue_holds_only_what_this_build_may_show(project, options, shown):
    project.write("content/case-studies/private.md", case(title="Private", visibility="members"))
    project.write("content/case-studies/a-draft.md", case(title="A draft", status="draft"))
    catalogue, _ = load_project(project.root, **options)
    assert {e.ref for e in catalogue.of_type("case-study")} == shown
    assert (catalogue.members, catalogue.preview) == (options.get("members", False), options.get("preview", False))


def test_minutes_in_a_folder_that_is_not_a_network_id_are_named(project):
    project.write("content/minutes/Equity/2026-03-12.md", MINUTES.format(network="equity"))
    _, problems = load_project(project.root)
    assert any(
        p.path == "content/minutes/Equity/2026-03-12.md" and p.message == "the folder 'Equity' is not a network id."
        for p in problems
    )


# -- moved from tests/content/test_catalogue.py: link rewriting through load_project ----------


def test_register_links_are_rewritten_relative_to_generated_pages(project):
    project.write(
        "register/peer-offer.md",
        "---\ntitle: Offer\nsummary: S.\ndate: 2026-01-01\nnetworks: [equity]\nstatus: published\n"
        "area: Coaching\noffered_by: {organisation: Northgate}\n---\nSee [[case-studies/coaching-year-7]] and [x](../content/case-studies/coaching-year-7.md#what).\n",
    )
    body = load_project(project.root)[0].entries["register/peer-offer"].body
    assert "](../case-studies/coaching-year-7.md)" in body and "](../case-studies/coaching-year-7.md#what)" in body


def test_links_in_code_are_left_alone(project):
    project.write(
        "content/case-studies/code.md", case(title="Code").replace("We coached", "Write `[[case-studies/nope]]` like this.")
    )
    assert not [p for p in load_project(project.root)[1] if p.severity == "error"]
