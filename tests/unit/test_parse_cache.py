"""validation.files.ParseCache: the live preview validates on every save, reusing what unchanged
files gave (their records, schema results and the findings of the rules that look at one record
alone); what it reports must be what a validation from nothing reports."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liandong.validation.files import ParseCache
from liandong.validation.pipeline import Result, validate
from liandong.validation.rules import personal

from ..helpers import REPO, make_repo

TODAY = datetime.date(2026, 11, 25)


def _found(result: Result) -> list[tuple[str, str, int | None, str]]:
    return [(d.path, d.rule, d.line, d.message) for d in result.diagnostics]


def _id_number() -> str:
    first = "11010119900307451"
    return first + personal.id_check_char(first)


def test_each_save_is_checked_as_from_nothing_and_only_it_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(tmp_path, REPO / "registry")
    cache = ParseCache()
    assert _found(validate(root, today=TODAY, cache=cache)) == _found(validate(root, today=TODAY))
    checked: list[str] = []
    real = personal.check_record
    monkeypatch.setattr(personal, "check_record", lambda record: checked.append(record.path) or real(record))

    task = root / "registry/tasks/task-0016.yaml"
    good = task.read_text(encoding="utf-8")
    # An identity card number in a public record, and a progress entry dated after today.
    task.write_text(good.replace("  - date: 2026-08-25\n", f"  - date: 2026-12-25\n    # {_id_number()}\n", 1), encoding="utf-8")
    cached = validate(root, today=TODAY, cache=cache)
    assert checked == ["registry/tasks/task-0016.yaml"]  # the other records' findings were kept
    rules = {d.rule for d in cached.diagnostics if d.path == "registry/tasks/task-0016.yaml"}
    assert {"publish.id-card", "dates.future-entry"} <= rules
    assert _found(cached) == _found(validate(root, today=TODAY))

    # On a later day the entry is no longer in the future: what depends on today is checked again.
    later = datetime.date(2027, 1, 5)
    assert "dates.future-entry" not in {d.rule for d in validate(root, today=later, cache=cache).diagnostics}
    assert _found(validate(root, today=later, cache=cache)) == _found(validate(root, today=later))

    task.write_text(good, encoding="utf-8")
    fixed = validate(root, today=later, cache=cache)
    assert not [d for d in fixed.diagnostics if d.path == "registry/tasks/task-0016.yaml" and d.rule in rules]
    assert _found(fixed) == _found(validate(root, today=later))
