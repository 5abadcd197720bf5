"""Each record's history, reconstructed from Git: who changed what, when, in which commit.

The history is read in one pass over the log: `git log --raw` lists every commit reachable from
HEAD with the blobs it changed (never one `git log` per file: for 1,000 files × 2,000 commits
that is 0.3 s against 171 s). While Git is still diffing, the blobs of record files are read
from one `git cat-file --batch` and parsed with the strict loader, each record's versions by
an incremental parser that parses only what changed since the version before. Consecutive
versions are then compared field by field into events.

Histories are keyed by record id (the file stem), not by path, so a record moved to another
folder (or a renamed folder) keeps its history. Only committed history (HEAD) is read; the
working tree and the index are not history.

A shallow clone cuts history off at its boundary commits, which Git shows as if they created
every file they hold. A record first seen there has no known creation: `created` is None and
`complete` False, and the boundary commit itself is credited with nothing. Without Git, or
outside a repository, the result says so (`available` False) instead of failing: the site is
still built, with a note that tells how to get the history (a full clone, `fetch-depth: 0`).

Event values share objects with each other (an unchanged list is the same list in every
version): treat them as read-only.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import heapq
import os
import queue
import re
import subprocess
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liandong.validation.files import REGISTRY_DIR, SCHEMAS_DIR
from liandong.yamlio.loader import decode, parse_text

if TYPE_CHECKING:  # GitPython refuses to import without a git executable: imported in read_history
    import git

KINDS = ("created", "status", "deadline", "progress", "extension", "decision", "entry", "changed", "deleted")
# The history lists (x-append-only in the schemas) whose new entries are events of their own:
# these three have a kind of their own, every other one (reminders, reopenings…) is an "entry".
_ENTRY_KINDS = {"extensions": "extension", "progress": "progress", "decisions": "decision"}


def entry_events(append_only: Iterable[str]) -> dict[str, str]:
    """Field name → event kind for each history list; the three of their own first, in their
    order, so a commit's events keep a fixed order (extension, progress, decision, others)."""
    own = list(_ENTRY_KINDS)
    ordered = sorted(dict.fromkeys(append_only), key=lambda name: own.index(name) if name in own else len(own))
    return {name: _ENTRY_KINDS.get(name, "entry") for name in ordered}


def _schema_lists(root: Path) -> dict[str, str]:
    """The history lists the schemas at `root` declare; the three with kinds of their own when
    the schemas cannot be read (validate reports why)."""
    from liandong.validation.schema import SchemaSet, SchemaSetupError

    try:
        return entry_events(SchemaSet(root / SCHEMAS_DIR).append_only)
    except SchemaSetupError:
        return dict(_ENTRY_KINDS)


NOTE_SHALLOW = "历史记录不完整：仓库是浅克隆，缺少较早的提交，部分记录的创建时间和早期变化无从得知。请使用完整克隆（CI 中设置 fetch-depth: 0）。"
NOTE_NOT_A_REPOSITORY = (
    "没有修改历史：生成网站的文件夹不是 Git 仓库（找不到 .git）。请在登记册仓库的完整克隆中生成网站（git clone 不加 --depth；CI 中设置 fetch-depth: 0）。"
)
NOTE_NO_GIT = "没有修改历史：找不到 git 命令。请安装 Git，并在登记册仓库的完整克隆中生成网站（CI 中设置 fetch-depth: 0）。"
NOTE_BARE = "没有修改历史：仓库没有工作区（裸仓库）。请在登记册仓库的完整克隆中生成网站（CI 中设置 fetch-depth: 0）。"
NOTE_GIT_FAILED = "没有修改历史：无法读取 Git 记录。请检查仓库是否完整，并使用完整克隆（CI 中设置 fetch-depth: 0）。"
NOTE_NO_COMMITS = "还没有修改历史：仓库中还没有任何提交。"

