"""The task timeline (#20): model/schedule.py's bars are the records' facts, site/gantt.py draws
each of them (extensions, first deadline, completion, today), the page's table lists the same bars,
and the same input gives the same bytes."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from liandong.model.model import Model
from liandong.model.schedule import schedule
from liandong.model.status import Status
from liandong.site import contexts
from liandong.site.gantt import gantt_svg
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate
from tests.helpers import case_repo, clause_task, record, write

TODAY = "2026-06-20"


def _task(task_id: str, status: str = "in_progress", **fields: Any) -> tuple[str, str]:
    return f"tasks/{task_id}.yaml", record("tasks", clause_task(task_id, status, **fields))


def _status(tmp_path: Path) -> Status:
    extended = [
        {"requested": "2026-02-20", "previous_deadline": "2026-02-28", "approved_by": "org-a", "new_deadline": "2026-04-30", "reason": "等待材料"},
        {"requested": "2026-04-20", "approved_by": "org-a", "new_deadline": "2026-07-31", "reason": "再次等待"},
    ]
    files = dict(
        [
            _task("task-0101", "extended", deadline="2026-07-31", extensions=extended),
            _task("task-0102", "completed", deadline="2026-03-31", completion={"date": "2026-04-05", "result": "完成"}),
            _task("task-0103", deadline="2026-05-31"),
            _task("task-0104", "assigned"),  # no deadline: nothing to draw
            _task("task-0105", "completed", deadline="2026-03-31", completion={"date": "2026-03-20", "result": "完成"}),
        ]
    )
    root = case_repo(tmp_path / "repo", "valid/minimal")
    for rel, text in files.items():
        write(root, f"registry/{rel}", text)
    result = validate(root, today=datetime.date.fromisoformat(TODAY))
    assert result.diagnostics == []
    return Status(Model.build(result.schemas, result.valid), datetime.date.fromisoformat(TODAY))


def test_the_bars_are_the_records_facts(tmp_path: Path) -> None:
    status = _status(tmp_path)
    found = schedule(status, status.model.of_type("tasks"), limit=40)
    bars = {b.item.id: b for b in found.bars}
    assert "task-0104" not in bars and found.undrawn == 2  # task-0104, and the minimal registry's task without dates
    extended = bars["task-0101"]
    assert extended.first_deadline == datetime.date(2026, 2, 28) and extended.deadline == datetime.date(2026, 7, 31)
    assert [(e.requested.isoformat(), e.previous, e.new.isoformat()) for e in extended.extensions] == [
        ("2026-02-20", datetime.date(2026, 2, 28), "2026-04-30"),
        ("2026-04-20", datetime.date(2026, 4, 30), "2026-07-31"),  # its previous deadline: the one the first extension granted
    ]
    assert (bars["task-0102"].state, bars["task-0102"].label) == ("late", "逾期办结（晚 5 天）")
    assert (bars["task-0103"].state, bars["task-0103"].label) == ("overdue", "逾期 20 天")
    assert bars["task-0105"].state == "on-time"


def test_the_limit_keeps_the_most_pressing(tmp_path: Path) -> None:
    status = _status(tmp_path)
    found = schedule(status, status.model.of_type("tasks"), limit=2)
    assert sorted(b.item.id for b in found.bars) == ["task-0101", "task-0103"] and found.omitted == 2  # the open ones, by deadline


def test_the_figure_draws_every_bar_and_its_marks(tmp_path: Path) -> None:
    status = _status(tmp_path)
    found = schedule(status, status.model.of_type("tasks"), limit=40)
    svg = str(gantt_svg(found, "时间表", "t").svg)
    assert sorted(re.findall(r'data-item="([^"]+)"', svg)) == sorted(b.item.id for b in found.bars)
    assert svg.count('class="ld-gantt-extension"') == 2 and svg.count('class="ld-gantt-first"') == 1
    assert svg.count('class="ld-gantt-done"') == 2 and 'class="ld-gantt-today"' in svg
    assert "2026-04-20 申请延期，甲单位批准，办理时限改为 2026-07-31" in svg
    assert 'data-state="overdue"' in svg and "逾期 20 天" in svg  # the state in words, not colour alone
    assert "<script" not in svg and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert gantt_svg(found, "时间表", "t").svg == svg  # the same schedule, the same bytes


def test_the_list_page_shows_the_figure_and_the_same_bars_in_text(tmp_path: Path) -> None:
    status = _status(tmp_path)
    page = contexts.list_context(status, "tasks")
    assert page.schedule is not None
    text = next(p.text for p in Renderer(status.model, status.today).pages() if p.path == "tasks/index.md")
    figure = text[text.index("<svg") : text.index("</svg>")]
    table = text[text.index('<details class="ld-gantt-text">') :]
    drawn = re.findall(r'<g class="ld-gantt-bar" data-item="([^"]+)"', figure)
    listed = re.findall(r'<tr data-item="([^"]+)">', table)
    assert drawn == listed and len(drawn) == len(page.schedule.schedule.bars) == 4
    assert "另有 2 项没有交办日期或办理时限，不在图中。" in text


def test_groups_follow_the_documents_order_whatever_the_brackets(tmp_path: Path) -> None:
    """三(一)2 before 三(一)10 before 三(二) (not as text sorts them), 三（一）2 and 三(一)2 one
    group, and a paragraph the document does not list (第六条第二款) under its own number."""
    root = case_repo(tmp_path / "repo", "valid/minimal")
    clauses = [("三(一)1", "己"), ("三(一)2", "甲"), ("三(一)10", "乙"), ("三(二)", "丙"), ("三(三)1", "丁")]  # 三(一)1: valid/minimal cites it
    write(
        root,
        "registry/documents/doc-a.yaml",
        record(
            "documents",
            {
                "id": "doc-a",
                "title": "示例文件",
                "status": "issued",
                "visibility": "public",
                "doc_type": "opinion",
                "clauses": [{"number": n, "heading": h} for n, h in clauses],
            },
        ),
    )
    write(
        root,
        "registry/documents/doc-b.yaml",
        record(
            "documents",
            {
                "id": "doc-b",
                "title": "示例办法",
                "status": "issued",
                "visibility": "public",
                "example": True,
                "doc_type": "notice",
                "clauses": [{"number": "第六条", "heading": "戊"}],
            },
        ),
    )
    cited = {
        "task-0101": ("doc-a", "三(三)1"),
        "task-0102": ("doc-a", "三(二)"),
        "task-0103": ("doc-a", "三(一)10"),
        "task-0104": ("doc-a", "三（一）2"),
        "task-0105": ("doc-a", "三(一)2"),
        "task-0106": ("doc-b", "第六条第二款"),
    }
    for task_id, (document, clause) in cited.items():
        extra = {"example": True} if document == "doc-b" else {}
        write(
            root,
            f"registry/tasks/{task_id}.yaml",
            record("tasks", clause_task(task_id, deadline="2026-05-31", source={"document": document, "clause": clause}, **extra)),
        )
    result = validate(root, today=datetime.date.fromisoformat(TODAY))
    assert result.diagnostics == []
    status = Status(Model.build(result.schemas, result.valid), datetime.date.fromisoformat(TODAY))
    drawn = schedule(status, status.model.of_type("tasks"), 40)
    assert [(g.label, [b.item.id for b in g.bars]) for g in drawn.groups] == [
        ("三(一)2 甲", ["task-0104", "task-0105"]),
        ("三(一)10 乙", ["task-0103"]),
        ("三(二) 丙", ["task-0102"]),
        ("三(三)1 丁", ["task-0101"]),
        ("第六条第二款", ["task-0106"]),
    ]
