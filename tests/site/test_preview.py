"""Live preview: drafts and members entries shown and marked only when serving; errors become a page."""

from __future__ import annotations

import re

import pytest
from mkdocs.commands.build import build as mkdocs_build

from kb.building.runner import build_site, load_site_config
from tests.conftest import MINI_CASE

DRAFT = MINI_CASE.replace("Coaching in Year 7", "Zanzibarquill draft study").replace("status: published", "status: draft")
MEMBERS = MINI_CASE.replace("Coaching in Year 7", "Quokkamembers study").replace(
    "status: published", "status: published\nvisibility: members"
)


def serve_build(root, site_dir, members=False):
    """What one rebuild of `kb serve` does, without the HTTP server (kb serve hands the plugin preview: true)."""
    config = load_site_config(root / "mkdocs.yml", site_dir=site_dir, preview=True, members=members)
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build(config)
    return site_dir


@pytest.fixture
def with_hidden(project):
    project.write("content/case-studies/draft-study.md", DRAFT)
    project.write("content/case-studies/members-study.md", MEMBERS)
    return project


def text_of(path):
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def test_preview_shows_drafts_and_members_entries_marked(with_hidden, tmp_path):
    site = serve_build(with_hidden.root, tmp_path / "preview")
    draft = text_of(site / "case-studies/draft-study/index.html")
    assert "Zanzibarquill draft study" in draft and "Draft — not published" in draft
    members = text_of(site / "case-studies/members-study/index.html")
    assert "Quokkamembers study" in members and "Members only" in members and "not published" not in members
    published = text_of(site / "case-studies/coaching-year-7/index.html")
    assert "not published" not in published


def test_build_never_previews_even_when_mkdocs_yml_asks(with_hidden, tmp_path):
    config = with_hidden.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      preview: true\n"))
    assert "preview: true" in config.read_text()
    site = build_site(config, tmp_path / "site") or tmp_path / "site"
    assert not (site / "case-studies/draft-study").exists()
    assert not (site / "case-studies/members-study").exists()
    everything = " ".join(
        p.read_text(errors="replace")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".xml", ".json", ".ics", ".csv", ".txt"}
    )
    assert "Zanzibarquill" not in everything and "Quokkamembers" not in everything


def test_preview_puts_errors_in_the_page_instead_of_failing(project, tmp_path):
    site = serve_build(project.root, tmp_path / "ok")
    assert "Coaching in Year 7" in text_of(site / "case-studies/coaching-year-7/index.html")
    project.write(
        "content/case-studies/coaching-year-7.md",
        MINI_CASE.replace("date: 2026-03-12", "date: 12/03/2026").replace("tags: [coaching]", "tags: [coachin]"),
    )
    site = serve_build(project.root, tmp_path / "broken")  # does not raise
    for page in ("case-studies/coaching-year-7/index.html", "index.html"):
        html = text_of(site / page)
        assert "The preview cannot show the site yet" in html
        assert "2 problems must be fixed first" in html
        assert "content/case-studies/coaching-year-7.md" in html
        assert "<strong>Error</strong>, line 4, <code>date</code>: &#39;12/03/2026&#39; is not a date written YYYY-MM-DD." in html
        assert "Fix: dates are written like date: 2026-03-12." in html
        assert "did you mean &#39;coaching&#39;?" in html


def test_error_page_escapes_what_the_contributor_wrote(project, tmp_path):
    project.write(
        "content/case-studies/coaching-year-7.md", MINI_CASE.replace("tags: [coaching]", 'tags: ["<script>alert(1)</script>"]')
    )
    site = serve_build(project.root, tmp_path / "broken")
    html = (site / "case-studies/coaching-year-7/index.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_kb_build_still_fails_on_errors(project, tmp_path):
    from kb.building.runner import BuildError

    project.write("content/case-studies/coaching-year-7.md", MINI_CASE.replace("date: 2026-03-12", "date: 12/03/2026"))
    with pytest.raises(BuildError, match="is not a date written YYYY-MM-DD"):
        build_site(project.root / "mkdocs.yml", tmp_path / "site")
