"""liandong import: real .xlsx and .csv files (written here with openpyxl and csv), imported into a
copy of the bundled registry; the end-to-end cases run `python -m liandong` in its own process."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liandong.tabular import importer
from liandong.tabular.importer import apply, plan_import
from liandong.validation.schema import SchemaSet
from liandong.yamlio.loader import load_bytes

from .sheets import TODAY, bundled, liandong, snapshot, workbook

OPINION = "关于建立推进中国东兴—越南芒街跨境经济合作区东兴园区与东兴市政区协同发展联动工作机制的实施意见"


def data(root: Path, rel: str) -> dict[str, object]:
    loaded = load_bytes(rel, (root / rel).read_bytes()).data
    assert loaded is not None
    return loaded


def test_a_sheet_of_200_powers_imports_into_valid_records(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    # Headers in every accepted spelling: titles, titles joined with "." or "·", dotted codes,
    # an inner title alone; the 序号 column is ignored. Dates as Excel dates and as text.
    header = ["序号", "事项名称", "职权类别", "行使方式", "授予单位", "实施主体", "委托·委托文件", "delegation.scope", "委托.委托起始日期"]
    header += ["受理窗口", "监管部门", "办件类型", "承诺办结时限", "是否收费", "申请材料", "政策依据·文件", "政策依据·条款"]
    dates = [datetime.date(2026, 5, 6), "2026/5/6", "2026年5月6日", "2026-05-06"]
    rows = [
        [
            n,
            f"合成委托事项第{n}项",
            "行政许可" if n % 2 else "inspection",
            "委托" if n % 2 else "delegated",
            "防城港市住房和城乡建设局",
            "org-example-dongxing-housing",
            "doc-example-city-delegation",
            "受理、审查；决定" if n % 2 else "受理\n送达",
            dates[n % 4],
            "跨合区综合服务专门窗口",
            "防城港市住房和城乡建设局、东兴市住房和城乡建设局",
            "承诺件",
            5,
            "否",
            "申请表｜是\n身份证明材料｜是｜是",
            OPINION,
            "三(一)1",
        ]
        for n in range(1, 201)
    ]
    sheet = workbook(tmp_path / "委托事项清单.xlsx", [header, *rows], title="委托事项清单")
    result = liandong(root, "import", str(sheet), "--type", "powers", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    written = result.stdout.split()
    assert written == [f"registry/powers/power-{n:04d}.yaml" for n in range(6, 206)]
    assert "新增 200 条、修改 0 条权力事项" in result.stderr
    check = liandong(root, "validate", "--today", TODAY)
    assert check.returncode == 0, check.stdout
    assert "0 个错误，0 个警告" in check.stderr
    first = (root / "registry/powers/power-0006.yaml").read_text(encoding="utf-8")
    assert first.startswith("# yaml-language-server: $schema=../../schemas/powers.schema.json\nid: power-0006\n")
    assert data(root, "registry/powers/power-0006.yaml") == {
        "id": "power-0006",
        "title": "合成委托事项第1项",
        "status": "proposed",
        "visibility": "public",
        "category": "licensing",
        "mode": "delegated",
        "granted_by": "org-example-fangchenggang-housing",
        "implementer": "org-example-dongxing-housing",
        "delegation": {
            "document": "doc-example-city-delegation",
            "scope": ["accept", "review", "decide"],
            "effective_from": "2026-05-06",
        },
        "front_desk": "org-kuahequ-service-window",
        "supervisors": ["org-example-fangchenggang-housing", "org-example-dongxing-housing"],
        "handling_type": "promised",
        "promised_limit_days": 5,
        "fee": False,
        "materials": [{"name": "申请表", "required": True}, {"name": "身份证明材料", "required": True, "deferrable": True}],
        "source": {"document": "doc-kuahequ-liandong-opinion", "clause": "三(一)1"},
    }
    assert {data(root, f"registry/powers/power-{n:04d}.yaml")["delegation"]["effective_from"] for n in range(6, 10)} == {"2026-05-06"}  # type: ignore[index]
    assert data(root, "registry/powers/power-0007.yaml")["category"] == "inspection"


def test_one_bad_row_writes_nothing_and_reports_each_problem_at_its_cell(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    before = snapshot(root)
    header = ["事项名称", "状态", "职权类别", "实施主体", "行使方式", "授予单位", "委托·委托权限范围", "委托·委托起始日期"]
    good = ["好的一行", "拟实施", "行政许可", "东兴市住房和城乡建设局", "委托", "防城港市住房和城乡建设局", "受理", "2026-05-06"]
    bad = ["坏的一行", "拟实施", "行政批准", "东兴市财政所", "委托", "防城港市住房和城乡建设局", "受理", "2026-02-30"]
    sheet = workbook(tmp_path / "清单.xlsx", [header, good, bad])
    result = liandong(root, "import", str(sheet), "--type", "powers", "--today", TODAY)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    findings = [line for line in lines if not line.startswith("  hint: ")]
    where = f"{sheet}!权力事项"
    assert findings == [
        f"{where}:3:3: error[schema.enum]: 职权类别的取值“行政批准”不在允许范围内",
        f"{where}:3:4: error[ref.unknown-id]: 实施主体：没有名称或编号为“东兴市财政所”的单位",
        f"{where}:3:8: error[schema.format]: 委托起始日期“2026-02-30”不是有效的日期",
    ]
    assert len(lines) == 6 and all(line.startswith("  hint: ") for line in lines[1::2])
    labels = SchemaSet(root / "schemas").types["powers"].enum_labels(("category",))
    assert len(labels) == 11 and lines[1] == "  hint: 可选：" + "、".join(f"{label}（{code}）" for code, label in labels.items()) + "；填写中文或英文代码均可。"
    assert "东兴市财政局（org-example-dongxing-finance）" in lines[3]
    assert "未写入任何文件" in result.stderr
    assert snapshot(root) == before


def test_an_ambiguous_unit_name_lists_its_candidates(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    (root / "registry/organizations/org-example-dongxing-finance-bureau.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/organizations.schema.json\n"
        "id: org-example-dongxing-finance-bureau\ntitle: 东兴市财政事务中心\nstatus: active\nvisibility: public\nexample: true\n"
        "other_names:\n  - name: 东兴市财政局\n    kind: former\nlevel: county\nkind: department\n",
        encoding="utf-8",
    )
    sheet = workbook(tmp_path / "p.xlsx", [["事项名称", "职权类别", "实施主体", "行使方式"], ["一项", "行政许可", "东兴市财政局", "直接行使"]])
    plan = plan_import(root, "powers", sheet, "p.xlsx", today=datetime.date(2026, 11, 25))
    assert [(d.path, d.line, d.col, d.rule, d.message) for d in plan.diagnostics] == [
        ("p.xlsx!权力事项", 2, 3, "ref.unknown-id", "实施主体：名称“东兴市财政局”对应 2 个单位，无法确定是哪一个")
    ]
    assert plan.diagnostics[0].hint == (
        "候选：东兴市财政局（org-example-dongxing-finance）、东兴市财政事务中心（org-example-dongxing-finance-bureau，其他名称）。请改填其中一个的编号。"
    )
    with pytest.raises(Exception, match="未写入"):
        apply(root, plan)


def test_a_row_with_an_id_changes_only_the_cells_it_fills(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    path = root / "registry/powers/power-0001.yaml"
    old = path.read_text(encoding="utf-8")
    # 受理窗口 is empty (no change), 是否收费 says what the record says (no change), the 承诺办结时限 is new.
    sheet = workbook(tmp_path / "p.xlsx", [["编号", "承诺办结时限", "受理窗口", "是否收费", "委托·委托截止日期"], ["power-0001", 5, None, "否", "2028/2/29"]])
    result = liandong(root, "import", str(sheet), "--type", "powers", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "registry/powers/power-0001.yaml\n"
    new = path.read_text(encoding="utf-8")
    # Only the changed fields are rewritten; the block scalar of notes and every other line stay.
    assert new == old.replace("promised_limit_days: 3\n", "promised_limit_days: 5\n").replace(
        "  effective_from: 2026-03-01\n", "  effective_from: 2026-03-01\n  effective_to: 2028-02-29\n"
    ).replace("  scope:\n    - accept\n    - review\n    - decide\n    - deliver\n", "  scope:\n  - accept\n  - review\n  - decide\n  - deliver\n")
    assert "notes: |-\n" in new
    others = {p: b for p, b in snapshot(root).items() if p != "registry/powers/power-0001.yaml"}
    fresh = {p: b for p, b in snapshot(bundled(tmp_path / "fresh")).items() if p != "registry/powers/power-0001.yaml"}
    assert others == fresh


def test_rewriting_a_progress_entry_is_refused_and_appending_one_is_not(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    path = root / "registry/tasks/task-0013.yaml"
    old = path.read_text(encoding="utf-8")
    entries = [
        "2026-06-29｜已完成现场踏勘，正在与上级规划部门核对规划条件。｜东兴市自然资源局",
        "2026-08-12｜规划条件核对发现两处地块边界与现状不符，正在补充测绘。｜东兴市自然资源局",
        "2026-10-20｜补充测绘成果已形成，待规划委员会审议。｜东兴市自然资源局",
    ]
    added = "2026-11-20｜规划委员会已审议通过。｜org-example-dongxing-natural-resources"
    rewritten = [entries[0], "2026-08-12｜地块边界核对无误。｜东兴市自然资源局", entries[2], added]
    refused = workbook(tmp_path / "t.xlsx", [["编号", "办理进度"], ["task-0013", "\n".join(rewritten)]], title="督办任务")
    result = liandong(root, "import", str(refused), "--type", "tasks", "--today", TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{refused}!督办任务:2:2: error[change.append-only]: 办理进度第 2 条（2026-08-12）被修改（进度内容）",
        "  hint: 已有的记录只增不改：请恢复原内容；如需更正，请在最后新增一条说明更正的记录。",
    ]
    assert path.read_text(encoding="utf-8") == old
    dropped = workbook(tmp_path / "d.xlsx", [["编号", "办理进度"], ["task-0013", added]], title="督办任务")
    result = liandong(root, "import", str(dropped), "--type", "tasks", "--today", TODAY)
    assert result.returncode == 1 and result.stdout.count("error[change.append-only]") == 3
    appended = workbook(tmp_path / "a.xlsx", [["编号", "办理进度"], ["task-0013", "\n".join([*entries, added])]], title="督办任务")
    result = liandong(root, "import", str(appended), "--type", "tasks", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    progress = data(root, "registry/tasks/task-0013.yaml")["progress"]
    assert isinstance(progress, list) and len(progress) == 4
    assert progress[-1] == {"date": "2026-11-20", "text": "规划委员会已审议通过。", "by": "org-example-dongxing-natural-resources"}
    assert progress[:3] == data(bundled(tmp_path / "fresh"), "registry/tasks/task-0013.yaml")["progress"]


def test_csv_with_and_without_bom(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    text = '事项名称,职权类别,实施主体,行使方式,申请材料\n窗口受理事项,行政确认,东兴市住房和城乡建设局,直接行使,"申请表｜是\n承诺书｜否"\n'
    with_bom = tmp_path / "bom.csv"
    with_bom.write_bytes(text.encode("utf-8-sig"))
    result = liandong(root, "import", str(with_bom), "--type", "powers", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert data(root, "registry/powers/power-0006.yaml")["materials"] == [{"name": "申请表", "required": True}, {"name": "承诺书", "required": False}]
    plain = tmp_path / "plain.csv"
    plain.write_bytes(text.replace("窗口受理事项", "另一事项").encode("utf-8"))
    result = liandong(root, "import", str(plain), "--type", "powers", "--today", TODAY)
    assert result.returncode == 0 and result.stdout == "registry/powers/power-0007.yaml\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    result = liandong(root, "import", str(gbk), "--type", "powers", "--today", TODAY)
    assert result.returncode == 2 and "不是 UTF-8 编码" in result.stderr
    problem = tmp_path / "bad.csv"
    problem.write_bytes("事项名称,职权类别,实施主体,行使方式\n一项,行政许可,nobody-here,直接行使\n".encode("utf-8-sig"))
    result = liandong(root, "import", str(problem), "--type", "powers", "--today", TODAY)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{problem}:2:3: error[ref.unknown-id]: 实施主体：没有名称或编号为“nobody-here”的单位\n")


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    before = snapshot(root)
    sheet = workbook(
        tmp_path / "p.xlsx",
        [
            ["编号", "事项名称", "职权类别", "实施主体", "承诺办结时限", "行使方式"],
            [None, "新事项", "行政许可", "东兴市财政局", None, "直接行使"],
            ["power-0001", None, None, None, 5, None],
        ],
    )
    result = liandong(root, "import", str(sheet), "--type", "powers", "--dry-run", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "- power-0001《建筑工程施工许可证核发》：修改 承诺办结时限\n" in result.stdout
    assert "- 新增 power-0006《新事项》（拟实施）\n" in result.stdout
    assert "将新增 1 条、修改 1 条权力事项" in result.stderr and "未写入任何文件" in result.stderr
    assert snapshot(root) == before


def test_headers_rows_and_ids_that_cannot_be_read(tmp_path: Path) -> None:
    root = bundled(tmp_path)
    rows = [
        ["2026年委托事项清单"],  # a title above the header row
        ["编号", "事项名称", "职权类别", "实施主体", "实施单位", "事项名称"],
        ["power-9999", "x", "行政许可", "东兴市财政局"],
        ["task-0001", "y"],
        [None, "z", "行政许可", "东兴市财政局", None, None, "无表头的内容"],
    ]
    plan = plan_import(root, "powers", workbook(tmp_path / "h.xlsx", rows), "h.xlsx", today=datetime.date(2026, 11, 25))
    assert [(d.line, d.col, d.rule) for d in plan.diagnostics] == [
        (2, 5, "schema.unknown-field"),
        (2, 6, "yaml.duplicate-key"),
        (3, 1, "ref.unknown-id"),
        (4, 1, "ref.wrong-type"),
        (5, 1, "schema.required"),  # the new record's 行使方式 (no column gives it)
        (5, 7, "schema.unknown-field"),
    ]
    assert plan.diagnostics[0].message == "表头“实施单位”不是权力事项的字段"
    assert plan.diagnostics[0].hint == "是否想写“授予单位”或“实施依据”或“实施主体”？不导入的列请删除。"
    empty = workbook(tmp_path / "e.xlsx", [["甲", "乙"], ["1", "2"]])
    result = liandong(root, "import", str(empty), "--type", "powers")
    assert result.returncode == 2 and "没有权力事项的表头" in result.stderr
    result = liandong(root, "import", str(empty), "--type", "widgets")
    assert result.returncode == 2 and "没有记录类型 “widgets”" in result.stderr


def test_a_failure_while_writing_puts_every_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = bundled(tmp_path)
    before = snapshot(root)
    sheet = workbook(
        tmp_path / "p.xlsx",
        [
            ["编号", "事项名称", "职权类别", "实施主体", "行使方式"],
            ["power-0001", "改名一", None, None, None],
            [None, "新事项", "行政许可", "东兴市财政局", "直接行使"],
            ["power-0002", "改名二", None, None, None],
        ],
    )
    plan = plan_import(root, "powers", sheet, "p.xlsx", today=datetime.date(2026, 11, 25))
    assert plan.errors == 0 and len(plan.writes) == 3
    real_replace = importer.os.replace
    calls: list[str] = []

    def failing(source: object, target: object) -> None:
        calls.append(str(target))
        if len(calls) == 2:  # the second existing record: the first one and the new one are in place by now
            raise OSError("disk full")
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(importer.os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        apply(root, plan)
    monkeypatch.setattr(importer.os, "replace", real_replace)
    assert snapshot(root) == before  # the renamed one restored, the new one removed, no temporary file left
