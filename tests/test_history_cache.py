"""The history cache (history/cache.py) against real Git repositories built in tmp_path: whatever
it starts from (the same HEAD, new commits on top, rewritten or deepened history, a damaged
file), a read gives exactly what a read without it gives, and it writes only into the Git dir."""

from __future__ import annotations

import io
import pickle
import zlib
from pathlib import Path
from typing import Any

import pytest

from liandong.history import cache, reader
from liandong.history.reader import read_history
from liandong.history.types import History

from .helpers import Git
from .test_history import EXTENSION, PROGRESS, T1, T2, T3, commit, lifecycle, move, task

ENV = "LIANDONG_HISTORY_CACHE"
T4 = "registry/tasks/task-0004.yaml"
C1 = "registry/coordination/task-0001.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    return Git(tmp_path / "repo")


class LogSpy:
    """Records each `git log` read_history runs: from where (`since`, None for a full read) and
    how many commits it brought."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str | None, int]] = []
        real = reader.read_log

        def spy(*args: Any, **kwargs: Any) -> Any:
            commits = real(*args, **kwargs)
            self.calls.append((kwargs.get("since"), len(commits)))
            return commits

        monkeypatch.setattr(reader, "read_log", spy)

    def take(self) -> list[tuple[str | None, int]]:
        calls, self.calls = self.calls, []
        return calls


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> LogSpy:
    return LogSpy(monkeypatch)


def cold(root: Path) -> History:
    """The history read in full, the cache neither read nor written."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV, "0")
        return read_history(root)


def cache_file(repo: Git) -> Path:
    return Path(repo("rev-parse", "--absolute-git-dir").strip()) / cache.FOLDER / cache.NAME


def head(repo: Git) -> str:
    return repo("rev-parse", "HEAD").strip()


def assert_same(got: History, expected: History) -> None:
    """Field by field first (a readable failure), then the whole History."""
    assert list(got.records) == list(expected.records)
    for rid, record in expected.records.items():
        other = got.records[rid]
        assert other.events == record.events, rid
        assert (other.created, other.last_changed, other.complete, other.path, other.skipped) == (
            record.created,
            record.last_changed,
            record.complete,
            record.path,
            record.skipped,
        ), rid
    assert got.commits == expected.commits
    assert got == expected


def base(repo: Git) -> None:
    """A task's lifecycle, a second task and a record moved away and back."""
    lifecycle(repo)
    commit(repo, "新建 task-0002", "2024-10-01T09:00:00+08:00", {T2: task("task-0002", title="重复录入的任务")})
    move(repo, T1, C1)
    commit(repo, "放错文件夹", "2024-10-02T09:00:00+08:00")
    move(repo, C1, T1)
    commit(repo, "移回", "2024-10-03T09:00:00+08:00")


