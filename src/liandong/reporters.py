"""Render a list of diagnostics as text, GitHub workflow commands or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from liandong.diagnostics import Diagnostic


def text(diagnostics: list[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        lines.append(f"{d.path}:{d.line}:{d.col}: {d.severity}[{d.rule}]: {d.message}")
        if d.hint:
            lines.append(f"  hint: {d.hint}")
    return "\n".join(lines) + ("\n" if lines else "")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(diagnostics: list[Diagnostic]) -> str:
    """Workflow commands, so findings appear as annotations on the changed lines of a pull request."""
    lines = []
    for d in diagnostics:
        props = f"file={_escape_property(d.path)},line={d.line},col={d.col},title={_escape_property(d.rule)}"
        body = d.message + (f"\n提示：{d.hint}" if d.hint else "")
        lines.append(f"::{d.severity} {props}::{_escape_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_json(diagnostics: list[Diagnostic]) -> str:
    items = [{"path": d.path, "line": d.line, "col": d.col, "severity": d.severity, "rule": d.rule, "message": d.message, "hint": d.hint} for d in diagnostics]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


REPORTERS: dict[str, Callable[[list[Diagnostic]], str]] = {"text": text, "github": github, "json": as_json}
