"""Releases: names that sort by time, live/current switched by one rename, rollback, pruning, and a
publish that never touches the live release when a build fails."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from kb.building.runner import BuildError
from kb.live import publish as publishing
from kb.live import releases
from kb.live.releases import Live, ReleaseError
from kb.pages.security import add_csp_meta, inline_script_hashes


@pytest.fixture
def live(tmp_path):
    return Live(tmp_path / "live")


def make(live: Live, *names: str) -> None:
    for name in names:
        (live.releases / name / "site").mkdir(parents=True)
        (live.releases / name / "site" / "index.html").write_text(name)


def test_names_sort_by_time_and_never_repeat(live):
    at = dt.datetime(2026, 11, 23, 10, 15, 0, tzinfo=dt.UTC)
    assert releases.new_name(live, at) == "20261123-101500"
    make(live, "20261123-101500")
    assert releases.new_name(live, at) == "20261123-101500-2"
    make(live, "20261123-101500-2")
    assert releases.new_name(live, at) == "20261123-101500-3"
    earlier = at - dt.timedelta(days=1)  # the clock went back: still after the newest
    assert releases.new_name(live, earlier) == "20261123-101500-3"
    make(live, "20261123-101500-10", ".building-20261124-000000", "not-a-release")
    assert releases.release_names(live) == ["20261123-101500", "20261123-101500-2", "20261123-101500-10"]


def test_switching_replaces_the_link_in_one_rename(live, monkeypatch):
    make(live, "20261123-101500", "20261123-111500")
    releases.switch_to(live, "20261123-101500")
    assert os.readlink(live.current) == "releases/20261123-101500"
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(releases.os, "replace", lambda a, b: renames.append((a, b)) or real_replace(a, b))
    releases.switch_to(live, "20261123-111500")
    assert len(renames) == 1 and renames[0][1] == live.current  # a new link renamed over the old: never a moment without one
    assert (live.current / "site" / "index.html").read_text() == "20261123-111500"
    assert sorted(p.name for p in live.root.iterdir()) == ["current", "releases"]  # no temporary link left
    with pytest.raises(ReleaseError, match="no release 20990101-000000"):
        releases.switch_to(live, "20990101-000000")


def test_rollback_goes_to_the_release_before_the_current_one(live):
    with pytest.raises(ReleaseError, match="Nothing is published"):
        releases.previous_name(live)
    make(live, "20261121-090000", "20261122-090000", "20261123-090000")
    releases.switch_to(live, "20261123-090000")
    assert releases.previous_name(live) == "20261122-090000"
    releases.switch_to(live, "20261122-090000")
    assert releases.previous_name(live) == "20261121-090000"
    releases.switch_to(live, "20261121-090000")
    with pytest.raises(ReleaseError, match="oldest release kept"):
        releases.previous_name(live)


def test_pruning_keeps_the_newest_and_never_the_current_one(live):
    names = [f"202611{day:02d}-090000" for day in range(10, 18)]
    make(live, *names)
    releases.switch_to(live, names[0])  # rolled far back
    removed = releases.prune(live, 3)
    assert removed == names[1:5]
    assert releases.release_names(live) == [names[0], *names[5:]]


def fake_build(fail_on: str | None = None):
    """Stands in for runner.build_site: writes a page (with an inline script its policy approves) and the index folder beside it."""

    def build(config_file, site_dir, *, members=False, site_path=""):
        if fail_on and (members == (fail_on == "members")):
            raise BuildError("content/case-studies/x.md:3: error: title: missing. Fix: add a title.")
        site_dir.mkdir(parents=True)
        page = f"<html><head><script>var members = {str(members).lower()};</script></head></html>"
        (site_dir / "index.html").write_text(add_csp_meta(page, allowed=inline_script_hashes(page)))  # as a build approves it
        site_dir.with_name(site_dir.name + ".search").mkdir()
        assert site_path == ("members/" if members else "")

    return build


def test_publish_builds_both_sites_then_switches(project, live, monkeypatch):
    monkeypatch.setattr(publishing.runner, "build_site", fake_build())
    done = publishing.publish(project.root, live, say=lambda _: None)
    assert os.readlink(live.current) == f"releases/{done.name}"
    assert sorted(p.name for p in live.current.iterdir()) == [
        "release.json",
        "site",
        "site-members",
        "site-members.search",
        "site.search",
    ]
    manifest = json.loads((live.current / "release.json").read_text())
    assert manifest["name"] == done.name and manifest["today"] == os.environ["KB_TODAY"]
    assert (
        len(manifest["script_hashes"]["site"]) == 1
        and manifest["script_hashes"]["site"] != manifest["script_hashes"]["site-members"]
    )
    assert "No web server is set up" in done.web


@pytest.mark.parametrize("failing", ["public", "members"])
def test_a_failed_build_never_touches_the_live_release(project, live, monkeypatch, failing):
    monkeypatch.setattr(publishing.runner, "build_site", fake_build())
    first = publishing.publish(project.root, live, say=lambda _: None).name
    monkeypatch.setattr(publishing.runner, "build_site", fake_build(fail_on=failing))
    with pytest.raises(BuildError, match="missing"):
        publishing.publish(project.root, live, say=lambda _: None)
    assert os.readlink(live.current) == f"releases/{first}"
    assert sorted(p.name for p in live.releases.iterdir()) == [first]  # nothing half-made left behind


def test_publish_keeps_the_newest_releases(project, live, monkeypatch):
    monkeypatch.setattr(publishing.runner, "build_site", fake_build())
    made = [publishing.publish(project.root, live, keep=2, say=lambda _: None) for _ in range(4)]
    assert releases.release_names(live) == [made[2].name, made[3].name]
    assert made[2].removed == [made[0].name] and made[3].removed == [made[1].name]
    assert publishing.rollback(project.root, live) == made[2].name
    with pytest.raises(ReleaseError, match="at least 2"):
        publishing.publish(project.root, live, keep=1, say=lambda _: None)


def test_a_bad_accounts_file_stops_publish_before_it_builds(project, live, monkeypatch):
    built = []
    monkeypatch.setattr(publishing.runner, "build_site", lambda *a, **k: built.append(a))
    (project.root / "members.passwd").write_text("alice:not-a-hash\n")
    from kb.live.accounts import AccountsError

    with pytest.raises(AccountsError, match="bcrypt"):
        publishing.publish(project.root, live, say=lambda _: None)
    assert built == [] and releases.current_name(live) is None
