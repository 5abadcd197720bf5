"""A record type's lifecycle (schemas/<type>.lifecycle.yaml) as a diagram: inline SVG, laid out
here at build time, and the equivalent Mermaid source to copy into an editor or an issue.

Inline SVG rather than Mermaid in the browser: Mermaid would mean a large script (mkdocs-material
fetches it from a CDN), and the site must make no request outside its own origin and work without
JavaScript. Every text in the SVG and in the Mermaid source is escaped, although it comes from our
schemas rather than from records."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from liandong.validation.schema import TypeSchema

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
