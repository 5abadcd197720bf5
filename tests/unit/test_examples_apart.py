"""Examples are never counted as facts (#13 part 2): on the bundled registry, every real record's
page and the home page read the same whether or not the example records exist, once the parts
that show examples apart are set aside (a block showing a record with its 示例 badge, or a note
about examples). A figure is what a block states with a digit in it. A figure that counted an example — 已办结 2 项 from two example tasks, a quarter 已召开 by
an example meeting — would change when the examples go, and fail here."""

from __future__ import annotations

import datetime
import difflib
from html.parser import HTMLParser

import pytest

from liandong.model.model import Model
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate

from ..helpers import REPO

TODAY = datetime.date(2026, 12, 20)  # late in a quarter, after the example meetings and deadlines
APART = {"ld-example-apart", "ld-example-note"}  # a note about examples, shown apart
BLOCKS = {"p", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "caption", "figcaption"}
VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}


class _Node:
    def __init__(self, tag: str, classes: set[str], parent: _Node | None) -> None:
        self.tag, self.classes, self.parent = tag, classes, parent
        self.children: list[_Node | str] = []


class _Tree(HTMLParser):
    """The page's HTML as a tree (the stdlib parser; the pages are our own, well-formed output)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.at = _Node("root", set(), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, set((dict(attrs).get("class") or "").split()), self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data: str) -> None:
        self.at.children.append(data)


def _shows_example(node: _Node) -> bool:
    """Whether the block shows an example record (its 示例 badge), anywhere inside."""
    return "ld-badge--example" in node.classes or any(isinstance(c, _Node) and _shows_example(c) for c in node.children)


def _text(node: _Node) -> str:
    """The block's text without its notes about examples (which stand apart from the figure)."""
    return "".join(c if isinstance(c, str) else "" if c.classes & APART else _text(c) for c in node.children)


def _figures(markdown: str) -> list[str]:
    """The text of every block that states a figure (holds a digit) and is about real records only:
    blocks that show an example record or a note about examples are set aside."""
    tree = _Tree()
    tree.feed(markdown)
    found: list[str] = []

    def walk(node: _Node) -> None:
        for child in node.children:
            if not isinstance(child, _Node):
                continue
            if child.classes & APART:
                continue
            if child.tag in BLOCKS and not any(isinstance(c, _Node) and c.tag in BLOCKS for c in child.children):
                text = " ".join(_text(child).split())
                if not _shows_example(child) and "示例" not in text and any(ch.isdigit() for ch in text):
                    found.append(text)
            else:
                walk(child)

    walk(tree.root)
    return found


def _pages(model: Model) -> dict[str, str]:
    return {p.path: p.text for p in Renderer(model, TODAY).pages()}


@pytest.fixture(scope="module")
def both() -> tuple[Model, dict[str, str], dict[str, str]]:
    result = validate(REPO)
    assert not [d for d in result.diagnostics if d.severity == "error"]
    model = Model.build(result.schemas, result.valid).public()
    real = Model.build(result.schemas, [r for r in result.valid if not r.example]).public()
    assert len(real.items) < len(model.items), "the bundled registry has example records"
    return model, _pages(model), _pages(real)


def test_no_figure_on_a_real_page_depends_on_an_example(both: tuple[Model, dict[str, str], dict[str, str]]) -> None:
    model, with_examples, without = both
    real_pages = ["index.md"] + [i.source_path for i in model.items.values() if not i.example]
    changed = {}
    for path in real_pages:
        before, after = _figures(with_examples[path]), _figures(without[path])
        # A section shown only because examples exist may state that no real record counts (0 条).
        extra = [f for f in before if f not in after and not set(filter(str.isdigit, f)) <= {"0"}]
        if extra or any(f not in before for f in after):
            changed[path] = "\n".join(difflib.unified_diff(after, before, "without examples", "with examples", lineterm="", n=0))
    assert not changed, "\n\n".join(f"{path}:\n{diff}" for path, diff in changed.items())


def test_the_examples_are_still_shown_apart(both: tuple[Model, dict[str, str], dict[str, str]]) -> None:
    """The test above must not pass by hiding examples: the pages that had them still show them, marked."""
    _model, with_examples, _without = both
    committee = with_examples["organizations/org-dxsyq-committee.md"]
    assert "ld-example-apart" in committee and "不计入" in committee
    joint_meeting = with_examples["mechanisms/mech-joint-meeting.md"]
    assert "示例会议，不计入召开情况" in joint_meeting
    assert "已召开</span>" not in joint_meeting  # no quarter is kept by an example meeting
    assert "ld-example-apart" in with_examples["index.md"]
