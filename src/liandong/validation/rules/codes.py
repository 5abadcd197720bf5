"""Check digits of codes organisations carry: 统一社会信用代码 (GB 32100-2015)."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context
from liandong.validation.schema import values_at

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(code: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(code[:17], USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def check(ctx: Context) -> Iterator[Diagnostic]:
    """Every code the schemas mark (x-code), wherever it stands in a record."""
    for record in ctx.valid:
        for path, kind in ctx.schemas.types[record.type].code_paths:
            if kind != "uscc":
                continue
            for pointer, code in values_at(record.data, path):
                if isinstance(code, str) and len(code) == 18 and code[17] != uscc_check_char(code):
                    yield Diagnostic(
                        record.path,
                        "code.uscc-check",
                        f"统一社会信用代码 “{code}” 的校验码不对（应为 {uscc_check_char(code)}）",
                        "请对照营业执照或登记证书重新核对代码。",
                        pointer=pointer,
                    )
