"""The log, read once: every commit reachable from HEAD with the files it changed, in one
`git log --raw` per range of the mainline (several at once on a machine with cores to spare),
and the steps each record's file went through."""

from __future__ import annotations

import datetime
import functools
import heapq
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liandong.history.types import Commit

if TYPE_CHECKING:
    import git

    from liandong.history.blobs import Versions

BLOB_MODES = frozenset({"100644", "100755"})  # regular files; symlinks and submodules are no records


# Settings that would change what `git log` prints are pinned (a user's log.follow, a relative
# diff, signatures), so the output is the same on every machine.
PINNED = ("-c", "log.follow=false", "-c", "diff.relative=false", "-c", "log.showSignature=false", "-c", "core.quotePath=false")


def run_git(repo: git.Repo, *args: str) -> bytes:
    argv = [repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git", *PINNED, *args]
    out = repo.git.execute(argv, stdout_as_string=False, strip_newline_in_stdout=False)
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


#
# No pathspec on purpose: with one, Git diffs every commit twice (once to decide whether it
# touches the path, once to print it); other files' lines are simply ignored here. Per commit:
# marker, hash, parents, committer time, author date (strict ISO 8601, with its offset), author,
# subject, each NUL-terminated; then per changed file ":oldmode newmode oldsha newsha status" and
# the path, each NUL-terminated.
_FORMAT = "%x01%H%x00%P%x00%ct%x00%aI%x00%aN%x00%s"
_LOG = ("log", "--raw", "-z", "--no-renames", "--root", "--no-abbrev", "--encoding=UTF-8", "--no-color", "--no-notes", f"--format={_FORMAT}")
SPLIT_AT = 2000  # mainline commits per range below which one `git log` is quicker than several


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_ZONES: dict[datetime.timedelta | None, datetime.tzinfo | None] = {}


@dataclass
class RawCommit:
    commit: Commit
    parents: list[str]
    time: int  # committer time, for the order
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # (new mode, old blob, new blob, path)


class _LogParser:
    """Turns `git log` output, fed in pieces of any size, into commits. Paths and subjects may
    hold any byte but NUL, so the NUL-separated fields are read in order, never searched for."""

    def __init__(self, on_change: Callable[[str, str, str], None]) -> None:
        self.commits: list[RawCommit] = []
        self.on_change = on_change  # (mode, new blob, path) of every changed file, as soon as it is read
        self.rest = b""
        self.header: list[bytes] = []
        self.meta: list[bytes] | None = None

    def feed(self, chunk: bytes) -> None:
        tokens = (self.rest + chunk).split(b"\0")
        self.rest = tokens.pop()
        for token in tokens:
            if self.header:
                self.header.append(token)
                if len(self.header) == 6:
                    self._commit()
            elif self.meta is not None:
                meta, self.meta = self.meta, None
                path = token.decode("utf-8", "surrogateescape")
                mode, before, after = meta[1].decode("ascii"), meta[2].decode("ascii"), meta[3].decode("ascii")
                self.commits[-1].changes.append((mode, before, after, path))
                self.on_change(mode, after, path)
            else:
                token = token.lstrip(b"\n")
                if token.startswith(b":") and self.commits:
                    self.meta = token[1:].split(b" ")
                    if len(self.meta) < 5:
                        raise GitFailed(f"git log: unexpected line {token[:80]!r}")
                elif token.startswith(b"\x01"):
                    self.header = [token[1:]]
                elif token:
                    raise GitFailed(f"git log: unexpected output {token[:80]!r}")

    def _commit(self) -> None:
        sha, parents, time, date, author, subject = self.header
        self.header = []
        when = datetime.datetime.fromisoformat(date.decode("ascii"))
        zone = _ZONES.setdefault(when.utcoffset(), when.tzinfo)  # one object per offset: less to keep and to cache
        if when.tzinfo is not zone:
            when = when.replace(tzinfo=zone)
        commit = Commit(sha.decode("ascii"), when, author.decode("utf-8", "replace"), subject.decode("utf-8", "replace"))
        self.commits.append(RawCommit(commit, parents.decode("ascii").split(), int(time)))

    def close(self) -> list[RawCommit]:
        if self.rest.strip(b"\n") or self.header or self.meta is not None:
            raise GitFailed("git log: output ended in the middle of a commit")
        return self.commits


def read_log(repo: git.Repo, versions: Versions, tip: str = "HEAD", since: str | None = None) -> list[RawCommit]:
    """Every commit reachable from `tip` (and not from `since`, when given: the commits made since
    the history cache was written) with its changed files, each diffed once; the blobs of
    records are read and parsed while Git is still diffing.

    Diffing a folder of thousands of files is what costs Git (about 0.25 ms a commit for 5,000
    files), so on a machine with cores to spare a long history is cut along the mainline into
    consecutive ranges, HEAD ^c1 | c1 ^c2 | … | ck, logged at the same time. Each cut is an
    ancestor of the one before it, so the ranges share no commit and together hold them all;
    ordered then puts them in one order whatever the cuts were."""
    stop = [f"^{since}"] if since else []
    mainline = run_git(repo, "rev-list", "--first-parent", tip, *stop).split()
    if not mainline:
        return []
    parts = max(1, min(_cpus() - 1, 3, len(mainline) // SPLIT_AT))  # one core is this process's, parsing
    cuts = [mainline[len(mainline) * k // parts].decode("ascii") for k in range(1, parts)]
    tips = [mainline[0].decode("ascii"), *cuts]
    ranges = [[top, f"^{cut}", *stop] for top, cut in zip(tips, cuts)] + [[tips[-1], *stop]]
    executable = repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git"
    processes = [repo.git.execute([executable, *PINNED, *_LOG, *revs, "--"], as_process=True) for revs in ranges]
    parsers = [_LogParser(versions.want) for _ in ranges]
    chunks: queue.Queue[tuple[int, bytes]] = queue.Queue()

    def pump(index: int) -> None:  # a thread per process: only waits on its pipe
        process: Any = processes[index].proc
        out = process.stdout
        while chunk := out.read1(1 << 20):
            chunks.put((index, chunk))
        chunks.put((index, b""))

    threads = [threading.Thread(target=pump, args=(i,), daemon=True) for i in range(len(ranges))]
    try:
        for thread in threads:
            thread.start()
        running = len(ranges)
        while running:
            index, chunk = chunks.get()
            if chunk:
                parsers[index].feed(chunk)
                versions.parse_some()
            else:
                running -= 1
        for process in processes:
            process.wait()  # raises GitCommandError when git log failed
    finally:
        for process in processes:
            proc: Any = process.proc
            if proc.poll() is None:
                proc.kill()
        for thread in threads:
            thread.join()
    return [commit for parser in parsers for commit in parser.close()]


def ordered(commits: list[RawCommit]) -> list[RawCommit]:
    """Oldest first, every parent before its children, else by committer time, then hash: the
    same order however the log was cut (like `git log --date-order`, reversed)."""
    by_sha = {c.commit.sha: c for c in commits}
    children = dict.fromkeys(by_sha, 0)
    for c in commits:
        for parent in c.parents:
            if parent in children:
                children[parent] += 1
    ready = [(-c.time, c.commit.sha) for c in commits if children[c.commit.sha] == 0]
    heapq.heapify(ready)
    newest_first: list[RawCommit] = []
    while ready:
        _time, sha = heapq.heappop(ready)
        commit = by_sha[sha]
        newest_first.append(commit)
        for parent in commit.parents:
            if parent in children:
                children[parent] -= 1
                if children[parent] == 0:
                    heapq.heappush(ready, (-by_sha[parent].time, parent))
    newest_first.reverse()
    return newest_first


@functools.lru_cache(maxsize=1 << 16)  # the log names each file many times
def record_id(path: str, folder: str) -> str | None:
    """`<folder>/<type>/<id>.yaml` → id; anything else is not a record."""
    if not path.startswith(folder + "/") or not path.endswith(".yaml"):
        return None
    parts = path[len(folder) + 1 :].split("/")
    return parts[1][:-5] if len(parts) == 2 and len(parts[1]) > 5 else None


def is_null(sha: str) -> bool:
    return not sha.strip("0")


@dataclass
class Step:
    """What one commit did to one record's file(s)."""

    commit: Commit
    boundary: bool  # a shallow clone's boundary commit: its "changes" are its whole tree
    changes: list[tuple[str, str, str, str]]


def steps_by_record(commits: list[RawCommit], folder: str, boundary: frozenset[str]) -> tuple[dict[str, list[Step]], list[tuple[Commit, list[str]]]]:
    """Each record's steps, oldest first, and the commits with the records each touched, newest first."""
    steps: dict[str, list[Step]] = {}
    touched: list[tuple[Commit, list[str]]] = []
    for raw in commits:
        at_boundary = raw.commit.sha in boundary
        by_id: dict[str, list[tuple[str, str, str, str]]] = {}
        for change in raw.changes:
            rid = record_id(change[3], folder)
            if rid is not None:
                by_id.setdefault(rid, []).append(change)
        for rid, changes in by_id.items():
            steps.setdefault(rid, []).append(Step(raw.commit, at_boundary, changes))
        if by_id and not at_boundary:  # a boundary commit did not really add all it holds
            touched.append((raw.commit, sorted(by_id)))
    touched.reverse()
    return steps, touched


class GitFailed(Exception):
    pass
