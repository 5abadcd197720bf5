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

The parts: gitlog (the log), blobs (the versions), parser (incremental parsing), events
(versions compared), forge (links), types (the data)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liandong.history.blobs import Versions
from liandong.history.events import ENTRY_KINDS, entry_events, record_history
from liandong.history.forge import commit_url_template, origin_url
from liandong.history.gitlog import GitFailed, ordered, read_log, record_id, run_git, steps_by_record
from liandong.history.types import History, RecordHistory
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
            return _read(repo, found.path(REGISTRY_DIR), events)
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


def _read(repo: git.Repo, folder: str, events: dict[str, str]) -> History:
    commit_url = commit_url_template(origin_url(repo))
    if not repo.head.is_valid():
        return History(True, note=NOTE_NO_COMMITS, commit_url=commit_url)
    shallow = is_shallow(repo)
    boundary = _boundary_commits(repo) if shallow else frozenset()
    at_head = run_git(repo, "ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD", "--", folder)
    head_ids = {rid for path in at_head.split(b"\0") if path and (rid := record_id(path.decode("utf-8", "replace"), folder))}
    with no_gc():
        with Versions(repo, folder) as versions:
            commits = ordered(read_log(repo, versions))
            steps, touched = steps_by_record(commits, folder, boundary)
            versions.fetch_missing(steps)
        records: dict[str, RecordHistory] = {}
        for rid in sorted(steps):
            history = record_history(
                rid, steps[rid], versions.data, len(folder) - len(REGISTRY_DIR), rid in head_ids, events, unknown_boundary=shallow and not boundary
            )
            if history is not None:
                records[rid] = history
        # Freed while the collector is off: otherwise its next run would first walk them all.
        del commits, steps
        versions.data.clear()
    return History(True, shallow, NOTE_SHALLOW if shallow else "", commit_url, records, touched)


def _boundary_commits(repo: git.Repo) -> frozenset[str]:
    """The commits whose parents a shallow clone left out (the `shallow` file in the Git dir)."""
    path = Path(run_git(repo, "rev-parse", "--git-path", "shallow").decode("utf-8").strip())
    if not path.is_absolute():
        path = Path(repo.working_tree_dir or ".") / path
    try:
        return frozenset(line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip())
    except (OSError, UnicodeDecodeError):
        return frozenset()
