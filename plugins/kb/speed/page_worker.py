"""`kb build` renders pages on two cores: a forked worker and the build's own process share the entry pages.

Why: MkDocs renders every page in one process, one after the other, and at 10,000 entries
that is most of the build; the machines this site is built on have two cores or more.
The entry pages (none of them in the navigation) are queued when the navigation is made (on_nav);
once MkDocs has read the other pages and made the theme's environment (on_env), the build forks:
the worker converts and writes entry pages with MkDocs' own functions, taking them one at a time
from the queue both processes share, while the parent, running a dirty build into an empty
folder, skips them in MkDocs' loops, makes the other pages, then takes from the same queue
until it is empty (a fixed split left one core idle for seconds whenever the search index,
written on the same two cores, slowed the other). The parent waits for the worker before the
site is swapped into place, and a failed worker fails the build. Forking is only safe with
one thread, so with more threads (or no os.fork) nothing is split.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.structure.files import InclusionLevel

from kb.speed.forks import can_fork, in_fork
from kb.speed.mkdocs_internals import build_page, populate_page, set_modified

log = logging.getLogger("mkdocs.plugins.kb")

MIN_PAGES = 150  # fewer pages to render (a warm build, speed/warm_build.py): forking would cost more than it saves


class PageQueue:
    """Pages both processes take from, one at a time, each page by one process only: the next page's number
    lives in memory the fork shares, behind a lock (a few microseconds a page)."""

    def __init__(self, pages: list) -> None:
        shared = multiprocessing.get_context("fork")
        self.pages = pages
        self._next = shared.Value("q", 0)
        self.worker_took = shared.RawValue("q", 0)  # written by the worker only: how many pages it rendered

    def take(self) -> Iterator:
        """The pages not yet taken by either process, until none is left."""
        while True:
            with self._next.get_lock():
                number = self._next.value
                if number >= len(self.pages):
                    return
                self._next.value = number + 1
            yield self.pages[number]


class PageWorker:
    """A forked process rendering pages from the queue, started by `begin` once the theme's environment is made;
    `help` renders from the queue here too, `finish` waits for the worker and reports failure (MkDocs has logged
    which page and why)."""

    def __init__(self, queue: PageQueue, config, files, nav, report: Callable[[list[str]], Any] | None = None) -> None:
        self.queue, self.config, self.files, self.nav, self.report = queue, config, files, nav, report
        self.env: Any = None  # the theme's environment, given to begin()
        self.report_file: Path | None = None
        self.messages = -1
        self.pid: int | None = None

    def begin(self, env) -> None:
        """Fork the worker, after MkDocs has read the navigation's pages (every page shows their titles) and made the
        theme's environment: the worker inherits both, templates compiled (until then the search index's writer
        keeps the other core busy). Nothing happens where forking has become unsafe: `help` renders every page."""
        self.env = env
        if not can_fork():
            return
        queue, config, files, nav, report = self.queue, self.config, self.files, self.nav, self.report
        if report is not None:  # what the worker learnt while rendering, handed back through a file when it is done
            handle, name = tempfile.mkstemp(prefix=".kb-worker-", suffix=".pickle")
            os.close(handle)
            self.report_file = Path(name)

        def work() -> None:
            rendered = _render(queue.take(), config, files, nav, env)
            queue.worker_took.value = len(rendered)
            if report is not None and self.report_file is not None:
                self.report_file.write_bytes(pickle.dumps(report(rendered), protocol=pickle.HIGHEST_PROTOCOL))

        self.messages, said = os.pipe()
        self.pid = in_fork(work, said)
        os.close(said)

    @classmethod
    def start(
        cls, config, files, nav, planned: dict, report: Callable[[list[str]], Any] | None = None, min_pages: int = 0
    ) -> PageWorker | None:
        """A worker (begin() forks it) for the entry pages still to render (none of them in the navigation), marked
        done here, so this process, in a dirty build into an empty folder, skips them in MkDocs' loops (`help`
        renders its share later). None where forking is unsafe or there are fewer than `min_pages`.
        `report(src_uris)`, run in the worker with the pages it rendered, gives what finish() returns as "report"."""
        from mkdocs.structure.pages import Page

        if not can_fork():
            return None
        entries = [
            f
            for f in files.documentation_pages()
            if f.inclusion.is_not_in_nav()
            and f.is_modified()
            and (v := planned.get(f.src_uri)) is not None
            and v.entry is not None
        ]
        if not entries or len(entries) < min_pages:
            return None
        queue = PageQueue([f.page if f.page is not None else Page(None, f, config) for f in entries])
        for f in entries:
            set_modified(f, False)
        return cls(queue, config, files, nav, report)

    def help(self) -> int:
        """Render pages from the queue in this process too, until it is empty; how many this process rendered."""
        assert self.env is not None  # begin() was called
        return len(_render(self.queue.take(), self.config, self.files, self.nav, self.env))

    def finish(self) -> dict:
        """Wait for the worker; its peak memory (MiB) for the record. Raises RuntimeError if it failed."""
        if self.pid is None:  # never forked (begin found forking unsafe): this process rendered every page
            return {"pages": 0, "peak_mib": 0}
        _, status, usage = os.wait4(self.pid, 0)
        self.pid = None
        said = self._said()
        reported = self.report_file.read_bytes() if self.report_file is not None and self.report_file.exists() else b""
        if self.report_file is not None:
            self.report_file.unlink(missing_ok=True)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"a page could not be built: {said or 'the message above names it.'}")
        done = {"pages": self.queue.worker_took.value, "peak_mib": round(usage.ru_maxrss / 1024, 1)}
        return done | ({"report": pickle.loads(reported)} if reported else {})

    def cancel(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None
        if self.report_file is not None:
            self.report_file.unlink(missing_ok=True)
        self._said()

    def _said(self) -> str:
        """The worker's last words (its error, if it failed); the pipe is closed after."""
        if self.messages < 0:
            return ""
        said = os.read(self.messages, 4096).decode("utf-8", "replace").strip()
        os.close(self.messages)
        self.messages = -1
        return said


def _render(pages: Iterator, config, files, nav, env) -> list[str]:
    """What MkDocs' build does for each page (mkdocs.commands.build), for these pages only; the src_uris rendered.

    Unlike MkDocs, each page is converted, written and let go before the next: none of these pages is
    in the navigation, so no page needs another's text, and memory stays small (holding all its
    pages' HTML, the worker spent 7 s of its 23 s in the kernel at 10,000 entries, mostly page faults)."""
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    rendered = []
    for page in pages:
        populate_page(page, config, files)
        build_page(page, config, doc_files, nav, env)
        page.content = page.markdown = None
        rendered.append(page.file.src_uri)
    return rendered
