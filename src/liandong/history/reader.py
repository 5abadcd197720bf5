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

What was read is kept in the Git directory (cache.py): a read at the same HEAD loads it without
running `git log`, and one after new commits on top of it reads only those and goes on with each
record from its saved state (events.RecordState); anything else (history rewritten, a shallow
clone deepened, other history lists or code, a damaged file) is a full read, and the cache is
replaced. LIANDONG_HISTORY_CACHE=0 turns it off.

The parts: gitlog (the log), blobs (the versions), parser (incremental parsing), events
(versions compared), cache (the history kept between reads), forge (links), types (the data)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liandong.history import cache
from liandong.history.blobs import Versions
from liandong.history.events import ENTRY_KINDS, RecordState, entry_events
from liandong.history.forge import commit_url_template, origin_url
from liandong.history.gitlog import GitFailed, RawCommit, ordered, read_log, record_id, run_git, steps_by_record
from liandong.history.types import Commit, History, RecordHistory
from liandong.repo import REGISTRY_DIR, RepositoryError, is_shallow, no_gc, open_repository

if TYPE_CHECKING:  # GitPython refuses to import without a git executable: imported in read_history
    import git

NOTE_SHALLOW = "历史记录不完整：仓库是浅克隆，缺少较早的提交，部分记录的创建时间和早期变化无从得知。请使用完整克隆（CI 中设置 fetch-depth: 0）。"
NOTE_NOT_A_REPOSITORY = (
    "没有修改历史：生成网站的文件夹不是 Git 仓库（找不到 .git）。请在登记册仓库的完整克隆中生成网站（git clone 不加 --depth；CI 中设置 fetch-depth: 0）。"
)
NOTE_NO_GIT = "没有修改历史：找不到 git 命令。请安装 Git，并在登记册仓库的完整克隆中生成网站（CI 中设置 fetch-depth: 0）。"
NOTE_BARE = "没有修改历史：仓库没有工作区（裸仓库）。请在登记册仓库的完整克隆中生成网站（CI 中设置 fetch-depth: 0）。"
NOTE_GIT_FAILED = "没有修改历史：无法读取 Git 记录。请检查仓库是否完整，并使用完整克隆（CI 中设置 fetch-depth: 0）。"
NOTE_NO_COMMITS = "还没有修改历史：仓库中还没有任何提交。"
_NOTES = {"no-git": NOTE_NO_GIT, "not-a-repository": NOTE_NOT_A_REPOSITORY, "bare": NOTE_BARE, "outside": NOTE_NOT_A_REPOSITORY}


def _schema_lists(root: Path) -> dict[str, str]:
    """The history lists the schemas at `root` declare; the three with kinds of their own when
    the schemas cannot be read (validate reports why)."""
    from liandong.validation.schema import SchemaSet, SchemaSetupError

    try:
        return entry_events(SchemaSet.for_root(root).append_only)
    except SchemaSetupError:
        return dict(ENTRY_KINDS)


def read_history(root: Path, append_only: Iterable[str] | None = None) -> History:
    """The history of every record under `root/registry`, from the commits reachable from HEAD.
    `append_only`: the history lists (default: those the schemas at `root` declare)."""
    events = entry_events(append_only) if append_only is not None else _schema_lists(root)
    try:
        found = open_repository(root)
    except RepositoryError as err:
        return History(False, note=_NOTES[err.kind], detail=err.detail)
    import git  # importable: open_repository did

    with found.repo as repo:  # closes the cat-file processes
        try:
            return _read(repo, found.path(REGISTRY_DIR), events, root)
        except git.GitCommandNotFound as err:
            return History(False, note=NOTE_NO_GIT, detail=str(err))
        except git.GitCommandError as err:
            return History(False, note=NOTE_GIT_FAILED, detail=_first_line(err.stderr) or str(err))
        except GitFailed as err:
            return History(False, note=NOTE_GIT_FAILED, detail=str(err))


def _first_line(text: Any) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0].removeprefix("stderr: ").strip("'") if lines else ""


def _read(repo: git.Repo, folder: str, events: dict[str, str], root: Path) -> History:
    commit_url = commit_url_template(origin_url(repo))
    if not repo.head.is_valid():
        return History(True, note=NOTE_NO_COMMITS, commit_url=commit_url)
    head = run_git(repo, "rev-parse", "--verify", "HEAD^{commit}").decode("ascii").strip()
    shallow = is_shallow(repo)
    boundary = _boundary_commits(repo) if shallow else frozenset()
    read = _Reading(repo, folder, events, head, shallow, boundary, commit_url)
    store = _store(repo, root, folder, events, shallow, boundary) if cache.enabled() else None
    with no_gc():  # unpickling allocates as many objects as a read
        saved = store.load() if store is not None else None
    if saved is not None and saved.head == head:
        return dataclasses.replace(saved.history, commit_url=commit_url)
    result = None
    if saved is not None and _is_ancestor(repo, saved.head, head):
        try:
            result = read.since(saved)
        except (GitFailed, ValueError):
            result = None  # a cache that does not fit after all: read in full below
    if result is None:
        result = read.everything()
    history, head_time, states = result
    if store is not None:
        with no_gc():
            store.save(head, head_time, history, states)
    return history


