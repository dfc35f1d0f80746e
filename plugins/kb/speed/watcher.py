"""`kb serve` hears saves from the operating system (inotify) instead of MkDocs' polling.

Why: MkDocs' live-reload server polls the whole docs folder every half second. At 10,000
entries each poll stats every file, while a rebuild runs too, and a save waits up to half a
second to be seen. watchdog's native observer is told of the save at once. If it cannot
start (no inotify, too many watches), the polling observer stays: slower, never wrong.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.plugins.kb")


def use_native_observer(server) -> bool:
    """Move every path MkDocs' server watches to watchdog's native observer; False if it stays on polling.

    Relies on the live-reload server's observer and watch list (mkdocs_internals.py); anything unexpected
    leaves the server as it was."""
    from watchdog.observers.polling import PollingObserver

    from kb.speed.mkdocs_internals import forget_watches, watched_paths

    try:
        if not isinstance(server.observer, PollingObserver) or server.observer.is_alive():
            return False
        native = _changes_only_observer()
        if isinstance(native, PollingObserver):  # a platform without a native API
            return False
        watched = watched_paths(server)
        for path, count in watched.items():
            for _ in range(count):
                server.unwatch(path)
        polling, server.observer = server.observer, native
        try:
            for path, count in watched.items():
                for _ in range(count):
                    server.watch(path)
        except OSError as exc:  # e.g. the inotify watch limit: back to polling every path
            log.warning("kb: watching files by polling (%s)", exc)
            native.unschedule_all()
            forget_watches(server)
            server.observer = polling
            for path, count in watched.items():
                for _ in range(count):
                    server.watch(path)
            return False
        return True
    except AttributeError:  # another MkDocs: leave its own observer in place
        return False


def _changes_only_observer():
    """A native observer told only of files created, changed, deleted or moved.

    Why: inotify also reports files being opened and closed, and every rebuild reads the entries,
    so each build would start the next one (MkDocs' handler rebuilds on any file event)."""
    from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent
    from watchdog.observers import Observer

    class ChangesOnly(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **kwargs):
            changes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent]
            return super().schedule(event_handler, path, recursive=recursive, event_filter=changes, **kwargs)

    return ChangesOnly()
