"""`kb build` renders pages on two cores: a forked worker builds a share of the entry pages.

Why: MkDocs renders every page in one process, one after the other, and at 10,000 entries
that is most of the build; the machines this site is built on have two cores or more.
After the navigation is made (on_nav), the build forks: the worker converts and writes its
share of entry pages (none of them in the navigation) with MkDocs' own functions, while
the parent, running a dirty build into an empty folder, skips them. The parent waits for
the worker before the site is swapped into place, and a failed worker fails the build.
Forking is only safe with one thread, so with more threads (or no os.fork) nothing is split.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mkdocs.structure.files import InclusionLevel

from kb.speed.forks import can_fork, in_fork
from kb.speed.mkdocs_internals import build_page, populate_page, set_modified

log = logging.getLogger("mkdocs.plugins.kb")

WORKER_SHARE = 0.57  # the other core also writes the search index; this process also makes the listings, hubs and digests
MIN_PAGES = 150  # fewer pages to render (a warm build, speed/warm_build.py): forking would cost more than it saves


def worker_share(candidates: Sequence, share: float = WORKER_SHARE) -> list:
    """Every n-th candidate page, spread through the list so both processes get pages of every kind."""
    if not candidates or share <= 0:
        return []
    step = 1 / share
    picked, next_at = [], 0.0
    for i, item in enumerate(candidates):
        if i >= next_at:
            picked.append(item)
            next_at += step
    return picked


class PageWorker:
    """One forked process rendering the pages it was given; `finish` waits for it and reports failure
    (MkDocs has logged which page and why)."""

    def __init__(self, pages: list, config, files, nav, report: Callable[[], Any] | None = None) -> None:
        self.pages = pages
        self.report_file: Path | None = None
        if report is not None:  # what the worker learnt while rendering, handed back through a file when it is done
            handle, name = tempfile.mkstemp(prefix=".kb-worker-", suffix=".pickle")
            os.close(handle)
            self.report_file = Path(name)

        def work() -> None:
            _render(pages, config, files, nav)
            if report is not None and self.report_file is not None:
                self.report_file.write_bytes(pickle.dumps(report(), protocol=pickle.HIGHEST_PROTOCOL))

        self.messages, said = os.pipe()
        self.pid: int | None = in_fork(work, said)
        os.close(said)

    @classmethod
    def start(
        cls, config, files, nav, planned: dict, report: Callable[[list[str]], Any] | None = None, min_pages: int = 0
    ) -> PageWorker | None:
        """Fork a worker for a share of the entry pages still to render (none of them in the navigation) and mark
        them done here, so this process, in a dirty build into an empty folder, skips them. None where forking is
        unsafe or there are fewer than `min_pages`. `report(src_uris)`, run in the worker, gives what finish() returns as "report"."""
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
        shared = worker_share(entries)
        uris = [f.src_uri for f in shared]
        worker = cls(
            [f.page if f.page is not None else Page(None, f, config) for f in shared],
            config,
            files,
            nav,
            (lambda: report(uris)) if report is not None else None,
        )
        for f in shared:
            set_modified(f, False)
        return worker

    def finish(self) -> dict:
        """Wait for the worker; its peak memory (MiB) for the record. Raises RuntimeError if it failed."""
        assert self.pid is not None  # not yet waited for
        _, status, usage = os.wait4(self.pid, 0)
        self.pid = None
        said = self._said()
        reported = self.report_file.read_bytes() if self.report_file is not None and self.report_file.exists() else b""
        if self.report_file is not None:
            self.report_file.unlink(missing_ok=True)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"a page could not be built: {said or 'the message above names it.'}")
        done = {"pages": len(self.pages), "peak_mib": round(usage.ru_maxrss / 1024, 1)}
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


def _render(pages: list, config, files, nav) -> None:
    """What MkDocs' build does for each page, for these pages only (mkdocs.commands.build); the pages of the
    navigation are read too (not written), since their titles come from their text and every page shows them.

    Unlike MkDocs, each page is converted, written and let go before the next: none of these pages is
    in the navigation, so no page needs another's text, and the worker's memory stays small (holding
    all its pages' HTML, it spent 7 s of its 23 s in the kernel at 10,000 entries, mostly page faults)."""
    for page in nav.pages:
        populate_page(page, config, files)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for page in pages:
        populate_page(page, config, files)
        build_page(page, config, doc_files, nav, env)
        page.content = page.markdown = None
