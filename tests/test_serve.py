"""`liandong serve` follows the registry, the schemas and the site's sources: an edit shows, a broken save shows its diagnostics."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .helpers import REPO, case_repo

# The live preview (site/live.py) in its own process.
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, deadline: float, expect: str) -> str:
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read().decode("utf-8")
            if expect in body:
                return body
        except OSError:
            pass
        time.sleep(0.3)
    return body


@contextmanager
def serving(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """`liandong serve` in its own process on a copy of a small registry with the site's sources;
    yields the copy's folder and the preview's address."""
    root = case_repo(tmp_path / "repo", "valid/minimal")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "liandong", "serve", "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-25"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_reloads_after_a_record_changes(tmp_path: Path) -> None:
    with serving(tmp_path) as (root, base):
        url = f"{base}tasks/task-0001/"
        assert "明确园区管理权限" in _get(url, time.monotonic() + 30, "明确园区管理权限")
        record = root / "registry/tasks/task-0001.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace("title: 明确园区管理权限", "title: 已修改的任务名称"), encoding="utf-8")
        assert "已修改的任务名称" in _get(url, time.monotonic() + 30, "已修改的任务名称")


def test_a_broken_save_shows_its_diagnostics_and_the_next_good_one_recovers(tmp_path: Path) -> None:
    """Over HTTP: the page is replaced by the diagnostics (file:line, the Chinese message, escaped)
    within seconds, never a hang; the browser's long poll hears of each change; a good save brings
    the page back."""
    with serving(tmp_path) as (root, base):
        url = f"{base}tasks/task-0001/"
        page = _get(url, time.monotonic() + 30, "明确园区管理权限")
        assert "/__liandong__/reload" in page
        version = int(page.split("var v=")[1].split(";")[0])
        record = root / "registry/tasks/task-0001.yaml"
        good = record.read_text(encoding="utf-8")
        record.write_text(good.replace("title: 明确园区管理权限", "title: <b>坏</b>\nstatus: 不存在"), encoding="utf-8")
        with urllib.request.urlopen(f"{base}__liandong__/reload?v={version}", timeout=30) as answer:
            assert json.loads(answer.read())["version"] != version
        deadline = time.monotonic() + 10
        body = ""
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
            except urllib.error.HTTPError as err:
                body = err.read().decode("utf-8")
                assert err.code == 500
                break
            time.sleep(0.2)
        assert "registry/tasks/task-0001.yaml:" in body and "error[" in body, body[:500]
        assert "<b>坏</b>" not in body
        record.write_text(good, encoding="utf-8")
        assert "明确园区管理权限" in _get(url, time.monotonic() + 10, "明确园区管理权限")


def test_a_hand_written_page_changed_is_shown(tmp_path: Path) -> None:
    """site/ (MkDocs' docs_dir) is followed too: a change there builds the site again."""
    with serving(tmp_path) as (root, base):
        url = f"{base}about/"
        assert "关于本站" in _get(url, time.monotonic() + 30, "关于本站")
        page = root / "site/about.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n\n新加的一段说明。\n", encoding="utf-8")
        assert "新加的一段说明" in _get(url, time.monotonic() + 30, "新加的一段说明")
