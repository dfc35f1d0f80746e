"""`kb build` writes the search index in a second process while the pages render (the machine has two cores).

The index is made only from the catalogue it is given (search/index.py); this module only decides
where the writing runs and swaps the finished folder into place when the whole build has succeeded.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from kb.content.catalogue import Catalogue
from kb.output.folders import swap_into_place
from kb.search.incremental import IndexState, write_or_update
from kb.search.index import building_dir, catalogue_documents, manifest, write_index
from kb.speed.forks import can_fork, die_with_parent, in_fork


class BackgroundIndex:
    """An index being written by another process while the pages render (the machine has two cores),
    swapped into place only when the whole build has succeeded.

    In `kb build` the writer is a fork: it shares the catalogue and makes the documents itself, so the
    build hands it nothing (handing 10,000 documents over through a file took the build 1.5 s). Where
    forking is unsafe (other threads running) it is a fresh interpreter (`python -m kb.speed.index_writer`,
    not multiprocessing's spawn, which re-runs the caller's main script) and the documents go through a file.

    With the build cache (speed/warm_build.py), the fork starts from the cache's copy of the last index
    (`previous`, `source`: search/incremental.write_or_update) and leaves the new index's state beside the
    folder for the cache (`state`, after finish); the fresh interpreter always writes the index whole.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        target: Path,
        *,
        fork: bool | None = None,
        previous: IndexState | None = None,
        source: Path | None = None,
    ):
        self.target = Path(target)
        self.building = building_dir(self.target)
        self.handover: Path | None = None
        self.process: subprocess.Popen | None = None
        self.pid: int | None = None
        self.state: IndexState | None = None  # after finish, when forked: what the index was made from
        self.how = "full"
        if fork if fork is not None else can_fork():
            self.messages, said = os.pipe()
            self.state_file = self.building.with_name(self.building.name + ".state")

            def work() -> None:
                state, how = write_or_update(catalogue, self.building, previous, source)
                self.state_file.write_bytes(pickle.dumps((state, how), protocol=pickle.HIGHEST_PROTOCOL))

            self.pid = in_fork(work, said)
            os.close(said)
            return
        self.handover = self.building.with_name(self.building.name + ".documents")
        handed = (list(catalogue_documents(catalogue)), manifest(catalogue))
        self.handover.write_bytes(pickle.dumps(handed, protocol=pickle.HIGHEST_PROTOCOL))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kb.speed.index_writer", str(self.handover), str(self.building), str(os.getpid())],
            stderr=subprocess.PIPE,
        )

    def _wait(self) -> tuple[int, str]:
        """(exit code, the writer's last words)."""
        if self.pid is not None:
            _, status = os.waitpid(self.pid, 0)
            said = os.read(self.messages, 4096).decode("utf-8", "replace")
            os.close(self.messages)
            self.pid = None
            return os.waitstatus_to_exitcode(status), said
        assert self.process is not None and self.handover is not None  # not forked: a fresh interpreter writes
        _, stderr = self.process.communicate()
        self.handover.unlink(missing_ok=True)
        return self.process.returncode, stderr.decode("utf-8", "replace")

    def wait(self) -> Path:
        """Wait for the writer; the finished index folder, not yet in place (the build swaps it in with the site).
        When forked, `state` and `how` then say what the index was made from (for the build cache)."""
        forked = self.pid is not None
        code, said = self._wait()
        if code != 0:
            shutil.rmtree(self.building, ignore_errors=True)
            last = said.strip().splitlines()[-1:] or ["no message"]
            raise RuntimeError(f"the search index could not be written ({last[0]}).")
        if forked:
            self.state, self.how = pickle.loads(self.state_file.read_bytes())
            self.state_file.unlink()
        return self.building

    def finish(self) -> Path:
        """Wait for the writer, then swap the new index in whole."""
        swap_into_place(self.wait(), self.target)
        return self.target

    def cancel(self) -> None:
        if self.pid is not None:
            os.kill(self.pid, signal.SIGTERM)
        else:
            assert self.process is not None  # not forked: a fresh interpreter writes
            if self.process.poll() is None:
                self.process.terminate()
        forked = self.pid is not None
        self._wait()
        shutil.rmtree(self.building, ignore_errors=True)
        if forked:
            self.state_file.unlink(missing_ok=True)


if __name__ == "__main__":  # the fresh-interpreter writer started by BackgroundIndex
    die_with_parent(int(sys.argv[3]))
    with open(sys.argv[1], "rb") as handover:
        _documents, _info = pickle.load(handover)
    write_index(_documents, _info, Path(sys.argv[2]))
