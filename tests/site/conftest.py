"""Sites built once per test session with the real CLI, from copies of the project in temporary
folders: the build reads only the copy and writes only to its --output, never into the repository.

- bundled / bundled_internal: the repository's registry/, schemas/, site/ and mkdocs.yml;
- hostile / hostile_internal: the same plus tests/site/fixtures/hostile/ — records whose every
  visible text tries to inject markup or script, and one internal record carrying MARKER;
- published: the hostile public edition built with LIANDONG_SITE_URL=SITE_URL, as the Pages
  workflow builds it (sitemap.xml and canonical links filled in). The other builds run without it.

The HTTP fixtures serve a built site on 127.0.0.1 at a free port for the browser tests; one serves
the public site under a sub-path, as GitHub Pages serves a project site at /REPO/."""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from liandong.validation.schema import is_type_schema
from liandong.yamlio.loader import load_bytes

from ..helpers import REPO, case_repo, make_repo

TODAY = "2026-11-25"
FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = FIXTURES / "hostile"
# The internal hostile record (coord-9002) carries these; none may reach the public site.
MARKER = "INTERNAL-MARKER-7f3a"
MARKER_ZH = "七福三安"
HOSTILE_INTERNAL_ID = "coord-9002"
SITE_URL = "https://example.org/liandong/"
SUB_PATH = "liandong"
# Pagefind's Chinese segmenter writes zero-width spaces between words inside its (gzipped) files.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


@dataclass(frozen=True)
class Project:
    """A copy of the project in a temporary folder, and a fingerprint of it taken before any build."""

    root: Path
    before: dict[str, str] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """Every record of the copy's registry, with its type under "_type"."""
        return read_records(self.root / "registry")

    def public(self) -> list[dict[str, Any]]:
        return [r for r in self.records() if is_public(r)]

    def internal(self) -> list[dict[str, Any]]:
        return [r for r in self.records() if not is_public(r)]

    def types(self) -> list[str]:
        return sorted(p.name.removesuffix(".schema.json") for p in (self.root / "schemas").glob("*.schema.json") if is_type_schema(p.name))


@dataclass(frozen=True)
class Site:
    project: Project
    output: Path
    internal: bool


def read_records(registry: Path) -> list[dict[str, Any]]:
    """Every record of a registry folder as the production loader reads it, with its type under
    "_type"; a file the loader refuses fails the test."""
    found = []
    for path in sorted(registry.glob("*/*.yaml")):
        loaded = load_bytes(path.relative_to(registry.parent).as_posix(), path.read_bytes())
        assert loaded.data is not None, [d.message for d in loaded.diagnostics]
        found.append({**loaded.data, "_type": path.parent.name})
    return found


def is_public(record: dict[str, Any]) -> bool:
    return record.get("visibility", "public") == "public"


def fingerprint(folder: Path) -> dict[str, str]:
    """Relative path → sha256 of every file (and "dir" for every folder) under `folder`."""
    tree: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            tree[rel] = "link:" + str(path.readlink())
        elif path.is_dir():
            tree[rel] = "dir"
        else:
            tree[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return tree


def _with_site(root: Path) -> Path:
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def copy_project(root: Path, registry: Path = REPO / "registry", *overlays: Path) -> Path:
    """registry/ (plus overlay registries laid on top), schemas/, site/ and mkdocs.yml in `root`."""
    make_repo(root, registry)
    for overlay in overlays:
        shutil.copytree(overlay, root / "registry", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    return _with_site(root)


def case_project(root: Path, case: str) -> Path:
    """The registry of a validation case, e.g. "valid/minimal" (the shared registry with the case's
    files, tests/cases/README.md), with schemas/, site/ and mkdocs.yml, in `root`."""
    return _with_site(case_repo(root, case))


def liandong(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process, run from outside the project copy; a
    LIANDONG_SITE_URL of the caller's shell does not reach it unless `env` passes one."""
    environment = {k: v for k, v in os.environ.items() if k != "LIANDONG_SITE_URL"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "liandong", *args, "--root", str(root)], cwd=root.parent, capture_output=True, text=True, timeout=300, env=environment
    )


def build(root: Path, output: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return liandong(root, "build", "--today", TODAY, "--output", str(output), *extra, env=env)


def _built(project: Project, output: Path, internal: bool, env: dict[str, str] | None = None) -> Site:
    done = build(project.root, output, *(["--internal"] if internal else []), env=env)
    if done.returncode != 0:
        pytest.fail(f"liandong build{' --internal' if internal else ''} failed ({done.returncode}):\n{done.stderr}", pytrace=False)
    return Site(project, output, internal)


def contents(path: Path) -> str:
    """A file's text as a reader of it would see it: gzip (Pagefind's index, sitemap.xml.gz)
    unpacked, an office file (.xlsx, .docx: a zip of XML parts) unzipped with its character
    references resolved (openpyxl writes 编号 as &#32534;&#21495;), zero-width spaces dropped;
    undecodable bytes replaced."""
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as package:
            parts = [package.read(name).decode("utf-8", "replace") for name in package.namelist() if name.endswith((".xml", ".rels"))]
        return html.unescape("\n".join(parts)).translate(ZERO_WIDTH)
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", "replace").translate(ZERO_WIDTH)


# -- projects and sites -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_project(tmp_path_factory.mktemp("bundled") / "repo")
    return Project(root, fingerprint(root))


@pytest.fixture(scope="session")
def public_site(bundled: Project) -> Site:
    return _built(bundled, bundled.root.parent / "public", internal=False)


@pytest.fixture(scope="session")
def internal_site(bundled: Project) -> Site:
    return _built(bundled, bundled.root.parent / "public-internal", internal=True)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "repo", REPO / "registry", HOSTILE)
    return Project(root, fingerprint(root))


@pytest.fixture(scope="session")
def hostile_site(hostile: Project) -> Site:
    return _built(hostile, hostile.root.parent / "public", internal=False)


@pytest.fixture(scope="session")
def hostile_internal_site(hostile: Project) -> Site:
    return _built(hostile, hostile.root.parent / "public-internal", internal=True)


@pytest.fixture(scope="session")
def published_site(hostile: Project) -> Site:
    return _built(hostile, hostile.root.parent / "public-published", internal=False, env={"LIANDONG_SITE_URL": SITE_URL})


def hostile_pages() -> list[str]:
    """Site URLs of the public hostile records, e.g. "meetings/mtg-9001/"."""
    return [f"{r['_type']}/{r['id']}/" for r in read_records(HOSTILE) if is_public(r)]


# -- HTTP ---------------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port until the generator is closed; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def pagefind_results(page: Any, base: str, query: str, edition: str = "") -> list[str]:
    """Every result Pagefind gives for `query` in an edition ("", "vi/", "en/") of the site at `base`,
    its indexes merged as search.js merges them (search/shards.json, by the page's language)."""
    page.goto(base + edition + "search/")
    return sorted(
        page.evaluate(
            """async ([base, query]) => {
              const pagefind = await import(base + "pagefind/pagefind.js");
              await pagefind.options({ baseUrl: "/" });
              const listed = await fetch(base + "search/shards.json").then(r => r.json());
              for (const bundle of listed[document.documentElement.lang] || []) await pagefind.mergeIndex(base + bundle, { baseUrl: "/" });
              const found = await pagefind.search(query);
              return Promise.all(found.results.map(r => r.data().then(d => d.url)));
            }""",
            [base, query],
        )
    )


@pytest.fixture(scope="session")
def public_url(public_site: Site) -> Iterator[str]:
    yield from serve(public_site.output)


@pytest.fixture(scope="session")
def public_subpath_url(public_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The public site at http://127.0.0.1:PORT/liandong/, the server's root being a folder above it."""
    above = tmp_path_factory.mktemp("above")
    (above / SUB_PATH).symlink_to(public_site.output, target_is_directory=True)
    for base in serve(above):
        yield f"{base}{SUB_PATH}/"


@pytest.fixture(scope="session")
def hostile_url(hostile_site: Site) -> Iterator[str]:
    yield from serve(hostile_site.output)


@pytest.fixture(scope="session")
def hostile_internal_url(hostile_internal_site: Site) -> Iterator[str]:
    yield from serve(hostile_internal_site.output)


# -- in Chromium (the `browser` fixture of tests/conftest.py) -----------------------------------

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Tab:
    """A page in its own context, with the dialogs and uncaught errors it saw."""

    def __init__(self, browser: Any, viewport: dict[str, int], **options: Any) -> None:
        self.context = browser.new_context(viewport=viewport, **options)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = Tab(browser, DESKTOP)
    yield opened
    opened.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Tab]:
    opened = Tab(browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield opened
    opened.close()


def search(page: Any, base: str, query: str, via_address: bool = False) -> list[dict[str, str]]:
    """Type `query` on the search page (or pass it as ?q=) and wait for the answer; the results shown."""
    if via_address:
        page.goto(f"{base}search/?q={quote(query)}")
    else:
        page.goto(base + "search/")
        page.fill("#ld-search-input", query)
    page.wait_for_function("""() => {
      const status = document.querySelector(".ld-search-status").textContent;
      return status.startsWith("找到") || status.startsWith("没有") || status.startsWith("搜索索引加载失败");
    }""")
    assert not page.locator(".ld-search-status").inner_text().startswith("搜索索引加载失败")
    return page.eval_on_selector_all(
        "ol.ld-search-results > li",
        """items => items.map(li => ({
      href: li.querySelector("a") ? li.querySelector("a").getAttribute("href") : "",
      title: li.querySelector("a") ? li.querySelector("a").textContent : "",
      type: li.querySelector(".ld-type") ? li.querySelector(".ld-type").textContent.trim() : "",
      status: li.querySelector(".ld-status") ? li.querySelector(".ld-status").textContent.trim() : "",
      text: li.textContent,
    }))""",
    )
