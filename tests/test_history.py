"""history.read_history against real Git repositories built in tmp_path, at fixed dates."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from liandong.history import gitlog
from liandong.history.forge import commit_url_template
from liandong.history.parser import VersionParser
from liandong.history.reader import NOTE_NO_COMMITS, NOTE_NO_GIT, NOTE_NOT_A_REPOSITORY, NOTE_SHALLOW, read_history
from liandong.history.types import Commit, Event, History, RecordHistory
from liandong.yamlio.loader import load_bytes

from .helpers import REPO, Git, record

CST = datetime.timezone(datetime.timedelta(hours=8))


AUTHOR = "东兴市商务局 王芳"


def commit(repo: Git, subject: str, date: str, files: dict[str, str | None] | None = None, author: str = AUTHOR) -> Commit:
    """A commit with the date and author the test gives it, as read_history should report it."""
    sha = repo.commit(subject, date=date, author=author, files=files, allow_empty=True)
    return Commit(sha, datetime.datetime.fromisoformat(date), author, subject)


def move(repo: Git, source: str, target: str) -> None:
    (repo.root / target).parent.mkdir(parents=True, exist_ok=True)
    repo("mv", source, target)


def task(
    rid: str,
    *,
    title: str = "明确园区管理权限",
    status: str = "assigned",
    deadline: str | None = None,
    progress: tuple[tuple[str, str], ...] = (),
    extensions: tuple[tuple[str, str, str], ...] = (),
    completion: tuple[str, str] | None = None,
    visibility: str = "public",
) -> str:
    return record(
        "tasks",
        id=rid,
        title=title,
        status=status,
        visibility=visibility,
        source={"document": "doc-0001", "clause": "三(一)1"},
        lead=["org-0001"],
        deadline=deadline,
        progress=[{"date": date, "text": text, "by": "org-0001"} for date, text in progress] or None,
        extensions=[{"requested": r, "approved_by": "org-0002", "new_deadline": d, "reason": why} for r, d, why in extensions] or None,
        completion={"date": completion[0], "result": completion[1]} if completion else None,
    )


T1 = "registry/tasks/task-0001.yaml"
T2 = "registry/tasks/task-0002.yaml"
T3 = "registry/tasks/task-0003.yaml"
PROGRESS = ("2024-02-28", "已完成现场踏勘，正在征求意见。")
EXTENSION = ("2024-06-15", "2024-09-30", "受台风影响，工程进度滞后。")
COMPLETION = ("2024-09-25", "已按要求办结。")


@pytest.fixture
def repo(tmp_path: Path) -> Git:
    """A new repository (branch main) whose commits get the dates and authors each test gives them."""
    return Git(tmp_path / "repo")


def lifecycle(repo: Git) -> list[Commit]:
    """A task created, progressed, extended (deadline and extension entry together), completed."""
    return [
        commit(repo, "新建任务 task-0001", "2024-01-10T09:00:00+08:00", {T1: task("task-0001", deadline="2024-06-30")}),
        commit(
            repo,
            "task-0001：报送办理进度",
            "2024-03-01T10:00:00+08:00",
            {T1: task("task-0001", status="in_progress", deadline="2024-06-30", progress=(PROGRESS,))},
        ),
        commit(
            repo,
            "task-0001：延期至 9 月底",
            "2024-06-20T15:30:00+08:00",
            {T1: task("task-0001", status="extended", deadline="2024-09-30", progress=(PROGRESS,), extensions=(EXTENSION,))},
        ),
        commit(
            repo,
            "task-0001：办结",
            "2024-09-25T11:00:00+00:00",
            {T1: task("task-0001", status="completed", deadline="2024-09-30", progress=(PROGRESS,), extensions=(EXTENSION,), completion=COMPLETION)},
        ),
    ]


def test_a_task_from_creation_to_completion(repo: Git) -> None:
    c1, c2, c3, c4 = lifecycle(repo)
    h = read_history(repo.root)
    assert (h.available, h.shallow, h.note, h.commit_url) == (True, False, "", None)
    record = h.records["task-0001"]
    progress = {"date": "2024-02-28", "text": "已完成现场踏勘，正在征求意见。", "by": "org-0001"}
    extension = {"requested": "2024-06-15", "approved_by": "org-0002", "new_deadline": "2024-09-30", "reason": "受台风影响，工程进度滞后。"}
    assert record.events == [
        Event(c1, "created", None, None, "明确园区管理权限"),
        Event(c2, "status", "status", "assigned", "in_progress"),
        Event(c2, "progress", "progress", None, progress),
        Event(c3, "status", "status", "in_progress", "extended"),
        Event(c3, "deadline", "deadline", "2024-06-30", "2024-09-30", extension=extension),
        Event(c3, "extension", "extensions", None, extension),
        Event(c4, "status", "status", "extended", "completed"),
        Event(c4, "changed", "completion", None, {"date": "2024-09-25", "result": "已按要求办结。"}),
    ]
    assert (record.created, record.last_changed, record.complete, record.skipped) == (c1, c4, True, [])
    assert record.path == T1
    # dates keep the author's own offset
    assert record.events[2].commit.date == datetime.datetime(2024, 3, 1, 10, 0, tzinfo=CST)
    assert record.events[2].commit.date.isoformat() == "2024-03-01T10:00:00+08:00"
    assert c4.date.utcoffset() == datetime.timedelta(0)
    assert (c1.author, c1.subject, c1.short) == ("东兴市商务局 王芳", "新建任务 task-0001", c1.sha[:7])
    assert h.commits == [(c4, ["task-0001"]), (c3, ["task-0001"]), (c2, ["task-0001"]), (c1, ["task-0001"])]


def test_the_whole_history_is_the_one_built_by_hand_wherever_the_repository_is(repo: Git, tmp_path: Path) -> None:
    """All of History, not only what the test above looks at (no other record or commit, no note
    or detail), written out by hand; and the same from a clone in another folder, so nothing of it
    depends on where the repository is checked out."""
    c1, c2, c3, c4 = lifecycle(repo)
    progress = {"date": PROGRESS[0], "text": PROGRESS[1], "by": "org-0001"}
    extension = {"requested": EXTENSION[0], "approved_by": "org-0002", "new_deadline": EXTENSION[1], "reason": EXTENSION[2]}
    events = [
        Event(c1, "created", None, None, "明确园区管理权限"),
        Event(c2, "status", "status", "assigned", "in_progress"),
        Event(c2, "progress", "progress", None, progress),
        Event(c3, "status", "status", "in_progress", "extended"),
        Event(c3, "deadline", "deadline", "2024-06-30", "2024-09-30", extension=extension),
        Event(c3, "extension", "extensions", None, extension),
        Event(c4, "status", "status", "extended", "completed"),
        Event(c4, "changed", "completion", None, {"date": COMPLETION[0], "result": COMPLETION[1]}),
    ]
    expected = History(
        available=True,
        shallow=False,
        note="",
        commit_url=None,
        records={"task-0001": RecordHistory("task-0001", events, created=c1, last_changed=c4, complete=True, path=T1, skipped=[])},
        commits=[(c4, ["task-0001"]), (c3, ["task-0001"]), (c2, ["task-0001"]), (c1, ["task-0001"])],
        detail="",
    )
    assert read_history(repo.root) == expected
    assert read_history(repo.clone(tmp_path / "elsewhere" / "clone").root) == expected


def test_uncommitted_changes_are_not_history(repo: Git) -> None:
    _, *_, c4 = lifecycle(repo)
    repo.write({T1: task("task-0001", status="closed"), T2: task("task-0002")})
    repo("add", T2)  # staged is not committed either
    h = read_history(repo.root)
    assert set(h.records) == {"task-0001"}
    assert h.records["task-0001"].last_changed == c4
    assert [e.kind for e in h.records["task-0001"].events][-1] == "changed"


def test_moves_and_folder_renames_keep_the_history(repo: Git) -> None:
    c1 = commit(repo, "新建", "2024-01-10T09:00:00+08:00", {T1: task("task-0001"), T2: task("task-0002")})
    move(repo, T1, "registry/coordination/task-0001.yaml")
    c2 = commit(repo, "放错文件夹", "2024-01-11T09:00:00+08:00")
    move(repo, "registry/coordination/task-0001.yaml", T1)
    c3 = commit(repo, "移回并开始办理", "2024-01-12T09:00:00+08:00", {T1: task("task-0001", status="in_progress")})
    move(repo, "registry/tasks", "registry/todo")
    c4 = commit(repo, "文件夹改名", "2024-01-13T09:00:00+08:00")
    move(repo, "registry/todo", "registry/tasks")
    c5 = commit(repo, "文件夹改回", "2024-01-14T09:00:00+08:00")
    c6 = commit(repo, "误删", "2024-01-15T09:00:00+08:00", {T2: None})
    c7 = commit(repo, "恢复并改名称", "2024-01-16T09:00:00+08:00", {T2: task("task-0002", title="创新审批服务方式")})
    h = read_history(repo.root)
    first = h.records["task-0001"]
    assert first.events == [Event(c1, "created", None, None, "明确园区管理权限"), Event(c3, "status", "status", "assigned", "in_progress")]
    assert (first.created, first.last_changed, first.path) == (c1, c5, T1)
    second = h.records["task-0002"]
    assert second.events == [Event(c1, "created", None, None, "明确园区管理权限"), Event(c7, "changed", "title", "明确园区管理权限", "创新审批服务方式")]
    assert (second.created, second.last_changed) == (c1, c7)
    assert [c for c, _ in h.commits] == [c7, c6, c5, c4, c3, c2, c1]
    assert dict(h.commits)[c2] == ["task-0001"]
    assert dict(h.commits)[c4] == ["task-0001", "task-0002"]


def test_a_deleted_record_ends_with_deleted(repo: Git) -> None:
    c1 = commit(repo, "新建", "2024-01-10T09:00:00+08:00", {T1: task("task-0001"), T2: task("task-0002", title="重复录入的任务")})
    c2 = commit(repo, "删除重复的任务", "2024-02-10T09:00:00+08:00", {T2: None})
    h = read_history(repo.root)
    assert h.records["task-0002"].events == [Event(c1, "created", None, None, "重复录入的任务"), Event(c2, "deleted", None, "重复录入的任务", None)]
    assert h.records["task-0002"].last_changed == c2
    assert [e.kind for e in h.records["task-0001"].events] == ["created"]


def test_a_version_that_does_not_parse_is_skipped(repo: Git) -> None:
    c1 = commit(repo, "新建", "2024-01-10T09:00:00+08:00", {T1: task("task-0001")})
    broken = task("task-0001", status="in_progress").replace("status: in_progress", "status: [in_progress")
    assert load_bytes(T1, broken.encode()).data is None
    c2 = commit(repo, "改坏了", "2024-01-11T09:00:00+08:00", {T1: broken})
    c3 = commit(repo, "改好了", "2024-01-12T09:00:00+08:00", {T1: task("task-0001", status="in_progress", progress=(PROGRESS,))})
    record = read_history(repo.root).records["task-0001"]
    assert record.skipped == [c2]
    assert [(e.commit, e.kind) for e in record.events] == [(c1, "created"), (c3, "status"), (c3, "progress")]
    assert record.events[1].old == "assigned"  # compared with the last version that parsed
    assert record.last_changed == c3


def test_a_first_version_that_does_not_parse(repo: Git) -> None:
    c1 = commit(repo, "新建（有错）", "2024-01-10T09:00:00+08:00", {T1: "id: task-0001\ntitle: [\n"})
    c2 = commit(repo, "改好", "2024-01-11T09:00:00+08:00", {T1: task("task-0001")})
    c3 = commit(repo, "开始办理", "2024-01-12T09:00:00+08:00", {T1: task("task-0001", status="in_progress")})
    record = read_history(repo.root).records["task-0001"]
    assert record.created == c1
    assert record.events == [Event(c1, "created", None, None, None), Event(c3, "status", "status", "assigned", "in_progress")]
    assert (record.skipped, record.last_changed) == ([c1], c3)
    assert c2 in [c for c, _ in read_history(repo.root).commits]


def test_other_files_are_not_records(repo: Git) -> None:
    commit(
        repo,
        "说明和新建",
        "2024-01-10T09:00:00+08:00",
        {"README.md": "说明\n", "registry/README.md": "说明\n", "registry/tasks/notes.txt": "x\n", "registry/tasks/a/b.yaml": "id: b\n", T1: task("task-0001")},
    )
    c2 = commit(repo, "只改说明", "2024-01-11T09:00:00+08:00", {"registry/README.md": "说明二\n"})
    h = read_history(repo.root)
    assert set(h.records) == {"task-0001"}
    assert c2 not in [c for c, _ in h.commits]


def shallow_clone(repo: Git, target: Path, depth: int) -> Path:
    return repo.clone(target, "--depth", str(depth)).root


def test_shallow_clone_never_invents_a_creation_date(repo: Git, tmp_path: Path) -> None:
    c1 = commit(repo, "新建 task-0001", "2024-01-10T09:00:00+08:00", {T1: task("task-0001")})
    c2 = commit(repo, "新建 task-0002", "2024-01-11T09:00:00+08:00", {T2: task("task-0002")})
    c3 = commit(repo, "task-0001 报送进度", "2024-01-12T09:00:00+08:00", {T1: task("task-0001", status="in_progress", progress=(PROGRESS,))})
    c4 = commit(repo, "新建 task-0003", "2024-01-13T09:00:00+08:00", {T3: task("task-0003")})
    c5 = commit(repo, "task-0002 开始办理", "2024-01-14T09:00:00+08:00", {T2: task("task-0002", status="in_progress")})
    full = read_history(repo.root)
    assert full.records["task-0002"].created == c2 and full.records["task-0001"].created == c1

    clone = shallow_clone(repo, tmp_path / "shallow", depth=3)  # c5, c4, c3: c3 is the boundary
    h = read_history(clone)
    assert (h.available, h.shallow, h.note) == (True, True, NOTE_SHALLOW)
    assert "浅克隆" in h.note and "fetch-depth: 0" in h.note
    for rid in ("task-0001", "task-0002"):  # already there at the boundary: when they began is unknown
        record = h.records[rid]
        assert (record.created, record.complete) == (None, False)
        assert all(e.kind != "created" for e in record.events)
    assert h.records["task-0001"].events == []  # c3's own change cannot be told from its whole tree
    assert h.records["task-0001"].last_changed is None
    assert h.records["task-0002"].events == [Event(c5, "status", "status", "assigned", "in_progress")]
    third = h.records["task-0003"]  # created after the boundary: known exactly
    assert (third.created, third.complete, third.events) == (c4, True, [Event(c4, "created", None, None, "明确园区管理权限")])
    assert [c for c, _ in h.commits] == [c5, c4]  # the boundary commit is credited with nothing
    every_event = [e for r in h.records.values() for e in r.events]
    assert all(e.commit.sha not in (c1.sha, c2.sha, c3.sha) for e in every_event)


def test_depth_one_clone(repo: Git, tmp_path: Path) -> None:
    lifecycle(repo)
    h = read_history(shallow_clone(repo, tmp_path / "depth1", depth=1))
    assert (h.shallow, h.note, h.commits) == (True, NOTE_SHALLOW, [])
    record = h.records["task-0001"]
    assert (record.created, record.last_changed, record.complete, record.events) == (None, None, False, [])


def test_no_git_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "registry" / "tasks").mkdir(parents=True)
    (plain / T1).write_text(task("task-0001"), encoding="utf-8")
    h = read_history(plain)
    assert (h.available, h.shallow, h.note, h.records, h.commits) == (False, False, NOTE_NOT_A_REPOSITORY, {}, [])
    assert "不是 Git 仓库" in h.note and "fetch-depth: 0" in h.note
    assert read_history(tmp_path / "missing").available is False


def test_a_repository_without_commits(repo: Git) -> None:
    h = read_history(repo.root)
    assert (h.available, h.note, h.records, h.commits) == (True, NOTE_NO_COMMITS, {}, [])


def test_without_a_git_command(repo: Git) -> None:
    lifecycle(repo)
    script = (
        "import json, sys; from pathlib import Path; from liandong.history.reader import read_history; "
        "h = read_history(Path(sys.argv[1])); print(json.dumps([h.available, h.note]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_PYTHON")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(repo.root)], cwd=REPO, capture_output=True, text=True, env={**env, "PATH": "/nonexistent"}, check=True
    )
    assert json.loads(done.stdout) == [False, NOTE_NO_GIT]


def test_a_subfolder_of_a_repository(tmp_path: Path) -> None:
    outer = Git(tmp_path / "outer")
    c1 = commit(outer, "新建", "2024-01-10T09:00:00+08:00", {f"site/{T1}": task("task-0001"), T1: task("task-0009")})
    h = read_history(outer.root / "site")
    assert set(h.records) == {"task-0001"}
    assert (h.records["task-0001"].created, h.records["task-0001"].path) == (c1, T1)


def test_for_records_leaves_internal_records_and_their_commits_out(repo: Git) -> None:
    secret = "机密：内部督办事项调整牵头单位"
    c1 = commit(repo, "新建两项任务", "2024-01-10T09:00:00+08:00", {T1: task("task-0001"), T2: task("task-0002", title="内部任务", visibility="internal")})
    commit(repo, secret, "2024-01-11T09:00:00+08:00", {T2: task("task-0002", title="内部任务", visibility="internal", status="in_progress")})
    c3 = commit(repo, "task-0001 开始办理", "2024-01-12T09:00:00+08:00", {T1: task("task-0001", status="in_progress")})
    h = read_history(repo.root)
    assert secret in repr(h)
    public = h.for_records({"task-0001"})
    assert isinstance(public, History)
    assert set(public.records) == {"task-0001"}
    assert public.commits == [(c3, ["task-0001"]), (c1, ["task-0001"])]  # c1's other record is not named either
    assert secret not in repr(public) and "task-0002" not in repr(public) and "内部任务" not in repr(public)
    assert public.records["task-0001"] == h.records["task-0001"]
    assert (public.available, public.shallow, public.note) == (h.available, h.shallow, h.note)
    assert h.for_records(set()).commits == []


def test_for_records_drops_references_to_records_left_out(repo: Git) -> None:
    org = "registry/organizations/org-secret.yaml"
    secret_org = "id: org-secret\ntitle: 内部专班\nstatus: active\nvisibility: internal\n"
    with_secret = task("task-0001").replace("  - org-0001", "  - org-0001\n  - org-secret")
    c1 = commit(repo, "新建", "2024-01-10T09:00:00+08:00", {T1: task("task-0001"), org: secret_org})
    commit(repo, "增加牵头单位", "2024-01-11T09:00:00+08:00", {T1: with_secret})
    c3 = commit(repo, "开始办理", "2024-01-12T09:00:00+08:00", {T1: with_secret.replace("status: assigned", "status: in_progress")})
    h = read_history(repo.root)
    assert Event(c3, "status", "status", "assigned", "in_progress") in h.records["task-0001"].events
    assert "org-secret" in repr(h.records["task-0001"])
    public = h.for_records({"task-0001"})
    assert public.records["task-0001"].events == [
        Event(c1, "created", None, None, "明确园区管理权限"),
        Event(c3, "status", "status", "assigned", "in_progress"),
    ]
    assert "org-secret" not in repr(public) and "内部专班" not in repr(public)
    assert h.for_records({"task-0001", "org-secret"}).records["task-0001"] is h.records["task-0001"]


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("https://github.com/liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("https://github.com/liandong/registry", "https://github.com/liandong/registry/commit/{sha}"),
        ("https://github.com/liandong/registry/", "https://github.com/liandong/registry/commit/{sha}"),
        ("https://x-access-token:ghs_secret@github.com/liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("git@github.com:liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("ssh://git@github.com/liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("ssh://git@github.com:22/liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("git@gitee.com:dongxing/liandong.git", "https://gitee.com/dongxing/liandong/commit/{sha}"),
        ("https://gitlab.com/dongxing/team/liandong.git", "https://gitlab.com/dongxing/team/liandong/-/commit/{sha}"),
        ("git@GitHub.com:liandong/registry.git", "https://github.com/liandong/registry/commit/{sha}"),
        ("http://git.example.org/dx/liandong.git", "http://git.example.org/dx/liandong/commit/{sha}"),
        ("/srv/git/registry.git", None),
        ("file:///srv/git/registry.git", None),
        ("../registry", None),
        ("https://github.com/liandong", None),
        ("https://github.com/{x}/registry", None),
        ("https://github.com/liandong/registry?x=1", None),
        ("", None),
    ],
)
def test_commit_url_template(url: str, template: str | None) -> None:
    assert commit_url_template(url) == template


def test_commit_url_from_the_origin_remote(repo: Git) -> None:
    c1, *_ = lifecycle(repo)
    repo("remote", "add", "origin", "https://github.com/liandong/registry.git")
    h = read_history(repo.root)
    assert h.commit_url == "https://github.com/liandong/registry/commit/{sha}"
    assert h.url(c1) == f"https://github.com/liandong/registry/commit/{c1.sha}"
    repo("remote", "set-url", "origin", "git@github.com:liandong/registry.git")
    assert read_history(repo.root).commit_url == "https://github.com/liandong/registry/commit/{sha}"
    repo("remote", "remove", "origin")
    h = read_history(repo.root)
    assert (h.commit_url, h.url(c1)) == (None, None)


def test_merged_branches_and_a_log_read_in_ranges(repo: Git, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes made on two branches at once each count against their own parent version; reading
    the log in several ranges at once gives exactly what one pass gives."""
    c1 = commit(repo, "新建", "2024-01-10T09:00:00+08:00", {T1: task("task-0001"), T2: task("task-0002")})
    repo("checkout", "-q", "-b", "progress")
    c2 = commit(repo, "报送进度", "2024-01-11T09:00:00+08:00", {T1: task("task-0001", status="in_progress", progress=(PROGRESS,))})
    repo("checkout", "-q", "main")
    changed_clause = task("task-0001").replace("三(一)1", "三(一)2")
    c3 = commit(repo, "改正条款", "2024-01-12T09:00:00+08:00", {T1: changed_clause, T3: task("task-0003")})
    repo("merge", "-q", "--no-edit", "progress", date="2024-01-13T09:00:00+08:00")
    merged = (repo.root / T1).read_text(encoding="utf-8")
    assert "三(一)2" in merged and "status: in_progress" in merged
    c5 = commit(repo, "办结", "2024-01-20T09:00:00+08:00", {T1: merged.replace("status: in_progress", "status: completed")})
    for n in range(4):
        commit(repo, f"第{n}次修改", f"2024-02-0{n + 1}T09:00:00+08:00", {T2: task("task-0002", title=f"名称{n}")})
    h = read_history(repo.root)
    source = {"document": "doc-0001", "clause": "三(一)1"}
    assert h.records["task-0001"].events == [
        Event(c1, "created", None, None, "明确园区管理权限"),
        Event(c2, "status", "status", "assigned", "in_progress"),
        Event(c2, "progress", "progress", None, {"date": PROGRESS[0], "text": PROGRESS[1], "by": "org-0001"}),
        Event(c3, "changed", "source", source, {**source, "clause": "三(一)2"}),  # against its own parent: status untouched
        Event(c5, "status", "status", "in_progress", "completed"),  # against the merge result
    ]
    assert len(h.commits) == 8  # the merge itself changed nothing of its own
    monkeypatch.setattr(gitlog, "SPLIT_AT", 1)
    monkeypatch.setenv("LIANDONG_HISTORY_CACHE", "0")  # each read below reads the log again
    for cpus in (3, 4, 8):
        monkeypatch.setattr(gitlog, "_cpus", lambda cpus=cpus: cpus)
        assert read_history(repo.root) == h


