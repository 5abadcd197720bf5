from __future__ import annotations

import json

from liandong.diagnostics import Diagnostic, exit_code, sort_diagnostics
from liandong.reporters import as_json, github, text

FINDING = Diagnostic("registry/tasks/t,1.yaml", "ref.unknown-id", "牵头单位 “x” 不存在", "是否想写 “y”？50%", line=3, col=5)


def test_text_is_path_line_col_severity_rule_message_then_hint() -> None:
    assert text([FINDING]) == "registry/tasks/t,1.yaml:3:5: error[ref.unknown-id]: 牵头单位 “x” 不存在\n  hint: 是否想写 “y”？50%\n"


def test_github_annotations_escape_properties_and_data() -> None:
    line = github([FINDING]).strip()
    assert line == "::error file=registry/tasks/t%2C1.yaml,line=3,col=5,title=ref.unknown-id::牵头单位 “x” 不存在%0A提示：是否想写 “y”？50%25"


def test_json_keeps_every_field() -> None:
    (item,) = json.loads(as_json([FINDING]))
    assert item == {
        "path": "registry/tasks/t,1.yaml",
        "line": 3,
        "col": 5,
        "severity": "error",
        "rule": "ref.unknown-id",
        "message": "牵头单位 “x” 不存在",
        "hint": "是否想写 “y”？50%",
    }


def test_sorting_and_exit_code() -> None:
    later = Diagnostic("a.yaml", "z.rule", "m", line=2, col=1)
    earlier = Diagnostic("a.yaml", "a.rule", "m", line=1, col=9)
    warning = Diagnostic("a.yaml", "w.rule", "m", line=1, col=1, severity="warning")
    assert sort_diagnostics([later, earlier, later]) == [earlier, later]
    assert exit_code([warning]) == 0
    assert exit_code([warning, later]) == 1
