"""Every failure a person can cause while building is a sentence, and the old site and index stay together.

Real disks where this machine allows it: a small tmpfs (full), a read-only one, a site folder that is a
mount point (a container volume), each mounted in a user namespace (`unshare`) around a `kb build`
subprocess; a folder kb may not write, with the build run as `nobody`. The same failures are also made
in-process (an OSError with the errno the kernel gives), so they are tested wherever the suite runs.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.building.runner import BuildError, build_site
from kb.search.index import MANIFEST, index_dir_for
from tests.factories import case

KB = Path(sys.executable).with_name("kb")


def _can(*command: str) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


CAN_MOUNT = _can("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs none /mnt")
needs_mount = pytest.mark.skipif(not CAN_MOUNT, reason="this machine allows no user namespace with mounts (unshare)")


def _kb_build(project: Path, site: Path, mount: str = "", user: str = "") -> subprocess.CompletedProcess:
    """`kb build` in a subprocess, after a shell command (run as root of a new user and mount namespace)."""
    command = f"{mount} && " if mount else ""
    command += f"{user}{KB} --project {project} build --site-dir {site}"
    env = {**os.environ, "KB_TODAY": "2026-11-23", "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    wrapped = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", command] if mount else ["sh", "-c", command]
    return subprocess.run(wrapped, capture_output=True, text=True, env=env, timeout=600)


def _said(result: subprocess.CompletedProcess) -> str:
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "Traceback" not in said and "Errno" not in said, said
    return said


def _entries_in_index(site: Path) -> int:
    return json.loads((index_dir_for(site) / MANIFEST).read_text())["entries"]


@needs_mount
def test_a_full_disk_is_a_sentence_and_leaves_nothing_half_made(project, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    said = _said(_kb_build(project.root, disk / "site", mount=f"mount -t tmpfs -o size=256k none {disk}"))
    assert "The site was not built: the disk is full" in said and "--site-dir" in said


@needs_mount
def test_a_read_only_disk_is_a_sentence(project, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    said = _said(_kb_build(project.root, disk / "site", mount=f"mount -t tmpfs -o ro none {disk}"))
    assert "The site was not built:" in said and "read-only disk" in said


def test_a_folder_kb_may_not_write_is_a_sentence(project, tmp_path):
    if os.geteuid() != 0 or not _can("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"):
        pytest.skip("needs root to run the build as another user (setpriv)")
    import tempfile

    outside = Path(tempfile.mkdtemp(prefix="kb-test-locked-"))  # pytest's own folders are root's alone (0700)
    nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups "
    try:
        outside.chmod(0o755)
        shutil.copytree(project.root, outside / "project")
        locked = outside / "locked"
        locked.mkdir(mode=0o755)  # root's: nobody may not write here
        said = _said(_kb_build(outside / "project", locked / "site", user=nobody))
        assert "The site was not built: kb may not read or write" in said and str(locked) in said
        unreadable = _said(_kb_build(project.root, locked / "site", user=nobody))  # a project nobody may read
        assert "The site was not built: kb may not read or write" in unreadable
    finally:
        shutil.rmtree(outside, ignore_errors=True)


@needs_mount
def test_a_site_folder_that_is_a_mount_point_gets_its_contents_replaced_and_agrees_with_its_index(project, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    mount = f"mount -t tmpfs none {site}"
    first = _kb_build(project.root, site, mount=f"{mount} && echo old > {site}/stale.html")
    assert first.returncode == 0, first.stdout + first.stderr
    assert _entries_in_index(site) == 3  # the index beside the mount point, with the site's entries
    # (the mount ends with its namespace: what the build put in it is gone, which is why the test checks below,
    # within a second mount, that the index and the site it writes there agree)
    project.write("content/case-studies/second.md", case(title="Second study"))
    script = f"{mount} && {KB} --project {project.root} build --site-dir {site} && ls -a {site} && cat {site}/case-studies/second/index.html"
    env = {**os.environ, "KB_TODAY": "2026-11-23", "NO_COLOR": "1"}
    second = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], capture_output=True, text=True, env=env
    )
    assert second.returncode == 0, second.stdout + second.stderr
    listing = second.stdout.split()
    assert "index.html" in listing and "Second study" in second.stdout
    assert not [name for name in listing if name.startswith(".kb-")]  # no staging or old folder left in the volume
    assert _entries_in_index(site) == 4  # the index has the new entry, as the site does
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]


@needs_mount
def test_when_the_site_cannot_be_replaced_the_index_is_not_either(project, tmp_path):
    """On main the index was swapped before the site: a failed site swap left them disagreeing."""
    site = tmp_path / "site"
    build_site(project.root / "mkdocs.yml", site)
    shutil.rmtree(site)
    site.mkdir()
    before = (index_dir_for(site) / MANIFEST).read_bytes()
    project.write("content/case-studies/second.md", case(title="Second study"))
    said = _said(_kb_build(project.root, site, mount=f"mount -t tmpfs -o ro none {site}"))
    assert "The site was not built:" in said and "read-only disk" in said
    assert (index_dir_for(site) / MANIFEST).read_bytes() == before  # still the index of the site that is there
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]


# -- the same failures made in-process, so they are tested on every machine --------------------------------


@pytest.mark.parametrize(
    "code, words",
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only disk"), (errno.EACCES, "kb may not read or write")],
)
def test_a_page_that_cannot_be_written_is_a_sentence_and_the_old_site_stays(project, tmp_path, monkeypatch, code, words):
    from mkdocs import utils

    site = tmp_path / "site"
    build_site(project.root / "mkdocs.yml", site)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    index_before = (index_dir_for(site) / MANIFEST).read_bytes()

    def write_file(content, output_path):
        raise OSError(code, os.strerror(code), output_path)

    monkeypatch.setattr(utils, "write_file", write_file)
    monkeypatch.setattr("mkdocs.commands.build.utils.write_file", write_file)
    project.write("content/case-studies/second.md", case(title="Second study"))
    with pytest.raises(BuildError) as failed:
        build_site(project.root / "mkdocs.yml", site, members=False)
    said = str(failed.value)
    assert said.startswith("The site was not built: ") and words in said and "Errno" not in said
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert (index_dir_for(site) / MANIFEST).read_bytes() == index_before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]


def test_a_site_folder_whose_parent_cannot_be_written_is_a_sentence(project, tmp_path, monkeypatch):
    import tempfile

    def mkdtemp(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    with pytest.raises(BuildError, match="The site was not built: kb may not read or write"):
        build_site(project.root / "mkdocs.yml", tmp_path / "site")


def test_a_mount_point_that_cannot_be_renamed_is_replaced_in_place_with_its_index(project, tmp_path, monkeypatch):
    """A site folder the kernel will not rename (EBUSY, as for a mount point): its contents are replaced, and
    the index is swapped after it, so both are the new build's."""
    site = tmp_path / "site"
    build_site(project.root / "mkdocs.yml", site)
    real = Path.rename

    def rename(self, target):
        if Path(self) == site:
            raise OSError(errno.EBUSY, "Device or resource busy", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    project.write("content/case-studies/second.md", case(title="Second study"))
    build_site(project.root / "mkdocs.yml", site)
    assert (site / "case-studies/second/index.html").exists() and _entries_in_index(site) == 4
    assert not [p for p in site.iterdir() if p.name.startswith(".kb-")]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]


def test_the_next_build_removes_what_a_killed_build_left(project, tmp_path):
    dead = 2**22 + 4321  # above Linux's largest process id
    left = [f".kb-building-{dead}-x1", f".site.search.building-{dead}-y2", ".site.old", ".kb-building-abc"]
    for name in left:
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html").write_text("stale")
    build_site(project.root / "mkdocs.yml", tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "project") == ["site", "site.search"]
