"""The history lists are said once, in the schemas (x-append-only, x-entry-name), and every part
of the code that handles them reads them from there: the pull-request gate, its summary, the
history read from Git and the timeline on the site. A list marked in a schema but missed by one
of them fails here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from liandong.changes.compare import Pair, Version
from liandong.changes.rules import check_pair
from liandong.changes.summary import describe
from liandong.history.events import entry_events
from liandong.history.reader import read_history
from liandong.history.timeline import entries
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO, Git, case_repo, make_repo

SCHEMAS = SchemaSet.for_root(REPO)
LISTS = [(t, field) for t, ts in SCHEMAS.types.items() for field in ts.append_only]
ENTRY = {
    "date": "2024-03-01",
    "text": "第一条",
    "by": "org-a",
    "reason": "理由",
    "number": 1,
    "requested": "2024-03-01",
    "approved_by": "org-a",
    "new_deadline": "2024-09-30",
}


def test_the_schemas_mark_the_history_lists() -> None:
    assert ("tasks", "reminders") in LISTS and ("tasks", "reopenings") in LISTS and ("meetings", "decisions") in LISTS
    for type_name, ts in SCHEMAS.types.items():
        for field, child in ts.schema.get("properties", {}).items():
            # The description promises what the flag enforces, and the other way round.
            says = "只增不改" in child.get("description", "")
            assert says == (field in ts.append_only), f"{type_name}.{field}: description and x-append-only disagree"
            if field in ts.append_only:
                assert child.get("type") == "array" and child.get("x-entry-name"), f"{type_name}.{field}"


def _version(type_name: str, data: dict[str, object]) -> Version:
    return Version(f"registry/{type_name}/x-1.yaml", type_name, "x-1", {"id": "x-1", **data}, "")


@pytest.mark.parametrize(("type_name", "field"), LISTS)
def test_the_gate_refuses_a_rewritten_entry_of_every_history_list(type_name: str, field: str) -> None:
    pair = Pair(_version(type_name, {field: [ENTRY]}), _version(type_name, {field: [{**ENTRY, "date": "2024-03-02"}]}))
    assert "change.append-only" in {d.rule for d in check_pair(SCHEMAS, pair)}


@pytest.mark.parametrize(("type_name", "field"), LISTS)
def test_the_summary_tells_an_appended_entry_by_its_name(type_name: str, field: str) -> None:
    ts = SCHEMAS.types[type_name]
    pair = Pair(_version(type_name, {field: [ENTRY]}), _version(type_name, {field: [ENTRY, {**ENTRY, "date": "2024-03-02"}]}))
    lines = describe(ts, pair, {})
    assert f"新增{ts.append_only[field]} 1 条" in lines, lines
    assert not any(line.startswith("修改") for line in lines), lines


def test_history_turns_every_history_list_into_entry_events(tmp_path: Path) -> None:
    """A reminder appended in a commit is a new entry on the timeline, not "修改 催办记录"."""
    assert set(entry_events(SCHEMAS.append_only)) == set(SCHEMAS.append_only)
    root = make_repo(tmp_path / "repo")
    head = "id: task-0001\ntitle: 任务\nstatus: in_progress\n"
    reminder = "reminders:\n  - date: 2024-05-01\n    by: org-a\n    text: 请报送办理情况。\n"

    git = Git(root)
    git.commit("新建", files={"registry/tasks/task-0001.yaml": head})
    git.commit("催办", files={"registry/tasks/task-0001.yaml": head + reminder})
    events = read_history(root).records["task-0001"].events  # the schemas at root say which lists
    assert [(e.kind, e.field) for e in events] == [("created", None), ("entry", "reminders")]
    told = entries(events, SCHEMAS.append_only)[-1]
    assert told.added == [("reminders", {"date": "2024-05-01", "by": "org-a", "text": "请报送办理情况。"})]
    assert told.fields == []


def test_who_leads_is_read_from_the_schemas() -> None:
    """x-lead: every 牵头单位 of a task leads; of a matter's 责任单位 only the first (its schema says so)."""
    leading = {t: ts.lead_field for t, ts in SCHEMAS.types.items() if ts.lead_field}
    assert {t: leading.get(t) for t in ("tasks", "coordination", "mechanisms")} == {
        "tasks": ("lead", False),
        "coordination": ("responsible", True),
        "mechanisms": ("lead", False),
    }
    # A meeting is led by whoever leads its mechanism (x-lead: via), e.g. for its minutes (#15).
    assert SCHEMAS.types["meetings"].lead_via == "mechanism" and SCHEMAS.types["meetings"].lead_field is None
    assert "第一个为牵头单位" in SCHEMAS.types["coordination"].schema["properties"]["responsible"]["description"]


COORD = """# yaml-language-server: $schema=../../schemas/coordination.schema.json
id: coord-0001
title: 协调口岸查验场地
status: coordinating
visibility: public
origin: enterprise
raised_by_name: 某贸易公司
raised_on: 2026-01-05
deadline: 2026-03-31
responsible:
  - org-fcg
  - org-a
"""


def test_the_report_names_only_the_lead_of_a_matter(tmp_path: Path) -> None:
    """An overdue matter with two 责任单位 is led by the first: the report (and the home page's
    overdue table, from the same Item.leads) named both as 牵头单位 before."""
    root = case_repo(tmp_path / "repo", "valid/minimal")
    (root / "registry/coordination").mkdir()
    (root / "registry/coordination/coord-0001.yaml").write_text(COORD, encoding="utf-8")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    done = subprocess.run(
        [sys.executable, "-m", "liandong", "report", "--today", "2026-11-25", "--root", str(root)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 1), done.stderr
    row = next(line for line in done.stdout.splitlines() if "coord-0001" in line)
    assert "乙市人民政府" in row and "甲单位" not in row, row


# Spellings of facts that src/liandong/model/vocabulary.py or the schemas now say; a copy anywhere else in
# the package (code or templates) is a second place to forget when the fact changes.
COPIES = (
    '"region", "prefecture"',
    '(-[a-z0-9]+)*$"',
    '("tasks", "coordination")',
    '"tasks", "coordination"]',
    "3 天内到期",
    "30 天无进展",
    '"progress", "extensions"',
    'get("responsible"',
)


@pytest.mark.parametrize("spelling", COPIES)
def test_each_fact_is_said_once(spelling: str) -> None:
    package = REPO / "src" / "liandong"
    sources = [
        p for p in [*package.rglob("*.py"), *package.rglob("*.j2")] if p.name not in ("vocabulary.py", "synthetic.py")
    ]  # synthetic.py makes benchmark data, not facts
    found = [str(p.relative_to(REPO)) for p in sources if spelling in p.read_text(encoding="utf-8")]
    assert found == [], f"{spelling} is said again in {found}"


def test_new_checks_ids_with_the_schemas_pattern() -> None:
    """liandong new refuses an id before writing it, with the pattern the schemas give ids."""
    assert SCHEMAS.id_pattern.pattern == SCHEMAS.common["$defs"]["id"]["pattern"]
    assert SCHEMAS.id_pattern.match("task-0001") and not SCHEMAS.id_pattern.match("Task-1")
