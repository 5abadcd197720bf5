"""Schema examples quote the policy exactly, or say they are invented (#13 part 4). The examples are
shown on the 参与贡献 pages as what a field holds; one that names a clause of the 实施意见 and gives
its words in other words teaches a wrong text (the documents schema's 三(一)1 did)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from liandong.yamlio.loader import load_bytes

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"
# The policy as the registry transcribes it: the 实施意见's record (its title, clauses and the
# preamble quoted in its notes), checked against ../shared/seed-policy.txt by those who wrote it.
POLICY = REPO / "registry" / "documents" / "doc-kuahequ-liandong-opinion.yaml"
# How a clause is numbered (common.schema.json#/$defs/clause).
CLAUSE = re.compile(r"^[一二三四五六七八九十]+(\([一二三四五六七八九十]+\)(\d+)?)?$")
INVENTED = "（示例）"  # an example that says so is not taken for a quotation
ELISION = "……"  # a quotation may leave words out; each part is then quoted exactly
# A string under one of these keys is the text's words wherever it stands (roles' 原文依据).
QUOTING_KEYS = ("as_written",)


def _examples(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "examples" and isinstance(child, list):
                for index, example in enumerate(child):
                    yield f"{where}/examples/{index}", example
            yield from _examples(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _examples(child, f"{where}/{index}")


def _claims(example: Any, where: str) -> Iterator[tuple[str, str]]:
    """(where, string) for each string of an example that claims to be the policy's words: the
    strings of an object naming a clause (number or clause), and any string under QUOTING_KEYS."""
    if isinstance(example, dict):
        names_clause = any(isinstance(example.get(k), str) and CLAUSE.match(example[k]) for k in ("number", "clause"))
        for key, value in example.items():
            if isinstance(value, str) and (key in QUOTING_KEYS or (names_clause and key not in ("number", "clause", "document"))):
                yield f"{where}/{key}", value
            else:
                yield from _claims(value, f"{where}/{key}")
    elif isinstance(example, list):
        for index, value in enumerate(example):
            yield from _claims(value, f"{where}/{index}")


def _quoted(text: str, policy: str) -> bool:
    return INVENTED in text or all(part in policy for part in text.split(ELISION) if part)


def _policy() -> str:
    loaded = load_bytes(POLICY.relative_to(REPO).as_posix(), POLICY.read_bytes())
    assert loaded.data is not None
    return "\n".join(_strings(loaded.data))


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_examples_that_claim_the_text_quote_it_or_are_marked_invented() -> None:
    policy = _policy()
    wrong = []
    for file in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(file.read_text(encoding="utf-8"))
        for where, example in _examples(schema, file.name):
            wrong.extend(f"{place}: {text}" for place, text in _claims(example, where) if not _quoted(text, policy))
    assert wrong == []


def test_the_check_sees_a_misquote() -> None:
    policy = "进一步简政放权，赋予跨合区更加灵活的社会经济管理权限。"
    example = [{"number": "三(一)1", "heading": "简政放权", "text": "防城港市将权限委托东兴市行使。"}]
    claims = dict(_claims(example, "x"))
    assert not _quoted(claims["x/0/text"], policy) and _quoted("进一步简政放权……管理权限", policy)
    assert _quoted("某片区的规定（示例）", policy)
