"""`liandong build`: MkDocs into a fresh folder beside the output, Pagefind over it, then swap.

A failed build leaves the previous output exactly as it was; the build never writes into
registry/ (MkDocs reads site/ and writes only to the temporary folder).

The swap deletes the previous output, so before anything is built `check_output` refuses any
output folder that is not provably ours: it must be missing, empty, or carry MARKER (written into
every output), and it must not be, contain or lie inside the repository's own folders (the root,
.git, registry/, schemas/, MkDocs' docs_dir) or hold a file Git tracks. Staging folders of a
killed build are recognised by their exact name and a lock file inside, and removed by the next
build only when no running build holds that lock."""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException

from liandong.diagnostics import Diagnostic
from liandong.errors import OutputRefused, SiteBuildFailed
from liandong.site.plugin import LiandongPlugin
from liandong.site.search_bundles import FIRST, Bundles, index_search, languages_of, list_bundles, read_bundles
from liandong.site.shards import BUNDLE, Built, Shard, read_shards, write_manifest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale staging folders are left for the user
    fcntl = None  # type: ignore[assignment]

# Written at the top of every output; only a folder carrying it may be replaced by a build.
MARKER = ".liandong-site"
MARKER_SIGNATURE = b"liandong-site "
MARKER_TEXT = "liandong-site 1\n此目录由 `liandong build` 生成，下一次生成时会被整体删除并替换；请勿在其中存放自己的文件。\n"
# Inside a staging folder while its build runs, held with an exclusive lock; never in an output.
LOCK = ".liandong-building"
# tempfile.mkdtemp's random part: 8 characters of this alphabet.
_RANDOM = r"[a-z0-9_]{8}"


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
    warnings: list[Diagnostic] = field(default_factory=list)  # validation warnings: the build went ahead


def plugin_options(today: datetime.date, internal: bool, preview: bool = False, shard: str | None = None, records: bool = True) -> dict[str, dict[str, object]]:
    """The `plugins` setting with our options filled in (mkdocs.yml lists only this plugin). A
    mapping, not MkDocs' usual list: MkDocs consumes the items of a list as it reads them."""
    options: dict[str, object] = {"today": today.isoformat(), "internal": internal, "preview": preview, "records": records}
    if shard is not None:
        options["shard"] = shard
    return {"liandong": options}


def _configure(
    root: Path, site_dir: Path, today: datetime.date, internal: bool, preview: bool = False, shard: str | None = None, records: bool = True
) -> MkDocsConfig:
    return load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True, plugins=plugin_options(today, internal, preview, shard, records))


def serve_site(root: Path, today: datetime.date, internal: bool, dev_addr: str) -> None:
    """The live preview (live.py): built once, then each save re-renders only what it changed."""
    from liandong.site.live import serve

    serve(root, today, internal, dev_addr)


def build_site(
    root: Path, output: Path, today: datetime.date, internal: bool = False, shard: Shard | None = None, merge: list[Path] | None = None
) -> BuildResult:
    """The site into `output`; with `shard`, only that shard's record pages and index (shards.py);
    with `merge`, the shards built before put together with every other page."""
    import time

    started = time.monotonic()
    shards = [Path(folder).resolve() for folder in merge or []]
    output = check_output(root, output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputRefused(f"无法创建输出目录的上级目录 {output.parent}：{err.strerror or err}") from err
    remove_stale(output)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(output), dir=output.parent))
    # mkdtemp makes the folder 0700; the published output is read by web servers running as other users.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        lock = _hold(staging / LOCK)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # MkDocs stamps sitemap.xml with the build date; tie it to `today` so builds are reproducible.
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.datetime.combine(today, datetime.time(), datetime.UTC).timestamp()))
    collected = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collected)
    try:
        config = _configure(root, staging, today, internal, shard=str(shard) if shard else None, records=not shards)
        mkdocs_build(config)
        plugin = config.plugins["liandong"]
        bundles = index_search(staging, plugin.editions if isinstance(plugin, LiandongPlugin) else ())
        # The plugin keeps what it published (LiandongPlugin.content): the build reports its notes.
        content = plugin.content if isinstance(plugin, LiandongPlugin) else None
        if shard is not None and content is not None:
            write_manifest(staging, shard, content.model, [page.url for page in content.pages])
        elif shards and content is not None:
            bundles = merge_shards(staging, read_shards(shards, content.model), today, bundles)
        list_bundles(staging, bundles)  # search.js asks for it: a site of one bundle says so ({}), not with a 404
        pages = sum(1 for _ in staging.rglob("index.html"))
        history_note = content.history_note if content is not None else ""
        warnings = content.warnings if content is not None else []
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        (staging / LOCK).unlink()
        _swap(staging, output)
    except (MkDocsException, Abort) as err:
        shutil.rmtree(staging, ignore_errors=True)
        details = "".join(f"\n  {message}" for message in collected.messages)
        raise SiteBuildFailed(f"{err}{details}") from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        lock.close()
        mkdocs_logger.removeHandler(collected)
        if saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
    return BuildResult(output, pages, time.monotonic() - started, history_note, warnings)


