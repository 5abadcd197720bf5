"""Work a build forks off, so that on two cores it takes the longer of two parts instead of their
sum: the site's files that are not pages (pipeline.site_files: downloads, feeds, indexes; at
10,000 records a third of the build's work), made while this process renders the pages; and, in a
site of several editions, a third of the record pages (plugin.on_env), which write themselves into
the site and list nothing.

The child writes each file into `folder` as it is made, then a list of what it wrote; `finish`
waits for it and moves the files into the site. Where the platform cannot fork (Windows), or
LIANDONG_ONE_PROCESS=1 says not to, the files are made here, at once, into the same folder: the
same result, one core."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from liandong.errors import LiandongError

ONE_PROCESS = "LIANDONG_ONE_PROCESS"  # set to 1: a build makes everything in its own process (a machine of one core)
MADE = ".made"  # written last by the child: the paths it wrote, one a line
FAILED = ".failed"  # written by the child when making a file failed: the error, then its traceback


def can_fork() -> bool:
    """Whether a build may hand work to forked processes: the platform forks, and ONE_PROCESS is not 1."""
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get(ONE_PROCESS) != "1"


class FilesFailed(LiandongError):
    """The site's files could not be made (its cause, with --traceback: the child's traceback)."""

    exit_code = 1


class ChildTraceback(Exception):
    """The traceback of the process that made the files, as the cause of its FilesFailed."""


def _write(folder: Path, files: Iterable[tuple[str, bytes]]) -> None:
    made = []
    for path, data in files:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        made.append(path)
    (folder / MADE).write_text("".join(f"{path}\n" for path in made), encoding="utf-8")


def _child(make: Callable[[], Iterable[tuple[str, bytes]]], folder: Path) -> None:
    try:
        _write(folder, make())
    except BaseException as err:  # the parent reports it: a child's traceback on stderr would be lost among the build's
        (folder / FAILED).write_text(f"{type(err).__name__}: {err}\n{traceback.format_exc()}", encoding="utf-8")
        raise SystemExit(1) from None


class PendingFiles:
    """The files being made into `folder` (a hidden folder of the site, which MkDocs does not clean);
    `what` names them in the messages (下载文件, 记录页面)."""

    def __init__(self, folder: Path, process: multiprocessing.process.BaseProcess | None, what: str) -> None:
        self.folder = folder
        self.process = process
        self.what = what

    @classmethod
    def start(cls, make: Callable[[], Iterable[tuple[str, bytes]]], folder: Path, what: str = "下载文件") -> PendingFiles:
        shutil.rmtree(folder, ignore_errors=True)  # a folder of this name is only ever ours
        folder.mkdir(parents=True)
        if not can_fork():
            try:
                _write(folder, make())
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            return cls(folder, None, what)
        # Forked, not spawned: the child has the model and the renderer as they are, without
        # reading and validating the registry again.
        process = multiprocessing.get_context("fork").Process(target=_child, args=(make, folder), daemon=True)
        process.start()
        return cls(folder, process, what)

    def finish(self, site_dir: Path) -> list[str]:
        """Waits for the files and moves them into `site_dir`; the paths moved. Raises FilesFailed
        (and removes the folder) when they could not all be made."""
        if self.process is not None:
            self.process.join()
        try:
            failed = self.folder / FAILED
            if failed.is_file():
                summary, _, detail = failed.read_text(encoding="utf-8").partition("\n")
                raise FilesFailed(f"生成网站的{self.what}时出错：{summary}") from ChildTraceback(detail)
            made = self.folder / MADE
            if not made.is_file():
                code = self.process.exitcode if self.process is not None else None
                why = f"被信号 {-code} 终止（可能是内存不足）" if code is not None and code < 0 else f"异常退出（退出码 {code}）"
                raise FilesFailed(f"生成网站{self.what}的进程{why}，{self.what}不完整。")
            paths = made.read_text(encoding="utf-8").splitlines()
            for path in paths:
                target = site_dir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / path, target)
            return paths
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def cancel(self) -> None:
        """Stops the child (the build failed) and removes the folder."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
        shutil.rmtree(self.folder, ignore_errors=True)
