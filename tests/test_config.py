"""The plugin's settings schema: speed-ups that can each be switched off with the same site as a result,
and the old `parallel` setting still read where it moved."""

from __future__ import annotations

import logging
import shutil

import pytest

from kb.building.runner import BuildError, build_site, load_site_config
from kb.search.query import SearchEngine
from tests.conftest import ROOT

QUERIES = ["attendance", "transition coaching", '"peer coaching"', "attendence", "oracy -primary", "climate"]


def files_of(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_every_speed_up_switched_off_builds_the_same_site_and_search(public_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(
        ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", ".cache", "site*", "node_modules", "tests", "tools")
    )
    settings = dict.fromkeys(load_site_config(ROOT / "mkdocs.yml").plugins["kb"].config.speed, False)
    assert set(settings) == {
        "parallel",
        "theme_memo",
        "plain_urls",
        "incremental",
        "native_watcher",
        "memory",
        "index_writer",
        "markdown_scan",
        "markdown_reuse",
        "build_cache",
    }
    yml = project / "mkdocs.yml"
    lines = "".join(f"        {name}: false\n" for name in settings)
    yml.write_text(yml.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      speed:\n" + lines))
    assert load_site_config(yml).plugins["kb"].config.speed.theme_memo is False
    build_site(yml, project / "site")
    assert files_of(project / "site") == files_of(public_site)
    plain, fast = SearchEngine(project / "site.search"), SearchEngine(public_site.with_name("site.search"))
    for q in QUERIES:
        for filters in ({}, {"type": "case-study"}, {"sort": "newest"}):
            assert plain.search(q, **filters) == fast.search(q, **filters), (q, filters)


def test_the_old_parallel_setting_moves_to_speed(project, caplog):
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      parallel: false\n"))
    with caplog.at_level(logging.WARNING):
        config = load_site_config(yml)
    assert config.plugins["kb"].config.speed.parallel is False


def test_a_misspelt_setting_is_a_plain_message(project):
    yml = project.root / "mkdocs.yml"
    yml.write_text(
        yml.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      speed:\n        parallel: sometimes\n")
    )
    with pytest.raises(BuildError, match=r"mkdocs\.yml has a problem"):
        load_site_config(yml)
