"""The adversarial cases of issue 18, each rebuilt as a fixture: every one gives a plain message or a clean
build. Zero tracebacks, zero files from outside the project in any output, zero marker words of an
unpublished entry or page in any public output, its search index or the build log."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.search.index import index_dir_for
from tests.factories import case

MARK = "Zebrafinchleak"  # in every unpublished text of these fixtures
KB = Path(sys.executable).with_name("kb")


def kb(project, *args: str):
    result = CliRunner().invoke(main, ["--project", str(project.root), *args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit)), (
        result.output,
        result.exception,
    )
    return result


def everything(site: Path) -> bytes:
    """Every byte the build wrote: the site and its search index."""
    return b"\n".join(p.read_bytes() for folder in (site, index_dir_for(site)) for p in sorted(folder.rglob("*")) if p.is_file())


def refused(project, path: str, words: str, tmp_path: Path) -> None:
    """kb check names the file with an error, and kb build says the same and writes nothing."""
    checked = kb(project, "check")
    assert checked.exit_code == 1 and path in checked.output and words in checked.output, checked.output
    built = kb(project, "build", "--site-dir", str(tmp_path / "site"))
    assert built.exit_code == 1 and "The site was not built" in built.output and path in built.output, built.output
    assert not (tmp_path / "site").exists() and not index_dir_for(tmp_path / "site").exists()


def built_cleanly(project, tmp_path: Path) -> Path:
    result = kb(project, "build", "--site-dir", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    return tmp_path / "site"


@pytest.fixture
def adversary(project):
    for folder in ("content/about", "content/contribute"):
        (project.root / folder).mkdir(parents=True, exist_ok=True)
    return project


# -- links ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link, target",
    [
        ("content/about/passwd.md", "/etc/passwd"),
        ("content/contribute/environ.png", "/proc/self/environ"),
        ("content/case-studies/elsewhere.md", "/etc/hostname"),
    ],
)
def test_a_link_to_a_file_of_the_build_machine_is_refused(adversary, tmp_path, link, target):
    os.symlink(target, adversary.root / link)
    refused(adversary, link, "symbolic link", tmp_path)


def test_a_linked_folder_of_drafts_is_refused(adversary, tmp_path):
    adversary.write("content/case-studies/secret.md", case(title=f"Secret {MARK}", status="draft"))
    os.symlink("../case-studies", adversary.root / "content/about/mirror")
    refused(adversary, "content/about/mirror", "symbolic link", tmp_path)


def test_a_loop_of_linked_folders_is_refused_at_once(adversary, tmp_path):
    os.symlink("..", adversary.root / "content/about/loop")
    started = time.monotonic()
    refused(adversary, "content/about/loop", "symbolic link", tmp_path)
    assert time.monotonic() - started < 60  # a bound for a hang (it walked for 20 s, then crashed), not a benchmark


# -- Markdown outside the entry folders ----------------------------------------------------------------------


@pytest.mark.parametrize("line", ["status: draft", "visibility: members"])
def test_a_hand_written_page_that_asks_to_be_hidden_is_refused(adversary, tmp_path, line):
    adversary.write("content/about/plans.md", f"---\ntitle: Plans\n{line}\n---\n# Plans\n\n{MARK}\n")
    refused(adversary, "content/about/plans.md", "always published for everyone", tmp_path)


def test_a_case_study_one_folder_too_high_is_refused_with_where_it_belongs(adversary, tmp_path):
    adversary.write("content/x.md", case(title=f"Stray {MARK}", status="draft"))
    refused(adversary, "content/x.md", "content/case-studies/x.md", tmp_path)


def test_a_script_in_a_hand_written_page_is_cut_and_never_approved(adversary, tmp_path):
    adversary.write(
        "content/about/index.md",
        f"---\ntitle: About\n---\n# About\n\n<script>window.{MARK}=1</script>\n\n"
        f'<p onclick="{MARK}()">Click</p><a href="javascript:{MARK}()">link</a>\n',
    )
    site = built_cleanly(adversary, tmp_path)
    html = (site / "about/index.html").read_text()
    assert MARK not in html and "Click" in html and "onclick" not in html
    assert html.count("<script>") == html.count("<script>__md_scope") + html.count("<script>var ")  # only the theme's


def test_backups_and_office_files_are_warnings_and_never_published(adversary, tmp_path):
    for name in ("index.md~", "index.md.orig", "budget.xlsx", "minutes.docx", "page.html"):
        adversary.write(f"content/about/{name}", f"{MARK} <script>x</script>")
    adversary.write("content/about/index.md", "# About\n")
    checked = kb(adversary, "check")
    assert checked.exit_code == 0 and "5 warning(s)" in checked.output and "not published" in checked.output
    site = built_cleanly(adversary, tmp_path)
    assert MARK.encode() not in everything(site)
    assert not [p for p in site.rglob("*") if p.name.endswith(("~", ".orig", ".xlsx", ".docx")) or p.name == "page.html"]


# -- what kb check accepts, the build can publish ------------------------------------------------------------


def test_a_status_written_twice_is_refused(adversary, tmp_path):
    adversary.write("content/case-studies/twice.md", case(title=f"Twice {MARK}", status="draft") + "")
    text = (adversary.root / "content/case-studies/twice.md").read_text().replace("approach:", "status: published\napproach:")
    adversary.write("content/case-studies/twice.md", text)
    refused(adversary, "content/case-studies/twice.md", "written twice", tmp_path)


@pytest.mark.parametrize("escape", ["\\e", "\\a", "\\v", "\\x7f", "\\uFFFE", "\\0"])
def test_control_characters_are_refused_before_they_reach_a_feed(adversary, tmp_path, escape):
    adversary.write("content/case-studies/bell.md", case(title=f'"Bell {escape} here"'))
    refused(adversary, "content/case-studies/bell.md", "cannot be published", tmp_path)


def test_a_control_character_in_a_draft_shows_the_problem_in_the_preview(adversary, tmp_path):
    from mkdocs.commands.build import build as mkdocs_build

    from kb.building.runner import load_site_config

    adversary.write("content/case-studies/bell.md", case(title='"Bell \\e here"', status="draft"))
    config = load_site_config(adversary.root / "mkdocs.yml", site_dir=tmp_path / "preview", preview=True)
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)  # the preview builds (before: the feed writer raised, and kb serve stopped answering)
    html = (tmp_path / "preview/index.html").read_text()
    assert "content/case-studies/bell.md" in html and "U+001B" in html


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_draft_minutes_at_the_ends_of_the_calendar_are_a_plain_error(adversary, tmp_path, day):
    adversary.write(
        f"content/minutes/equity/{day}.md",
        f"---\ntitle: Minutes\nsummary: S.\ndate: {day}\nnetworks: [equity]\nstatus: draft\nagenda_published: {day}\n---\nNotes.\n",
    )
    refused(adversary, f"content/minutes/equity/{day}.md", "is not in the years 1900 to 2100", tmp_path)


# -- networks a build does not show ----------------------------------------------------------------------------


def test_published_minutes_of_a_draft_network_are_refused(adversary, tmp_path):
    network = (adversary.root / "content/networks/send.md").read_text().replace("status: published", "status: draft")
    adversary.write("content/networks/send.md", network)
    adversary.write(
        "content/minutes/send/2026-10-01.md",
        f"---\ntitle: Minutes\nsummary: S.\ndate: 2026-10-01\nnetworks: [send]\nstatus: published\n"
        f'actions: [{{action: "{MARK}", owner: Convener, due: 2026-10-20, status: open}}]\n---\nNotes.\n',
    )
    refused(adversary, "content/minutes/send/2026-10-01.md", "names the network 'send', which is not published", tmp_path)


def test_public_minutes_of_a_members_only_network_are_refused(adversary, tmp_path):
    network = (
        (adversary.root / "content/networks/send.md")
        .read_text()
        .replace("status: published", "status: published\nvisibility: members")
    )
    adversary.write("content/networks/send.md", network)
    adversary.write("content/case-studies/open.md", case(title="Open", networks="[send]"))
    refused(adversary, "content/case-studies/open.md", "which is for members only", tmp_path)


# -- sizes -----------------------------------------------------------------------------------------------------


def test_a_huge_entry_is_refused_and_a_large_one_warned(adversary, tmp_path):
    adversary.write("content/case-studies/huge.md", case(title="Huge") + ("Words of practice. " * 300_000))  # 5.7 MB
    refused(adversary, "content/case-studies/huge.md", "entries larger than 4,096 KB are refused", tmp_path)
    adversary.write("content/case-studies/huge.md", case(title="Large") + ("Words of practice. " * 80_000))  # 1.5 MB
    checked = kb(adversary, "check")
    assert checked.exit_code == 0 and "far longer than an entry needs" in checked.output


def test_the_limits_can_be_set_in_mkdocs_yml_and_kb_check_reads_them(adversary, tmp_path):
    config = (
        (adversary.root / "mkdocs.yml")
        .read_text()
        .replace("  - kb\n", "  - kb:\n      limits: {entry_max_kb: 2, list_items: 2}\n")
    )
    adversary.write("mkdocs.yml", config)
    adversary.write("content/case-studies/long.md", case(title="Long") + "x" * 3000)
    refused(adversary, "content/case-studies/long.md", "larger than 2 KB", tmp_path)
    adversary.write("content/case-studies/long.md", case(title="Long", authors='["A", "B", "C"]'))
    refused(adversary, "content/case-studies/long.md", "at most 2 are allowed", tmp_path)


def test_limits_that_are_not_numbers_are_a_plain_message(adversary):
    config = (adversary.root / "mkdocs.yml").read_text().replace("  - kb\n", "  - kb:\n      limits: {entry_max_kb: lots}\n")
    adversary.write("mkdocs.yml", config)
    checked = kb(adversary, "check")
    assert checked.exit_code == 1 and "entry_max_kb" in checked.output


def test_thousands_of_organisations_are_refused(adversary, tmp_path):
    names = ", ".join(f'"School {i}"' for i in range(2_000))
    adversary.write("content/case-studies/many.md", case(title="Many", organisations=f"[{names}]"))
    refused(adversary, "content/case-studies/many.md", "has 2,000 items; at most 300 are allowed", tmp_path)
    names = ", ".join(f'"School {i}"' for i in range(20_000))  # the 20,000 pages: past the front matter's size too
    adversary.write("content/case-studies/many.md", case(title="Many", organisations=f"[{names}]"))
    refused(adversary, "content/case-studies/many.md", "far more than fields need", tmp_path)


def test_an_alias_bomb_in_the_tag_list_is_refused_at_once(adversary, tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)
    ]
    adversary.write("content/tags.yml", "\n".join(lines) + "\n")
    started = time.process_time()
    refused(adversary, "content/tags.yml", "anchors or aliases", tmp_path)
    assert time.process_time() - started < 30  # a bound for a hang (41 s and 3 GB before), not a benchmark


# -- the build log ---------------------------------------------------------------------------------------------


def test_the_build_log_never_prints_the_text_of_a_left_out_entry(adversary, tmp_path):
    adversary.write(
        "content/minutes/equity/2026-05-01.md",
        f"---\ntitle: Draft minutes\nsummary: S.\ndate: 2026-05-01\nnetworks: [equity]\nstatus: draft\n"
        f'actions: [{{action: "Phone {MARK}", owner: Convener, due: 2026-05-20, status: open}}]\n---\nNotes.\n',
    )
    env = {**os.environ, "KB_TODAY": "2026-11-23", "NO_COLOR": "1"}
    build = subprocess.run(
        [str(KB), "--project", str(adversary.root), "build", "--site-dir", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stderr
    log = build.stdout + build.stderr
    assert "content/minutes/equity/2026-05-01.md" in log and "not shown here" in log  # the warning is there, its words are not
    assert MARK not in log
    check = subprocess.run([str(KB), "--project", str(adversary.root), "check"], capture_output=True, text=True, env=env)
    assert MARK in check.stdout  # kb check, on the contributor's own machine, says it in full
    assert MARK.encode() not in everything(tmp_path / "site")


# -- housekeeping ------------------------------------------------------------------------------------------------


def test_gitignore_covers_every_folder_a_build_writes(tmp_path):
    """Run in a copy of the repository's .gitignore: what the public and members' builds, their indexes and
    their temporaries are called (the names the code makes) is ignored, so `git add -A` cannot commit them."""
    from tests.conftest import ROOT

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text((ROOT / ".gitignore").read_text())
    names = [
        "site/index.html",
        "site-members/index.html",
        "site.search/kb-search.json",
        "site-members.search/kb-search.json",
        f".kb-building-{os.getpid()}-abcd1234/index.html",
        f".site.search.building-{os.getpid()}-x1/kb-search.json",
        f".site-members.search.building-{os.getpid()}-x1/kb-search.json",
        f".site.search.building-{os.getpid()}-x1.documents",
        ".site.old/index.html",
        ".site-members.old/index.html",
        ".site.search.old/kb-search.json",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    status = subprocess.run(
        ["git", "-C", str(tmp_path), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True
    )
    assert status.stdout.split() == ["??", ".gitignore"], status.stdout
