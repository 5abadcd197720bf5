from __future__ import annotations

import pytest
import yaml

from liandong.diagnostics import Diagnostic
from liandong.validation.catalog import RULES
from liandong.validation.schema import SchemaSet, TypeSchema
from liandong.yamlio.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NUMBER_DIGITS, _Loader, load_bytes
from liandong.yamlio.locator import locate

from ..helpers import REPO


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("True", "True"),  # YAML 1.1 booleans stay text
        ("12:30", "12:30"),
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),  # no sexagesimal, octal, hex
        ("2024-02-30", "2024-02-30"),
        ("2024-03-01", "2024-03-01"),  # dates stay as written
        (".inf", ".inf"),
        ("1e3", "1e3"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("0", 0),
        ("-12", -12),
        ("450681", 450681),
        ("1.5", 1.5),
        ('"010"', "010"),
        ("'true'", "true"),
    ],
)
def test_plain_scalars_are_typed_like_json(written: str, value: object) -> None:
    loaded = load_bytes("r.yaml", f"key: {written}\n".encode())
    assert loaded.diagnostics == []
    assert loaded.data == {"key": value}
    assert type(loaded.data["key"]) is type(value)


def test_keys_are_always_text() -> None:
    assert load_bytes("r.yaml", b"1: a\nno: b\n").data == {"1": "a", "no": "b"}


def test_byte_order_mark_is_tolerated() -> None:
    assert load_bytes("r.yaml", "\ufeffid: a\n".encode()).data == {"id": "a"}


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20)
    )
    loaded = load_bytes("bomb.yaml", bomb.encode())
    assert loaded.data is None
    assert {d.rule for d in loaded.diagnostics} == {"yaml.alias"}
    assert loaded.diagnostics[0].line == 1


def test_size_limit_is_checked_before_parsing() -> None:
    loaded = load_bytes("big.yaml", b"a: " + b"x" * MAX_FILE_BYTES)
    assert [d.rule for d in loaded.diagnostics] == ["files.too-large"]


def test_invalid_utf8_names_line_and_column() -> None:
    loaded = load_bytes("gbk.yaml", "id: a\ntitle: 东兴\n".encode("gbk"))
    (finding,) = loaded.diagnostics
    assert (finding.rule, finding.line, finding.col) == ("files.encoding", 2, 8)


def test_locate_points_at_values_keys_and_parents() -> None:
    text = "id: a\nsource:\n  document: d\nlead:\n  - x\n  - y\n"
    found = locate(
        [
            Diagnostic("r.yaml", "t.value", "m", pointer=("lead", 1)),
            Diagnostic("r.yaml", "t.key", "m", pointer=("source", "document"), at_key=True),
            Diagnostic("r.yaml", "t.missing", "m", pointer=("source", "clause")),
            Diagnostic("r.yaml", "t.root", "m", pointer=()),
        ],
        {"r.yaml": text},
    )
    assert [(d.rule, d.line, d.col) for d in found] == [("t.value", 6, 5), ("t.key", 3, 3), ("t.missing", 3, 3), ("t.root", 1, 1)]


def _nested(kind: str, levels: int) -> str:
    """`x:` holding `levels` nested lists or mappings, so the deepest one is at level levels + 1."""
    if kind == "flow-list":
        return "x: " + "[" * levels + "]" * levels + "\n"
    if kind == "flow-map":
        return "x: " + "{a: " * levels + "1" + "}" * levels + "\n"
    if kind == "block":  # lists and mappings by indentation, alternating
        lines = ["x:"]
        for level in range(levels):
            indent = "  " * (level + 1)
            lines.append(f"{indent}- " if level % 2 == 0 else f"{indent}a:")
        return "\n".join(lines) + " 1\n"
    return "x:\n" + "- " * levels + "1\n"  # compact: `- - - 1` nests lists on one line


