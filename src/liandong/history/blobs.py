"""The versions of the records' files, read from one `git cat-file --batch` as the log names
them and parsed by each record's incremental parser."""

from __future__ import annotations

import itertools
import subprocess
from typing import TYPE_CHECKING, Any

from liandong.history.gitlog import BLOB_MODES, GitFailed, Step, is_null, record_id
from liandong.history.parser import VersionParser

if TYPE_CHECKING:
    import git


class Versions:
    """Every version of every record, parsed: blobs are asked of one `git cat-file --batch` in
    batches as the log names them (GitPython's odb would wait for each object in turn), and each
    record's versions go through that record's own incremental parser, neighbour after neighbour."""

    BATCH = 512  # names written at once: well under a pipe's 64 KiB, so writing never blocks

    def __init__(self, repo: git.Repo, folder: str) -> None:
        self.repo = repo
        self.folder = folder
        self.data: dict[str, dict[str, Any] | None] = {}  # blob → parsed version (None: does not parse)
        self.pending: dict[str, str] = {}  # blob → record id, not yet read
        self.asked: dict[str, str] = {}  # blob → record id, asked of cat-file, answer not read yet
        self.parsers: dict[str, VersionParser] = {}
        self.process: Any = None

    def __enter__(self) -> Versions:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.proc.stdin.close()
            self.process.proc.stdout.close()
            self.process.proc.wait()

    def want(self, mode: str, blob: str, path: str) -> None:
        if mode in BLOB_MODES and blob not in self.data and blob not in self.asked and (rid := record_id(path, self.folder)) is not None:
            self.pending[blob] = rid

    def parse_some(self, everything: bool = False) -> None:
        """Ask for the next batches while parsing the one before: cat-file reads and inflates
        blobs while this process parses. At most two batches of names are ever unanswered, well
        under what the pipe holds, so neither side waits on the other's pipe."""
        while len(self.pending) >= (1 if everything else self.BATCH):
            batch = dict(itertools.islice(self.pending.items(), self.BATCH))
            for blob in batch:
                del self.pending[blob]
            self._ask(batch)
            previous, self.asked = self.asked, batch
            self._parse(previous)
        if everything:
            previous, self.asked = self.asked, {}
            self._parse(previous)

    def _parse(self, batch: dict[str, str]) -> None:
        for (blob, rid), raw in zip(batch.items(), self._answers(batch)):
            parser = self.parsers.get(rid) or self.parsers.setdefault(rid, VersionParser())
            self.data[blob] = parser.parse(raw)

    def fetch_missing(self, steps: dict[str, list[Step]]) -> None:
        """The older side of changes whose version no commit of the log brought (a merge's own
        result, or what a shallow clone cut off), then everything still waiting."""
        previous, self.asked = self.asked, {}
        self._parse(previous)
        for rid, record_steps in steps.items():
            for step in record_steps:
                for _mode, before, _after, _path in step.changes:
                    if not is_null(before) and before not in self.data:
                        self.pending[before] = rid
        self.parse_some(everything=True)
        self.parsers.clear()

    def _ask(self, blobs: dict[str, str]) -> None:
        if self.process is None:
            self.process = self.repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        stdin = self.process.proc.stdin
        stdin.write("".join(f"{blob}\n" for blob in blobs).encode("ascii"))
        stdin.flush()

    def _answers(self, blobs: dict[str, str]) -> list[bytes | None]:
        if not blobs:
            return []
        out = self.process.proc.stdout
        found: list[bytes | None] = []
        for blob in blobs:
            header = out.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                found.append(None)
                continue
            if len(header) != 3 or header[0].decode("ascii") != blob:
                raise GitFailed(f"git cat-file: unexpected answer {b' '.join(header)!r} for {blob}")
            data = out.read(int(header[2]) + 1)[:-1]
            found.append(data if header[1] == b"blob" else None)
        return found
