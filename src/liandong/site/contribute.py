"""The 参与贡献 (contributing) pages, generated so they cannot drift from what they describe:

- contribute/index.md: how to propose a change (GitHub's web editor, VS Code, the command line);
- contribute/<type>.md: every field of a record type from its schema, and its lifecycle from
  schemas/<type>.lifecycle.yaml as a diagram;
- contribute/rules.md: every rule of catalog.RULES, with a real diagnostic from its test case.

The lifecycle diagram is drawn here as inline SVG at build time rather than by Mermaid in the
browser: Mermaid would mean a large script (mkdocs-material fetches it from a CDN), and the site
must make no request outside its own origin and work without JavaScript. The equivalent Mermaid
source is shown beside it, to copy into an editor or an issue. Every text in the SVG and in the
Mermaid source is escaped, although it comes from our schemas rather than from records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from liandong.site.render import Page, Renderer
from liandong.validation.catalog import RULES, RuleDoc
from liandong.validation.files import REGISTRY_DIR
from liandong.validation.rules.header import expected_line
from liandong.validation.schema import TypeSchema

BASE = "contribute"
CASES = Path("tests") / "cases" / "invalid"
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
    from liandong.scaffold import _Dumper  # the dumper of `liandong new`: quotes exactly what our loader would misread

    return yaml.dump({key: value}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=80).rstrip("\n")


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
            if inner.get("type") == "object" and len(pointer) < 3:
                walk(inner, inner_pointer, list(inner.get("required", [])))

    walk(ts.resolve(ts.schema), (), list(ts.schema.get("required", [])))
    return found


# -- lifecycle diagram ----------------------------------------------------------------------------

_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")


def _width(text: str, size: float) -> float:
    return sum(size if _CJK.match(ch) else size * 0.6 for ch in text)


@dataclass
class _Edge:
    source: int
    target: int
    adds: str | None
    side: str = ""  # "right": downwards, "left": upwards or a loop
    lane: int = 0
    mark: int = 0  # number of its note, when the transition must add an entry


def _lanes(edges: list[_Edge]) -> None:
    """Edges on one side get lanes (columns) outwards from the boxes, shorter spans inside, so
    that no two edges share a stretch of column."""
    taken: list[list[tuple[int, int]]] = []
    for edge in sorted(edges, key=lambda e: (abs(e.target - e.source), min(e.source, e.target))):
        low, high = sorted((edge.source, edge.target))
        lane = 0
        while lane < len(taken) and any(low <= h and lo <= high for lo, h in taken[lane]):
            lane += 1
        if lane == len(taken):
            taken.append([])
        taken[lane].append((low, high))
        edge.lane = lane


def lifecycle_svg(ts: TypeSchema, field_labels: dict[str, str]) -> tuple[Markup, list[tuple[int, str]]]:
    """The lifecycle as an SVG drawing (states top to bottom in the schema's order, transitions
    down on the right, up on the left) and the numbered notes for transitions that must add an
    entry to a list."""
    states = ts.states
    labels = ts.enum_labels(("status",))
    index = {s: i for i, s in enumerate(states)}
    edges = [_Edge(index[t.source], index[t.target], t.adds) for t in ts.lifecycle.transitions if t.source in index and t.target in index]
    for edge in edges:
        edge.side = "right" if edge.target > edge.source else "left"
    notes: list[tuple[int, str]] = []
    for edge in edges:
        if edge.adds:
            edge.mark = len(notes) + 1
            notes.append(
                (
                    edge.mark,
                    f"{labels.get(states[edge.source], states[edge.source])} → "
                    f"{labels.get(states[edge.target], states[edge.target])}：须在{field_labels.get(edge.adds, edge.adds)}"
                    f"（{edge.adds}）中新增一条",
                )
            )
    right = [e for e in edges if e.side == "right"]
    left = [e for e in edges if e.side == "left"]
    _lanes(right)
    _lanes(left)

    lane_gap, pitch, box_h, margin = 24, 84, 50, 14
    lines = []
    for state in states:
        tags = ("（初始）" if state in ts.lifecycle.initial else "") + ("（了结）" if state in ts.lifecycle.done else "")
        need = ts.lifecycle.requires.get(state, [])
        second = ("须填：" + "、".join(field_labels.get(n, n) for n in need)) if need else ""
        lines.append((labels.get(state, state), state, tags, second))
    box_w = max(max(_width(a, 15) + _width(" " + b, 12) + _width(c, 12), _width(d, 12)) for a, b, c, d in lines) + 28
    left_w = (max((e.lane for e in left), default=-1) + 1) * lane_gap
    right_w = (max((e.lane for e in right), default=-1) + 1) * lane_gap
    box_x = margin + left_w + (12 if left else 0)
    width = box_x + box_w + (12 if right else 0) + right_w + margin
    height = 2 * margin + len(states) * pitch - (pitch - box_h)

    def top(i: int) -> float:
        return margin + i * pitch

    # Where each edge meets each box: spread over the box's side so lines do not overlap.
    ends: dict[tuple[int, str], list[tuple[tuple[int, int], _Edge, str]]] = {}
    for edge in edges:
        for role, node, other in (("from", edge.source, edge.target), ("to", edge.target, edge.source)):
            going = (other > node) - (other < node)  # -1 up, 0 loop, 1 down
            order = (0, edge.lane) if going < 0 else (1, 0) if going == 0 else (2, -edge.lane)
            ends.setdefault((node, edge.side), []).append((order, edge, role))
    attach: dict[tuple[int, str], float] = {}
    for (node, _side), items in ends.items():
        items.sort(key=lambda item: (item[0], item[2]))
        for k, (_order, edge, role) in enumerate(items):
            attach[(id(edge), role)] = top(node) + box_h * (k + 1) / (len(items) + 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-lifecycle" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" style="max-width:100%;height:auto" role="img" aria-labelledby="ld-lifecycle-{escape(ts.name)}-title" '
        "font-family=\"system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif\">",
        f'<title id="ld-lifecycle-{escape(ts.name)}-title">{escape(ts.title)}的状态流转图</title>',
        f'<defs><marker id="ld-arrow-{escape(ts.name)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#455a64"/></marker></defs>',
    ]
    for edge in edges:
        y1, y2 = attach[(id(edge), "from")], attach[(id(edge), "to")]
        if edge.side == "right":
            edge_x, lane_x = box_x + box_w, box_x + box_w + 12 + edge.lane * lane_gap + lane_gap / 2
        else:
            edge_x, lane_x = box_x, box_x - 12 - edge.lane * lane_gap - lane_gap / 2
        dash = ' stroke-dasharray="5 3"' if edge.adds else ""
        parts.append(
            f'<path d="M{edge_x:.1f},{y1:.1f} H{lane_x:.1f} V{y2:.1f} H{edge_x:.1f}" fill="none" stroke="#455a64" '
            f'stroke-width="1.6"{dash} marker-end="url(#ld-arrow-{escape(ts.name)})"/>'
        )
        if edge.mark:
            cy = (y1 + y2) / 2
            if edge.source == edge.target:  # a loop is short: its number goes beside it, between two lanes
                lane_x += lane_gap / 2 if edge.side == "right" else -lane_gap / 2
            parts.append(
                f'<circle cx="{lane_x:.1f}" cy="{cy:.1f}" r="8" fill="#fff" stroke="#455a64"/>'
                f'<text x="{lane_x:.1f}" y="{cy + 4:.1f}" font-size="11" text-anchor="middle" fill="#263238">{edge.mark}</text>'
            )
    for i, (label, code, tags, second) in enumerate(lines):
        state = states[i]
        done = state in ts.lifecycle.done
        initial = state in ts.lifecycle.initial
        fill, stroke = ("#eceff1", "#78909c") if done else ("#fff8e1", "#c62828") if initial else ("#ffffff", "#455a64")
        y = top(i)
        parts.append(
            f'<g data-state="{escape(state)}"><rect x="{box_x:.1f}" y="{y:.1f}" width="{box_w:.1f}" height="{box_h}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2.5 if initial else 1.5}"/>'
        )
        text_y = y + (20 if second else 31)
        parts.append(
            f'<text x="{box_x + 14:.1f}" y="{text_y:.1f}" font-size="15" fill="#212121"><tspan font-weight="bold">{escape(label)}</tspan>'
            f'<tspan font-size="12" fill="#546e7a" font-family="ui-monospace, monospace"> {escape(code)}</tspan>'
            f'<tspan font-size="12" fill="#546e7a">{escape(tags)}</tspan></text>'
        )
        if second:
            parts.append(f'<text x="{box_x + 14:.1f}" y="{y + 39:.1f}" font-size="12" fill="#37474f">{escape(second)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts)), notes


_MERMAID_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", ";": "#59;", ":": "#58;", "<": "#lt;", ">": "#gt;", "`": "#96;", "{": "#123;", "}": "#125;"}


def mermaid_text(text: str) -> str:
    """A label Mermaid shows as written: its syntax characters as entity codes, no line breaks."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text)
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)


