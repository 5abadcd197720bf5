from __future__ import annotations

import pytest

from generator.load import MAX_FILE_BYTES, load_bytes
from generator.locate import locate
from generator.diagnostics import Diagnostic


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("no", "no"), ("yes", "yes"), ("on", "on"), ("True", "True"),  # YAML 1.1 booleans stay text
        ("12:30", "12:30"), ("010", "010"), ("0x1F", "0x1F"), ("1_000", "1_000"),  # no sexagesimal, octal, hex
        ("2024-02-30", "2024-02-30"), ("2024-03-01", "2024-03-01"),  # dates stay as written
        (".inf", ".inf"), ("1e3", "1e3"),
        ("true", True), ("false", False), ("null", None), ("~", None), ("", None),
        ("0", 0), ("-12", -12), ("450681", 450681), ("1.5", 1.5),
        ('"010"', "010"), ("'true'", "true"),
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
