"""The issue forms for staff who do not use Git stay in step with the schemas: every field id is a
field of the record type, its label is that field's title, every dropdown option is
"中文标签（代码）" with a code the schema allows and the schema's own label for it, every enum
value is offered, and every field the schema requires (other than those maintainers fill in) is
asked for and required. The checker also runs on a drifted form, so it is seen to fail."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from .helpers import REPO

TEMPLATES = REPO / ".github" / "ISSUE_TEMPLATE"
FORMS = {"coordination.yml": "coordination", "meeting.yml": "meetings", "review.yml": "reviews", "inspection.yml": "inspections", "push.yml": "pushes"}
# Filled in by the maintainers who turn the issue into a record, never asked of staff.
MAINTAINER_FIELDS = {"id", "visibility", "example"}
FIELD_TYPES = {"input", "textarea", "dropdown"}
_OPTION = re.compile(r"^(?P<label>[^（）]+)（(?P<code>[a-z_]+)）$")


def _schema(type_name: str) -> dict[str, Any]:
    return json.loads((REPO / "schemas" / f"{type_name}.schema.json").read_text(encoding="utf-8"))


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


def form_problems(form: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Every way the form has drifted from the schema (empty when in step)."""
    problems: list[str] = []
    properties: dict[str, Any] = schema["properties"]
    seen: dict[str, dict[str, Any]] = {}
    for element in form.get("body") or []:
        kind, field_id = element.get("type"), element.get("id")
        label = (element.get("attributes") or {}).get("label")
        if kind in FIELD_TYPES and field_id is None:
            problems.append(f"“{label}” 没有 id，无法对应到记录字段")
        if field_id is None:
            continue
        if field_id in seen:
            problems.append(f"id {field_id} 重复")
        seen[field_id] = element
        if field_id not in properties or field_id in MAINTAINER_FIELDS:
            problems.append(f"id {field_id} 不是记录中由填报人填写的字段")
            continue
        prop = properties[field_id]
        if "title" in prop and label != prop["title"]:
            problems.append(f"{field_id} 的标签是 “{label}”，模式中的名称是 “{prop['title']}”")
        enum = prop.get("enum") or (prop.get("items") or {}).get("enum")
        labels = prop.get("x-enum-labels") or (prop.get("items") or {}).get("x-enum-labels") or {}
        if kind == "dropdown":
            if not enum:
                problems.append(f"{field_id} 是下拉框，但模式中没有可选值")
                continue
            offered = set()
            for option in element["attributes"].get("options") or []:
                match = _OPTION.match(str(option))
                if match is None:
                    problems.append(f"{field_id} 的选项 “{option}” 不是“中文标签（代码）”的写法")
                elif match["code"] not in enum:
                    problems.append(f"{field_id} 的选项 “{option}” 中的 {match['code']} 不是允许的值（{'、'.join(enum)}）")
                elif labels.get(match["code"]) != match["label"]:
                    problems.append(f"{field_id} 的选项 “{option}” 与模式中的标签 “{labels.get(match['code'])}” 不一致")
                else:
                    offered.add(match["code"])
            missing = [code for code in enum if code not in offered]
            if missing:
                problems.append(f"{field_id} 缺少选项：{'、'.join(missing)}")
    for required in schema.get("required", []):
        if required in MAINTAINER_FIELDS or (required == "status" and "status" not in seen):
            continue  # a new coordination item always starts as "open": maintainers set it
        element = seen.get(required)
        if element is None:
            problems.append(f"模式要求的字段 {required} 不在表单中")
        elif not (element.get("validations") or {}).get("required"):
            problems.append(f"模式要求的字段 {required} 在表单中不是必填")
    return problems


def test_every_form_is_mapped_to_a_schema() -> None:
    found = {p.name for p in TEMPLATES.glob("*.y*ml")} - {"config.yml"}
    assert found == set(FORMS)


@pytest.mark.parametrize(("name", "type_name"), sorted(FORMS.items()))
def test_form_matches_schema(name: str, type_name: str) -> None:
    form = _load(name)
    assert form["name"] and form["description"] and form["body"]
    assert form_problems(form, _schema(type_name)) == []


def test_config_parses() -> None:
    config = _load("config.yml")
    assert isinstance(config.get("blank_issues_enabled"), bool)


def test_drifted_form_is_caught() -> None:
    form = _load("meeting.yml")
    body = form["body"]
    status = next(e for e in body if e.get("id") == "status")
    status["attributes"]["options"] = ["计划召开（planned）", "已开（held）", "已延期（postponed）", "取消"]
    next(e for e in body if e.get("id") == "date")["validations"]["required"] = False
    next(e for e in body if e.get("id") == "place")["attributes"]["label"] = "地点"
    body.append({"type": "input", "id": "organizer", "attributes": {"label": "主办单位"}})
    body.append({"type": "textarea", "attributes": {"label": "其他"}})
    body = [e for e in body if e.get("id") != "mechanism"]
    form["body"] = body
    problems = form_problems(form, _schema("meetings"))
    assert problems == [
        "status 的选项 “已开（held）” 与模式中的标签 “已召开” 不一致",
        "status 的选项 “已延期（postponed）” 中的 postponed 不是允许的值（planned、held、minutes_issued、cancelled）",
        "status 的选项 “取消” 不是“中文标签（代码）”的写法",
        "status 缺少选项：held、minutes_issued、cancelled",
        "place 的标签是 “地点”，模式中的名称是 “会议地点”",
        "id organizer 不是记录中由填报人填写的字段",
        "“其他” 没有 id，无法对应到记录字段",
        "模式要求的字段 mechanism 不在表单中",
        "模式要求的字段 date 在表单中不是必填",
    ]
