"""The 参与贡献 (contributing) pages, generated so they cannot drift from what they describe:

- contribute/index.md: how to propose a change (GitHub's web editor, VS Code, the command line);
- contribute/<type>.md: every field of a record type from its schema, and its lifecycle from
  schemas/<type>.lifecycle.yaml as a diagram;
- contribute/<type>/new.md: the browser form of a record type (forms.py, javascripts/contribute.js);
- contribute/rules.md: every rule of catalog.RULES, with a real diagnostic from its test case.

The diagram is drawn by lifecycle_diagram.py, the rule examples found by rule_examples.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liandong.repo import REGISTRY_DIR
from liandong.site import forms
from liandong.site.lifecycle_diagram import lifecycle_mermaid, lifecycle_svg
from liandong.site.render import Page, Renderer
from liandong.site.rule_examples import RuleExample, rule_example
from liandong.validation.catalog import RULES, RuleDoc
from liandong.validation.rules.header import expected_line
from liandong.validation.schema import TypeSchema
from liandong.yamlio.dumper import dump

BASE = "contribute"
STAGES = {
    "files": "文件",
    "yaml": "YAML 写法",
    "schema": "模式（字段和取值）",
    "cross-record": "跨记录规则",
    "publish": "公开安全",
    "change": "修改检查（拉取请求）",
}
TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false", "object": "映射（见下级字段）"}


# -- fields ---------------------------------------------------------------------------------------


@dataclass
class Field:
    key: str  # dotted path, as in `liandong new --set`
    depth: int
    title: str
    description: str
    kind: str  # Chinese: 文字, 日期, 单位编号的列表, …
    required: str  # Chinese: 必填, 否, or when
    choices: dict[str, str]
    examples: list[str]  # each as the YAML a contributor would write


def _kind(ts: TypeSchema, node: dict[str, Any], schemas_titles: dict[str, str]) -> str:
    if "x-ref" in node:
        return f"{schemas_titles.get(node['x-ref'], node['x-ref'])}编号"
    kind = node.get("type", "")
    if kind == "array":
        return f"列表，每项为{_kind(ts, ts.resolve(node.get('items', {})), schemas_titles)}"
    if node.get("format") == "date":
        return "日期（YYYY-MM-DD）"
    if node.get("contentMediaType") == "text/markdown":
        return "文字（可用简单 Markdown）"
    if "enum" in node:
        return "代码（见可选值）"
    return TYPE_NAMES.get(str(kind), str(kind) or "任意")


def _choices(ts: TypeSchema, node: dict[str, Any]) -> dict[str, str]:
    """Codes and their labels, of the field itself or of each item of a list."""
    if node.get("type") == "array":
        node = ts.resolve(node.get("items", {}))
    return dict(node.get("x-enum-labels", {}))


def _yaml(key: str, value: Any) -> str:

    return dump({key: value}, width=80).rstrip("\n")


def fields(ts: TypeSchema, titles: dict[str, str]) -> list[Field]:
    requires: dict[str, list[str]] = {}
    for state, names in ts.lifecycle.requires.items():
        for name in names:
            requires.setdefault(name, []).append(ts.enum_labels(("status",)).get(state, state))
    conditional = {n for part in ("then", "else") for n in ts.schema.get(part, {}).get("required", [])}
    found: list[Field] = []

    def walk(node: dict[str, Any], prefix: tuple[str | int, ...], required: list[str]) -> None:
        for key in node.get("properties", {}):
            pointer = prefix + (key,)
            child = ts.subschema(pointer) or {}
            if not prefix:
                need = "必填" if key in required else ("视情况必填（见说明）" if key in conditional else "否")
                if key in requires and need != "必填":
                    need = f"状态为{'、'.join(requires[key])}时必填"
            else:
                need = "必填（填写上级字段时）" if key in required else "否"
            shown = "".join(f".{p}" if isinstance(p, str) else "[]" for p in pointer)[1:]
            found.append(
                Field(
                    shown,
                    sum(isinstance(p, str) for p in prefix),
                    ts.label(pointer),
                    str(child.get("description", "")),
                    _kind(ts, child, titles),
                    need,
                    _choices(ts, child),
                    [_yaml(key, e) for e in child.get("examples", [])],
                )
            )
            inner, inner_pointer = child, pointer
            if child.get("type") == "array":
                inner, inner_pointer = ts.resolve(child.get("items", {})), pointer + (0,)
            # Four levels: a review's departments[].answer.opinion is the deepest field a schema has.
            if inner.get("type") == "object" and len(pointer) < 4:
                walk(inner, inner_pointer, list(inner.get("required", [])))

    walk(ts.resolve(ts.schema), (), list(ts.schema.get("required", [])))
    return found


@dataclass
class RuleEntry:
    """A rule of the catalog with its example, one entry of contribute/rules.md."""

    id: str
    doc: RuleDoc
    example: RuleExample | None


# -- pages ----------------------------------------------------------------------------------------


def pages(renderer: Renderer, root: Path) -> list[Page]:
    """The contributor pages, rendered with the site's own jinja environment (autoescape on)."""
    schemas = renderer.model.schemas
    titles = {name: ts.title for name, ts in schemas.types.items()}
    env = renderer.env

    def page(template: str, name: str, **context: Any) -> Page:
        path, url = (f"{BASE}/index.md", f"{BASE}/") if name == "index" else (f"{BASE}/{name}.md", f"{BASE}/{name}/")
        text = env.get_template(template).render(page_url=url, r=renderer, types=schemas.types, BASE=BASE, **context)
        return Page(path, url, text)

    out = [page("contrib_index.md.j2", "index", registry=REGISTRY_DIR, first_line=expected_line("tasks"))]
    for name, ts in schemas.types.items():
        field_labels = {key: ts.label((key,)) for key in ts.schema["properties"]}
        svg, notes = lifecycle_svg(ts, field_labels)
        out.append(
            page(
                "contrib_type.md.j2",
                name,
                ts=ts,
                fields=fields(ts, titles),
                svg=svg,
                notes=notes,
                mermaid=lifecycle_mermaid(ts, field_labels),
                field_labels=field_labels,
                state_labels=ts.enum_labels(("status",)),
                first_line=expected_line(name),
            )
        )
        out.append(page("contrib_form.md.j2", f"{name}/new", ts=ts, forge=renderer.forge, form_json=forms.form_json_path(name)))
    entries = [RuleEntry(rule_id, doc, rule_example(root, rule_id)) for rule_id, doc in RULES.items()]
    out.append(page("contrib_rules.md.j2", "rules", entries=entries, stages=STAGES))
    return out
