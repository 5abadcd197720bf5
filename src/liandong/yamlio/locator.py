"""Turn a finding's pointer into line:col by parsing its file once more, with marks.

Only files with findings pay for this; the clean majority are parsed once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import yaml

from liandong.diagnostics import Diagnostic, Pointer
from liandong.yamlio.loader import compose


def _mark(root: yaml.Node | None, pointer: Pointer, at_key: bool) -> tuple[int, int]:
    node = root
    for depth, part in enumerate(pointer):
        last = depth == len(pointer) - 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    node = key_node if (last and at_key) else value_node
                    break
            else:
                break  # a missing key: point at the mapping that should hold it
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def locate(diagnostics: Iterable[Diagnostic], texts: dict[str, str]) -> list[Diagnostic]:
    located: list[Diagnostic] = []
    trees: dict[str, yaml.Node | None] = {}
    for diagnostic in diagnostics:
        if diagnostic.line or diagnostic.pointer is None or diagnostic.path not in texts:
            located.append(diagnostic if diagnostic.line else replace(diagnostic, line=1, col=1))
            continue
        if diagnostic.path not in trees:
            trees[diagnostic.path] = compose(texts[diagnostic.path])
        line, col = _mark(trees[diagnostic.path], diagnostic.pointer, diagnostic.at_key)
        located.append(replace(diagnostic, line=line, col=col))
    return located
