"""/admin/ in the built site: only when an editor is configured, with its own policy, nothing unpublished
in it, and "Edit this page" on entry pages."""

from __future__ import annotations

import html
import re

import pytest
import yaml

from kb.editor.pages import admin_files, admin_policy, editor_context
from kb.editor.settings import EditorSettings, EditorSetupError, decap_dist, node_package
from tests.conftest import build

DRAFT_MARK, MEMBERS_MARK = "Zanzibarquill", "Quokkamembers"


def add_hidden_entries(project) -> None:
    """A draft and a members-only case study, and a draft network, each carrying a marker word."""
    case = (project.root / "content/case-studies/coaching-year-7.md").read_text()
    project.write(
        "content/case-studies/draft-one.md", case.replace("status: published", "status: draft").replace("Coaching", DRAFT_MARK)
    )
    project.write(
        "content/case-studies/members-one.md",
        case.replace("status: published", "status: published\nvisibility: members").replace("Coaching", MEMBERS_MARK),
    )
    network = (project.root / "content/networks/send.md").read_text()
    project.write("content/networks/hidden.md", network.replace("status: published", "status: draft").replace("SEND", DRAFT_MARK))


def test_no_editor_no_admin(project):
    cat = project.catalogue()
    assert admin_files(cat) == {}
    entry = cat.entries["case-studies/coaching-year-7"]
    assert editor_context(entry, cat) == {"edit_links": []}


def test_admin_files_hold_nothing_unpublished(project):
    add_hidden_entries(project)
    cat = project.catalogue()
    cat.editor = {"backend": "github", "repo": "alliance/kb", "root": str(project.root)}
    files = admin_files(cat)
    assert {"admin/index.html", "admin/config.yml", "admin/kb-admin.js", "admin/decap-cms.js"} <= set(files)
    for name, data in files.items():
        text = data.lower() if isinstance(data, str) else data.decode("utf-8", "replace").lower()
        assert DRAFT_MARK.lower() not in text and MEMBERS_MARK.lower() not in text, name
    config = yaml.safe_load(files["admin/config.yml"])
    assert config["backend"]["repo"] == "alliance/kb"


def test_decap_is_copied_from_node_modules_never_a_cdn(project):
    cat = project.catalogue()
    cat.editor = {"backend": "local", "root": str(project.root)}
    files = admin_files(cat)
    dist = decap_dist(str(project.root))
    assert files["admin/decap-cms.js"] == (dist / "decap-cms.js").read_bytes()
    chunks = [n for n in files if re.fullmatch(r"admin/\d+\.decap-cms\.js", n)]
    assert len(chunks) == len(list(dist.glob("*.decap-cms.js"))) > 10  # the parts Decap loads when needed
    html = files["admin/index.html"]
    assert isinstance(html, str)
    assert re.findall(r'<script src="([^"]+)"', html) == ["decap-cms.js", "kb-admin.js"]
    assert "://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', html))


def test_a_missing_decap_says_how_to_install_it(tmp_path):
    with pytest.raises(EditorSetupError, match=r"npm package no-such-package, which is not installed.*run scripts/setup"):
        node_package(str(tmp_path), "no-such-package", "dist/x.js")


def test_the_admin_policy_allows_the_backend_and_nothing_from_elsewhere():
    policy = admin_policy(EditorSettings("github", repo="a/b", base_url="https://auth.example.org"))
    connect = next(d for d in policy.split("; ") if d.startswith("connect-src"))
    assert connect == "connect-src 'self' blob: https://api.github.com https://auth.example.org"
    scripts = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert scripts == "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'"  # no inline scripts, no other host
    local = admin_policy(EditorSettings("local", local_url="http://127.0.0.1:9000/api/v1"))
    assert "connect-src 'self' blob: http://127.0.0.1:9000;" in local


def test_edit_links(project):
    cat = project.catalogue()
    entry = cat.entries["case-studies/coaching-year-7"]
    cat.editor = {"backend": "github", "repo": "alliance/kb", "branch": "live"}
    links = editor_context(entry, cat)["edit_links"]
    assert links[0]["href"] + links[0]["fragment"] == "admin/#/collections/case-study/entries/coaching-year-7"
    assert links[1]["href"] == "https://github.com/alliance/kb/edit/live/content/case-studies/coaching-year-7.md"
    cat.derived.clear()
    cat.editor = {"backend": "gitea", "repo": "alliance/kb", "base_url": "https://git.example.org"}
    assert editor_context(entry, cat)["edit_links"][1]["href"] == (
        "https://git.example.org/alliance/kb/_edit/main/content/case-studies/coaching-year-7.md"
    )
    cat.derived.clear()
    cat.editor = {"backend": "local"}
    assert [link["text"] for link in editor_context(entry, cat)["edit_links"]] == ["Edit this page"]


def test_the_public_build_has_no_admin_without_an_editor(public_site):
    assert not (public_site / "admin").exists()
    assert "Edit this page" not in (public_site / "case-studies/transition-coaching/index.html").read_text(encoding="utf-8")


def test_a_build_with_the_local_editor(project, tmp_path):
    """kb build --editor local: /admin/ with its own policy; every other page keeps the strict one."""
    add_hidden_entries(project)
    site = tmp_path / "site"
    from kb.building.runner import build_site

    build_site(project.root / "mkdocs.yml", site, editor="local")
    admin = html.unescape((site / "admin/index.html").read_text(encoding="utf-8"))
    assert "'unsafe-eval'" in admin and "http://localhost:8081" in admin
    assert yaml.safe_load((site / "admin/config.yml").read_text(encoding="utf-8"))["backend"]["name"] == "proxy"
    for page in site.rglob("*.html"):
        if page.parent.name != "admin":
            text = page.read_text(encoding="utf-8")
            assert "unsafe-eval" not in text and "localhost:8081" not in text, page
    entry = (site / "case-studies/coaching-year-7/index.html").read_text(encoding="utf-8")
    assert 'href="../../admin/#/collections/case-study/entries/coaching-year-7"' in entry
    for mark in (DRAFT_MARK, MEMBERS_MARK):
        leaked = [p for p in site.rglob("*") if p.is_file() and mark.lower().encode() in p.read_bytes().lower()]
        assert leaked == [], mark
    build(project.root, tmp_path / "plain")
    assert not (tmp_path / "plain/admin").exists()


def test_kb_build_and_serve_pass_the_editor_through(project, tmp_path):
    from click.testing import CliRunner

    from kb.building.runner import editor_override, plugins_with
    from kb.cli.main import main

    assert plugins_with(project.root / "mkdocs.yml", **editor_override("local", "http://127.0.0.1:9/api/v1", "live"))["kb"] == {
        "editor": {"backend": "local", "local_url": "http://127.0.0.1:9/api/v1", "branch": "live"}
    }
    assert editor_override(None) == {}
    result = CliRunner().invoke(
        main, ["--project", str(project.root), "build", "--editor", "local", "--site-dir", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/admin/config.yml").exists()


def test_a_github_editor_without_its_repository_fails_the_build_in_plain_words(project, tmp_path):
    from kb.building.runner import BuildError, build_site

    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - kb\n", "  - kb:\n      editor: {backend: github}\n"))
    with pytest.raises(
        BuildError, match=r"backend github needs the repository the site is built from\. Fix: add  repo: owner/name"
    ):
        build_site(config, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_kb_edit_workflow_needs_a_git_repository(tmp_path):
    from kb.building.editing import current_branch
    from kb.building.runner import BuildError

    with pytest.raises(BuildError, match=r"is not a git repository .*leave out --workflow"):
        current_branch(tmp_path)
