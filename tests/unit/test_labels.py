"""The labels files (#18): src/liandong/site/labels/vi.yaml and en.yaml hold every word the site's
Vietnamese and English editions show, keyed by the Chinese label (ui) or by schema path (schema).

A label is missing when a template or the site's code writes a Chinese label that a file lacks, when
a schema's field or code has no title in a language, or when the two files do not have the same
keys; a label is wrong when its {fields} differ from the Chinese one's. What the built pages show
is checked too (tests/site/test_editions.py: no Chinese that is neither translated nor marked)."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liandong.site.i18n import language, product_labels, schema_path
from liandong.validation.schema import SchemaSet, TypeSchema

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "src/liandong/site"
EDITIONS = ("vi", "en")
HAN = re.compile("[\u3400-\u9fff\uf900-\uffaf]")
# A Chinese literal handed to the edition's words: _("…") in a template, t("…"), say("…") or
# marked("…") in the site's code (a label kept in a constant is looked up where it is used).
LITERAL = re.compile(r"""(?:\b_|\bt|\.t|\bsay|\.say|\.marked)\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')""")


def _literals() -> dict[str, str]:
    """Every Chinese label the templates and the site's modules write, with one file using it."""
    found: dict[str, str] = {}
    for file in sorted([*SITE.glob("templates/*.j2"), *SITE.glob("*.py")]):
        for match in LITERAL.finditer(file.read_text(encoding="utf-8")):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            if HAN.search(text):
                found.setdefault(text, file.name)
    return found


def _schema_paths(ts: TypeSchema, name: str) -> Iterator[tuple[str, str]]:
    """(path, Chinese) for a type, each of its fields at any depth, and each code of an enumeration."""
    yield name, str(ts.schema.get("title", name))

    def walk(pointer: tuple[str | int, ...]) -> Iterator[tuple[str, str]]:
        node = ts.subschema(pointer) or {}
        if pointer:
            yield schema_path(name, pointer), ts.label(pointer)
        labels = node.get("x-enum-labels") or {}
        for code in node.get("enum", []):
            yield f"{schema_path(name, pointer)}={code}", str(labels.get(str(code), code))
        for key in node.get("properties", {}):
            yield from walk((*pointer, key))
        if isinstance(node.get("items"), dict):
            yield from walk((*pointer, 0))

    yield from walk(())


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def labels() -> dict[str, dict[str, Any]]:
    return {code: product_labels(code) for code in EDITIONS}


def test_both_files_have_the_same_labels(labels: dict[str, dict[str, Any]]) -> None:
    vi, en = labels["vi"], labels["en"]
    for section in ("ui", "schema", "notes"):
        assert set(vi[section]) ^ set(en[section]) == set(), section
    assert [t["zh"] for t in vi["terms"]] == [t["zh"] for t in en["terms"]]


def test_every_label_the_site_writes_is_in_each_language(labels: dict[str, dict[str, Any]]) -> None:
    literals = _literals()
    assert len(literals) > 300  # the pattern still finds the site's labels
    for code in EDITIONS:
        known = set(labels[code]["ui"]) | {t["zh"] for t in labels[code]["terms"]}
        missing = [f"{text!r} ({where})" for text, where in literals.items() if text not in known]
        assert missing == [], f"{code}: {len(missing)} labels missing:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("code", EDITIONS)
def test_every_field_and_code_of_every_schema_has_a_title(code: str) -> None:
    words = language(code)
    schemas = SchemaSet(REPO / "schemas")
    untitled = []
    for name, ts in schemas.types.items():
        for path, chinese in _schema_paths(ts, name):
            shown = words.label(path, chinese)
            if HAN.search(shown):
                untitled.append(f"{path}: {chinese}")
    assert untitled == [], f"{len(untitled)} schema paths without a {code} title:\n" + "\n".join(untitled[:40])


@pytest.mark.parametrize("code", EDITIONS)
def test_a_label_keeps_the_fields_of_its_chinese_and_is_in_its_language(labels: dict[str, dict[str, Any]], code: str) -> None:
    wrong = []
    for chinese, shown in labels[code]["ui"].items():
        if _fields(str(chinese)) != _fields(str(shown)):
            wrong.append(f"{chinese!r} → {shown!r}: fields differ")
        elif HAN.search(str(shown)):
            wrong.append(f"{chinese!r} → {shown!r}: Chinese left in it")
    for path, shown in labels[code]["schema"].items():
        if HAN.search(str(shown)) or not str(shown).strip():
            wrong.append(f"{path} → {shown!r}")
    assert wrong == []


def test_every_term_of_official_usage_names_its_source(labels: dict[str, dict[str, Any]]) -> None:
    for code in EDITIONS:
        terms = labels[code]["terms"]
        assert terms, code
        assert all(t.get("zh") and t.get("text") and t.get("source") for t in terms), code


def test_a_missing_label_is_noticed() -> None:
    """The checks above can fail: a label that no file has, a schema path without a title."""
    assert "一个没有译文的标签" not in product_labels("vi")["ui"]
    assert HAN.search(language("vi").label("tasks/no_such_field", "没有这个字段"))
    assert language("vi").t("逾期 {days} 天", days=3) != "逾期 3 天"
