"""Running MkDocs for kb build and kb serve: the kb plugin's settings reach it through its schema."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config

from kb.building import runner
from kb.building.runner import BuildError, load_site_config, plugins_with, preview_index_dir


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("plugins:\n  - kb\n", {"kb": {"members": True}}),
        (
            "plugins:\n  - search\n  - kb:\n      atomic_build: false\n",
            {"search": {}, "kb": {"atomic_build": False, "members": True}},
        ),
        ("plugins:\n  kb:\n    members: false\n  search: {}\n", {"kb": {"members": True}, "search": {}}),
    ],
)
def test_plugins_with_adds_settings_to_the_kb_plugins_own(tmp_path, written, expected):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\n" + written)
    plugins = plugins_with(config, members=True)
    assert plugins == expected and list(plugins) == list(expected)  # order kept: hooks of equal priority run in it


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("plugins:\n  - search\n", "does not enable the kb plugin"),
        ("plugins:\n  - kb\n  - kb\n", "list each plugin once"),
    ],
)
def test_plugins_that_cannot_be_read_are_a_plain_message(tmp_path, written, words):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\n" + written)
    with pytest.raises(BuildError, match=words):
        plugins_with(config)


def test_the_same_plugins_value_serves_every_rebuild(project):
    """kb serve hands MkDocs one value for all rebuilds; MkDocs must be able to read it again and again."""
    config_file = project.root / "mkdocs.yml"
    plugins = plugins_with(config_file, preview=True)
    for _ in range(3):
        config = load_config(config_file=str(config_file), plugins=plugins)
        assert config.plugins["kb"].config.preview is True


def test_load_site_config_sets_the_plugin_settings_and_says_what_is_wrong(project, tmp_path):
    config = load_site_config(project.root / "mkdocs.yml", site_dir=tmp_path / "out", members=True, search_api="http://x/api")
    assert config.plugins["kb"].config.members is True and config.plugins["kb"].config.search_api == "http://x/api"
    assert config.site_dir == str(tmp_path / "out")
    with pytest.raises(BuildError, match="does not exist"):
        load_site_config(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("site_name: T\nplugins:\n  - kb:\n      members: perhaps\n")
    with pytest.raises(BuildError, match=r"mkdocs\.yml has a problem"):
        load_site_config(broken)


def test_preview_index_is_one_folder_per_project_and_audience(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert preview_index_dir(a, False) != preview_index_dir(b, False)
    assert preview_index_dir(a, False) != preview_index_dir(a, True)
    assert preview_index_dir(a, True) == preview_index_dir(a, True) and preview_index_dir(a, True).name == "members"


def test_serve_site_runs_the_preview_with_its_search_api(project, monkeypatch):
    calls, said, stopped = {}, [], []
    monkeypatch.setattr(
        "mkdocs.commands.serve.serve", lambda config_file, **kwargs: calls.update(kwargs, config_file=config_file)
    )
    monkeypatch.setattr(
        "kb.search.service.serve_in_thread",
        lambda app, host, port: (calls.update(api=(host, port)), lambda: stopped.append(port))[1],
    )
    runner.serve_site(project.root / "mkdocs.yml", 8123, members=True, say=said.append)
    assert stopped == [8124]  # the search API stops with the preview
    kb = calls["plugins"]["kb"]
    assert kb["preview"] is True and kb["members"] is True
    assert kb["search_api"] == "http://127.0.0.1:8124/api/search" and kb["search_index"] == str(
        preview_index_dir(project.root, True)
    )
    assert calls["api"] == ("127.0.0.1", 8124) and calls["dev_addr"] == "127.0.0.1:8123" and calls["build_type"] == "dirty"
    assert said == ["Search API on http://127.0.0.1:8124/api/search"]


def test_serve_site_without_its_search_api_still_previews(project, monkeypatch):
    calls, said = {}, []

    def taken(app, host, port):
        raise OSError("port in use")

    monkeypatch.setattr("mkdocs.commands.serve.serve", lambda config_file, **kwargs: calls.update(kwargs))
    monkeypatch.setattr("kb.search.service.serve_in_thread", taken)
    runner.serve_site(project.root / "mkdocs.yml", 8123, say=said.append)
    assert "search_api" not in calls["plugins"]["kb"] and calls["plugins"]["kb"]["preview"] is True
    assert said == ["Search API not started on port 8124: port in use"]


def test_build_site_turns_content_problems_into_one_message(project, tmp_path):
    project.write("content/case-studies/coaching-year-7.md", "---\ntitle: No summary\n---\nText.\n")
    with pytest.raises(BuildError, match=r"The site was not built: \d+ problem\(s\) in the content") as raised:
        runner.build_site(project.root / "mkdocs.yml", tmp_path / "site")
    assert "summary: is missing" in str(raised.value) and not (tmp_path / "site").exists()