def test_the_same_head_is_read_from_the_cache_without_git_log(repo: Git, log: LogSpy, monkeypatch: pytest.MonkeyPatch) -> None:
    base(repo)
    first = read_history(repo.root)
    assert log.take() == [(None, 7)]
    assert cache_file(repo).is_file()
    expected = cold(repo.root)
    log.take()
    assert_same(first, expected)

    def no_log(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("git log was run at an unchanged HEAD")

    monkeypatch.setattr(reader, "read_log", no_log)
    again = read_history(repo.root)
    assert_same(again, expected)
    # The links are not kept: they follow the remote as it is now.
    repo("remote", "add", "origin", "https://github.com/liandong/registry.git")
    linked = read_history(repo.root)
    assert linked.commit_url == "https://github.com/liandong/registry/commit/{sha}"
    assert linked.records == expected.records


def test_new_commits_are_read_alone_and_the_history_goes_on(repo: Git, log: LogSpy) -> None:
    base(repo)
    read_history(repo.root)
    log.take()
    before = head(repo)
    # A status change and a new progress entry, a new record, a deletion, a move.
    second = ("2024-10-20", "第二次报送进度。")
    commit(repo, "task-0002：开始办理", "2024-10-10T09:00:00+08:00", {T2: task("task-0002", title="重复录入的任务", status="in_progress")})
    commit(
        repo,
        "task-0002：报送进度",
        "2024-10-20T09:00:00+08:00",
        {T2: task("task-0002", title="重复录入的任务", status="in_progress", progress=(PROGRESS, second))},
    )
    commit(repo, "新建 task-0003", "2024-10-21T09:00:00+08:00", {T3: task("task-0003", deadline="2024-12-31")})
    commit(repo, "删除 task-0001", "2024-10-22T09:00:00+08:00", {T1: None})
    move(repo, T3, "registry/coordination/task-0003.yaml")
    commit(repo, "task-0003 移到协调事项", "2024-10-23T09:00:00+08:00")
    got = read_history(repo.root)
    assert log.take() == [(before, 5)]
    assert_same(got, cold(repo.root))
    kinds = [e.kind for e in got.records["task-0002"].events]
    assert kinds == ["created", "status", "progress", "progress"]
    assert got.records["task-0001"].events[-1].kind == "deleted"
    assert got.records["task-0003"].path == "registry/coordination/task-0003.yaml"

    # Once more on top of that: the deleted record comes back, the moved one is extended.
    log.take()
    before = head(repo)
    commit(repo, "恢复 task-0001", "2024-11-01T09:00:00+08:00", {T1: task("task-0001", status="in_progress")})
    commit(
        repo,
        "task-0003：延期",
        "2024-11-02T09:00:00+08:00",
        {"registry/coordination/task-0003.yaml": task("task-0003", status="extended", deadline="2025-03-31", extensions=(EXTENSION,))},
    )
    got = read_history(repo.root)
    assert log.take() == [(before, 2)]
    assert_same(got, cold(repo.root))
    assert all(e.kind != "deleted" for e in got.records["task-0001"].events)
    assert [e.kind for e in got.records["task-0003"].events][-3:] == ["status", "deadline", "extension"]


def test_merged_branches_since_the_cache(repo: Git, log: LogSpy) -> None:
    """A branch merged after the cache was written: read alone when its commits come after the
    saved ones, in full when one of them is dated before (only then is the order a full read
    gives the same)."""
    base(repo)
    fork = head(repo)
    read_history(repo.root)
    log.take()
    before = head(repo)
    repo("checkout", "-q", "-b", "later")
    commit(repo, "分支：新建 task-0004", "2024-10-05T09:00:00+08:00", {T4: task("task-0004")})
    repo("checkout", "-q", "main")
    commit(repo, "主干：task-0002 开始办理", "2024-10-06T09:00:00+08:00", {T2: task("task-0002", title="重复录入的任务", status="in_progress")})
    repo("merge", "-q", "--no-edit", "later", date="2024-10-07T09:00:00+08:00")
    got = read_history(repo.root)
    assert log.take() == [(before, 3)]
    assert_same(got, cold(repo.root))

    before = head(repo)
    repo("checkout", "-q", "-b", "older", fork)
    commit(repo, "旧分支：task-0002 改名称", "2024-09-01T09:00:00+08:00", {T2: task("task-0002", title="改过的名称")})
    repo("checkout", "-q", "main")
    repo("merge", "-q", "--no-edit", "-X", "theirs", "older", date="2024-10-08T09:00:00+08:00")
    log.take()
    got = read_history(repo.root)
    assert log.take() == [(before, 2), (None, 12)]
    assert_same(got, cold(repo.root))
    renamed = [e for e in got.records["task-0002"].events if e.field == "title"]
    assert [(e.commit.subject, e.old, e.new) for e in renamed] == [("旧分支：task-0002 改名称", "重复录入的任务", "改过的名称")]


@pytest.mark.parametrize("how", ["reset", "amend"])
def test_rewritten_history_is_read_in_full(repo: Git, log: LogSpy, how: str) -> None:
    base(repo)
    read_history(repo.root)
    log.take()
    if how == "reset":
        repo("reset", "-q", "--hard", "HEAD~2")
        commit(repo, "task-0002：开始办理", "2024-10-05T09:00:00+08:00", {T2: task("task-0002", status="in_progress")})
        commit(repo, "新建 task-0003", "2024-10-06T09:00:00+08:00", {T3: task("task-0003")})
    else:
        repo.write({T2: task("task-0002", title="改正的名称")})
        repo("add", "-A")
        repo("commit", "-q", "--amend", "-m", "移回并改名称", date="2024-10-03T09:00:00+08:00")
    got = read_history(repo.root)
    assert log.take() == [(None, 7)]
    assert_same(got, cold(repo.root))
    log.take()
    read_history(repo.root)
    assert log.take() == []  # and the cache was replaced


def test_a_clone_made_complete_is_read_in_full(repo: Git, tmp_path: Path, log: LogSpy) -> None:
    base(repo)
    clone = repo.clone(tmp_path / "shallow", "--depth", "2")
    shallow = read_history(clone.root)
    assert shallow.shallow
    log.take()
    clone("fetch", "-q", "--unshallow")
    got = read_history(clone.root)
    assert log.take() == [(None, 7)]
    assert not got.shallow
    assert_same(got, cold(clone.root))
    assert got.records["task-0001"].created is not None


def test_other_history_lists_or_code_are_another_cache(repo: Git, log: LogSpy, monkeypatch: pytest.MonkeyPatch) -> None:
    base(repo)
    read_history(repo.root, ["progress", "extensions"])
    read_history(repo.root, ["progress"])
    monkeypatch.setattr(cache, "code_hash", lambda: "other code")
    read_history(repo.root, ["progress"])
    assert [since for since, _ in log.take()] == [None, None, None]
    read_history(repo.root, ["progress"])
    assert log.take() == []


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :]


