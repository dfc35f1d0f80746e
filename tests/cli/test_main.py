"""The `kb` command through click's runner: exit codes and the key words of its messages."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kb.cli.main import main
from tests.factories import case


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env or {})


def test_check_passes_on_the_starter_content():
    from tests.conftest import ROOT

    result = run("--project", str(ROOT), "check", "--no-cache")  # no cache left in the working copy
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_check_lists_every_problem_grouped_by_file_and_exits_1(project):
    project.write("content/case-studies/coaching-year-7.md", case(tags="[coachin]", date="2026-02-30"))
    project.write("content/case-studies/second.md", case(title="Second", status="publish"))
    result = run("--project", str(project.root), "check")
    assert result.exit_code == 1
    out = result.output
    assert "content/case-studies/coaching-year-7.md" in out and "content/case-studies/second.md" in out
    assert "did you mean 'coaching'" in out and "not a real calendar date" in out and "did you mean 'published'" in out
    assert "3 error(s)" in out and "Traceback" not in out


def test_check_json_gives_the_same_problems_as_objects(project):
    project.write("content/case-studies/coaching-year-7.md", case(tags="[coachin]"))
    result = run("--project", str(project.root), "check", "--json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.output)
    assert problem["path"] == "content/case-studies/coaching-year-7.md" and problem["field"] == "tags[0]"
    assert problem["line"] == 6 and problem["severity"] == "error" and "coaching" in problem["hint"]


def test_warnings_alone_exit_0_but_strict_fails(project):
    project.write("content/case-studies/coaching-year-7.md", case(sumary="typo"))
    assert run("--project", str(project.root), "check").exit_code == 0
    assert run("--project", str(project.root), "check", "--strict").exit_code == 1


def test_checking_one_file_still_resolves_links_against_the_project(project):
    project.write(
        "content/case-studies/linker.md",
        case(title="Linker").replace("We coached", "See [[case-studies/coaching-year-7]] and [[case-studies/gone]]."),
    )
    result = run("--project", str(project.root), "check", str(project.root / "content/case-studies/linker.md"))
    assert result.exit_code == 1
    assert "case-studies/gone" in result.output and "coaching-year-7'" not in result.output


def test_build_then_failed_build_keeps_the_old_site(project):
    site = project.root / "out"
    assert run("--project", str(project.root), "build", "--site-dir", str(site)).exit_code == 0
    assert (site / "case-studies" / "coaching-year-7" / "index.html").exists()
    project.write("content/case-studies/coaching-year-7.md", case(tags="[coachin]"))
    result = run("--project", str(project.root), "build", "--site-dir", str(site))
    assert result.exit_code == 1 and "did you mean 'coaching'" in result.output and "Traceback" not in result.output
    assert (site / "case-studies" / "coaching-year-7" / "index.html").exists()


def test_check_says_once_that_site_url_is_missing(project):
    assert "site_url" not in run("--project", str(project.root), "check").output  # the fixture's mkdocs.yml has one
    config = project.root / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text().splitlines(keepends=True) if not line.startswith("site_url:")))
    result = run("--project", str(project.root), "check")
    assert result.exit_code == 0  # a warning: the site still builds
    assert result.output.count("site_url: is not set, so no feeds are written") == 1
    assert "Fix: add the site's public address to mkdocs.yml" in result.output


def test_check_loads_neither_the_build_nor_mkdocs_configuration(project):
    """A warm kb check at 10,000 entries has two seconds: MkDocs' config options and build, the runner and the other
    commands took a tenth of it. With limits set in mkdocs.yml the config machinery is needed, and loaded."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys\nfrom kb.cli.main import main\n"
        "try:\n    main(['--project', sys.argv[1], 'check'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('mkdocs.config.config_options', 'mkdocs.commands', "
        "'kb.building.runner', 'kb.cli.new', 'kb.cli.service'))))"
    )

    def loaded() -> str:
        done = subprocess.run([sys.executable, "-c", script, str(project.root)], capture_output=True, text=True, cwd=ROOT)
        assert "files checked" in done.stdout, done.stdout + done.stderr
        return done.stdout.splitlines()[-1]

    assert loaded() == "[]"
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - kb\n", "  - kb:\n      limits: {entry_max_kb: 64}\n"))
    assert "mkdocs.config.config_options" in loaded()