_BLOB_MODES = frozenset({"100644", "100755"})  # regular files; symlinks and submodules are no records


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime.datetime  # author date, timezone-aware, in the author's own offset
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Event:
    """One change to one record in one commit.

    kind       field        old → new
    created    None         None → title (None when that first version did not parse)
    status     "status"     previous status → new status
    deadline   "deadline"   previous deadline → new one; `extension` is the extension entry
                            added in the same commit (approved_by, new_deadline, reason…) or None
    progress   "progress"   None → the new progress entry
    extension  "extensions" None → the new extension entry
    decision   "decisions"  None → the new meeting decision
    entry      field name   None → the new entry of another history list (a reminder, a reopening)
    changed    field name   previous value → new value (None when absent), one per top-level field
    deleted    None         last known title → None
    """

    commit: Commit
    kind: str
    field: str | None
    old: Any
    new: Any
    extension: dict[str, Any] | None = None


@dataclass
class RecordHistory:
    id: str
    events: list[Event] = field(default_factory=list)  # oldest first
    created: Commit | None = None  # None when unknown: first seen at a shallow clone's boundary
    last_changed: Commit | None = None  # the last commit that touched the record's file
    complete: bool = True  # False when the first appearance is at a shallow boundary
    path: str = ""  # the last path the record had, e.g. registry/tasks/task-0001.yaml
    skipped: list[Commit] = field(default_factory=list)  # versions that did not parse, left out


@dataclass
class History:
    available: bool  # False: no Git history at all (`note` says why)
    shallow: bool = False
    note: str = ""  # Chinese, for the site; "" when the history is complete
    commit_url: str | None = None  # e.g. "https://github.com/OWNER/REPO/commit/{sha}"
    records: dict[str, RecordHistory] = field(default_factory=dict)  # by id, sorted
    commits: list[tuple[Commit, list[str]]] = field(default_factory=list)  # newest first, ids touched
    detail: str = ""  # the underlying error, for the command line, never for the site

    def for_records(self, ids: set[str]) -> History:
        """The same history restricted to `ids`: other records are gone, and so are the commits
        that touched none of them (their subjects may speak of internal records). As in
        Model.public(), a kept record's events lose their references to the records left out
        (a lead that was once an internal organisation), and an event left with nothing to
        tell is dropped."""
        commits = []
        for commit, touched in self.commits:
            kept = [i for i in touched if i in ids]
            if kept:
                commits.append((commit, kept))
        hidden = frozenset(self.records) - ids
        records = {i: _redacted(r, hidden) if hidden else r for i, r in self.records.items() if i in ids}
        return History(self.available, self.shallow, self.note, self.commit_url, records, commits, self.detail)

    def url(self, commit: Commit) -> str | None:
        return self.commit_url.replace("{sha}", commit.sha) if self.commit_url else None


def _redacted(record: RecordHistory, hidden: frozenset[str]) -> RecordHistory:
    events, changed = [], False
    for event in record.events:
        if not any(_mentions(v, hidden) for v in (event.old, event.new, event.extension)):
            events.append(event)
            continue
        changed = True
        old, new = _without(event.old, hidden), _without(event.new, hidden)
        if old != new or event.kind in ("created", "deleted"):
            events.append(dataclasses.replace(event, old=old, new=new, extension=_without(event.extension, hidden)))
    return dataclasses.replace(record, events=events) if changed else record


def _mentions(value: Any, ids: frozenset[str]) -> bool:
    if isinstance(value, str):
        return value in ids
    if isinstance(value, dict):
        return any(_mentions(v, ids) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, ids) for v in value)
    return False


def _without(value: Any, ids: frozenset[str]) -> Any:
    """`value` without the references to `ids`: list items and mapping entries that are one are
    left out, a reference on its own becomes None."""
    if isinstance(value, str):
        return None if value in ids else value
    if isinstance(value, dict):
        return {k: _without(v, ids) for k, v in value.items() if not (isinstance(v, str) and v in ids)}
    if isinstance(value, list):
        return [_without(v, ids) for v in value if not (isinstance(v, str) and v in ids)]
    return value