def lifecycle_mermaid(ts: TypeSchema, field_labels: dict[str, str]) -> str:
    labels = ts.enum_labels(("status",))
    ids = {s: s if _MERMAID_ID.match(s) and s not in ("end", "state") else f"s{i}" for i, s in enumerate(ts.states)}
    out = ["stateDiagram-v2"]
    out += [f'    state "{mermaid_text(labels.get(s, s) + " " + s)}" as {ids[s]}' for s in ts.states]
    out += [f"    [*] --> {ids[s]}" for s in ts.lifecycle.initial if s in ids]
    for t in ts.lifecycle.transitions:
        if t.source in ids and t.target in ids:
            note = f" : {mermaid_text('新增' + field_labels.get(t.adds, t.adds) + '（' + t.adds + '）')}" if t.adds else ""
            out.append(f"    {ids[t.source]} --> {ids[t.target]}{note}")
    out += [f"    {ids[s]} --> [*]" for s in ts.lifecycle.done if s in ids]
    return "\n".join(out) + "\n"


# -- rules ----------------------------------------------------------------------------------------


@dataclass
class RuleExample:
    case: str  # tests/cases/invalid/<rule>/<case>
    diagnostic: str  # the exact lines `liandong validate` prints (with the hint)
    snippet: list[tuple[int, str]]  # numbered lines of the file around the finding
    hint: str  # the diagnostic's next step
    line: int  # the line the diagnostic points at


