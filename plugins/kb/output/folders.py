"""Folders the build writes, replaced whole: the site and its search index are swapped in together, with renames.

Readers never see half a folder, a failure leaves the previous site and index as they were, and the two
never disagree: both are swapped, and if the second swap fails the first is undone (swap_all). A site
folder that is a mount point (a container volume) cannot be renamed, so its contents are replaced
instead. A build with the build cache keeps the previous site as a spare (`.<site>.spare`) and builds
the next site in it (keep_only): making and removing 10,000 page folders cost seconds a build; a spare the
build does not use is removed while it runs (BackgroundRemoval), not at its end. Folders a killed build
left behind are removed by the next one (remove_stale), and every failure a person can cause (a full disk,
a read-only or forbidden folder) is said in a sentence.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path


class Swap:
    """One folder put in the place of another, undoable until it is finished."""

    def __init__(self, built: Path | str, final: Path | str, spare: Path | None = None) -> None:
        self.built, self.final = Path(built), Path(final)
        self.spare = spare  # where the previous folder is kept for the next build to build in, instead of removed
        self.old: Path | None = None  # where the previous folder (or, for a mount point, its contents) waits
        self.in_place = False  # True: `final` is a mount point whose contents were replaced
        self.new_names: list[str] = []

    def commit(self) -> None:
        old = self.final.with_name(f".{self.final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if os.path.lexists(self.final):
            try:
                self.final.rename(old)
            except OSError as exc:
                if exc.errno not in (errno.EBUSY, errno.EXDEV):
                    raise
                self._replace_contents()  # a mount point: it stays, its contents change
                return
            self.old = old
        try:
            self.built.rename(self.final)
        except OSError:
            if self.old is not None:
                self.old.rename(self.final)
                self.old = None
            raise

    def _replace_contents(self) -> None:
        """Copy the new folder inside `final` first (the only step that may fill the disk), then move
        the old contents aside and the new ones in, each a rename within the mounted file system."""
        stage, old = self.final / f".kb-new-{os.getpid()}", self.final / f".kb-old-{os.getpid()}"
        for leftover in (stage, old):
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            self.built.rename(stage)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            try:
                shutil.copytree(self.built, stage, symlinks=True)
            except BaseException:
                shutil.rmtree(stage, ignore_errors=True)
                raise
            shutil.rmtree(self.built, ignore_errors=True)
        old.mkdir()
        self.old, self.in_place = old, True
        for name in sorted(os.listdir(self.final)):
            if name not in (stage.name, old.name):
                os.rename(self.final / name, old / name)
        for name in sorted(os.listdir(stage)):
            os.rename(stage / name, self.final / name)
            self.new_names.append(name)
        stage.rmdir()

    def undo(self) -> None:
        """Put the previous folder (or contents) back."""
        if self.in_place:
            assert self.old is not None  # set with in_place
            for name in self.new_names:
                shutil.rmtree(self.final / name) if (self.final / name).is_dir() else (self.final / name).unlink()
            for name in os.listdir(self.old):
                os.rename(self.old / name, self.final / name)
            self.old.rmdir()
        else:
            shutil.rmtree(self.final)
            if self.old is not None:
                self.old.rename(self.final)
        self.old = None

    def finish(self) -> None:
        """The previous folder is removed (readers with open files keep them until they close them), or becomes the
        spare, replacing one the build did not use."""
        old, self.old = self.old, None
        if old is None:
            return
        if self.spare is not None and not self.in_place:
            shutil.rmtree(self.spare, ignore_errors=True)
            try:
                old.rename(self.spare)
                return
            except OSError:
                pass
        shutil.rmtree(old, ignore_errors=True)


def swap_into_place(built: Path, final: Path) -> None:
    """Replace `final` by `built`, so a reader never sees half a folder."""
    swap_all([(built, final)])


def swap_all(pairs: Iterable[tuple[Path, Path]], spares: dict[Path, Path] | None = None) -> None:
    """Each built folder into its place, all or none: a failure undoes the swaps already made, then is raised.
    `spares`: final folder -> where its previous folder is kept (Swap.spare)."""
    done: list[Swap] = []
    try:
        for built, final in pairs:
            swap = Swap(built, final, (spares or {}).get(final))
            swap.commit()
            done.append(swap)
    except BaseException:
        for swap in reversed(done):
            swap.undo()
        raise
    for swap in done:
        swap.finish()


def spare_dir_for(site_dir: Path) -> Path:
    """Where a build with the build cache keeps the previous site, for the next build to build in."""
    return site_dir.with_name(f".{site_dir.name}.spare")


def take_spare(spare: Path, building: Path) -> bool:
    """The spare folder becomes the (empty) building folder; False when there is none (or another build took it)."""
    try:
        os.rename(spare, building)
    except OSError:
        return False
    return True


class BackgroundRemoval:
    """A folder renamed aside at once and removed by `rm -rf` in a child process while the build goes on: removing
    a 10,000-page site is seconds spent mostly waiting on the disk, which the build's own work can overlap. The
    name aside carries this process's id, so remove_stale ends the removal if the build is killed."""

    def __init__(self, aside: Path, process: subprocess.Popen[bytes] | None) -> None:
        self.aside, self.process = aside, process

    @classmethod
    def start(cls, folder: Path, aside: Path) -> BackgroundRemoval | None:
        """None when there is no such folder; without an `rm` command it is removed here and now."""
        try:
            os.rename(folder, aside)
        except OSError:
            return None
        try:
            process = subprocess.Popen(
                ["rm", "-rf", "--", str(aside)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError:
            process = None
        removal = cls(aside, process)
        if process is None:
            removal.wait()
        return removal

    def wait(self) -> None:
        """Until the folder is gone (what `rm` could not remove is tried again here, and then left to remove_stale)."""
        if self.process is not None:
            self.process.wait()
        shutil.rmtree(self.aside, ignore_errors=True)


def removal_prefix(name: str) -> str:
    """How the names of folders being removed beside the folder `name` begin (remove_stale ends a killed build's)."""
    return f".{name}.removing-"


def removal_name(final: Path) -> Path:
    """Where a build puts a folder it removes in the background (see BackgroundRemoval), beside `final`."""
    return final.with_name(f"{removal_prefix(final.name)}{os.getpid()}-")


def keep_only(folder: Path, keep: dict[str, int]) -> tuple[set[str], int]:
    """Empty a folder but for the files `keep` names with their inode (path relative to `folder` -> st_ino, on the
    folder's own file system): any other file, link or file of that name that is another file is removed, and so is
    every folder left empty, so what remains is what a new folder holding those files would be. Returns (the paths
    kept, how many files were removed). One scandir per folder: the inode comes with the listing, no stat."""

    kept: set[str] = set()
    removed = 0

    def clear(path: str, prefix: str) -> bool:  # True when `path` is left empty
        nonlocal removed
        empty = True
        with os.scandir(path) as listing:
            entries = list(listing)
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if clear(entry.path, rel + "/"):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif keep.get(rel) == entry.inode() and entry.is_file(follow_symlinks=False):
                kept.add(rel)
                empty = False
            else:
                os.unlink(entry.path)
                removed += 1
        return empty

    clear(str(folder), "")
    return kept, removed


_PID_RE = re.compile(r"-(\d+)-")


def remove_stale(parent: Path, prefixes: tuple[str, ...]) -> list[str]:
    """Remove what a killed build left in `parent`: names starting with one of `prefixes` that carry the id of
    a process no longer running (or no id: made by an older kb). Returns the names removed."""
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    removed = []
    for name in names:
        if not name.startswith(prefixes):
            continue
        pid = _PID_RE.search(name)
        if pid is not None and _running(int(pid.group(1))):
            continue  # a build running now, in this folder
        path = Path(parent) / name
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
        removed.append(name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def failure_words(exc: OSError) -> str:
    """What went wrong reading the project or writing the site, in a sentence with what to do."""
    where = exc.filename or "the site folder"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"the disk is full: {where} could not be written. Free some space, or build elsewhere with kb build --site-dir DIR."
        )
    if exc.errno == errno.EROFS:
        return f"{where} is on a read-only disk. Build into a folder that can be written, with kb build --site-dir DIR."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"kb may not read or write {where}. Check who owns it and its permissions, or build elsewhere with kb build --site-dir DIR."
    if exc.errno == errno.EBUSY:
        return f"{where} is in use and could not be replaced. Stop what is using it, then build again."
    if exc.errno == errno.ELOOP:
        return f"{where} leads round a loop of symbolic links. Replace the links by real folders."
    return f"{where} could not be written ({exc.strerror or exc}). Check the folder, then build again."


def link_tree(source: Path, target: Path, skip: Callable[[str], bool] = lambda name: False) -> None:
    """Make `target` hold every file of `source` as hard links (copies across devices): a copy in time and space of
    nothing, for folders whose files are never written into once made (whoever writes into `target` must
    replace a file, never write through it)."""
    source, target = Path(source), Path(target)
    for dirpath, _, filenames in os.walk(source):
        inside = Path(dirpath).relative_to(source)
        (target / inside).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            if skip(name):
                continue
            try:
                os.link(os.path.join(dirpath, name), target / inside / name)
            except OSError:
                shutil.copy2(os.path.join(dirpath, name), target / inside / name)
