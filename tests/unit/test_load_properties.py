"""Property tests of the strict loader: whatever a file holds, reading it gives findings, never an
exception, and every finding names the file and a place in it.

Three kinds of input: arbitrary bytes; YAML-ish text built from a small grammar (block and flow
lists and maps, anchors, aliases, tags, merge keys, block scalars, odd Unicode, tabs, BOMs, NULs,
CRLF, deep nesting) and then cut and spliced at random; and records of the real schemas whose
fields hold arbitrary values, fed to `validate` as a one-file registry so that the schema messages
and the positions are exercised too.

Examples: 500 in all by default (about 3 s), derandomized so that a run is repeatable — always
when CI is set; LIANDONG_HYPOTHESIS_EXAMPLES=N runs N per test; LIANDONG_HYPOTHESIS_RANDOM=1
explores new inputs locally. A shrunk counterexample should become a fix and a case directory
under tests/cases/.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liandong.diagnostics import Diagnostic
from liandong.validation.catalog import RULES
from liandong.validation.pipeline import validate
from liandong.validation.schema import SchemaSet
from liandong.yamlio.loader import MAX_DEPTH, LoadedFile, load_bytes

from ..helpers import make_repo

# Hypothesis property runs (500 examples in all).
pytestmark = pytest.mark.slow


_EXAMPLES = os.environ.get("LIANDONG_HYPOTHESIS_EXAMPLES")


def _settings(default: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=int(_EXAMPLES) if _EXAMPLES else default,
        deadline=None,
        derandomize=bool(os.environ.get("CI")) or not os.environ.get("LIANDONG_HYPOTHESIS_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


# The line breaks libyaml counts (its marks are what the findings carry).
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _lines(text: str) -> int:
    """Lines as an editor shows them: a final line break does not start another line."""
    pieces = _BREAKS.split(text)
    return len(pieces) - 1 if len(pieces) > 1 and pieces[-1] == "" else len(pieces)


def _check(path: str, text: str | None, diagnostics: list[Diagnostic]) -> None:
    lines = _lines(text) if text is not None else None
    for d in diagnostics:
        assert d.path == path, d
        assert d.rule in RULES, d
        assert d.message and "Traceback" not in d.message and "内部错误" not in d.message, d
        assert d.line >= 1 and d.col >= 1, d
        if lines is not None:
            assert d.line <= lines, (d, lines)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _check_loaded(loaded: LoadedFile) -> None:
    _check(loaded.path, loaded.text, loaded.diagnostics)
    assert (loaded.data is None) == bool(loaded.diagnostics)
    if loaded.data is not None:
        assert isinstance(loaded.data, dict)
        json.dumps(loaded.data)  # JSON-like: text keys; text, numbers, booleans, null, lists, maps
        assert _depth(loaded.data) <= MAX_DEPTH


@_settings(150)
@given(st.binary(max_size=600) | st.text(max_size=200).map(lambda text: text.encode("utf-8")))
def test_any_bytes_give_findings_not_exceptions(raw: bytes) -> None:
    _check_loaded(load_bytes("registry/tasks/x.yaml", raw))


# --- YAML-ish text -------------------------------------------------------------------------------

# Mostly what records hold, sometimes what they must not: odd choices are drawn about one time in five.
_KEYS = ["id", "title", "status", "notes", "lead", "a", "b", "1", "no", "甲", "x y", "é"]
_ODD_KEYS = ["<<", "? x", '"q k"', "'s'", "-", "~", "&k", "!t", "\u202e", "", "a\tb"]
KEYS = st.sampled_from(_KEYS * 4 + _ODD_KEYS)
_SCALARS = [
    "a",
    "甲单位",
    "true",
    "false",
    "no",
    "null",
    "~",
    "",
    "0",
    "010",
    "-12",
    "1.5",
    "1e3",
    "1.0e999",
    "12:30",
    "2024-02-30",
    "task-0001",
    ".inf",
    "'q''q'",
    '"d\\"q"',
    '"\\u202e\\x00\\L\\N\\P"',
    '"\\U0001F600"',
    "|\n  block\n  text",
    ">-\n  folded",
    "|+\n\n",
    "9" * 700,
]
_ODD_SCALARS = [
    '"unclosed',
    "'unclosed",
    "a: b",
    "- x",
    "#c",
    "@",
    "`",
    "%",
    "*a",
    "&a x",
    "!!str 1",
    "!!binary aGk=",
    "!x y",
    "!!python/object:os.system x",
    "<<: *a",
    "|0",
    '"\\xZZ"',
    "!<tag:x> y",
    "!e!x y",
]
SCALARS = st.one_of(
    st.sampled_from(_SCALARS * 3 + _ODD_SCALARS),
    st.sampled_from(_SCALARS * 3 + _ODD_SCALARS),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=6),
    st.text(max_size=4),
)
_PROPERTIES = [""] * 12 + [" &a", " !x", " !!str", " !!seq", " &b !!map"]
NOISE = st.sampled_from(
    [
        "\ufeff",
        "\x00",
        "\t",
        "\r",
        "\r\n",
        "\n",
        "\u2028",
        "\u2029",
        "\x85",
        "\u202e",
        "\u200b",
        "\u200d",
        "\x7f",
        "\x1b",
        "\x01",
        "\ufffe",
        "\uffff",
        "\U000e0001",
        "\U0001f600",
        "&a ",
        "*a",
        "!x ",
        "!!map ",
        "<<: ",
        "? ",
        ": ",
        "- ",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "%TAG ! x\n",
        "#",
        "|",
        ">",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "  ",
        "\t- ",
    ]
)


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    def value(depth: int, indent: int) -> str:
        """What follows `key:` or `-`: a scalar on the same line, or a collection."""
        kinds = ["scalar", "scalar", "flow", "block-list", "block-map"] if depth < 4 else ["scalar", "flow"]
        kind = draw(st.sampled_from(kinds))
        props = draw(st.sampled_from(_PROPERTIES))
        if kind == "scalar":
            return props + " " + draw(SCALARS).replace("\n", "\n" + " " * (indent + 2))
        if kind == "flow":
            return props + " " + flow(depth)
        lines = block_list(depth + 1, indent + 2) if kind == "block-list" else block_map(depth + 1, indent + 2)
        return props + "\n" + lines

    def flow(depth: int) -> str:
        count = draw(st.integers(0, 3))
        if depth >= 4 or draw(st.booleans()):
            items = [draw(SCALARS).replace("\n", " ") if depth >= 4 or draw(st.booleans()) else flow(depth + 1) for _ in range(count)]
            return "[" + ", ".join(items) + "]"
        pairs = [f"{draw(KEYS)}: {draw(SCALARS).replace(chr(10), ' ') if depth >= 4 else flow(depth + 1)}" for _ in range(count)]
        return "{" + ", ".join(pairs) + "}"

    def block_list(depth: int, indent: int) -> str:
        count = draw(st.integers(1, 3))
        return "".join(f"{' ' * indent}-{value(depth, indent)}\n" for _ in range(count))

    def block_map(depth: int, indent: int) -> str:
        count = draw(st.integers(1, 4))
        return "".join(f"{' ' * indent}{draw(KEYS)}:{value(depth, indent)}\n" for _ in range(count))

    text = draw(st.sampled_from([block_map, block_map, block_map, block_list]))(0, 0)
    deep = draw(st.sampled_from([0, 0, 0, MAX_DEPTH - 1, MAX_DEPTH, 40, 999, 1001, 3000]))
    if deep:
        style = draw(st.sampled_from(["list", "map", "unclosed", "block", "compact"]))
        nested = {
            "list": "[" * deep + "]" * deep,
            "map": "{a: " * deep + "1" + "}" * deep,
            "unclosed": "[" * deep,
            # (indentation grows with each level: 1001 levels would be far over the size limit)
            "block": "\n" + "".join(" " * (i + 1) + "-\n" for i in range(min(deep, 300))) + " " * 301 + "x",
            "compact": "\n" + "- " * deep + "x",
        }[style]
        text += f"deep: {nested}\n"
    # Splice: noise inserted, pieces cut out, line ends and indentation changed.
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 4]))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(NOISE) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("  ", "\t", 1)
    return text


@_settings(150)
@given(yamlish(), st.sampled_from(["", "\ufeff", "\ufeff\ufeff"]))
def test_yamlish_text_gives_findings_not_exceptions(text: str, bom: str) -> None:
    _check_loaded(load_bytes("registry/tasks/x.yaml", (bom + text).encode("utf-8")))


# --- `validate` on a one-file registry -----------------------------------------------------------

RECORD = "registry/tasks/task-0001.yaml"
HEADER = "# yaml-language-server: $schema=../../schemas/tasks.schema.json\n"
TASK: dict[str, Any] = {
    "id": "task-0001",
    "title": "任务",
    "status": "in_progress",
    "visibility": "public",
    "source": {"document": "doc-a", "clause": "三(一)1"},
    "lead": ["org-a"],
    "assigned": "2024-01-10",
}
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(scope="module")
def one_file_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SchemaSet]:
    root = make_repo(tmp_path_factory.mktemp("properties") / "repo")
    (root / RECORD).parent.mkdir(parents=True)
    return root, SchemaSet(root / "schemas")


def _validate_one(repo: tuple[Path, SchemaSet], raw: bytes) -> None:
    root, schemas = repo
    (root / RECORD).write_bytes(raw)
    result = validate(root, schemas=schemas, today=TODAY)
    text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    _check(RECORD, text if all(d.rule != "files.encoding" for d in result.diagnostics) else None, result.diagnostics)


@_settings(100)
@given(yamlish())
def test_validate_reports_yamlish_text_as_findings(one_file_repo: tuple[Path, SchemaSet], text: str) -> None:
    _validate_one(one_file_repo, (HEADER + text).encode("utf-8"))


ODD_TEXT = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "Cc", "Cf", "Zl", "Zp", "Mn", "So"]), max_size=12)
VALUES = ODD_TEXT | st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False),
        ODD_TEXT,
        st.sampled_from(["task-0001", "org-a", "2024-02-30", "2024-03-01", "三(一)1", "assigned", "closed"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["date", "text", "by", "x"]) | ODD_TEXT, inner, max_size=3)),
    max_leaves=12,
)
_FIELDS = st.sampled_from(
    [
        "id",
        "title",
        "status",
        "visibility",
        "source",
        "lead",
        "assigned",
        "deadline",
        "notes",
        "progress",
        "extensions",
        "completion",
        "reminders",
        "reopenings",
        "example",
        "x",
    ]
)
FIELDS = st.one_of(_FIELDS, _FIELDS, _FIELDS, ODD_TEXT)


@_settings(100)
@given(st.dictionaries(FIELDS, VALUES, max_size=4), st.booleans(), st.sampled_from([0] * 6 + [1, MAX_DEPTH - 2, MAX_DEPTH]))
def test_validate_reports_any_field_values_as_findings(one_file_repo: tuple[Path, SchemaSet], fields: dict[str, Any], flow: bool, wrap: int) -> None:
    record = {**TASK, **fields}
    if wrap:  # the same record with one field nested `wrap` lists deeper
        key = next(iter(fields), "notes")
        for _ in range(wrap):
            record[key] = [record.get(key)]
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=60)
    _validate_one(one_file_repo, (HEADER + text).encode("utf-8"))
