"""Each rule's example for the contributor pages: the first finding of the rule in its first rule
case (a real diagnostic, exactly as `liandong validate` prints it) and the lines it points at."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from liandong.repo import RULE_CASES_DIR

CASES = Path(RULE_CASES_DIR) / "invalid"
# The registry every case starts from; a case holds only the files it adds or changes (tests/cases/README.md).
SHARED = Path(RULE_CASES_DIR) / "shared"


@dataclass
class RuleExample:
    case: str  # tests/cases/invalid/<rule>/<case>
    diagnostic: str  # the exact lines `liandong validate` prints (with the hint)
    snippet: list[tuple[int, str]]  # numbered lines of the file around the finding
    hint: str  # the diagnostic's next step
    line: int  # the line the diagnostic points at


def rule_example(root: Path, rule_id: str) -> RuleExample | None:
    """The first finding of this rule in the first of its test cases, with the lines it points at."""
    folder = root / CASES / rule_id
    for case in sorted(p for p in folder.glob("*") if p.is_dir()) if folder.is_dir() else []:
        expected = case / "expected.txt"
        if not expected.is_file():
            continue
        lines = expected.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            found = re.match(rf"^(\S+?):(\d+):\d+: (?:error|warning)\[{re.escape(rule_id)}\]", line)
            if not found:
                continue
            hint = lines[n + 1].removeprefix("  hint: ") if n + 1 < len(lines) and lines[n + 1].startswith("  hint: ") else ""
            diagnostic = line + (f"\n  hint: {hint}" if hint else "")
            # change cases hold two states (a deleted record is only in the base); a file no state
            # of the case holds is the shared registry's
            candidates = [case / "head" / found.group(1), case / "base" / found.group(1), case / found.group(1), root / SHARED / found.group(1)]
            source = next((c for c in candidates if c.is_file()), candidates[2])
            return RuleExample(case.relative_to(root).as_posix(), diagnostic, _snippet(source, int(found.group(2))), hint, int(found.group(2)))
    return None


def _snippet(path: Path, line: int) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes()[:20_000].decode("utf-8", "replace")
    except OSError:
        return []
    rows = text.splitlines()
    first = max(1, line - 2)
    return [(n, rows[n - 1][:160]) for n in range(first, min(len(rows), line + 2) + 1)]
