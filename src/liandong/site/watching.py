"""Which of the preview's source files changed, as the system tells it.

Looking at every file's (mtime, size) takes 0.19 s at 10,000 records; polling paid that five times a
second, and a save waited for the next look. The system (inotify and its kin, through watchdog, the
library MkDocs' own `serve` uses) tells of a save at once, and nothing is looked at between saves.
Where it cannot tell (no inotify, the watch limit reached), or to be safe against an event it
dropped, `Told.wait` answers None: look at every file, as polling did."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # how often every file is looked at where the system does not tell
SETTLE_SECONDS = 0.03  # an editor's save is several events (a temporary file, a rename): take them together
LOOK_ANYWAY_SECONDS = 10.0  # every file is looked at this often even when told, in case an event was lost


class _Handler(FileSystemEventHandler):
    def __init__(self, told: Told) -> None:
        self.told = told

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.told.heard(event)


class Told:
    """The paths (relative to `root`, with os.sep) under `folders` (recursively) or among `files`
    (directly in root) that the system said were written, created, removed or moved."""

    def __init__(self, root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> None:
        self.root = root
        self.folders = tuple(folder + os.sep for folder in folders)
        self.files = files
        self.changed = threading.Condition()
        self.paths: set[str] = set()
        self.everything = False  # a folder came or went: look at every file
        self.observer = self._start(folders)

    def _start(self, folders: tuple[str, ...]) -> BaseObserver | None:
        # Only what changes a file: opening and reading (the validation reads every record) is not asked for.
        wanted: list[type[FileSystemEvent]] = [
            FileCreatedEvent,
            FileModifiedEvent,
            FileClosedEvent,
            FileDeletedEvent,
            FileMovedEvent,
            DirCreatedEvent,
            DirDeletedEvent,
            DirMovedEvent,
        ]
        observer = Observer()
        try:
            observer.schedule(_Handler(self), str(self.root), recursive=False, event_filter=wanted)
            for folder in folders:
                if (self.root / folder).is_dir():
                    observer.schedule(_Handler(self), str(self.root / folder), recursive=True, event_filter=wanted)
            observer.start()
        except OSError as err:  # e.g. inotify's watch limit: look at every file instead
            log.info("系统不能通知文件修改（%s），改为定时查看所有文件", err)
            observer.stop()
            return None
        return observer

    def heard(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, event.dest_path]
        with self.changed:
            if event.is_directory and event.event_type != "modified":  # a folder's own "modified" is a file in it
                self.everything = True
            for path in paths:
                relative = os.path.relpath(os.fsdecode(path), self.root) if path else ""
                if relative.startswith(self.folders) or relative in self.files:
                    self.paths.add(relative)
            if self.paths or self.everything:
                self.changed.notify_all()

    def waiting(self) -> bool:
        """Whether something was told since the last `wait`."""
        with self.changed:
            return bool(self.paths or self.everything)

    def wait(self, stop: threading.Event) -> set[str] | None:
        """The paths told of since the last call, once there are some; None: look at every file
        (nothing can be told here, a folder changed, or LOOK_ANYWAY_SECONDS passed); empty once `stop` is set."""
        if self.observer is None:
            stop.wait(POLL_SECONDS)
            return None if not stop.is_set() else set()
        waited = 0.0
        with self.changed:
            while not (self.paths or self.everything) and not stop.is_set():
                if waited >= LOOK_ANYWAY_SECONDS:
                    return None
                self.changed.wait(POLL_SECONDS)  # short, so that `stop` is seen soon
                waited += POLL_SECONDS
        if stop.is_set():
            return set()
        stop.wait(SETTLE_SECONDS)
        with self.changed:
            paths, everything = self.paths, self.everything
            self.paths, self.everything = set(), False
        return None if everything else paths

    def close(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            self.observer.join()
