"""The editor experience the modeline promises (#16 part 2), checked with the real language server:
yaml-language-server (what the VS Code YAML extension runs, pinned in tools/editor/), driven over
stdio as an editor with a Chinese display language drives it. Every bundled record opens clean;
each class of mistake is reported in Chinese at its line; completion offers each state by its
Chinese label; hovering a field shows the field's own title.

Two classes cannot be worded from a schema. A duplicate key is found by the server's YAML parser,
whose message ("Map keys must be unique") has no translation; the test holds it to the right line.
Both sources given (document and meeting) breaks a `not`, for which the server always says
匹配了不被允许的模式 (it reads no errorMessage there); hovering 事项来源 explains 二选一. For both,
`liandong validate` says exactly what is wrong (yaml.duplicate-key, schema.conflict)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..helpers import REPO
from ..lsp import SERVER, LanguageServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SERVER.exists() or shutil.which("node") is None, reason="yaml-language-server not installed: run npm ci --prefix tools/editor (.ci/run does)"
    ),
]

MODELINE = "# yaml-language-server: $schema=../../schemas/tasks.schema.json\n"
GOOD = """id: task-0099
title: 测试任务
status: assigned
visibility: public
source:
  document: doc-kuahequ-liandong-opinion
  clause: 三(一)1
lead:
  - org-dongxing-gov
assigned: 2026-09-01
deadline: 2026-12-31
"""
# Words of the server's own English messages ("Missing property", "Incorrect type. Expected", "Value is
# not accepted", "String does not match the pattern"…); ids and codes in a Chinese message are not these.
ENGLISH = re.compile(r"\b(?:Missing|Incorrect|Expected|Value|accepted|allowed|match|pattern|property|schema|String|Object|must)\b", re.IGNORECASE)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("editor")
    shutil.copytree(REPO / "schemas", folder / "schemas")
    (folder / "registry" / "tasks").mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def server(root: Path) -> Iterator[LanguageServer]:
    found = LanguageServer(root)
    yield found
    found.close()


def _opened(server: LanguageServer, root: Path, name: str, text: str) -> list[tuple[int, str]]:
    path = root / "registry" / "tasks" / name
    path.write_text(MODELINE + text, encoding="utf-8")
    return [(d["range"]["start"]["line"] + 1, d["message"]) for d in server.open(path)]


def test_every_bundled_record_opens_clean(server: LanguageServer) -> None:
    files = sorted((REPO / "registry").glob("*/*.yaml"))
    assert len(files) > 50
    found = {str(f.relative_to(REPO)): server.open(f) for f in files}
    assert {path: d for path, d in found.items() if d} == {}


def test_a_correct_record_opens_clean(server: LanguageServer, root: Path) -> None:
    assert _opened(server, root, "task-0099.yaml", GOOD) == []


@pytest.mark.parametrize(
    ("case", "before", "after", "line", "words"),
    [
        ("a reference that is no id", "  - org-dongxing-gov\n", "  - Org_Dongxing\n", 10, "编号"),
        ("a missing required field", "status: assigned\n", "", 2, "必填"),
        ("a field the type does not have", "visibility: public\n", "visibility: public\nleader: org-dongxing-gov\n", 6, "没有的字段"),
        ("a wrong type", "deadline: 2026-12-31\n", "deadline: 5\n", 12, "日期"),
        ("a date that is not in the calendar", "deadline: 2026-12-31\n", "deadline: 2026-02-30\n", 12, "日历上存在"),
        ("both sources", "  clause: 三(一)1\n", "  clause: 三(一)1\n  meeting: mtg-0001\n  decision: 1\n", 7, ""),  # see the module docstring
        ("an unknown state", "status: assigned\n", "status: done\n", 4, ""),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else "",
)
def test_each_mistake_is_told_in_chinese_at_its_line(server: LanguageServer, root: Path, case: str, before: str, after: str, line: int, words: str) -> None:
    assert before in GOOD
    found = _opened(server, root, f"task-{abs(hash(case)) % 9000 + 100:04d}.yaml", GOOD.replace(before, after, 1))
    assert found, case
    assert line in [at for at, _ in found], found
    for _at, message in found:
        assert CHINESE.search(message) and not ENGLISH.search(message), message
    assert all(words in message for at, message in found if at == line), found


def test_a_duplicate_key_is_found_at_its_line(server: LanguageServer, root: Path) -> None:
    found = _opened(server, root, "task-0098.yaml", GOOD.replace("title: 测试任务\n", "title: 测试任务\ntitle: 又一个名称\n", 1))
    assert [at for at, _ in found] == [4]  # its message is the parser's own English, see the module docstring


def test_state_completion_lists_the_chinese_labels(server: LanguageServer, root: Path) -> None:
    path = root / "registry" / "tasks" / "task-0097.yaml"
    text = MODELINE + GOOD.replace("status: assigned\n", "status: \n", 1)
    path.write_text(text, encoding="utf-8")
    server.open(path)
    items = server.completion(path, 3, len("status: "))
    shown = {item["label"]: (item.get("documentation") or {}).get("value", "") for item in items}
    assert shown["assigned"] == "已交办" and shown["deployed"] == "原文部署" and shown["completed"] == "已办结"


@pytest.mark.parametrize(("field", "line", "title"), [("lead", 8, "牵头单位"), ("deadline", 11, "办理时限"), ("status", 3, "状态")])
def test_hover_shows_the_fields_own_title(server: LanguageServer, root: Path, field: str, line: int, title: str) -> None:
    path = root / "registry" / "tasks" / "task-0096.yaml"
    path.write_text(MODELINE + GOOD, encoding="utf-8")
    server.open(path)
    assert server.hover(path, line, 1).startswith(f"#### {title}\n")
