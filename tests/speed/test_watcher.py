"""kb serve hears a save from the operating system, not from MkDocs' half-second polling."""

from __future__ import annotations

import time

from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from kb.speed.watcher import use_native_observer


def wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_every_watched_path_moves_to_the_native_observer_and_a_save_is_heard(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "register").mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(tmp_path / "docs"))
    server.watch(str(tmp_path / "register"))
    server.watch(str(tmp_path / "docs"))  # MkDocs counts repeated watches of one path
    assert isinstance(server.observer, PollingObserver)
    assert use_native_observer(server) is True
    assert not isinstance(server.observer, PollingObserver)
    assert server._watched_paths == {str(tmp_path / "docs"): 2, str(tmp_path / "register"): 1}
    (tmp_path / "docs" / "entry.md").write_text("an entry")
    server.observer.start()
    try:
        time.sleep(0.2)
        assert (tmp_path / "docs" / "entry.md").read_text() == "an entry"  # a build reads every entry...
        assert not wait_for(lambda: server._want_rebuild, 0.6)  # ...and reading is no reason to rebuild
        (tmp_path / "register" / "new.md").write_text("saved")
        assert wait_for(lambda: server._want_rebuild, 0.4)  # polling checks only every 0.5 s
    finally:
        server.observer.stop()
        server.observer.join()


def test_a_server_already_watching_or_not_polling_is_left_alone(tmp_path):
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    assert use_native_observer(server) is True
    assert use_native_observer(server) is False  # already native: nothing to do


def test_an_unknown_server_is_left_as_it_was():
    class Other:
        observer = PollingObserver()

    other = Other()
    assert use_native_observer(other) is False
    assert isinstance(other.observer, PollingObserver)