def merge_shards(staging: Path, shards: list[Built], today: datetime.date, bundles: Bundles) -> Bundles:
    """The shards' record pages into the merged site, their indexes beside its own (search.js
    merges them: search/shards.json), and their pages into its sitemap; `bundles`, the merged
    site's own further bundles, with the shards' added."""
    import gzip

    bundles = {language: list(listed) for language, listed in bundles.items()}
    sitemap_urls: list[str] = []
    for built in shards:
        for page in built.pages:
            target = staging / page / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(built.folder / page / "index.html", target)
        # A shard's own bundles (search_bundles.py): pagefind/ and any further ones, each under a new name.
        further = read_bundles(built.folder)
        names = {FIRST: BUNDLE.format(k=built.k)} | {
            b: BUNDLE.format(k=f"{built.k}-{b.strip('/').rpartition('-')[2]}") for listed in further.values() for b in listed
        }
        for name, renamed in names.items():
            shutil.copytree(built.folder / name, staging / renamed)
        for language in languages_of(built.folder / FIRST):
            bundles.setdefault(language, []).append(names[FIRST])
        for language, listed in further.items():
            bundles.setdefault(language, []).extend(names[b] for b in listed)
        sitemap = built.folder / "sitemap.xml"
        if sitemap.is_file():
            pages = tuple(built.pages)
            for url in re.findall(r"<url>.*?</url>", sitemap.read_text(encoding="utf-8"), re.S):
                found = re.search(r"<loc>(.*?)</loc>", url)
                if found is not None and found.group(1).endswith(pages):
                    sitemap_urls.append(url)
    ours = staging / "sitemap.xml"
    if ours.is_file() and sitemap_urls:
        text = ours.read_text(encoding="utf-8").replace("</urlset>", "".join(f"    {url}\n" for url in sitemap_urls) + "</urlset>")
        ours.write_text(text, encoding="utf-8")
        stamp = int(datetime.datetime.combine(today, datetime.time(), datetime.UTC).timestamp())
        with (staging / "sitemap.xml.gz").open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=stamp) as packed:
            packed.write(text.encode("utf-8"))
    return bundles


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` in place of `output`; the previous output moves to a folder named after the
    staging folder (so never to a name someone else uses) and is deleted after the swap."""
    # The build took a while: look again, in case someone put their files there meanwhile.
    _check_state(output)
    if not os.path.lexists(output):
        staging.rename(output)
        return
    if not any(output.iterdir()):
        output.rmdir()  # empty, and so not worth keeping as a fallback
        staging.rename(output)
        return
    old = output.with_name(f".{output.name}.old-{staging.name.rsplit('-', 1)[1]}")
    if os.path.lexists(old):
        raise OutputRefused(f"{old} 已经存在，不是本次生成创建的；为避免覆盖它，网站未更新。")
    output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


# -- which output folders a build may replace ----------------------------------------------------


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: its !ENV and other tags become None."""


_AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def _mkdocs_folders(root: Path) -> list[Path]:
    """docs_dir and the theme's custom_dir as mkdocs.yml names them (docs_dir defaults to site/,
    ours, when the file cannot be read)."""
    try:
        data = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTag)
    except (OSError, ValueError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict):
        return [root / "site"]
    folders = [root / str(data.get("docs_dir") or "docs")]
    theme = data.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        folders.append(root / str(theme["custom_dir"]))
    return folders


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _shown(folder: Path, root: Path) -> str:
    return f"仓库的 {folder.relative_to(root).as_posix()}/" if _within(folder, root) and folder != root else f"{folder}"


def _tracked(root: Path, output: Path) -> str | None:
    """A file Git tracks at or under `output`, when `root` is in a Git work tree; else None."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=30)
        if top.returncode != 0 or not top.stdout.strip():
            return None
        toplevel = Path(top.stdout.strip()).resolve()
        if not _within(output, toplevel):
            return None
        if output == toplevel:
            return "（Git 工作区的根目录）"
        rel = output.relative_to(toplevel).as_posix()
        listed = subprocess.run(["git", "-C", str(toplevel), "ls-files", "-z", "--", f":(literal){rel}"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        raise OutputRefused(f"无法用 git ls-files 确认输出目录 {output} 中没有受 Git 管理的文件：{listed.stderr.decode(errors='replace').strip()}")
    first = listed.stdout.split(b"\0", 1)[0]
    return first.decode(errors="replace") if first else None


def is_ours(folder: Path) -> bool:
    """A real folder carrying MARKER as a regular file (not a link) at its top."""
    marker = folder / MARKER
    if folder.is_symlink() or not folder.is_dir() or marker.is_symlink() or not marker.is_file():
        return False
    try:
        with marker.open("rb") as file:
            return file.read(len(MARKER_SIGNATURE)) == MARKER_SIGNATURE
    except OSError:
        return False


def _check_state(output: Path) -> None:
    """Missing, empty, or written by a previous build; anything else is refused."""
    if not os.path.lexists(output):
        return
    if output.is_symlink():
        raise OutputRefused(f"输出路径 {output} 是一个符号链接，未做任何改动；请直接指定一个目录。")
    if not output.is_dir():
        raise OutputRefused(f"输出路径 {output} 已存在且不是目录，未做任何改动；请换一个不存在的目录。")
    try:
        empty = not any(output.iterdir())
    except OSError as err:
        raise OutputRefused(f"无法读取输出目录 {output}：{err.strerror or err}；未做任何改动。") from err
    if not empty and not is_ours(output):
        raise OutputRefused(
            f"输出目录 {output} 已存在且不是 liandong build 生成的（其顶层没有 {MARKER} 标记文件）。"
            "生成时会删除并替换整个输出目录，为避免删除其中的文件，未做任何改动。"
            "请换一个不存在或空的目录；如果它确实是旧版 liandong 生成的网站，请先自行删除它再生成。"
        )


def check_output(root: Path, output: Path) -> Path:
    """The resolved output folder, if a build may create or replace it; else OutputRefused,
    with nothing touched. Runs before anything is built."""
    root = root.resolve()
    lexical = Path(os.path.abspath(output))  # `..` removed, links kept: -o ./registry/../site
    if os.path.lexists(lexical) and lexical.is_symlink():
        target = lexical.resolve()
        if not target.is_dir():
            raise OutputRefused(f"输出路径 {lexical} 是指向 {target} 的符号链接，而那里不是已存在的目录；未做任何改动。")
    resolved = lexical.resolve()
    try:
        home: Path | None = Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        home = None
    protected = {
        "仓库的 .git（Git 的全部数据）": root / ".git",
        "仓库的 registry/（登记册记录）": root / "registry",
        "仓库的 schemas/（记录模式）": root / "schemas",
        **{f"{_shown(folder, root)}（MkDocs 从这里读取网页源文件）": folder for folder in (f.resolve() for f in _mkdocs_folders(root))},
    }
    for path in dict.fromkeys((lexical, resolved)):
        shown = path if path == resolved else f"{path}（即 {resolved}）"
        if path == root:
            raise OutputRefused(f"输出目录 {shown} 是仓库根目录；生成会删除整个仓库，未做任何改动。请换一个目录，例如 public/。")
        if path in root.parents:
            raise OutputRefused(f"输出目录 {shown} 包含仓库 {root}；生成会删除整个仓库，未做任何改动。请换一个目录，例如 public/。")
        if home is not None and (path == home or path in home.parents):
            raise OutputRefused(f"输出目录 {shown} 是或包含用户主目录 {home}；生成会删除其中的全部文件，未做任何改动。")
        for name, folder in protected.items():
            if _within(path, folder) or _within(path, folder.resolve()):
                raise OutputRefused(f"输出目录 {shown} 是或位于{name}中；生成会删除其中的文件，未做任何改动。请换一个目录，例如 public/。")
    tracked = _tracked(root, resolved)
    if tracked is not None:
        raise OutputRefused(f"输出目录 {resolved} 中有受 Git 管理的文件（如 {tracked}）；生成会删除它们，未做任何改动。请换一个目录，例如 public/。")
    for ancestor in resolved.parents:
        if os.path.lexists(ancestor) and not ancestor.is_dir():
            raise OutputRefused(f"无法在 {resolved} 生成网站：{ancestor} 不是目录；未做任何改动。")
    _check_state(resolved)
    return resolved


# -- staging folders -------------------------------------------------------------------------------


def _staging_prefix(output: Path) -> str:
    return f".{output.name}.building-"


def _hold(path: Path) -> TextIO:
    """Create the lock file and hold an exclusive lock on it until the returned file is closed."""
    file = path.open("x")
    if fcntl is not None:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return file


def _abandoned(staging: Path) -> bool:
    """A staging folder whose build is gone: its lock file is there and no process holds it."""
    lock = staging / LOCK
    if fcntl is None or staging.is_symlink() or not staging.is_dir() or lock.is_symlink() or not lock.is_file():
        return False
    try:
        with lock.open("r") as file:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
    except OSError:
        return False


def remove_stale(output: Path) -> list[Path]:
    """Remove what a killed build of `output` left beside it: staging folders (exact name, lock
    file inside, lock not held) and previous outputs it had moved aside (exact name, MARKER)."""
    building = re.compile(re.escape(_staging_prefix(output)) + _RANDOM)
    moved = re.compile(re.escape(f".{output.name}.old-") + _RANDOM)
    removed: list[Path] = []
    try:
        entries = list(output.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        if (building.fullmatch(entry.name) and _abandoned(entry)) or (moved.fullmatch(entry.name) and is_ours(entry)):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed
