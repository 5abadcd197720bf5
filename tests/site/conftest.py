"""Sites built once per test session with the real CLI, from copies (the repo is never written)."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from ..helpers import REPO, make_repo, write

TODAY = "2026-11-25"
INTERNAL_ID = "coord-0004"  # the bundled registry's internal example
HOSTILE_MARKER = "INTERNAL-MARKER-7f3a"
XSS = [
    ("title", "<script>window.__xss=1</script>标题"),
    ("place", '"><svg onload=window.__xss=1>'),
    ("notes", "[点我](javascript:window.__xss=1) <img src=x onerror=\"window.__xss=1\"> {: onclick=\"window.__xss=1\"}"),
]


def copy_project(root: Path, registry: Path) -> Path:
    make_repo(root, registry)
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def build(root: Path, output: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--today", TODAY, "--output", str(output), *extra],
                          cwd=root, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("bundled") / "repo", REPO / "registry")


@pytest.fixture(scope="session")
def public_site(bundled: Path) -> Path:
    done = build(bundled, bundled / "public")
    assert done.returncode == 0, done.stderr
    return bundled / "public"


@pytest.fixture(scope="session")
def internal_site(bundled: Path) -> Path:
    done = build(bundled, bundled / "public-internal", "--internal")
    assert done.returncode == 0, done.stderr
    return bundled / "public-internal"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden registry plus records that try to inject markup, and an internal record
    carrying a marker string that must never reach the public site."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "repo", REPO / "tests/golden/registry")
    meeting = ("id: mtg-0666\ntitle: {title}\nstatus: held\nvisibility: public\nexample: true\nmechanism: mech-a\n"
               "date: 2024-04-01\nplace: '{place}'\nattendees:\n  - org-a\nnotes: '{notes}'\n")
    write(root, "registry/meetings/mtg-0666.yaml", meeting.format(**{k: v.replace("'", "''") for k, v in XSS}))
    write(root, "registry/coordination/coord-0666.yaml",
          f"id: coord-0666\ntitle: {HOSTILE_MARKER} 内部事项\nstatus: open\nvisibility: internal\norigin: department\n"
          f"raised_by: org-a\nraised_on: 2024-04-01\nresponsible:\n  - org-a\ndescription: 只在内部版出现 {HOSTILE_MARKER}\n")
    done = build(root, root / "public")
    assert done.returncode == 0, done.stderr
    return root / "public"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the library's name
        pass


def serve(folder: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def public_url(public_site: Path) -> Iterator[str]:
    yield from serve(public_site)


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    yield from serve(hostile_site)
