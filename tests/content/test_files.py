"""content/files.py: every file under content/ and register/ gets its place in the model, or a plain problem;
no link is ever followed."""

from __future__ import annotations

import os
import time

import pytest

from kb.content.files import scan
from kb.project import load_project
from tests.factories import case


def _by_path(problems):
    return {p.path: p for p in problems}


@pytest.fixture(autouse=True)
def page_folders(project):
    for folder in ("content/about", "content/contribute"):
        (project.root / folder).mkdir(parents=True, exist_ok=True)


def test_the_small_project_has_every_file_in_its_place(project):
    project.write("content/about/approaches.md", "---\ntitle: Approaches\n---\n# Approaches\n")
    project.write("content/contribute/images/shot.png", b"\x89PNG\r\n")
    files = scan(project.root)
    assert files.problems == [] and files.links == []
    assert sorted(files.pages) == ["content/about/approaches.md", "content/index.md"]
    assert files.static == ["content/contribute/images/shot.png"]
    assert ("content/case-studies/coaching-year-7.md", "case-study") in [(r, t.name) for r, t in files.entries]
    assert files.published() == {"about/approaches.md", "index.md", "contribute/images/shot.png"}


def test_the_data_files_are_read_not_published_and_not_warned_about(project):
    project.write("content/organisations.yml", "Westbrook Academy: [Westbrook]\n")
    files = scan(project.root)
    assert not [p for p in files.problems if p.path.endswith(".yml")]
    assert not [rel for rel in files.published() if rel.endswith(".yml")]


def test_a_linked_file_is_an_error_and_is_never_read(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETWORD")
    os.symlink(secret, project.root / "content/about/passwords.md")
    os.symlink(secret, project.root / "content/case-studies/linked.md")
    os.symlink("/etc/passwd", project.root / "content/contribute/passwd.png")
    files = scan(project.root)
    found = _by_path(files.links)
    assert set(found) == {"content/about/passwords.md", "content/case-studies/linked.md", "content/contribute/passwd.png"}
    for p in found.values():
        assert p.severity == "error" and "symbolic link" in p.message and p.hint
    assert str(secret) in found["content/about/passwords.md"].message  # names where it points
    assert files.pages == ["content/index.md"] and files.static == []
    assert "content/case-studies/linked.md" not in [r for r, _ in files.entries]
    catalogue, problems = load_project(project.root)
    assert "case-studies/linked" not in catalogue.entries
    assert all("SECRETWORD" not in p.format() for p in problems)


def test_a_linked_folder_is_an_error_and_is_not_walked(project):
    drafts = project.root / "drafts"
    drafts.mkdir()
    (drafts / "hidden.md").write_text(case(status="draft"))
    os.symlink(drafts, project.root / "content/about/more")
    os.symlink(project.root / "content/case-studies", project.root / "content/mirror")
    files = scan(project.root)
    assert sorted(p.path for p in files.links) == ["content/about/more", "content/mirror"]
    assert not any("hidden" in rel or "mirror" in rel for rel in files.pages + files.static + [r for r, _ in files.entries])


def test_a_loop_of_linked_folders_is_named_at_once(project):
    os.symlink("..", project.root / "content/about/loop")
    os.symlink(project.root / "content", project.root / "content/contribute/again")
    started = time.process_time()
    files = scan(project.root)
    assert time.process_time() - started < 5  # a bound for a hang, not a benchmark: the walk never enters a link
    assert sorted(p.path for p in files.links) == ["content/about/loop", "content/contribute/again"]


def test_content_or_register_itself_as_a_link_is_an_error(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (project.root / "register").rmdir()
    elsewhere.mkdir()
    os.symlink(elsewhere, project.root / "register")
    assert [p.path for p in scan(project.root).links] == ["register"]


def test_a_pipe_is_not_read(project):
    os.mkfifo(project.root / "content/about/pipe.md")
    files = scan(project.root)
    (problem,) = files.links
    assert problem.path == "content/about/pipe.md" and "not an ordinary file" in problem.message


@pytest.mark.parametrize(
    "rel, text, hint",
    [
        ("content/x.md", case(), "type case-study (case study): move it to content/case-studies/x.md."),
        (
            "content/networks-old/2026-03-12.md",
            "---\ntitle: M\nmeeting: {start: '16:00'}\n---\nText\n",
            "type minutes (minutes): move it to content/minutes/<network-id>/<YYYY-MM-DD>.md.",
        ),
        (
            "content/offer.md",
            "---\ntitle: O\narea: x\n---\nText\n",
            "type register-entry (good practice): move it to register/offer.md.",
        ),
        ("content/notes.md", "# Notes\n", "if it is an entry"),
        ("content/about/deeper/page.md", "# Deeper\n", "content/about/ or content/contribute/"),
        ("content/draft.md", "---\ntitle: D\nstatus: draft\n---\nText\n", "it looks like an entry"),
    ],
)
def test_markdown_without_a_place_is_an_error_saying_where_it_belongs(project, rel, text, hint):
    project.write(rel, text)
    files = scan(project.root)
    (problem,) = files.problems
    assert (problem.path, problem.severity, problem.field) == (rel, "error", "file name")
    assert "no place in the site" in problem.message
    assert hint in problem.hint
    assert rel not in files.pages


@pytest.mark.parametrize("name", ["page.markdown", "page.mdown", "page.MD", "page.mkd"])
def test_other_markdown_endings_are_errors(project, name):
    project.write(f"content/about/{name}", "# Page\n")
    (problem,) = scan(project.root).problems
    assert problem.severity == "error" and "ending must be '.md'" in problem.message
    assert problem.hint == "rename it to page.md."


@pytest.mark.parametrize(
    "name, words",
    [
        ("index.md~", "backup"),
        ("guide.md.orig", "backup"),
        ("guide.bak", "backup"),
        ("#guide.md#", "backup"),
        ("budget.xlsx", "office document"),
        ("minutes.docx", "office document"),
        ("evil.html", "not a picture or a PDF"),
        ("picture.svg", "not a picture or a PDF"),
        ("script.js", "not a picture or a PDF"),
    ],
)
def test_other_files_are_warnings_and_never_published(project, name, words):
    project.write(f"content/about/{name}", "<script>alert(1)</script>")
    files = scan(project.root)
    (problem,) = files.problems
    assert (problem.path, problem.severity) == (f"content/about/{name}", "warning")
    assert words in problem.message and "not published" in problem.message
    assert f"about/{name}" not in files.published()


def test_hidden_files_outside_entry_folders_are_left_alone(project):
    project.write("content/about/.DS_Store", b"\x00\x01")
    project.write("content/.obsidian/workspace.json", "{}")
    files = scan(project.root)
    assert files.problems == [] and files.static == []


def test_files_in_entry_folders_that_are_not_markdown_are_not_entries(project):
    project.write("content/case-studies/notes.txt", "not an entry")
    files = scan(project.root)
    assert files.problems == [] and "content/case-studies/notes.txt" not in files.published()