# ---------------------------------------------------------------------------------------------
# Reading Git


def read_history(root: Path, append_only: Iterable[str] | None = None) -> History:
    """The history of every record under `root/registry`, from the commits reachable from HEAD.
    `append_only`: the history lists (default: those the schemas at `root` declare)."""
    events = entry_events(append_only) if append_only is not None else _schema_lists(root)
    try:
        import git
    except ImportError as err:  # raised by GitPython itself when no git executable is found
        return History(False, note=NOTE_NO_GIT, detail=str(err).splitlines()[0] if str(err) else "")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as err:
        return History(False, note=NOTE_NOT_A_REPOSITORY, detail=f"not a git repository: {err}")
    with repo:  # closes the cat-file processes
        if repo.working_tree_dir is None:
            return History(False, note=NOTE_BARE, detail="bare repository")
        try:
            prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
        except ValueError:  # GIT_DIR / GIT_WORK_TREE point elsewhere
            return History(False, note=NOTE_NOT_A_REPOSITORY, detail=f"{root} is outside {repo.working_tree_dir}")
        folder = REGISTRY_DIR if prefix == "." else f"{prefix}/{REGISTRY_DIR}"
        try:
            return _read(repo, folder, events)
        except git.GitCommandNotFound as err:
            return History(False, note=NOTE_NO_GIT, detail=str(err))
        except git.GitCommandError as err:
            return History(False, note=NOTE_GIT_FAILED, detail=_first_line(err.stderr) or str(err))
        except _GitFailed as err:
            return History(False, note=NOTE_GIT_FAILED, detail=str(err))


def _first_line(text: Any) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0].removeprefix("stderr: ").strip("'") if lines else ""


# Settings that would change what `git log` prints are pinned (a user's log.follow, a relative
# diff, signatures), so the output is the same on every machine.
_PINNED = ("-c", "log.follow=false", "-c", "diff.relative=false", "-c", "log.showSignature=false", "-c", "core.quotePath=false")


