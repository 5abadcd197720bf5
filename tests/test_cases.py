"""Case directories: tests/cases/valid/<case>/ and tests/cases/invalid/<rule-id>/<case>/, each
holding only what it adds to or changes in the shared registry (tests/cases/shared/), and, for
an invalid case, expected.txt. The layout is described in tests/cases/README.md.

Each invalid case states the exact diagnostics (text format, hints included) it must produce;
each valid case must produce none. `pytest --update-golden` rewrites expected.txt — read the
diff before committing it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liandong.reporters import text
from liandong.validation.catalog import RULES
from liandong.validation.pipeline import validate

from .helpers import CASES, SHARED, lay_out_case, make_repo

ALL_INVALID = sorted(p for p in CASES.glob("invalid/*/*") if p.is_dir())
# Cases with a base/ or head/ folder compare two states of the registry: tests/test_change_cases.py runs them.
INVALID = [p for p in ALL_INVALID if not ((p / "base").is_dir() or (p / "head").is_dir())]
VALID = sorted(p for p in CASES.glob("valid/*") if p.is_dir())
# "Today" for every case, so no case rots as the clock moves (dates.future-entry compares with it).
TODAY = datetime.date(2026, 11, 25)


def _repo(case: Path, root: Path) -> Path:
    """The case laid out as a repository: real schemas, the shared registry, the case's files, special.txt."""
    return lay_out_case(case, make_repo(root))


def _run(case: Path, tmp_path: Path) -> str:
    return text(validate(_repo(case, tmp_path / "repo"), today=TODAY).diagnostics)


@pytest.mark.parametrize("case", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    output = _run(case, tmp_path)
    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8"), output
    rule = case.parent.name
    assert f"[{rule}]" in output, f"case {case.name} must produce at least one {rule} finding"


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path) -> None:
    assert _run(case, tmp_path) == ""


# Rules that no registry can trigger with today's schemas; each has a unit test instead.
WITHOUT_CASE = {"schema.other": "fallback for schema keywords our schemas do not use (tests/unit/test_schema_errors.py)"}


def test_every_rule_is_documented_and_has_a_case() -> None:
    case_rules = {p.parent.name for p in ALL_INVALID}
    assert sorted(set(RULES) - case_rules - set(WITHOUT_CASE)) == [], "rules without a case under tests/cases/invalid/"
    assert sorted(case_rules - set(RULES)) == [], "case folders for rules not in catalog.RULES"
    for rule_id, doc in RULES.items():
        assert doc.summary and doc.explanation, rule_id
        assert any("\u4e00" <= ch <= "\u9fff" for ch in doc.summary), f"{rule_id}: summary must be Chinese"


def test_every_reported_rule_is_in_the_catalog() -> None:
    rules_in_code = set()
    for source in (Path(__file__).parents[1] / "src" / "liandong").rglob("*.py"):
        import re

        rules_in_code |= set(
            re.findall(
                r'"((?:files|yaml|schema|id|ref|dates|lifecycle|numbering|code|publish|change|kind|inspection|push|review|funds)\.[a-z-]+)"',
                source.read_text(encoding="utf-8"),
            )
        )
    assert sorted(rules_in_code - set(RULES)) == []


def test_no_case_repeats_a_shared_file() -> None:
    """A case holds only what it adds or changes: a file identical to the shared registry's at the
    same path belongs in tests/cases/shared/ alone (tests/cases/README.md)."""
    shared = {p.relative_to(SHARED): p.read_bytes() for p in SHARED.rglob("*") if p.is_file()}
    assert shared, "tests/cases/shared/ holds no registry"
    states = [*ALL_INVALID, *VALID, *CASES.glob("changes-valid/*")]
    states = [s / part for s in states for part in ("base", "head")] + states
    repeated = [f"{s.relative_to(CASES)}/{rel}" for s in states for rel, data in shared.items() if (s / rel).is_file() and (s / rel).read_bytes() == data]
    assert repeated == []
