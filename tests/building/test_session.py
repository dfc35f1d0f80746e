"""One build as the plugin's hooks see it: pages from the catalogue only, escaped titles, a policy on every
built page, the new site swapped in whole, and nothing left behind when a build fails."""

from __future__ import annotations

import re

import pytest
from mkdocs.commands.build import build as mkdocs_build

from kb.building.runner import BuildError, build_site, load_site_config
from kb.building.session import THEME_DIR, BuildSession, problems_message
from kb.content.problems import Problem
from tests.conftest import MINI_CASE

CASE_PATH = "content/case-studies/coaching-year-7.md"


def test_entry_folders_and_data_files_are_never_handed_to_mkdocs(project, tmp_path):
    project.write("content/case-studies/draft.md", MINI_CASE.replace("status: published", "status: draft"))
    site = tmp_path / "site"
    build_site(project.root / "mkdocs.yml", site)
    assert (site / "case-studies/coaching-year-7/index.html").exists()  # the generated page
    assert not list(site.rglob("*.md")) and not (site / "tags.yml").exists()  # no source copied
    assert not (site / "case-studies/draft").exists()


def test_titles_from_entries_are_escaped_once_for_the_theme(project, tmp_path):
    project.write(
        "content/case-studies/coaching-year-7.md", MINI_CASE.replace("Coaching in Year 7", 'Coaching <b>&</b> \\"quotes\\"')
    )
    build_site(project.root / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site/case-studies/coaching-year-7/index.html").read_text()
    assert "<title>Coaching &lt;b&gt;&amp;&lt;/b&gt;" in html and "Coaching <b>" not in html
    assert "&amp;amp;" not in html  # escaped once, not twice


def test_built_pages_carry_a_policy_and_previews_do_not(project, tmp_path):
    build_site(project.root / "mkdocs.yml", tmp_path / "site")
    for page in ("index.html", "case-studies/coaching-year-7/index.html", "404.html"):
        assert re.search(r'<head[^>]*><meta http-equiv="Content-Security-Policy"', (tmp_path / "site" / page).read_text()), page
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "preview", preview=True)
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)  # live reload injects an inline script of its own: a policy would block it
    assert "Content-Security-Policy" not in (tmp_path / "preview/index.html").read_text()


def test_the_theme_overrides_sit_after_a_custom_dir_and_before_material(project, tmp_path):
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "site")
    BuildSession(config.plugins["kb"].config, config, serving=False, dirty=False, rebuilds=None).abandon()
    assert config.theme.dirs[0] == str(THEME_DIR) and "material" in config.theme.dirs[1]
    (project.root / "overrides").mkdir()
    text = (project.root / "mkdocs.yml").read_text()
    (project.root / "mkdocs.yml").write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n"))
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "site2")
    session = BuildSession(config.plugins["kb"].config, config, serving=False, dirty=False, rebuilds=None)
    assert config.theme.dirs[0].endswith("overrides") and config.theme.dirs[1] == str(THEME_DIR)
    assert session.building_dir is not None and config.site_dir == session.building_dir  # built aside, swapped in at the end
    session.abandon()
    assert not list(tmp_path.glob(".kb-building-*"))


def test_a_failed_build_leaves_the_old_site_and_nothing_half_made(project, tmp_path):
    site = tmp_path / "site"
    build_site(project.root / "mkdocs.yml", site)
    before = (site / "index.html").read_bytes()
    project.write("content/case-studies/coaching-year-7.md", MINI_CASE.replace("date: 2026-03-12", "date: 12/03/2026"))
    with pytest.raises(BuildError, match="is not a date written YYYY-MM-DD"):
        build_site(project.root / "mkdocs.yml", site)
    assert (site / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]


def test_problems_message_lists_errors_as_kb_check_says_them():
    problems = [Problem("b.md", 3, "date", "is wrong.", "write 2026-03-12."), Problem("a.md", None, None, "is empty.")]
    text = problems_message(problems)
    assert text.splitlines() == [
        "The site was not built: 2 problem(s) in the content.",
        "a.md: error: is empty.",
        "b.md:3: error: date: is wrong. Fix: write 2026-03-12.",
        "Run `kb check` for the same list.",
    ]


@pytest.mark.parametrize("fork", [True, False], ids=["forked writer", "fresh interpreter"])
def test_a_failed_index_write_fails_the_build_in_plain_words_and_leaves_nothing(project, tmp_path, monkeypatch, fork):
    """The index writer's own message reaches the person, not a second error from cleaning up after it."""
    import kb.search.index as search_index
    from kb.speed import index_writer

    real_document = search_index.document
    monkeypatch.setattr(search_index, "document", lambda e, c: {**real_document(e, c), "nosuchfield": "x"})  # Whoosh refuses it
    real_init = index_writer.BackgroundIndex.__init__
    monkeypatch.setattr(
        index_writer.BackgroundIndex, "__init__", lambda self, cat, target, **kw: real_init(self, cat, target, **kw, fork=fork)
    )
    with pytest.raises(BuildError, match=r"the search index could not be written \(.*nosuchfield"):
        build_site(project.root / "mkdocs.yml", tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == []


def test_the_preview_keeps_the_editor_while_the_content_has_errors(project, tmp_path):
    """kb edit: a broken entry turns every page into the list of problems, but /admin/ stays to fix it in."""
    project.write("content/case-studies/coaching-year-7.md", MINI_CASE.replace("date: 2026-03-12", "date: 12/03/2026"))
    config = load_site_config(
        project.root / "mkdocs.yml", site_dir=tmp_path / "preview", preview=True, editor={"backend": "local"}
    )
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    assert "is not a date written YYYY-MM-DD" in (tmp_path / "preview/index.html").read_text()
    assert (tmp_path / "preview/admin/index.html").exists() and (tmp_path / "preview/admin/config.yml").exists()


def test_a_preview_prints_each_warning_once_and_then_only_new_ones(project, tmp_path, caplog):
    """kb serve rebuilds on every save: the same warnings are not reprinted each time, burying a new error."""
    project.write(CASE_PATH, MINI_CASE.replace("approach: enquiring", "approach: enquiring\nsumary: a typo"))
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "preview", preview=True)
    config.plugins.on_startup(command="serve", dirty=False)

    def warnings_of_one_build() -> list[str]:
        caplog.clear()
        mkdocs_build(config)
        return [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "is not a field" in r.getMessage()]

    first = warnings_of_one_build()
    assert len(first) == 1 and "sumary" in first[0]
    assert warnings_of_one_build() == []  # a save that changes nothing says nothing again
    project.write(CASE_PATH, MINI_CASE.replace("approach: enquiring", "approach: enquiring\nsumary: a typo\ntittle: another"))
    again = warnings_of_one_build()
    assert len(again) == 1 and "tittle" in again[0]  # only the new one
    config.plugins.on_startup(command="serve", dirty=False)  # a new preview session starts afresh
    assert len(warnings_of_one_build()) == 2


def test_a_build_prints_every_warning_every_time(project, tmp_path, caplog):
    project.write(CASE_PATH, MINI_CASE.replace("approach: enquiring", "approach: enquiring\nsumary: a typo"))
    for run in range(2):
        caplog.clear()
        build_site(project.root / "mkdocs.yml", tmp_path / f"site{run}")
        assert [r for r in caplog.records if "sumary" in r.getMessage()], run
