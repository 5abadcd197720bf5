"""Property test of the pull-request gate: random sequences of edits to a small real registry in a
real Git repository, judged as CI judges a pull request (`liandong validate`, then
`liandong check-changes --base main`).

Invariant: whatever sequence both accept keeps every record of `main` present in its own folder
with its id, its append-only entries as a prefix of the new ones, each status change allowed by
`main`'s lifecycle, and each deadline change matched by a new extension granting it. The
invariant is checked from the raw files and Git, not with the gate's own code.

Examples: LIANDONG_HYPOTHESIS_EXAMPLES (default 300), derandomized so CI is repeatable; set
LIANDONG_HYPOTHESIS_RANDOM=1 to explore new sequences locally. A shrunk counterexample should
become a case directory under tests/cases/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from liandong.cli import main
from liandong.yamlio.loader import load_bytes

from .helpers import Git, make_repo, record, write

EXAMPLES = int(os.environ.get("LIANDONG_HYPOTHESIS_EXAMPLES", "300"))
APPEND_ONLY = ("progress", "extensions", "reminders", "reopenings", "decisions")
# Dates of the base registry are in 2024; "today" is pinned after them so no rule rots.
ENV = {
    "SOURCE_DATE_EPOCH": "1735689600",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}
DATES = ("2024-03-01", "2024-04-15", "2024-05-20", "2024-06-30", "2024-08-01", "2024-09-30", "2024-11-30")

ORG = {"id": "org-a", "title": "甲单位", "status": "active", "visibility": "public", "level": "county", "kind": "department"}
DOC = {
    "id": "doc-a",
    "title": "示例文件",
    "status": "issued",
    "visibility": "public",
    "doc_type": "opinion",
    "clauses": [{"number": "三(一)1", "heading": "明确园区管理权限"}],
}


def _task(number: int, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"task-{number:04d}",
        "title": f"任务{number}",
        "status": status,
        "visibility": "public",
        "source": {"document": "doc-a", "clause": "三(一)1"},
        "lead": ["org-a"],
        "assigned": "2024-01-10",
        "deadline": "2024-06-30",
        **extra,
    }


BASE: dict[str, dict[str, Any]] = {
    "organizations/org-a": ORG,
    "documents/doc-a": DOC,
    "tasks/task-0001": _task(1, "assigned"),
    "tasks/task-0002": _task(2, "in_progress", progress=[{"date": "2024-02-01", "text": "已启动", "by": "org-a"}]),
    "tasks/task-0003": _task(
        3,
        "extended",
        deadline="2024-09-30",
        progress=[{"date": "2024-02-01", "text": "已启动", "by": "org-a"}],
        extensions=[{"requested": "2024-03-20", "approved_by": "org-a", "new_deadline": "2024-09-30", "reason": "等待批复"}],
    ),
    "tasks/task-0004": _task(
        4,
        "closed",
        progress=[{"date": "2024-02-01", "text": "已启动", "by": "org-a"}],
        completion={"date": "2024-06-20", "result": "已完成"},
        closure={"date": "2024-07-01", "verified_by": "org-a"},
    ),
    "coordination/coord-0001": {
        "id": "coord-0001",
        "title": "协调事项",
        "status": "coordinating",
        "visibility": "public",
        "origin": "enterprise",
        "raised_by_name": "某贸易公司",
        "raised_on": "2024-04-01",
        "responsible": ["org-a"],
        "progress": [{"date": "2024-04-02", "text": "已受理", "by": "org-a"}],
    },
}

OPS = (
    "title",
    "append-progress",
    "edit-progress",
    "drop-progress",
    "status",
    "deadline",
    "deadline-extended",
    "move",
    "rename",
    "delete",
    "visibility",
    "symlink",
    "loosen-lifecycle",
    "drop-type",
    "add",
    "commit",
    "upstream",
)


def _template(folder: Path) -> Path:
    root = make_repo(folder / "repo")
    for key, data in BASE.items():
        write(root, f"registry/{key}.yaml", record(key.split("/")[0], data))
    git = Git(root)
    git.commit("基准")
    git("checkout", "-q", "-b", "pr")
    return root


@pytest.fixture(scope="module")
def template() -> Any:
    with tempfile.TemporaryDirectory() as folder:
        yield _template(Path(folder))


def _records(root: Path) -> list[Path]:
    return sorted(p for p in (root / "registry").glob("*/*.yaml") if not p.is_symlink() and p.is_file())


def _read(path: Path) -> dict[str, Any] | None:
    return load_bytes(path.name, path.read_bytes()).data


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(record(path.parent.name, data), encoding="utf-8")


def _apply(root: Path, op: str, pick: int, value: int) -> None:
    """One edit a contributor might make; an edit that does not apply to the picked file is a no-op."""
    files = _records(root)
    if op == "loosen-lifecycle":  # the pull request brings rules that allow every change
        lifecycle = root / "schemas" / "tasks.lifecycle.yaml"
        rules = yaml.safe_load(lifecycle.read_text(encoding="utf-8"))
        states = ["assigned", "in_progress", "extended", "completed", "closed", "terminated"]
        rules["transitions"] = [{"from": a, "to": b} for a in states for b in states if a != b]
        rules["requires"] = {}
        lifecycle.write_text(yaml.safe_dump(rules), encoding="utf-8")
        return
    if op == "drop-type":
        shutil.rmtree(root / "registry" / "coordination", ignore_errors=True)
        for schema in (root / "schemas").glob("coordination.*"):
            schema.unlink()
        return
    if op == "add":
        number = 100 + value
        path = root / "registry" / "tasks" / f"task-{number:04d}.yaml"
        if not path.exists():
            _write(path, _task(number, "assigned"))
        return
    git = Git(root, init=False)
    if op == "commit":
        git.commit("修改", allow_empty=True)
        return
    if op == "upstream":  # main moves on (a progress entry) and the branch merges it
        git.commit("修改", allow_empty=True)
        git("checkout", "-q", "main")
        task = root / "registry" / "tasks" / "task-0002.yaml"
        data = _read(task)
        if data is not None:
            data["progress"] = [*data.get("progress", []), {"date": "2024-10-01", "text": f"主干进度{value}", "by": "org-a"}]
            _write(task, data)
            git("commit", "-q", "-am", "主干")
        git("checkout", "-q", "pr")
        if git.run("merge", "-q", "--no-edit", "main").returncode != 0:
            # A conflict: the forge would not merge this branch either; main's step is undone.
            git.run("merge", "--abort")
            git("branch", "-f", "main", "main~1")
        return
    if not files:
        return
    path = files[pick % len(files)]
    data = _read(path)
    if data is None:
        return
    if op == "title":
        data["title"] = f"{data['title']}（修订{value}）"
    elif op == "append-progress" and "progress" in _schema_fields(root, path.parent.name):
        data["progress"] = [*data.get("progress", []), {"date": DATES[value % len(DATES)], "text": f"进度{value}", "by": "org-a"}]
    elif op == "edit-progress" and data.get("progress"):
        data["progress"][0]["text"] += "（改）"
    elif op == "drop-progress" and data.get("progress"):
        data["progress"] = data["progress"][1:] or None
        if data["progress"] is None:
            del data["progress"]
    elif op == "status":
        states = (
            ["assigned", "in_progress", "extended", "completed", "closed", "terminated"]
            if path.parent.name == "tasks"
            else ["open", "coordinating", "escalated", "resolved", "closed", "withdrawn"]
        )
        data["status"] = states[value % len(states)]
    elif op in ("deadline", "deadline-extended") and "deadline" in data:
        new = DATES[value % len(DATES)]
        data["deadline"] = new
        if op == "deadline-extended":
            data["extensions"] = [*data.get("extensions", []), {"requested": "2024-03-25", "approved_by": "org-a", "new_deadline": new, "reason": "批准延期"}]
    elif op == "move":
        others = [t for t in ("tasks", "coordination", "meetings", "powers") if t != path.parent.name]
        target = root / "registry" / others[value % len(others)] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        return
    elif op == "rename":
        new_id = f"{path.stem}-{value}"
        data["id"] = new_id
        path.unlink()
        _write(path.with_name(f"{new_id}.yaml"), data)
        return
    elif op == "delete":
        path.unlink()
        return
    elif op == "visibility":
        data["visibility"] = "internal" if data.get("visibility") != "internal" else "public"
    elif op == "symlink":  # the record moves out of the registry, a link stands in its place
        kept = root / "archive" / path.name
        kept.parent.mkdir(exist_ok=True)
        path.rename(kept)
        path.symlink_to(os.path.relpath(kept, path.parent))
        return
    else:
        return
    _write(path, data)


def _schema_fields(root: Path, type_name: str) -> set[str]:
    import json

    schema = root / "schemas" / f"{type_name}.schema.json"
    return set(json.loads(schema.read_text(encoding="utf-8")).get("properties", {})) if schema.exists() else set()


def _gate(root: Path) -> bool:
    """True when CI's gate accepts the branch; a crash is a test failure, never an acceptance."""
    runner = CliRunner()
    for args in (["validate", "--root", str(root)], ["check-changes", "--base", "main", "--root", str(root)]):
        result = runner.invoke(main, args, env=ENV)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1), f"{args[0]} exit {result.exit_code}: {result.output}"
        if result.exit_code != 0:
            return False
    return True


