"""What "today" is for a build: an explicit date, else SOURCE_DATE_EPOCH, else the clock.

Builds are reproducible: the same repository and the same today give the same output."""

from __future__ import annotations

import datetime
import os
from zoneinfo import ZoneInfo

from liandong.errors import SetupError

ZONE = ZoneInfo("Asia/Shanghai")


class TodayError(SetupError, ValueError):
    """SOURCE_DATE_EPOCH is set but is not a timestamp: a setup error (exit 2), not a crash."""


def resolve_today(explicit: datetime.date | None = None, environ: dict[str, str] | None = None) -> datetime.date:
    if explicit is not None:
        return explicit
    epoch = (environ if environ is not None else os.environ).get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.datetime.fromtimestamp(int(epoch), ZONE).date()
        except (ValueError, OverflowError, OSError) as err:
            raise TodayError(f"SOURCE_DATE_EPOCH={epoch!r} 不是有效的 Unix 时间戳") from err
    return datetime.datetime.now(ZONE).date()
