"""One finding of any check, and the helpers that order them and pick an exit code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# A JSON-pointer-like path into a record: keys and list indexes.
Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Diagnostic:
    path: str  # repository-relative, POSIX separators
    rule: str  # stable English id, documented in catalog.RULES
    message: str  # Chinese, names the value and what is wrong
    hint: str = ""  # Chinese, the next step
    line: int = 0  # 1-based; 0 until located
    col: int = 0
    severity: Severity = "error"
    # Where in the record the finding is; resolved to line:col by locate.py.
    pointer: Pointer | None = field(default=None, compare=False)
    # Point at the key itself (unknown field) rather than its value.
    at_key: bool = field(default=False, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.rule, self.message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def exit_code(diagnostics: Iterable[Diagnostic]) -> int:
    """0 when nothing is wrong, 1 when any error was found (warnings alone pass)."""
    return 1 if any(d.severity == "error" for d in diagnostics) else 0
