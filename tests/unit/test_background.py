"""The site's files made by a forked process beside the pages (site/background.py)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from liandong.site.background import FilesFailed, PendingFiles


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


def _files_then(action: Callable[[], object]) -> Callable[[], Iterator[tuple[str, bytes]]]:
    """What a make() gives the process: two files, then `action` (what goes wrong), then one more."""

    def make() -> Iterator[tuple[str, bytes]]:
        yield "data/a.csv", "编号\n1\n".encode()
        yield "search/names/b.json", b"{}"
        action()
        yield "pid", str(os.getpid()).encode()

    return make


def test_the_files_are_made_in_another_process_and_moved_into_the_site(site: Path) -> None:
    pending = PendingFiles.start(_files_then(lambda: None), site / ".held")
    assert sorted(pending.finish(site)) == ["data/a.csv", "pid", "search/names/b.json"]
    assert int((site / "pid").read_text()) != os.getpid()  # forked: this process went on (rendering the pages)
    assert (site / "data/a.csv").read_bytes() == "编号\n1\n".encode()
    assert (site / "search/names/b.json").read_bytes() == b"{}"
    assert sorted(p.name for p in site.iterdir()) == ["data", "pid", "search"]  # the folder is gone


def test_an_error_while_making_a_file_fails_with_its_message_and_leaves_nothing(site: Path) -> None:
    def fail() -> None:
        raise ValueError("台账写不出来")

    pending = PendingFiles.start(_files_then(fail), site / ".held")
    with pytest.raises(FilesFailed) as failed:
        pending.finish(site)
    assert str(failed.value) == "生成网站的下载文件时出错：ValueError: 台账写不出来"
    assert "Traceback" in str(failed.value.__cause__) and "台账写不出来" in str(failed.value.__cause__)  # shown with --traceback
    assert list(site.iterdir()) == []


def test_a_killed_process_is_said_so_and_nothing_is_moved(site: Path) -> None:
    # as the kernel's out-of-memory killer would
    pending = PendingFiles.start(_files_then(lambda: os.kill(os.getpid(), signal.SIGKILL)), site / ".held", "记录页面")
    with pytest.raises(FilesFailed, match="生成网站记录页面的进程被信号 9 终止（可能是内存不足），记录页面不完整。"):
        pending.finish(site)
    assert list(site.iterdir()) == []


def test_a_cancelled_build_stops_the_process_and_removes_its_folder(site: Path) -> None:
    pending = PendingFiles.start(_files_then(signal.pause), site / ".held")  # still making files when the build fails
    process = pending.process
    pending.cancel()
    assert process is not None and not process.is_alive()
    assert list(site.iterdir()) == []
