"""The MkDocs plugin: hooks that stay thin, a session per build, and a plain MkDocs build when switched off."""

from __future__ import annotations

import ast

from mkdocs.commands.build import build as mkdocs_build

from kb.building.runner import build_site, load_site_config
from kb.plugin import KnowledgeBasePlugin
from tests.conftest import ROOT

PLUGIN_FILE = ROOT / "plugins" / "kb" / "plugin.py"


def test_hooks_stay_thin():
    """plugin.py under 200 lines, and each hook checks it is enabled and hands its work over in a few statements."""
    text = PLUGIN_FILE.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    hooks = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef) and n.name.startswith("on_")]
    assert len(hooks) >= 13
    for hook in hooks:
        statements = sum(1 for n in ast.walk(hook) if isinstance(n, ast.stmt)) - 1
        assert statements <= 5, f"{hook.name} has {statements} statements: move its work into building/session.py"


def test_switched_off_the_plugin_leaves_a_plain_mkdocs_build(project, tmp_path):
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "site", enabled=False)
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    site = tmp_path / "site"
    assert not (site / "browse").exists() and not (site.with_name("site.search")).exists()
    home = (site / "index.html").read_text()
    assert "Welcome." in home and "Content-Security-Policy" not in home  # the hand-written page, as MkDocs makes it
    assert config.plugins["kb"].session is None


def test_a_new_session_for_each_build_and_nothing_kept_after_shutdown(project, tmp_path):
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "a")
    plugin: KnowledgeBasePlugin = config.plugins["kb"]
    plugin.on_startup(command="serve", dirty=True)
    assert plugin.serving and plugin.rebuilds is not None  # kb serve's record of the last build
    config.plugins.run_event("config", config)
    first = plugin.session
    config.plugins.run_event("config", config)
    assert plugin.session is not first and plugin.session.serving
    plugin.on_shutdown()
    assert plugin.rebuilds is None and plugin.session is None
    plugin.on_startup(command="build", dirty=False)
    assert not plugin.serving and plugin.rebuilds is None  # a build never reuses a serve session's state
    plugin.on_shutdown()


def test_the_plugin_builds_the_starter_site(public_site):
    assert (public_site / "browse/index.html").exists() and (public_site.with_name("site.search") / "kb-search.json").exists()


def test_mkdocs_build_with_the_plugin_fails_with_the_words_of_kb_check(project, tmp_path):
    import pytest

    from kb.building.runner import BuildError

    project.write("content/case-studies/coaching-year-7.md", "---\ntitle: T\n---\nx\n")
    with pytest.raises(BuildError, match="summary: is missing; it is required"):
        build_site(project.root / "mkdocs.yml", tmp_path / "site")
