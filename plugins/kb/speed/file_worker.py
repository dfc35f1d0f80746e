"""Entry files checked on a second core: a cold `kb check` or `kb build` reads and checks half of them in a fork.

Why: with nothing cached, reading, parsing and checking 10,000 entry files took about 9 s of one core before a build
could start anything else (profiled: YAML and the field checks, 1 ms a file). Each file's result depends only on its
bytes, the vocabulary and the limits (content/loader.py), so the files split cleanly: a forked child checks the second
half and hands its results back pickled through a file, while this process checks the first. The results are the ones
this process would have made; should the child fail in any way, this process checks its half itself.
The entries' links are then resolved the same way, once every entry is read (content/loader.py).
The build cache saves a cold build's pages the same way (speed/build_cache.py: linked and checksummed, half each).
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Sequence
from typing import TypeVar

from kb.speed.forks import can_fork, in_fork

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger("mkdocs.plugins.kb")

MIN_ITEMS = 400  # fewer files to check: forking and handing back would cost more than it saves


def split_map(work: Callable[[T], R], items: Sequence[T], min_items: int = MIN_ITEMS) -> list[R]:
    """[work(item) for item in items], the second half computed in a forked child where forking is safe."""
    if len(items) < min_items or not can_fork():
        return [work(item) for item in items]
    half = len(items) // 2
    handle, name = tempfile.mkstemp(prefix=".kb-files-", suffix=".pickle")
    os.close(handle)
    try:

        def child() -> None:
            made = [work(item) for item in items[half:]]
            with open(name, "wb") as out:
                pickle.dump(made, out, protocol=pickle.HIGHEST_PROTOCOL)

        pid = in_fork(child)
        try:
            mine = [work(item) for item in items[:half]]
        except BaseException:  # interrupted: the child is not waited for
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                with open(name, "rb") as handed:
                    theirs: list[R] = pickle.load(handed)
                if len(theirs) == len(items) - half:
                    return mine + theirs
            except (OSError, pickle.UnpicklingError, EOFError):
                pass
        log.debug("kb: the second core did not do its half; doing it here")
        return mine + [work(item) for item in items[half:]]
    finally:
        os.unlink(name)