@dataclass
class RuleEntry:
    id: str
    doc: RuleDoc
    example: RuleExample | None


def rule_example(root: Path, rule_id: str) -> RuleExample | None:
    """The first finding of this rule in the first of its test cases, with the lines it points at."""
    folder = root / CASES / rule_id
    for case in sorted(p for p in folder.glob("*") if p.is_dir()) if folder.is_dir() else []:
        expected = case / "expected.txt"
        if not expected.is_file():
            continue
        lines = expected.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            found = re.match(rf"^(\S+?):(\d+):\d+: (?:error|warning)\[{re.escape(rule_id)}\]", line)
            if not found:
                continue
            hint = lines[n + 1].removeprefix("  hint: ") if n + 1 < len(lines) and lines[n + 1].startswith("  hint: ") else ""
            diagnostic = line + (f"\n  hint: {hint}" if hint else "")
            # change cases hold two states; a deleted record is only in the base
            candidates = [case / "head" / found.group(1), case / "base" / found.group(1), case / found.group(1)]
            source = next((c for c in candidates if c.is_file()), candidates[-1])
            return RuleExample(case.relative_to(root).as_posix(), diagnostic, _snippet(source, int(found.group(2))), hint, int(found.group(2)))
    return None


def _snippet(path: Path, line: int) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes()[:20_000].decode("utf-8", "replace")
    except OSError:
        return []
    rows = text.splitlines()
    first = max(1, line - 2)
    return [(n, rows[n - 1][:160]) for n in range(first, min(len(rows), line + 2) + 1)]


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
    entries = [RuleEntry(rule_id, doc, rule_example(root, rule_id)) for rule_id, doc in RULES.items()]
    out.append(page("contrib_rules.md.j2", "rules", entries=entries, stages=STAGES))
    return out
