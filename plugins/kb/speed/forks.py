"""Work on a second core: whether forking is safe here, and a forked child that dies with the build.

Used by the page worker (page_worker.py), the search-index writer (index_writer.py) and the cold check of entry
files (file_worker.py). Nothing here imports MkDocs: `kb check` forks too, and loads none of the build.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading

from kb.output.folders import failure_words


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def wanted(setting: bool | str, cores: int | None = None) -> bool:
    """The `parallel` setting: "auto" splits wherever there is a second core. Measured at 10,000 entries
    on two cores, once the search-index writer took 23 s instead of 42 s (search/spelling.py), a worker
    beside it brought the build from about 36 s to about 31 s."""
    if setting == "auto":
        return (cores if cores is not None else os.cpu_count() or 1) >= 2
    return bool(setting)


def in_fork(work, said: int | None = None) -> int:
    """Run work() in a forked child and return its pid. The child dies with the build (die_with_parent) and
    leaves with os._exit, never running the parent's clean-up: status 0 if work() returned, 1 if it raised;
    then, if `said` is the write end of a pipe, it writes the error there in words for the parent to show."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        die_with_parent(parent)
        work()
        status = 0
    except BaseException as exc:
        if said is not None:
            words = failure_words(exc) if isinstance(exc, OSError) else f"{exc.__class__.__name__}: {exc}"
            os.write(said, words[:2000].encode("utf-8", "replace"))
    finally:
        logging.shutdown()
        os._exit(status)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when the build that started it dies, so a build killed midway leaves no
    worker running: prctl(PR_SET_PDEATHSIG, SIGKILL) through ctypes (the build machine is Linux; elsewhere
    nothing is asked). If the build died before the request was made, leave now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
