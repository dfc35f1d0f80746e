"""Hand-written pages are always public: one that asks to be a draft or members-only is refused, and the
YAML and character rules of entries apply to them too."""

from __future__ import annotations

import pytest

from kb.content.pages import check_page
from kb.project import load_project


@pytest.mark.parametrize(
    "line, field", [("status: draft", "status"), ("status: review", "status"), ("visibility: members", "visibility")]
)
def test_a_page_that_asks_to_be_hidden_is_refused(project, line, field):
    project.write("content/about/plans.md", f"---\ntitle: Plans\n{line}\n---\n# Plans\n\nSecret plans.\n")
    (problem,) = check_page(str(project.root), "content/about/plans.md")
    assert (problem.path, problem.line, problem.field, problem.severity) == ("content/about/plans.md", 3, field, "error")
    assert "always published for everyone" in problem.message and "entry" in problem.hint
    assert problem in load_project(project.root)[1]


def test_a_page_may_say_what_is_true_of_every_page(project):
    project.write("content/about/plans.md", "---\ntitle: Plans\nstatus: published\nvisibility: public\n---\n# Plans\n")
    assert check_page(str(project.root), "content/about/plans.md") == []


def test_a_page_without_front_matter_is_fine(project):
    project.write("content/about/plain.md", "# Plain\n\nText.\n")
    assert check_page(str(project.root), "content/about/plain.md") == []


def test_a_page_with_a_key_twice_is_an_error(project):
    project.write("content/about/plans.md", "---\ntitle: Plans\ntitle: Other\n---\n# Plans\n")
    (problem,) = check_page(str(project.root), "content/about/plans.md")
    assert "written twice" in problem.message and problem.line == 3


def test_a_control_character_in_a_page_is_an_error_naming_its_line(project):
    project.write("content/about/plans.md", "---\ntitle: Plans\n---\n# Plans\n\nBell \x07 here.\n")
    (problem,) = check_page(str(project.root), "content/about/plans.md")
    assert problem.line == 6 and "U+0007" in problem.message and "\x07" not in problem.format()
