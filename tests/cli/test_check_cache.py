"""`kb check` with the build cache (`.cache/kb/check/`): a warm run reads and checks only the files that changed, still
resolves links across the whole project, and says what a cold run says."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kb.content.loader as loader
from kb.cli.main import main
from kb.content import file_cache
from tests.factories import case


def check(project, *args: str) -> tuple[int, list]:
    """One `kb check --json` as a new process would run it: nothing known but what the cache holds."""
    file_cache.clear()
    result = CliRunner().invoke(main, ["--project", str(project.root), "check", "--json", *args])
    return result.exit_code, json.loads(result.output)


@pytest.fixture
def linked(project):
    project.write("content/case-studies/target.md", case(title="Target study"))
    for i in range(4):
        project.write(
            f"content/case-studies/study-{i}.md", case(title=f"Study {i}").replace("We coached", "See [[target]]. We coached")
        )
    return project


def test_a_warm_check_checks_only_what_changed_and_says_what_a_cold_one_says(linked, monkeypatch):
    checked = []
    real = loader._check_file
    monkeypatch.setattr(loader, "_check_file", lambda root, rel, *a: checked.append(rel) or real(root, rel, *a))
    cold = check(linked)
    assert len(checked) == 8 and (linked.root / ".cache/kb/check/manifest.json").exists()
    checked.clear()
    assert check(linked) == cold and checked == []  # nothing changed: no file checked again

    linked.write("content/case-studies/study-2.md", case(title="Study 2", tags="[coachin]"))
    warm = check(linked)
    assert checked == ["content/case-studies/study-2.md"]
    assert warm == check(linked, "--no-cache") and warm[0] == 1
    assert [p["field"] for p in warm[1]] == ["tags[0]"]

    # a file that did not change, whose link no longer leads anywhere: found, as a cold check finds it
    checked.clear()
    (linked.root / "content/case-studies/target.md").unlink()
    warm = check(linked)
    assert checked == [] and warm == check(linked, "--no-cache")
    broken = sorted(p["path"] for p in warm[1] if p["field"] == "link")
    assert broken == [f"content/case-studies/study-{i}.md" for i in (0, 1, 3)]  # study-2 no longer links to it


def test_the_cache_can_be_switched_off_in_mkdocs_yml(linked):
    yml = linked.root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("plugins:\n  - kb\n", "plugins:\n  - kb:\n      speed:\n        build_cache: false\n"))
    check(linked)
    assert not (linked.root / ".cache").exists()
    yml.write_text(yml.read_text().replace("      speed:\n        build_cache: false\n", "      cache_dir: elsewhere/kb\n"))
    check(linked)
    assert (linked.root / "elsewhere/kb/check/manifest.json").exists()


def test_a_damaged_cache_is_ignored_with_one_line(linked):
    cold = check(linked)
    part = next((linked.root / ".cache/kb/check").glob("entries-*.pickle"))
    part.write_bytes(b"not a pickle at all")
    file_cache.clear()
    result = CliRunner().invoke(main, ["--project", str(linked.root), "check", "--json"])
    assert json.loads(result.stdout) == cold[1]
    assert result.stderr.count("build cache is ignored") == 1 and "does not match its checksum" in result.stderr


def test_an_edit_rewrites_only_the_part_holding_its_file_and_a_damaged_part_is_ignored(linked):
    from kb.speed.build_cache import ENTRY_SHARDS, _shard_name, _shard_of

    folder = linked.root / ".cache/kb/check"
    check(linked)
    before = set(folder.glob("*.pickle"))
    assert len(before) == ENTRY_SHARDS + 1  # the head and every part, empty ones too
    linked.write("content/case-studies/study-2.md", case(title="Study two"))
    check(linked)
    rewritten = {p.name.split("-")[0] for p in set(folder.glob("*.pickle")) - before}
    assert rewritten - {"entries"} == {_shard_name(_shard_of("content/case-studies/study-2.md"))}  # and the head
    assert check(linked) == check(linked, "--no-cache")

    part = next(folder.glob(_shard_name(_shard_of("content/case-studies/target.md")) + "-*.pickle"))
    part.write_bytes(b"damaged")
    file_cache.clear()
    result = CliRunner().invoke(main, ["--project", str(linked.root), "check", "--json"])
    assert result.stderr.count("build cache is ignored") == 1 and "does not match its checksum" in result.stderr
    assert json.loads(result.stdout) == check(linked, "--no-cache")[1]