@pytest.mark.parametrize("kind", ["flow-list", "flow-map", "block", "compact"])
def test_nesting_up_to_the_limit_is_read_and_one_more_level_is_refused(kind: str) -> None:
    assert load_bytes("r.yaml", _nested(kind, MAX_DEPTH - 1).encode()).diagnostics == []
    loaded = load_bytes("r.yaml", _nested(kind, MAX_DEPTH).encode())
    (finding,) = loaded.diagnostics
    assert (finding.rule, loaded.data) == ("yaml.too-deep", None)
    assert finding.line >= 1 and str(MAX_DEPTH) in finding.message


@pytest.mark.parametrize("levels", [600, 999, 1200, 100_000])
def test_any_depth_is_one_finding_at_the_first_level_too_deep(levels: int) -> None:
    # 600 used to end the whole run in RecursionError; past 1000 libyaml stops by itself.
    (finding,) = load_bytes("r.yaml", ("id: a\n" + _nested("flow-list", levels)).encode()).diagnostics
    assert (finding.rule, finding.line, finding.col) == ("yaml.too-deep", 2, 3 + MAX_DEPTH)
    (finding,) = load_bytes("r.yaml", ("x: " + "[" * levels).encode()).diagnostics  # never closed
    assert (finding.rule, finding.line, finding.col) == ("yaml.too-deep", 1, 3 + MAX_DEPTH)


def test_libyaml_still_stops_at_its_own_nesting_limit() -> None:
    """load.py relies on it: libyaml's composer recurses on the C stack, and only this limit keeps a
    256 KB file of `[` from overflowing it. If this fails, check the depth on the parser's events
    (load._first_too_deep) before composing."""
    with pytest.raises(yaml.MarkedYAMLError, match="exceeded maximum nesting depth"):
        yaml.compose("x: " + "[" * 1001 + "]" * 1001, Loader=_Loader)


def test_the_schemas_nest_well_within_the_limit() -> None:
    deepest = 0

    def walk(ts: TypeSchema, node: dict[str, object], level: int) -> None:
        nonlocal deepest
        node = ts.resolve(node)
        deepest = max(deepest, level)
        for child in dict(node.get("properties", {})).values():  # type: ignore[call-overload]
            if ts.resolve(child).get("type") in ("object", "array"):
                walk(ts, child, level + 1)
        items = node.get("items")
        if isinstance(items, dict) and ts.resolve(items).get("type") in ("object", "array"):
            walk(ts, items, level + 1)

    for ts in SchemaSet.for_root(REPO).types.values():
        walk(ts, ts.schema, 1)
    assert 4 <= deepest <= MAX_DEPTH - 10, f"the schemas nest {deepest} levels deep; see MAX_DEPTH in src/liandong/yamlio/loader.py"


def test_a_control_character_in_the_file_is_found_at_its_place() -> None:
    (finding,) = load_bytes("r.yaml", "id: a\ntitle: 东兴\x07市\n".encode()).diagnostics
    assert (finding.rule, finding.line, finding.col) == ("yaml.syntax", 2, 10)
    assert "U+0007" in finding.message


def test_a_number_too_long_for_python_is_refused() -> None:
    (finding,) = load_bytes("r.yaml", b"a: 1\nb: " + b"9" * 5000 + b"\n").diagnostics
    assert (finding.rule, finding.line, finding.col) == ("yaml.number-too-long", 2, 4)
    assert load_bytes("r.yaml", b"b: " + b"9" * 600 + b"\n").data == {"b": int("9" * 600)}


def test_a_tag_on_a_key_is_refused_like_one_on_a_value() -> None:
    (finding,) = load_bytes("r.yaml", b"id: a\n!x title: b\n").diagnostics
    assert (finding.rule, finding.line) == ("yaml.tag", 2)


def test_the_rule_catalog_states_the_limits_in_force() -> None:
    assert f"最多嵌套 {MAX_DEPTH} 层" in RULES["yaml.too-deep"].explanation
    assert f"最多 {MAX_NUMBER_DIGITS} 位" in RULES["yaml.number-too-long"].explanation