def _git(repo: git.Repo, *args: str) -> bytes:
    argv = [repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git", *_PINNED, *args]
    out = repo.git.execute(argv, stdout_as_string=False, strip_newline_in_stdout=False)
    return out if isinstance(out, bytes) else str(out).encode("utf-8")


def _read(repo: git.Repo, folder: str, events: dict[str, str]) -> History:
    commit_url = commit_url_template(_origin_url(repo))
    if not repo.head.is_valid():
        return History(True, note=NOTE_NO_COMMITS, commit_url=commit_url)
    shallow = _git(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"
    boundary = _boundary_commits(repo) if shallow else frozenset()
    at_head = _git(repo, "ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD", "--", folder)
    head_ids = {rid for path in at_head.split(b"\0") if path and (rid := _record_id(path.decode("utf-8", "replace"), folder))}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # many small objects, all kept alive: the cyclic collector would only rescan them
    try:
        with _Versions(repo, folder) as versions:
            commits = _order(_read_log(repo, versions))
            steps, touched = _steps(commits, folder, boundary)
            versions.fetch_missing(steps)
        records: dict[str, RecordHistory] = {}
        for rid in sorted(steps):
            history = _history(
                rid, steps[rid], versions.data, len(folder) - len(REGISTRY_DIR), rid in head_ids, events, unknown_boundary=shallow and not boundary
            )
            if history is not None:
                records[rid] = history
        # Freed while the collector is off: otherwise its next run would first walk them all.
        del commits, steps
        versions.data.clear()
    finally:
        if gc_was_enabled:
            gc.enable()
    return History(True, shallow, NOTE_SHALLOW if shallow else "", commit_url, records, touched)


def _boundary_commits(repo: git.Repo) -> frozenset[str]:
    """The commits whose parents a shallow clone left out (the `shallow` file in the Git dir)."""
    path = Path(_git(repo, "rev-parse", "--git-path", "shallow").decode("utf-8").strip())
    if not path.is_absolute():
        path = Path(repo.working_tree_dir or ".") / path
    try:
        return frozenset(line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip())
    except (OSError, UnicodeDecodeError):
        return frozenset()


# ---------------------------------------------------------------------------------------------
# The log, read once and in parallel ranges
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


@dataclass
class _RawCommit:
    commit: Commit
    parents: list[str]
    time: int  # committer time, for the order
    changes: list[tuple[str, str, str, str]] = field(default_factory=list)  # (new mode, old blob, new blob, path)


class _LogParser:
    """Turns `git log` output, fed in pieces of any size, into commits. Paths and subjects may
    hold any byte but NUL, so the NUL-separated fields are read in order, never searched for."""

    def __init__(self, on_change: Callable[[str, str, str], None]) -> None:
        self.commits: list[_RawCommit] = []
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
                        raise _GitFailed(f"git log: unexpected line {token[:80]!r}")
                elif token.startswith(b"\x01"):
                    self.header = [token[1:]]
                elif token:
                    raise _GitFailed(f"git log: unexpected output {token[:80]!r}")

    def _commit(self) -> None:
        sha, parents, time, date, author, subject = self.header
        self.header = []
        commit = Commit(
            sha.decode("ascii"), datetime.datetime.fromisoformat(date.decode("ascii")), author.decode("utf-8", "replace"), subject.decode("utf-8", "replace")
        )
        self.commits.append(_RawCommit(commit, parents.decode("ascii").split(), int(time)))

    def close(self) -> list[_RawCommit]:
        if self.rest.strip(b"\n") or self.header or self.meta is not None:
            raise _GitFailed("git log: output ended in the middle of a commit")
        return self.commits


def _read_log(repo: git.Repo, versions: _Versions) -> list[_RawCommit]:
    """Every commit reachable from HEAD with its changed files, each diffed once; the blobs of
    records are read and parsed while Git is still diffing.

    Diffing a folder of thousands of files is what costs Git (about 0.25 ms a commit for 5,000
    files), so on a machine with cores to spare a long history is cut along the mainline into
    consecutive ranges, HEAD ^c1 | c1 ^c2 | … | ck, logged at the same time. Each cut is an
    ancestor of the one before it, so the ranges share no commit and together hold them all;
    _order then puts them in one order whatever the cuts were."""
    mainline = _git(repo, "rev-list", "--first-parent", "HEAD").split()
    parts = max(1, min(_cpus() - 1, 3, len(mainline) // SPLIT_AT))  # one core is this process's, parsing
    cuts = [mainline[len(mainline) * k // parts].decode("ascii") for k in range(1, parts)]
    tips = [mainline[0].decode("ascii"), *cuts]
    ranges = [[tip, f"^{stop}"] for tip, stop in zip(tips, cuts)] + [[tips[-1]]]
    executable = repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git"
    processes = [repo.git.execute([executable, *_PINNED, *_LOG, *revs, "--"], as_process=True) for revs in ranges]
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


def _order(commits: list[_RawCommit]) -> list[_RawCommit]:
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
    newest_first: list[_RawCommit] = []
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


def _record_id(path: str, folder: str) -> str | None:
    """`<folder>/<type>/<id>.yaml` → id; anything else is not a record."""
    if not path.startswith(folder + "/") or not path.endswith(".yaml"):
        return None
    parts = path[len(folder) + 1 :].split("/")
    return parts[1][:-5] if len(parts) == 2 and len(parts[1]) > 5 else None


def _is_null(sha: str) -> bool:
    return not sha.strip("0")


@dataclass
class _Step:
    """What one commit did to one record's file(s)."""

    commit: Commit
    boundary: bool  # a shallow clone's boundary commit: its "changes" are its whole tree
    changes: list[tuple[str, str, str, str]]


def _steps(commits: list[_RawCommit], folder: str, boundary: frozenset[str]) -> tuple[dict[str, list[_Step]], list[tuple[Commit, list[str]]]]:
    """Each record's steps, oldest first, and the commits with the records each touched, newest first."""
    steps: dict[str, list[_Step]] = {}
    touched: list[tuple[Commit, list[str]]] = []
    for raw in commits:
        at_boundary = raw.commit.sha in boundary
        by_id: dict[str, list[tuple[str, str, str, str]]] = {}
        for change in raw.changes:
            rid = _record_id(change[3], folder)
            if rid is not None:
                by_id.setdefault(rid, []).append(change)
        for rid, changes in by_id.items():
            steps.setdefault(rid, []).append(_Step(raw.commit, at_boundary, changes))
        if by_id and not at_boundary:  # a boundary commit did not really add all it holds
            touched.append((raw.commit, sorted(by_id)))
    touched.reverse()
    return steps, touched


class _GitFailed(Exception):
    pass


class _Versions:
    """Every version of every record, parsed: blobs are asked of one `git cat-file --batch` in
    batches as the log names them (GitPython's odb would wait for each object in turn), and each
    record's versions go through that record's own incremental parser, neighbour after neighbour."""

    BATCH = 512  # names written at once: well under a pipe's 64 KiB, so writing never blocks

    def __init__(self, repo: git.Repo, folder: str) -> None:
        self.repo = repo
        self.folder = folder
        self.data: dict[str, dict[str, Any] | None] = {}  # blob → parsed version (None: does not parse)
        self.pending: dict[str, str] = {}  # blob → record id, not yet read
        self.parsers: dict[str, _VersionParser] = {}
        self.process: Any = None

    def __enter__(self) -> _Versions:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.proc.stdin.close()
            self.process.proc.stdout.close()
            self.process.proc.wait()

    def want(self, mode: str, blob: str, path: str) -> None:
        if mode in _BLOB_MODES and blob not in self.data and (rid := _record_id(path, self.folder)) is not None:
            self.pending[blob] = rid

    def parse_some(self, everything: bool = False) -> None:
        while len(self.pending) >= (1 if everything else self.BATCH):
            batch = list(self.pending.items())[: self.BATCH]
            for blob, _rid in batch:
                del self.pending[blob]
            for (blob, rid), raw in zip(batch, self._read([blob for blob, _ in batch])):
                parser = self.parsers.get(rid) or self.parsers.setdefault(rid, _VersionParser())
                self.data[blob] = parser.parse(raw)

    def fetch_missing(self, steps: dict[str, list[_Step]]) -> None:
        """The older side of changes whose version no commit of the log brought (a merge's own
        result, or what a shallow clone cut off), then everything still waiting."""
        for rid, record_steps in steps.items():
            for step in record_steps:
                for _mode, before, _after, _path in step.changes:
                    if not _is_null(before) and before not in self.data:
                        self.pending[before] = rid
        self.parse_some(everything=True)
        self.parsers.clear()

    def _read(self, blobs: list[str]) -> list[bytes | None]:
        if self.process is None:
            self.process = self.repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        stdin, out = self.process.proc.stdin, self.process.proc.stdout
        stdin.write("".join(f"{blob}\n" for blob in blobs).encode("ascii"))
        stdin.flush()
        found: list[bytes | None] = []
        for blob in blobs:
            header = out.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                found.append(None)
                continue
            if len(header) != 3 or header[0].decode("ascii") != blob:
                raise _GitFailed(f"git cat-file: unexpected answer {b' '.join(header)!r} for {blob}")
            data = out.read(int(header[2]) + 1)[:-1]
            found.append(data if header[1] == b"blob" else None)
        return found


# A record's top-level entries each start on a line at column 0; lines that start with a space,
# a tab, '#' or '-' (a sequence written at column 0) continue the entry above them.
_ENTRY_BREAK = re.compile(r"\n(?![ \t\r\n#-])")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t\r\n]|\Z)")
_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?(?:\n|\Z))*")


def _items(key: str, entry: str) -> list[str] | None:
    """The items of a block sequence written under `key:` (each "- …" line with the more
    indented lines after it), or None when the entry is anything else."""
    head, _, body = entry.partition("\n")
    if head.rstrip(" ") != f"{key}:" or not body:
        return None
    items: list[list[str]] = []
    indent = -1
    for line in body.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            if not items:
                return None
            items[-1].append(line)
            continue
        depth = len(line) - len(stripped)
        starts_item = stripped[:2] == "- " or stripped == "-"
        if starts_item and (depth == indent or indent < 0):
            indent = depth
            items.append([line])
        elif depth > indent >= 0:
            items[-1].append(line)
        else:
            return None
    return ["\n".join(lines) for lines in items]


@dataclass
class _Known:
    key: str | None  # None for the comments before the first entry
    value: Any  # the entry's parsed value
    items: list[str] | None = None  # a sequence's item texts, once they were needed


class _VersionParser:
    """Parses one record's versions in turn, each top-level entry only when its text changed,
    and of a list that grew only the new items.

    Consecutive versions of a record differ in an entry or two (a status, one more progress
    entry), and parsing is most of the cost. An entry that starts at column 0 ends where the
    next one starts: nothing it opens (a quote, a bracket, a block scalar) can reach past a line
    at column 0 that begins with a key, so an entry that parses alone parses the same in its
    file; likewise the items of a block sequence. The changed pieces are parsed together as one
    small document by the same strict loader and must give back exactly their own keys and item
    counts; anything else (an error, an unusual layout) is decided by parsing the whole file,
    which also decides whether a version is readable at all."""

    def __init__(self) -> None:
        self.known: dict[str, _Known] = {}  # the last version that parsed: entry text → entry
        self.pieces: dict[str, str] = {}  # its entry texts by key

    def parse(self, raw: bytes | None) -> dict[str, Any] | None:
        if raw is None:
            return None
        text, _problems = decode("", raw)
        if text is None:
            return None
        pieces = _ENTRY_BREAK.split(text)
        if pieces[-1] == "":
            pieces.pop()
        unique = len(set(pieces)) == len(pieces)
        if self.known and pieces and unique:
            data = self._parse_changes(pieces)
            if data is not None:
                return data
        data, _problems = parse_text("", text)
        self.known, self.pieces = {}, {}
        if data is not None and unique:
            keys = [match[1] if (match := _KEY.match(piece)) else None for piece in pieces]
            if None not in keys[1:] and [k for k in keys if k is not None] == list(data):
                self._keep(pieces, {piece: _Known(key, data[key] if key is not None else None) for piece, key in zip(pieces, keys)})
        return data

    def _keep(self, pieces: list[str], entries: dict[str, _Known]) -> dict[str, Any] | None:
        """Remember a version's entries; its data, or None when a key is written twice."""
        data: dict[str, Any] = {}
        self.known, self.pieces = {}, {}
        for piece in pieces:
            entry = self.known[piece] = entries[piece]
            if entry.key is not None:
                if entry.key in data:
                    self.known, self.pieces = {}, {}
                    return None
                data[entry.key] = entry.value
                self.pieces[entry.key] = piece
        return data

    def _parse_changes(self, pieces: list[str]) -> dict[str, Any] | None:
        known = self.known
        texts: list[str] = []
        plan: list[tuple[str, str, list[Any] | None, int, list[str] | None]] = []  # piece, key, kept items, new items, item texts
        for piece in pieces:
            if piece in known:
                continue
            match = _KEY.match(piece)
            if match is None:
                if piece is pieces[0] and _COMMENTS.fullmatch(piece):
                    plan.append((piece, "", None, 0, None))  # comments before the first entry
                    continue
                return None
            key = match[1]
            before_piece = self.pieces.get(key)
            before = known[before_piece] if before_piece is not None else None
            items = _items(key, piece) if before is not None and isinstance(before.value, list) else None
            if items is not None and before is not None and before_piece is not None:
                if before.items is None:
                    before.items = _items(key, before_piece)
                same = 0
                if before.items is not None and len(before.items) == len(before.value):
                    for a, b in zip(before.items, items):
                        if a != b:
                            break
                        same += 1
                if same:
                    plan.append((piece, key, before.value[:same], len(items) - same, items))
                    if same < len(items):
                        texts.append(f"{key}:\n" + "\n".join(items[same:]))
                    continue
            plan.append((piece, key, None, 0, items))
            texts.append(piece)
        part: dict[str, Any] | None = {}
        if texts:
            part, _problems = parse_text("", "\n".join(texts) + "\n")
            if part is None or list(part) != [key for _, key, kept, count, _ in plan if key and (kept is None or count)]:
                return None
        assert part is not None
        entries = dict(known)
        for piece, key, kept, count, items in plan:
            if not key:
                entries[piece] = _Known(None, None)
                continue
            value = part[key] if kept is None else kept
            if kept is not None and count:
                tail = part[key]
                if not isinstance(tail, list) or len(tail) != count:
                    return None
                value = kept + tail
            entries[piece] = _Known(key, value, items)
        return self._keep(pieces, entries) or None  # None: no entry at all, or a key twice


def _history(
    rid: str, steps: list[_Step], versions: dict[str, dict[str, Any] | None], strip: int, at_head: bool, events: dict[str, str], unknown_boundary: bool
) -> RecordHistory | None:
    """One record's history from its steps and parsed versions (None: did not parse)."""
    history = RecordHistory(rid)
    paths: set[str] = set()  # where the record is after the latest step
    last_sha: str | None = None
    last: dict[str, Any] | None = None  # the last version that parsed
    seen: dict[str, set[str]] = {}  # keys of the entries ever seen, per append-only list
    seen_lists: dict[str, Any] = {}  # the lists already counted (the parser shares unchanged items)
    deleted_in: Commit | None = None
    touches = 0
    first = True

    def remember(sha: str, data: dict[str, Any]) -> None:
        nonlocal last_sha, last
        for name in events:
            entries, previous = data.get(name), seen_lists.get(name)
            if isinstance(entries, list) and entries is not previous:
                counted = {id(e) for e in previous} if isinstance(previous, list) else set()
                seen.setdefault(name, set()).update(_entry_key(e) for e in entries if id(e) not in counted)
                seen_lists[name] = entries
        last_sha, last = sha, data

    for step in steps:
        commit = step.commit
        old_sha: str | None = None
        new: tuple[str, str, str] | None = None  # (mode, blob, path) of the version the commit leaves
        for mode, before, after, path in step.changes:
            if not _is_null(before):
                old_sha = before  # a modification, or the path a moved record left
            if _is_null(after):
                paths.discard(path)
            else:
                paths.add(path)
                new = (mode, after, path)
        if not step.boundary:
            history.last_changed = commit
            touches += 1
        if new is None:  # gone from every path it had
            if not paths and not step.boundary:
                deleted_in = commit
            continue
        mode, sha, path = new
        history.path = path[strip:]
        data = versions.get(sha) if mode in _BLOB_MODES else None
        if data is None and not step.boundary:
            history.skipped.append(commit)
        if first:
            first = False
            if step.boundary or unknown_boundary:
                history.complete = False
            else:
                history.created = commit
                history.events.append(Event(commit, "created", None, None, data.get("title") if data else None))
        elif data is not None and not step.boundary:
            # Compared with this commit's own parent version where there is one (right across
            # merged branches), else with the last version seen (after a deletion or a bad one).
            old = last if old_sha is None or old_sha == last_sha else (versions.get(old_sha) or last)
            if old is not None:
                history.events.extend(_diff(commit, old, data, seen, events))
        if data is not None:
            remember(sha, data)
    if not at_head and deleted_in is not None:
        history.events.append(Event(deleted_in, "deleted", None, last.get("title") if last else None, None))
    if touches == 0 and not at_head:
        return None  # only ever seen at a shallow boundary, and gone since: nothing is known
    return history


def _entry_key(entry: Any) -> str:
    return repr(sorted(entry.items())) if isinstance(entry, dict) else repr(entry)


def _diff(commit: Commit, old: dict[str, Any], new: dict[str, Any], seen: dict[str, set[str]], entry_kinds: dict[str, str]) -> list[Event]:
    """The events between two parsed versions, in a fixed order: status, deadline, new extension,
    progress and decision entries, then every other changed top-level field in the file's order."""
    events: list[Event] = []
    if old.get("status") != new.get("status"):
        events.append(Event(commit, "status", "status", old.get("status"), new.get("status")))
    added: dict[str, list[Any]] = {}
    for name in entry_kinds:
        before, after = old.get(name), new.get(name)
        if before is not after and before != after and isinstance(after, list) and (before is None or isinstance(before, list)):
            known, kept = seen.get(name, set()), {id(e) for e in before or ()}  # items the parser carried over
            added[name] = [e for e in after if id(e) not in kept and _entry_key(e) not in known]
    if old.get("deadline") != new.get("deadline"):
        extension = next((e for e in reversed(added.get("extensions", [])) if isinstance(e, dict)), None)
        events.append(Event(commit, "deadline", "deadline", old.get("deadline"), new.get("deadline"), extension))
    for name, kind in entry_kinds.items():
        events.extend(Event(commit, kind, name, None, entry) for entry in added.get(name, []))
    for name in _ordered_keys(old, new):
        # A list that gained entries is told by those entries; one that only lost or reordered
        # some (which `check-changes` refuses) is an ordinary change.
        if name in ("status", "deadline") or added.get(name):
            continue
        before, after = old.get(name), new.get(name)
        if (name in old) != (name in new) or (before is not after and before != after):
            events.append(Event(commit, "changed", name, before, after))
    return events


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> Iterable[str]:
    yield from new
    yield from (k for k in old if k not in new)


# ---------------------------------------------------------------------------------------------
# Links to commits


def _origin_url(repo: git.Repo) -> str | None:
    try:
        return str(repo.remotes["origin"].url)
    except (IndexError, KeyError, ValueError, AttributeError):
        return None
    except Exception:
        return None


_SCP_LIKE = re.compile(r"^(?:[^@/:]+@)?(?P<host>[A-Za-z0-9.-]+\.[A-Za-z]{2,}):(?P<path>[^/].*)$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def commit_url_template(url: str | None) -> str | None:
    """A web link template for commits from a clone URL: https://host/owner/repo(.git),
    ssh://git@host[:port]/owner/repo.git or git@host:owner/repo.git → https://host/owner/repo/commit/{sha}
    (GitHub, Gitee and the like; GitLab hosts get /-/commit/). Credentials in the URL are dropped.
    Local paths and anything unusual give None: no link is better than a wrong one."""
    if not url:
        return None
    url = url.strip()
    scheme = "https"
    if "://" in url:
        try:
            parts = urllib.parse.urlsplit(url)
            host = parts.hostname
        except ValueError:
            return None
        if parts.scheme not in ("https", "http", "ssh", "git", "git+ssh", "ssh+git") or not host or parts.query or parts.fragment:
            return None
        if parts.scheme == "http":
            scheme = "http"
        path = parts.path
    else:
        match = _SCP_LIKE.match(url)
        if not match:
            return None
        host, path = match["host"], match["path"]
    host = host.lower()
    if "." not in host and host != "localhost":
        return None
    path = path.strip("/").removesuffix(".git").removesuffix("/")
    segments = path.split("/")
    if len(segments) < 2 or not all(_SEGMENT.match(s) and s not in (".", "..") for s in segments):
        return None
    commit = "-/commit" if "gitlab" in host else "commit"
    return f"{scheme}://{host}/{'/'.join(segments)}/{commit}/{{sha}}"