class _Reading:
    """One read of the history at `head`: in full, or from a saved one on with the commits since."""

    def __init__(self, repo: git.Repo, folder: str, events: dict[str, str], head: str, shallow: bool, boundary: frozenset[str], commit_url: str | None) -> None:
        self.repo, self.folder, self.events, self.head = repo, folder, events, head
        self.shallow, self.boundary, self.commit_url = shallow, boundary, commit_url
        self.strip = len(folder) - len(REGISTRY_DIR)
        self.unknown_boundary = shallow and not boundary

    def everything(self) -> tuple[History, int, dict[str, RecordState]]:
        with no_gc():
            with Versions(self.repo, self.folder) as versions:
                commits = ordered(read_log(self.repo, versions, self.head))
                steps, touched = steps_by_record(commits, self.folder, self.boundary)
                versions.fetch_missing(steps)
            head_time = next((c.time for c in reversed(commits) if c.commit.sha == self.head), 0)
            states: dict[str, RecordState] = {}
            for rid in sorted(steps):
                state = states[rid] = RecordState(RecordHistory(rid))
                state.feed(steps[rid], versions.data, self.strip, self.events, self.unknown_boundary)
            # Freed while the collector is off: otherwise its next run would first walk them all.
            del commits, steps
            versions.data.clear()
            return self._history(states, touched), head_time, states

    def since(self, saved: cache.Saved) -> tuple[History, int, dict[str, RecordState]] | None:
        """The history from a saved one whose head is an ancestor of HEAD: only the commits made
        since are read, and each record they touch goes on from its saved state. None when those
        commits do not all come after the saved ones in the order a full read puts them in (a
        branch merged with older commit dates): then only a full read gives the same answer."""
        with no_gc():
            states = saved.states()
            with Versions(self.repo, self.folder) as versions:
                versions.data.update((s.last_sha, s.last) for s in states.values() if s.last_sha is not None)
                raw = read_log(self.repo, versions, self.head, since=saved.head)
                # The saved head stands for all the saved commits: it is the only one of them a
                # commit made since can be ordered against before all of these are placed.
                stub = RawCommit(Commit(saved.head, datetime.datetime.fromtimestamp(0, datetime.UTC), "", ""), [], saved.head_time)
                order = ordered([*raw, stub])
                if not order or order[0] is not stub:
                    return None
                commits = order[1:]
                steps, touched = steps_by_record(commits, self.folder, self.boundary)
                versions.fetch_missing(steps)
            for rid in sorted(steps):
                state = states.get(rid)
                if state is None:
                    state = states[rid] = RecordState(RecordHistory(rid))
                state.feed(steps[rid], versions.data, self.strip, self.events, self.unknown_boundary)
            head_time = commits[-1].time if commits else saved.head_time
            versions.data.clear()
            states = dict(sorted(states.items()))
            return self._history(states, touched + saved.history.commits), head_time, states

    def _history(self, states: dict[str, RecordState], touched: list[tuple[Commit, list[str]]]) -> History:
        at_head = run_git(self.repo, "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.head, "--", self.folder)
        head_ids = {rid for path in at_head.split(b"\0") if path and (rid := record_id(path.decode("utf-8", "replace"), self.folder))}
        records: dict[str, RecordHistory] = {}
        for rid, state in states.items():
            history = state.result(rid in head_ids)
            if history is not None:
                records[rid] = history
        return History(True, self.shallow, NOTE_SHALLOW if self.shallow else "", self.commit_url, records, touched)


def _store(repo: git.Repo, root: Path, folder: str, events: dict[str, str], shallow: bool, boundary: frozenset[str]) -> cache.Store | None:
    """The cache file in the Git directory; None where that would be inside the registry."""
    path = _git_path(repo, f"{cache.FOLDER}/{cache.NAME}")
    try:
        path.resolve().relative_to((root / REGISTRY_DIR).resolve())
        return None
    except ValueError:
        pass
    try:
        mailmap: bytes | None = (Path(repo.working_tree_dir or ".") / ".mailmap").read_bytes()
    except OSError:
        mailmap = None
    return cache.Store(path, cache.make_key(folder, events, shallow, boundary, mailmap))


def _is_ancestor(repo: git.Repo, older: str, newer: str) -> bool:
    """Whether `older` is an ancestor of `newer` (False too when Git no longer has it)."""
    executable = repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git"
    status, _out, _err = repo.git.execute([executable, "merge-base", "--is-ancestor", older, newer], with_exceptions=False, with_extended_output=True)
    return status == 0


def _git_path(repo: git.Repo, name: str) -> Path:
    path = Path(run_git(repo, "rev-parse", "--git-path", name).decode("utf-8").strip())
    if not path.is_absolute():
        path = Path(repo.working_tree_dir or ".") / path
    return path


def _boundary_commits(repo: git.Repo) -> frozenset[str]:
    """The commits whose parents a shallow clone left out (the `shallow` file in the Git dir)."""
    path = _git_path(repo, "shallow")
    try:
        return frozenset(line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip())
    except (OSError, UnicodeDecodeError):
        return frozenset()