def _base_files(root: Path) -> dict[str, dict[str, Any]]:
    git = Git(root, init=False)
    listing = git("ls-tree", "-r", "main", "--", "registry").splitlines()
    found = {}
    for line in listing:
        mode, _, _, path = line.split(maxsplit=3)
        if mode == "100644" and path.endswith(".yaml"):
            data = load_bytes(path, git("show", f"main:{path}").encode()).data
            assert data is not None, path
            found[path] = data
    return found


def _lifecycle(root: Path, type_name: str) -> set[tuple[str, str]]:
    text = Git(root, init=False)("show", f"main:schemas/{type_name}.lifecycle.yaml")
    return {(t["from"], t["to"]) for t in yaml.safe_load(text)["transitions"]}


def _check_invariant(root: Path) -> None:
    for path, old in _base_files(root).items():
        head = root / path
        assert head.is_file() and not head.is_symlink(), f"{path}: the record left its folder or became a link"
        new = _read(head)
        assert new is not None and new.get("id") == old["id"], f"{path}: id changed"
        for field in APPEND_ONLY:
            before, after = old.get(field) or [], new.get(field) or []
            assert after[: len(before)] == before, f"{path}: {field} rewritten"
        type_name = path.split("/")[1]
        if old.get("status") != new.get("status"):
            assert (old["status"], new["status"]) in _lifecycle(root, type_name), f"{path}: {old['status']} → {new['status']}"
        if old.get("deadline") and old.get("deadline") != new.get("deadline"):
            granted = (new.get("extensions") or [])[len(old.get("extensions") or []) :]
            assert any(e.get("new_deadline") == new.get("deadline") for e in granted), f"{path}: deadline moved without extension"


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("LIANDONG_HYPOTHESIS_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 20), st.integers(0, 50)), min_size=1, max_size=6))
def test_what_the_gate_accepts_keeps_every_record(template: Path, edits: list[tuple[str, int, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        shutil.copytree(template, root, symlinks=True)
        for op, pick, value in edits:
            _apply(root, op, pick, value)
        accepted = _gate(root)
        event("accepted by the gate" if accepted else "refused by the gate")  # shown by --hypothesis-show-statistics
        if accepted:
            _check_invariant(root)


def test_the_invariant_can_fail(template: Path, tmp_path: Path) -> None:
    """The checker itself: a deletion the gate would refuse breaks the invariant."""
    root = tmp_path / "repo"
    shutil.copytree(template, root, symlinks=True)
    _apply(root, "delete", 2, 0)
    with pytest.raises(AssertionError, match="left its folder"):
        _check_invariant(root)
    assert not _gate(root)