# The parser that reads only what changed between versions must agree with the strict loader.
BASE = task("task-0001", deadline="2024-06-30", progress=(PROGRESS,))
VARIANTS = [
    BASE,
    BASE.replace("status: assigned", "status: in_progress"),
    BASE + "  - date: 2024-03-01\n    text: 第二条\n",
    BASE + "  - date: 2024-03-01\n    text: 第二条\n  - date: 2024-04-01\n    text: 第三条\n",
    BASE.replace("已完成现场踏勘", "已完成现场勘查") + "  - date: 2024-03-01\n    text: 第二条\n",
    BASE.replace("lead:\n  - org-0001", "lead:\n- org-0001\n- org-0002"),
    BASE + "notes: |-\n  第一段\n\n  第二段\n",
    BASE + "notes: |-\n  第一段\ntitle: 重复的名称\n",
    BASE.replace("status: assigned", "status: assigned\nstatus: closed"),
    BASE + "---\nid: other\n",
    BASE.replace("title: 明确园区管理权限", "title: &t 明确园区管理权限") + "duty: *t\n",
    BASE.replace("title: 明确园区管理权限", 'title: "明确园区\n  管理权限"'),
    BASE.replace("title: 明确园区管理权限", 'title: "明确园区\n管理权限"'),
    BASE.replace("title: 明确园区管理权限", "title: 明确园区\n  管理权限"),
    BASE.rstrip("\n"),
    BASE + "\n\n# 结尾的注释\n",
    "# 只有注释\n",
    "",
    BASE.replace("deadline: 2024-06-30", "deadline: 2024-06-30 # 原定"),
    BASE.replace("deadline: 2024-06-30", "deadline:2024-06-30"),
    BASE.replace("deadline: 2024-06-30", '"deadline": 2024-06-30'),
    BASE.replace("deadline: 2024-06-30", "deadline: {a: 1,\nb: 2}"),
    BASE.replace("deadline: 2024-06-30", "deadline: [1,\n  2]"),
    BASE.replace("progress:\n", "progress:\n  # 进度\n"),
    BASE.replace("    by: org-0001", "    by: org-0001\n  - 2024"),
    BASE.replace("    by: org-0001", "    by: org-0001\n - 2024"),
    BASE.replace("    by: org-0001", "  by: org-0001"),
    BASE.replace("visibility: public", "visibility: public\r"),
    BASE.replace("\n", "\r\n"),
    BASE.replace("visibility: public", "visibility:\tpublic"),
    BASE.replace("visibility: public", "\tvisibility: public"),
    BASE.replace("visibility: public", "visibility: public\u2028extra: 1"),
    BASE.replace("visibility: public", "? visibility\n: public"),
    BASE.replace("visibility: public", "visibility: !!str public"),
    BASE.replace("visibility: public", "visibility: no\nno: yes"),
    BASE + "progress: []\n",
    BASE.replace("progress:\n", "progress:\n\n"),
    BASE.replace("  - date: 2024-02-28", "  -   date: 2024-02-28"),
    BASE.replace("source:", "source: \nsource2:"),
]


@pytest.mark.parametrize("order", ["forward", "backward", "each-after-base"])
def test_the_incremental_parser_agrees_with_the_loader(order: str) -> None:
    sequence = {"forward": VARIANTS, "backward": VARIANTS[::-1], "each-after-base": [v for variant in VARIANTS for v in (BASE, variant)]}[order]
    parser = VersionParser()
    for text in sequence:
        expected = load_bytes(T1, text.encode("utf-8")).data
        assert parser.parse(text.encode("utf-8")) == expected, text
    assert parser.parse(None) is None
    assert parser.parse(b"\xff\xfe") is None