def _split(data: bytes) -> tuple[dict[str, Any], bytes]:
    stream = io.BytesIO(data)
    header = pickle.load(stream)
    return header, data[stream.tell() :]


def _other_format(data: bytes) -> bytes:
    header, rest = _split(data)
    return pickle.dumps({**header, "key": {**header["key"], "format": cache.FORMAT - 1}}) + rest


def _wrong_types(data: bytes) -> bytes:
    header, _rest = _split(data)
    body = pickle.dumps(["not", "a", "history"], 5)
    return pickle.dumps({**header, "sizes": [len(body), 0], "crcs": [zlib.crc32(body), 0]}) + body


@pytest.mark.parametrize(
    "damage",
    [lambda d: b"", lambda d: b"not a pickle at all", _truncated, _flipped, _other_format, _wrong_types, lambda d: d[:-10]],
    ids=["empty", "garbage", "truncated", "flipped", "other-format", "wrong-types", "states-cut"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(repo: Git, log: LogSpy, damage: Any) -> None:
    base(repo)
    read_history(repo.root)
    expected = cold(repo.root)
    commit(repo, "task-0002：开始办理", "2024-10-05T09:00:00+08:00", {T2: task("task-0002", title="重复录入的任务", status="in_progress")})
    expected_after = cold(repo.root)
    path = cache_file(repo)
    path.write_bytes(damage(path.read_bytes()))
    log.take()
    assert_same(read_history(repo.root), expected_after)
    assert log.take() == [(None, 8)]  # read in full: never from what the damaged file says
    assert_same(read_history(repo.root), expected_after)
    assert log.take() == []  # rebuilt: the next read is the saved one
    assert expected.records["task-0002"] != expected_after.records["task-0002"]


def test_the_cache_is_in_the_git_dir_and_the_working_tree_is_untouched(repo: Git) -> None:
    base(repo)
    files = sorted(p.relative_to(repo.root) for p in repo.root.rglob("*") if ".git" not in p.parts)
    read_history(repo.root)
    commit(repo, "新建 task-0003", "2024-10-06T09:00:00+08:00", {T3: task("task-0003")})
    read_history(repo.root)
    git_dir = Path(repo("rev-parse", "--absolute-git-dir").strip())
    assert cache_file(repo).is_file() and cache_file(repo).is_relative_to(git_dir)
    assert repo("status", "--porcelain", "--ignored", "--untracked-files=all") == ""
    files.append(Path(T3))
    assert sorted(p.relative_to(repo.root) for p in repo.root.rglob("*") if ".git" not in p.parts) == sorted(files)
    assert [p.name for p in cache_file(repo).parent.iterdir()] == [cache.NAME]  # no temporary file left


def test_a_cache_in_a_subfolder_registry(tmp_path: Path, log: LogSpy) -> None:
    outer = Git(tmp_path / "outer")
    commit(outer, "新建", "2024-01-10T09:00:00+08:00", {f"site/{T1}": task("task-0001"), T1: task("task-0009")})
    first = read_history(outer.root / "site")
    commit(outer, "开始办理", "2024-01-11T09:00:00+08:00", {f"site/{T1}": task("task-0001", status="in_progress")})
    log.take()
    got = read_history(outer.root / "site")
    assert [since for since, _ in log.take()] == [first.commits[0][0].sha]
    assert_same(got, cold(outer.root / "site"))
    assert got.records["task-0001"].path == T1


def test_turned_off_it_is_neither_written_nor_read(repo: Git, log: LogSpy, monkeypatch: pytest.MonkeyPatch) -> None:
    base(repo)
    monkeypatch.setenv(ENV, "0")
    read_history(repo.root)
    assert not cache_file(repo).exists()
    assert not cache_file(repo).parent.exists()
    monkeypatch.delenv(ENV)
    read_history(repo.root)
    assert cache_file(repo).is_file()
    monkeypatch.setenv(ENV, "0")
    log.take()
    read_history(repo.root)
    assert log.take() == [(None, 7)]
