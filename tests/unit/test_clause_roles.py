"""The clause-by-clause table (roles/, #13) read back against the registry's own files: every real
record made from a clause is there under that clause, and every unit in the role its file gives it
— its roles entries with the clause's words, or its 牵头单位 and 配合单位 — and nothing else."""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from liandong.model.model import Model
from liandong.site.citations import clause_number
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate

from ..helpers import REPO, case_repo, write

ROW = re.compile(r'<tr data-record="([^"]*)" data-unit="([^"]*)">.*?data-role="([^"]*)">.*?<td data-label="原文依据">(.*?)</td></tr>')
CLAUSE = re.compile(r'<h2 id="[^"]*"><a href="[^"]*">(\S+) ')


@pytest.fixture(scope="module")
def page() -> str:
    result = validate(REPO)
    model = Model.build(result.schemas, result.valid).public()
    return next(p.text for p in Renderer(model, datetime.date(2026, 12, 20)).pages() if p.path == "roles.md")


def _rows(page: str) -> Counter[tuple[str, str, str, str, str]]:
    """(clause, record, unit, role, quote) for every row with a unit, as the page shows them."""
    rows: Counter[tuple[str, str, str, str, str]] = Counter()
    for section in re.split(r"(?=<h2 )", page)[1:]:
        clause = CLAUSE.match(section)
        assert clause is not None, section[:200]
        for record, unit, role, basis in ROW.findall(section):
            quote = re.match(r"“(.*?)”(?:；|$)", basis)
            rows[(clause.group(1), record, unit, role, quote.group(1) if quote else "")] += 1
    return rows


def _expected() -> Counter[tuple[str, str, str, str, str]]:
    """The same, from the YAML files alone (the role labels from the common schema)."""
    labels = json.loads((REPO / "schemas/common.schema.json").read_text(encoding="utf-8"))["$defs"]["role"]["x-enum-labels"]
    fields = {"lead": "牵头单位", "cooperating": "配合单位", "participants": "参与单位"}
    rows: Counter[tuple[str, str, str, str, str]] = Counter()
    for path in sorted((REPO / "registry").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = data.get("source")
        if data.get("example") or data.get("visibility") != "public" or not isinstance(source, dict) or "clause" not in source:
            continue
        if path.parent.name not in ("tasks", "mechanisms"):
            continue
        for entry in data.get("roles", []):
            for unit in entry["units"]:
                rows[(clause_number(source["clause"]), data["id"], unit, labels[entry["role"]], entry.get("as_written", ""))] += 1
        for key, role in fields.items():
            value = data.get(key, [])
            for unit in [value] if isinstance(value, str) else value:
                rows[(clause_number(source["clause"]), data["id"], unit, role, "")] += 1
        for rule in data.get("escalation", []) if path.parent.name == "mechanisms" else []:  # whom to report to, on the text's condition
            for unit, role in [(u, "报请决策单位") for u in rule["to"]] + ([(rule["via"], "汇总上报单位")] if "via" in rule else []):
                rows[(clause_number(source["clause"]), data["id"], unit, role, rule["condition"])] += 1
    return rows


def test_the_table_holds_every_unit_in_the_role_its_record_gives_it(page: str) -> None:
    shown = _rows(page)
    expected = _expected()
    tasks_and_mechanisms = Counter({k: v for k, v in shown.items() if k[1].startswith(("task-", "mech-"))})
    assert tasks_and_mechanisms == expected


def test_the_table_says_what_the_text_leaves_open_and_what_is_inferred(page: str) -> None:
    assert 'data-record="task-0006" data-unit=""' in page and "原文未明确" in page  # 三(二)3 names nobody
    inferred = re.search(r'<tr data-record="task-0011" data-unit="org-dongxing-gov">.*?</tr>', page)
    assert inferred is not None and "登记册推定" in inferred.group(0) and "原文写“东兴市”" in inferred.group(0)
    assert "task-0013" not in page  # an example is no part of the policy as written


def test_the_registry_files_are_what_was_read() -> None:
    """The expectation is not empty: the bundled registry has clause tasks with roles."""
    assert sum(1 for k in _expected() if k[0] == "三（一）1" and k[3] == "委托") == 2


def test_a_paragraph_of_a_listed_article_is_under_the_article_and_says_which(tmp_path: Path) -> None:
    """A record citing 第六条第二款 of a document that lists 第六条 only: in the table under 第六条,
    saying which paragraph, after the article's own records. (The case's records, made real here:
    the table leaves examples out.)"""
    root = case_repo(tmp_path / "repo", "valid/clause-numbered-by-articles")
    for path in (root / "registry").glob("*/*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("example: true\n", ""), encoding="utf-8")
    task = (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8")
    write(root, "registry/tasks/task-0002.yaml", task.replace("task-0001", "task-0002").replace("第六条第二款", "第六条"))
    result = validate(root)
    assert result.diagnostics == []
    model = Model.build(result.schemas, result.valid).public()
    page = next(p.text for p in Renderer(model, datetime.date(2026, 12, 20)).pages() if p.path == "roles.md")
    sections = {CLAUSE.match(s).group(1): s for s in re.split(r"(?=<h2 )", page)[1:] if CLAUSE.match(s)}
    assert list(sections) == ["第六条"]
    rows = re.findall(r'<tr data-record="([^"]*)" data-unit="[^"]*"><td data-label="记录">(.*?)</td>', sections["第六条"])
    assert [(record, re.sub(r"<[^>]+>", "", cell)) for record, cell in rows] == [
        ("task-0002", "汇总检查申报（督办任务）"),
        ("task-0001", "汇总检查申报（督办任务，第六条第二款）"),
    ]
