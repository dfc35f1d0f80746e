"""kb build renders a share of the entry pages in a forked second process: same site, and a failure there fails the build.

Each build runs in a fresh interpreter: forking is only done with one thread, and the test
process may hold others (the browser tests' servers)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kb.speed.forks import wanted
from kb.speed.page_worker import PageQueue

BUILD = textwrap.dedent("""
    import logging, os, sys
    from pathlib import Path
    from kb.building.runner import BuildError, build_site
    if sys.argv[3] == "fail-in-worker":  # a page that breaks only in the second process
        import kb.building.session
        parent, render = os.getpid(), kb.building.session.render_entry
        def failing(*args, **kwargs):
            if os.getpid() != parent:
                raise ValueError("broken in the worker")
            return render(*args, **kwargs)
        kb.building.session.render_entry = failing
    if sys.argv[3] == "unsafe-at-env":  # pages queued at on_nav, then forking found unsafe when the worker would start
        import kb.speed.page_worker as worker
        begin = worker.PageWorker.begin
        def unsafe_begin(self, env):
            worker.can_fork = lambda: False
            return begin(self, env)
        worker.PageWorker.begin = unsafe_begin
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("mkdocs.plugins.kb").setLevel(logging.INFO)
    try:
        build_site(Path(sys.argv[1]) / "mkdocs.yml", Path(sys.argv[2]), cache=False)  # every page rendered, none from the cache
    except BuildError as exc:
        print("BUILD FAILED:", exc)
        sys.exit(1)
""")


def kb_build(project: Path, site: Path, how: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BUILD, str(project), str(site), how],
        capture_output=True,
        text=True,
        env=dict(os.environ, KB_TODAY="2026-11-23"),
        timeout=600,
    )


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file() and p.name != "sitemap.xml.gz"}


def with_setting(project: Path, to: Path, parallel: str) -> Path:
    shutil.copytree(project, to)
    config = to / "mkdocs.yml"
    text = config.read_text()
    assert "  - kb\n" in text
    config.write_text(text.replace("  - kb\n", f"  - kb:\n      speed:\n        parallel: {parallel}\n"))
    return to


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from kb_tools.corpus import generate_project

    root = tmp_path_factory.mktemp("parallel") / "project"
    generate_project(root, 150)
    return root


def test_the_site_is_byte_for_byte_the_one_a_single_process_builds(corpus, tmp_path):
    split = kb_build(with_setting(corpus, tmp_path / "split-project", "true"), tmp_path / "split")
    assert split.returncode == 0, split.stdout + split.stderr[-2000:]
    assert "pages built by a second process" in split.stderr
    assert "kb: 0 pages built" not in split.stderr  # the worker took its share of the queue
    single = kb_build(with_setting(corpus, tmp_path / "serial-project", "false"), tmp_path / "single")
    assert single.returncode == 0, single.stderr[-2000:]
    assert "second process" not in single.stderr
    a, b = site_files(tmp_path / "split"), site_files(tmp_path / "single")
    assert a.keys() == b.keys()
    assert [f for f in a if a[f] != b[f]] == []
    assert len([f for f in a if f.startswith("case-studies/") and f.endswith("/index.html")]) > 20


def test_pages_queued_for_a_worker_that_cannot_start_are_all_built_here(corpus, tmp_path):
    project = with_setting(corpus, tmp_path / "project", "true")
    queued = kb_build(project, tmp_path / "queued", "unsafe-at-env")
    assert queued.returncode == 0, queued.stdout + queued.stderr[-2000:]
    assert "kb: 0 pages built by a second process" in queued.stderr
    split = kb_build(project, tmp_path / "split")
    assert split.returncode == 0, split.stderr[-2000:]
    a, b = site_files(tmp_path / "queued"), site_files(tmp_path / "split")
    assert a.keys() == b.keys() and [f for f in a if a[f] != b[f]] == []


def test_a_page_failing_in_the_second_process_fails_the_build_and_keeps_the_old_site(corpus, tmp_path_factory):
    project = with_setting(corpus, tmp_path_factory.mktemp("failing") / "project", "true")
    tmp_path = tmp_path_factory.mktemp("out")
    site = tmp_path / "site"
    assert kb_build(project, site).returncode == 0
    before = site_files(site)
    failed = kb_build(project, site, "fail-in-worker")
    assert failed.returncode == 1
    assert "BUILD FAILED: The site was not built: a page could not be built" in failed.stdout
    assert "broken in the worker" in failed.stderr  # MkDocs names the page and the error
    assert site_files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.search"]  # no half-built folder left behind


def test_two_processes_taking_from_the_queue_take_every_page_once(tmp_path):
    """The worker and the build's own process take pages one at a time: none twice, none left."""
    queue = PageQueue(list(range(3000)))
    taken_there = tmp_path / "worker.txt"
    pid = os.fork()
    if pid == 0:  # the worker: its pages into a file, then gone without running the test process's exit handlers
        code = 1
        try:
            taken_there.write_text(" ".join(str(n) for n in queue.take()))
            code = 0
        finally:
            os._exit(code)
    here = list(queue.take())
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    there = [int(n) for n in taken_there.read_text().split()]
    assert sorted(here + there) == list(range(3000))
    assert here == sorted(here) and there == sorted(there)  # each in the queue's order
    assert list(queue.take()) == []


def test_auto_splits_wherever_there_is_a_second_core():
    assert wanted("auto", cores=1) is False and wanted("auto", cores=2) is True and wanted("auto", cores=4) is True
    assert wanted(True, cores=1) is True and wanted(False, cores=8) is False


def test_a_forked_worker_dies_with_the_build_that_started_it(tmp_path):
    """A build killed midway (kill -9) leaves no worker behind: the child asked Linux for PR_SET_PDEATHSIG."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from kb.speed.forks import in_fork\n"
        "pid = in_fork(lambda: time.sleep(120))\n"
        "print(pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(build.stdout.readline())
    assert _alive(worker)
    build.send_signal(signal.SIGKILL)
    build.wait()
    for _ in range(200):  # waits up to 10 s for the kernel to deliver the signal; no timing is asserted
        if not _alive(worker):
            break
        time.sleep(0.05)
    assert not _alive(worker), "the worker outlived the build"


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that does not reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_a_worker_that_fails_says_why_in_words(tmp_path):
    import errno
    import os

    from kb.speed.forks import in_fork

    def full_disk():
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "site/index.html"))

    messages, said = os.pipe()
    pid = in_fork(full_disk, said)
    os.close(said)
    _, status = os.waitpid(pid, 0)
    words = os.read(messages, 4096).decode()
    os.close(messages)
    assert os.waitstatus_to_exitcode(status) == 1
    assert words.startswith("the disk is full:") and "index.html" in words
