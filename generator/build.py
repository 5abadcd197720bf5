"""`liandong build`: MkDocs into a fresh folder beside the output, Pagefind over it, then swap.

A failed build leaves the previous output exactly as it was; the build never writes into
registry/ (MkDocs reads site/ and writes only to the temporary folder)."""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException


class SiteBuildError(Exception):
    """The build failed; the previous output is untouched."""


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so a strict-mode failure can say what they were."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class BuildResult:
    output: Path
    pages: int
    seconds: float
    history_note: str = ""  # why the pages' history is missing or partial, "" when complete


def plugin_options(today: datetime.date, internal: bool) -> list[dict[str, dict[str, object]]]:
    """The `plugins` setting with our options filled in (mkdocs.yml lists only this plugin)."""
    return [{"liandong": {"today": today.isoformat(), "internal": internal}}]


def _configure(root: Path, site_dir: Path, today: datetime.date, internal: bool):  # type: ignore[no-untyped-def]
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True, plugins=plugin_options(today, internal))
    if internal:
        config.site_name = f"{config.site_name}（内部版）"
    return config


def index_search(site: Path) -> None:
    """Pagefind's extended build segments Chinese; the index is chunked, so phones download little."""
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], capture_output=True, text=True)
    if run.returncode != 0:
        raise SiteBuildError(f"Pagefind 建立搜索索引失败：{run.stderr.strip() or run.stdout.strip()}")


def build_site(root: Path, output: Path, today: datetime.date, internal: bool = False) -> BuildResult:
    import time

    started = time.monotonic()
    output = output.resolve()
    if output == root.resolve() or root.resolve() / "registry" in (output, *output.parents):
        raise SiteBuildError(f"输出目录 {output} 不能是仓库根目录或位于 registry/ 中")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    # MkDocs stamps sitemap.xml with the build date; tie it to `today` so builds are reproducible.
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.datetime.combine(today, datetime.time(), datetime.timezone.utc).timestamp()))
    collected = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collected)
    try:
        config = _configure(root, staging, today, internal)
        mkdocs_build(config)
        index_search(staging)
        pages = sum(1 for _ in staging.rglob("index.html"))
        content = config.plugins["liandong"].content
        history_note = content.history_note if content is not None else ""
    except (MkDocsException, Abort) as err:
        shutil.rmtree(staging, ignore_errors=True)
        details = "".join(f"\n  {message}" for message in collected.messages)
        raise SiteBuildError(f"{err}{details}") from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        mkdocs_logger.removeHandler(collected)
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
    _swap(staging, output)
    return BuildResult(output, pages, time.monotonic() - started, history_note)


def _swap(staging: Path, output: Path) -> None:
    old = output.with_name(f".{output.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
