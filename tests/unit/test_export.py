"""liandong export: the 台账 and the template, opened again with openpyxl; and the round trip, export →
import with nothing changed → the registry byte for byte as it was."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.tabular.columns import DERIVED, Layout, parse, render
from liandong.tabular.exporter import export_workbook
from liandong.tabular.names import NameIndex
from liandong.validation.pipeline import validate
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

from .sheets import TODAY, bundled, liandong, snapshot

DAY = datetime.date(2026, 11, 25)


def opened(path: Path) -> Any:
    return load_workbook(path)


def test_the_template_has_the_headers_a_note_row_and_drop_down_lists(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    out = tmp_path / "模板.xlsx"
    result = liandong(root, "export", "--template", "--type", "powers", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = opened(out)
    sheet = book["权力事项"]
    schemas = SchemaSet.for_root(REPO)
    headers = [c.value for c in sheet[1]]
    assert headers == Layout(schemas.types["powers"]).headers()
    assert headers[:4] == ["编号", "事项名称", "状态", "公开属性"] and "委托·委托文件" in headers and "行使方式" in headers
    notes = [c.value for c in sheet[2]]
    assert len(notes) == len(headers) and all(isinstance(n, str) and n.startswith("说明：") for n in notes)
    assert notes[headers.index("职权类别")].startswith("说明：必填；可选：行政许可、行政处罚")
    assert "每行一条，各项用“｜”分隔：材料名称｜是否必备｜可容缺" in notes[headers.index("申请材料")]
    assert sheet.freeze_panes == "A2"
    lists = book["可选值"]
    assert lists.sheet_state == "hidden"
    by_column = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    status_column = "C"  # 状态
    assert by_column[f"{status_column}3"].startswith("'可选值'!$")
    letter = by_column[f"{status_column}3"].split("!$")[1].split("$")[0]
    assert [lists[f"{letter}{n}"].value for n in range(2, 7)] == ["拟实施", "实施中", "暂停实施", "已收回", "已到期"]
    # Filled in under the note row, it imports (the note row is skipped).
    sheet.cell(3, headers.index("事项名称") + 1, "按模板填写的事项")
    sheet.cell(3, headers.index("职权类别") + 1, "行政确认")
    sheet.cell(3, headers.index("实施主体") + 1, "东兴市住房和城乡建设局")
    sheet.cell(3, headers.index("行使方式") + 1, "直接行使")
    book.save(out)
    result = liandong(root, "import", str(out), "--type", "powers", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "registry/powers/power-0006.yaml\n"


def test_the_export_opens_with_chinese_headers_labels_names_and_a_frozen_header(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    out = tmp_path / "督办台账.xlsx"
    result = liandong(root, "export", "--type", "tasks", "-o", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    sheet = opened(out)["督办任务"]
    headers = [c.value for c in sheet[1]]
    assert headers[-2:] == list(DERIVED) and "办理进度" in headers and "事项来源·来源文件" in headers
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:AS{sheet.max_row}"
    rows = {r[0]: dict(zip(headers, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    schemas = SchemaSet(root / "schemas")
    codes = set(schemas.types["tasks"].states)
    assert all(row["状态"] in {"原文部署", "已交办", "办理中", "已延期", "已办结", "已销号", "已终止"} and row["状态"] not in codes for row in rows.values())
    assert rows["task-0013"]["牵头单位"] == "东兴市自然资源局"
    # 分工: one role a line, its units joined with 、 (a list inside an entry), the text's words last.
    assert rows["task-0001"]["分工"].splitlines()[0] == "委托｜防城港市人民政府、防城港市相关部门｜防城港市人民政府及其相关部门按照“能放则放”的原则，依法委托"
    assert rows["task-0001"]["事项来源·来源文件"].startswith("关于建立推进中国东兴")
    assert rows["task-0013"]["办理进度"].splitlines()[0] == "2026-06-29｜已完成现场踏勘，正在与上级规划部门核对规划条件。｜东兴市自然资源局"
    assert isinstance(rows["task-0013"]["办理时限"], datetime.datetime)
    # What the text makes of a duty (#19), in words: 长期执行的规定 with the time as written, 应当办理.
    assert (rows["task-0007"]["事项性质"], rows["task-0007"]["原文时限"], rows["task-0007"]["约束性"]) == ("长期执行的规定", "每季度召开一次", None)
    assert (rows["task-0003"]["约束性"], rows["task-0003"]["原文时限"]) == ("应当办理", "及时")
    # The derived columns are model/status.py's figures for the same day.
    result_ = validate(root, today=DAY)
    status = Status(Model.build(result_.schemas, result_.valid).public(), DAY)
    overdue = {late.item.id: late.days for late in status.overdue()}
    assert overdue and {k: v["逾期天数"] for k, v in rows.items() if v["逾期天数"] is not None} == overdue
    item = status.model.items["task-0013"]
    assert rows["task-0013"]["状态说明"] == "；".join(f"{b.label}（{b.explanation}）" for b in status.badges(item))
    # Widths follow the content: a column of long text is wider than the 编号 column.
    assert sheet.column_dimensions["K"].width > sheet.column_dimensions["A"].width


def test_internal_records_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    public, internal = tmp_path / "public.xlsx", tmp_path / "internal.xlsx"
    assert liandong(root, "export", "--type", "coordination", "-o", str(public), "--today", TODAY).returncode == 0
    assert liandong(root, "export", "--type", "coordination", "-o", str(internal), "--internal", "--today", TODAY).returncode == 0
    ids = [[r[0] for r in opened(p)["协调事项"].iter_rows(min_row=2, values_only=True)] for p in (public, internal)]
    assert "coord-0004" not in ids[0] and "coord-0004" in ids[1] and len(ids[1]) == len(ids[0]) + 1


def test_every_value_of_the_bundled_registry_reads_back_as_itself() -> None:
    result = validate(REPO, today=DAY)
    names = NameIndex(result.schemas, result.records)
    checked = 0
    for record in result.records:
        for column in Layout(result.schemas.types[record.type]).columns:
            value: Any = record.data
            for name in column.path:
                value = value.get(name) if isinstance(value, dict) else None
            if value is None:
                continue
            back, problems = parse(column, render(column, value, names), names)
            assert (back, problems) == (value, []), (record.id, column.code)
            checked += 1
    assert checked > 500


@pytest.mark.slow
def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    before = snapshot(root)
    for internal in ([], ["--internal"]):
        for type_name in SchemaSet(root / "schemas").types:
            out = tmp_path / f"{type_name}{'-internal' if internal else ''}.xlsx"
            exported = liandong(root, "export", "--type", type_name, "-o", str(out), "--today", TODAY, *internal)
            assert exported.returncode == 0, exported.stderr
            imported = liandong(root, "import", str(out), "--type", type_name, "--today", TODAY)
            assert imported.returncode == 0, imported.stdout + imported.stderr
            assert imported.stdout == "" and "新增 0 条、修改 0 条" in imported.stderr
    assert snapshot(root) == before


def test_the_same_registry_and_day_give_the_same_bytes_and_text_stays_text(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    task = root / "registry/tasks/task-0001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("title: 明确园区管理权限", 'title: =HYPERLINK("http://example.com")'), encoding="utf-8")
    result = validate(root, today=DAY)
    model = Model.build(result.schemas, result.valid).public()
    first, second = export_workbook(model, "tasks", DAY), export_workbook(model, "tasks", DAY)
    assert first == second
    cell = load_workbook(io.BytesIO(first))["督办任务"]["B2"]
    assert cell.value == '=HYPERLINK("http://example.com")' and cell.data_type == "s"


def test_export_refuses_to_write_into_the_registry(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    result = liandong(root, "export", "--type", "tasks", "-o", str(root / "registry/tasks/t.xlsx"))
    assert result.returncode == 2 and not (root / "registry/tasks/t.xlsx").exists()
    result = liandong(root, "export", "--type", "tasks", "-o", str(tmp_path / "t.csv"))
    assert result.returncode == 2 and ".xlsx" in result.stderr
