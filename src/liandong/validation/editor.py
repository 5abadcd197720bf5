"""The keywords only editors read (yaml-language-server, what the VS Code YAML extension runs),
derived from what the schemas already say so that nothing is said twice by hand:

- `markdownEnumDescriptions` beside every `x-enum-labels`: completion shows each value's Chinese
  label (已交办) instead of the whole field description;
- `errorMessage` on each record type's root: the server's "Missing property" is English, so the
  root says in Chinese which fields the type requires.

`liandong editor-keywords` writes them into schemas/*.schema.json in place (only those keywords'
text changes; the rest of each file keeps its layout); `--check` fails when a schema changed and
they were not rewritten (tests/unit/test_editor_keywords.py runs it on the committed schemas)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABELS = '"x-enum-labels"'
ENUM_DESCRIPTIONS = "markdownEnumDescriptions"
ROOT_MESSAGE = "errorMessage"
_DECODER = json.JSONDecoder()
_AFTER_VALUE = re.compile(r'\s*,\s*"(?P<key>markdownEnumDescriptions|errorMessage)"\s*:\s*')


@dataclass(frozen=True)
class Change:
    file: Path
    before: str
    after: str


def _value_end(text: str, start: int) -> tuple[Any, int]:
    """The JSON value that begins at or after `start` (after a colon), and where it ends."""
    at = text.index(":", start) + 1
    while text[at].isspace():
        at += 1
    return _DECODER.raw_decode(text, at)


def _set_after(text: str, end: int, key: str, value: Any) -> str:
    """`"key": value` right after the value ending at `end`: replaced when it is already there."""
    encoded = json.dumps(value, ensure_ascii=False)
    found = _AFTER_VALUE.match(text, end)
    if found and found.group("key") == key:
        _old, old_end = _DECODER.raw_decode(text, found.end())
        return text[: found.end()] + encoded + text[old_end:]
    return text[:end] + f', "{key}": {encoded}' + text[end:]


def _with_enum_descriptions(text: str) -> str:
    at = 0
    while (found := text.find(LABELS, at)) != -1:
        labels, end = _value_end(text, found + len(LABELS))
        text = _set_after(text, end, ENUM_DESCRIPTIONS, list(labels.values()) if isinstance(labels, dict) else [])
        at = end
    return text


def root_message(schema: dict[str, Any], common: dict[str, Any]) -> str:
    """What the editor says when a record misses a field its type requires or has one it lacks."""
    properties = schema.get("properties", {})

    def title(key: str) -> str:
        node = properties.get(key, {})
        ref = node.get("$ref", "")
        return str(node.get("title") or common.get("$defs", {}).get(ref.rpartition("/")[2], {}).get("title", key))

    required = "、".join(f"{key}（{title(key)}）" for key in schema.get("required", []))
    return f"{schema.get('title', '记录')}缺少必填字段，或有本类型没有的字段。必填：{required}；其他字段按状态和来源需要时填写，把鼠标移到字段名上可以看说明。"


def _with_root_message(text: str, schema: dict[str, Any], common: dict[str, Any]) -> str:
    """The root's errorMessage goes right after its `required` list (the first at the top level)."""
    found = re.search(r'^  "required"\s*:', text, re.MULTILINE)
    if found is None:
        return text
    _required, end = _value_end(text, found.start() + 2)
    return _set_after(text, end, ROOT_MESSAGE, root_message(schema, common))


def changes(schemas_dir: Path) -> list[Change]:
    """The schema files whose editor keywords are missing or out of date, with their new text."""
    common = json.loads((schemas_dir / "common.schema.json").read_text(encoding="utf-8"))
    found = []
    for file in sorted(schemas_dir.glob("*.schema.json")):
        before = file.read_text(encoding="utf-8")
        after = _with_enum_descriptions(before)
        if file.name != "common.schema.json":
            after = _with_root_message(after, json.loads(after), common)
        json.loads(after)  # never write a file that no longer parses
        if after != before:
            found.append(Change(file, before, after))
    return found


def write(found: list[Change]) -> None:
    for change in found:
        with open(change.file, "w", encoding="utf-8", newline="\n") as out:
            out.write(change.after)
