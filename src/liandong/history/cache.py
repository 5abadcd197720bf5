"""The parsed history kept between builds, in the Git directory (never in the working tree, the
registry or the build's output): `$(git rev-parse --git-path liandong)/history-cache.pickle`.

It holds the History read at one commit and each record's RecordState (events.py), so a later
read at the same HEAD is a file load, and one after new commits on top of it reads and parses
only those commits and goes on with each touched record where it stopped. What it was read
with is its key: the cache's format, the code that wrote it (a hash of this package's and the
loader's sources), the Python version, the registry folder, the history lists, the shallow state
and boundary commits, and the .mailmap (author names). A cache with another key, or one that
does not load, is no cache: the history is read in full and the file replaced.

The file is pickle, written by Liandong into the repository's own Git directory, where whoever
can write can already run code (hooks); a file that does not unpickle into the expected types
is ignored, and so is one whose parts do not have the length and CRC-32 its header says
(damaged on disk, cut off). It is written to a temporary file beside it and renamed over it (os.replace), so a
build that is stopped halfway, or two at once, never leave half a file. LIANDONG_HISTORY_CACHE=0
turns it off: nothing is read or written."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from liandong.history.events import RecordState
from liandong.history.types import History, RecordHistory

FORMAT = 1  # raise when what is saved changes in a way the code hash would not tell
ENV = "LIANDONG_HISTORY_CACHE"
FOLDER = "liandong"  # in the Git directory
NAME = "history-cache.pickle"
_PROTOCOL = 5


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in ("0", "false", "no", "off")


@cache
def code_hash() -> str:
    """The sources that decide what a history is (this package and the strict loader)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in [*sorted(here.glob("*.py")), here.parent / "yamlio" / "loader.py"]:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def make_key(folder: str, events: dict[str, str], shallow: bool, boundary: frozenset[str], mailmap: bytes | None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "code": code_hash(),
        "python": sys.version,
        "folder": folder,
        "events": list(events.items()),
        "shallow": shallow,
        "boundary": sorted(boundary),
        "mailmap": hashlib.sha256(mailmap).hexdigest() if mailmap is not None else None,
    }


@dataclass
class Saved:
    """A cache that loaded: the History at `head`; the records' states are unpickled only when
    asked for (a read at the same HEAD never needs them)."""

    head: str
    head_time: int  # its committer time: where it falls among the commits made since
    history: History
    _states: bytes = field(repr=False)
    _states_crc: int = field(repr=False)

    def states(self) -> dict[str, RecordState]:
        """Each record's state, sharing the History's RecordHistory objects (changed in place
        when fed): the History is not to be used after this. ValueError when they do not load."""
        try:
            if zlib.crc32(self._states) != self._states_crc:
                raise ValueError("history cache: the states are damaged")
            payload = pickle.loads(self._states)
            states: dict[str, RecordState] = {}
            records = self.history.records
            for rid, fields in payload.items():
                paths, last_sha, last, seen, deleted_in, touches, first, own = fields
                history = own if own is not None else records[rid]
                if not isinstance(history, RecordHistory):
                    raise ValueError("history cache: not a record's history")
                states[rid] = RecordState(history, paths, last_sha, last, seen, deleted_in, touches, first)
            return states
        except ValueError:
            raise
        except Exception as err:  # any damage
            raise ValueError(f"history cache: {err}") from err


class Store:
    """The cache file of one repository."""

    def __init__(self, path: Path, key: dict[str, Any]) -> None:
        self.path = path
        self.key = key

    def load(self) -> Saved | None:
        """The saved history, or None when there is none with this key or it does not load
        (corrupt, truncated, written by another version): then it is simply read again."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        try:
            stream = io.BytesIO(data)
            header = pickle.load(stream)
            if not isinstance(header, dict) or header.get("key") != self.key:
                return None
            head, head_time, sizes, crcs = header["head"], header["head_time"], header["sizes"], header["crcs"]
            start = stream.tell()
            body = data[start : start + sizes[0]]
            states = data[start + sizes[0] :]
            if len(body) != sizes[0] or len(states) != sizes[1] or zlib.crc32(body) != crcs[0]:
                return None
            history = pickle.loads(body)
            if not (isinstance(head, str) and isinstance(head_time, int) and isinstance(history, History)):
                return None
            return Saved(head, head_time, history, states, crcs[1])
        except Exception:  # any damage (truncated, corrupt, another format) is no cache
            return None

    def save(self, head: str, head_time: int, history: History, states: dict[str, RecordState]) -> None:
        """Replace the file, atomically; a Git directory that cannot be written is no error."""
        payload = {}
        for rid, state in states.items():
            shared = history.records.get(rid) is state.history
            own = None if shared else state.history
            payload[rid] = (state.paths, state.last_sha, state.last, state.seen, state.deleted_in, state.touches, state.first, own)
        temp: str | None = None
        try:
            body = pickle.dumps(history, _PROTOCOL)
            rest = pickle.dumps(payload, _PROTOCOL)
            header = {"key": self.key, "head": head, "head_time": head_time, "sizes": [len(body), len(rest)], "crcs": [zlib.crc32(body), zlib.crc32(rest)]}
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{NAME}.", suffix=".tmp", dir=self.path.parent)
            with os.fdopen(fd, "wb") as out:
                out.write(pickle.dumps(header, _PROTOCOL))
                out.write(body)
                out.write(rest)
            os.replace(temp, self.path)
            temp = None
        except (OSError, pickle.PicklingError, RecursionError):
            pass
        finally:
            if temp is not None:
                try:
                    os.unlink(temp)
                except OSError:
                    pass
