"""The editor line: every record starts with `# yaml-language-server: $schema=../../schemas/<type>.schema.json`.

VS Code's YAML extension (and other editors built on yaml-language-server) read that comment to
offer completion, tooltips and checks against the record's own schema. A missing line (or one
further down the file) only loses or hides that help: a warning, so that a correct record is
never kept off the site for want of a comment. A line that names another schema makes the
editor flag correct fields and suggest wrong ones, and usually means the file was copied from
another type's folder: an error."""

from __future__ import annotations

import re
from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.repo import SCHEMAS_DIR
from liandong.validation.rules import Context
from liandong.validation.schema import SCHEMA_SUFFIX

RULE = "files.schema-comment"
_MODELINE = re.compile(r"^#\s*yaml-language-server\s*:\s*\$schema=(\S*)\s*$")


def expected_line(type_name: str) -> str:
    """The first line of a record of this type (records live at registry/<type>/<id>.yaml)."""
    return f"# yaml-language-server: $schema=../../{SCHEMAS_DIR}/{type_name}{SCHEMA_SUFFIX}"


def _shown(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "…"


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.records:
        if record.type not in ctx.schemas.types:
            continue
        wanted = expected_line(record.type)
        if record.text.startswith(wanted) and record.text[len(wanted) : len(wanted) + 1] in ("\n", "\r", ""):
            continue  # the usual case, decided without splitting the file into lines
        target = wanted.rsplit("=", 1)[1]
        lines = record.text.splitlines()
        # yaml-language-server honours the first such comment anywhere in the file.
        number, found = next(((n, m) for n, line in enumerate(lines, 1) if (m := _MODELINE.match(line))), (0, None))
        if found is None:
            yield Diagnostic(
                record.path,
                RULE,
                "文件开头缺少编辑器注释（yaml-language-server），编辑器无法按模式提示和检查",
                f"请在第 1 行加上：{wanted}",
                line=1,
                col=1,
                severity="warning",
            )
        elif found.group(1) != target:
            where = "第 1 行" if number == 1 else f"第 {number} 行"
            yield Diagnostic(
                record.path,
                RULE,
                f"{where}的编辑器注释指向 “{_shown(found.group(1))}”，应指向{ctx.schemas.types[record.type].title}的模式 “{target}”",
                f"请删去它，在第 1 行写：{wanted}" if number != 1 else f"请把第 1 行改为：{wanted}",
                line=1,
                col=1,
            )
        elif number != 1:
            yield Diagnostic(
                record.path, RULE, f"编辑器注释写在第 {number} 行，应写在第 1 行", f"请把它移到文件开头：{wanted}", line=1, col=1, severity="warning"
            )
