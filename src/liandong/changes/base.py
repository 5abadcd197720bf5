"""The base of a change, read straight from Git objects (no checkout, no worktree): the fork
point, its rule files and schemas, and every record position it holds (symlinks followed within
its tree)."""

from __future__ import annotations

import hashlib
import os
import posixpath
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from liandong.changes.compare import Version
from liandong.errors import SetupError
from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR, RepositoryError, is_shallow, no_gc, open_repository
from liandong.validation.configuration import CONFIG_PATH, configuration_from, defaults
from liandong.validation.schema import COMMON, LIFECYCLE_SUFFIX, SCHEMA_SUFFIX, SchemaSet, SchemaSetupError
from liandong.yamlio.loader import load_bytes

_SYMLINK_MODE = 0o120000


_LINK_HOPS = 8


@dataclass
class Base:
    """The commit the change is compared with, and where the project sits in its tree."""

    commit: Any  # git.Commit
    prefix: str  # the project's folder in the Git work tree, "" at its top
    fork_point: str | None

    def entry(self, rel: str) -> Any | None:
        """The tree or blob at a project-relative path in the base commit, or None."""
        try:
            return self.commit.tree / (f"{self.prefix}/{rel}" if self.prefix else rel)
        except KeyError:
            return None


def blob_id(text: str) -> str:
    """Git's object id of a file with this content, to skip parsing base files the branch left alone."""
    return _blob_id(text.encode("utf-8"))


def _blob_id(raw: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


_NOT_A_WORKING_TREE = {
    "no-git": "找不到 git 命令；check-changes 需要 Git。",
    "not-a-repository": "{root} 不在 Git 仓库中；check-changes 需要在 Git 仓库中运行。",
    "bare": "{root} 是没有工作区的裸仓库；请在检出的仓库中运行。",
    "outside": "{root} 不在 Git 仓库的工作区中。",
}


def open_base(root: Path, ref: str) -> Base:
    """Where this branch left `ref`, and the short hash of that fork point when it is not `ref` itself.

    Like `git diff ref...HEAD` and GitHub's pull request view, the comparison starts from the
    merge base: when `ref` has moved on since the branch was made, what others changed there is
    not this change's doing. On GitHub's pull request merge commit the merge base is `ref` itself.
    Without a merge base (a shallow clone, unrelated histories) there is no honest comparison.
    """
    try:
        found = open_repository(root)
    except RepositoryError as err:
        raise SetupError(_NOT_A_WORKING_TREE[err.kind].format(root=root)) from err
    import git  # importable: open_repository did
    from gitdb.exc import BadName, BadObject

    repo, prefix = found.repo, found.prefix
    try:
        # git itself resolves the name: GitPython's own parser fails on refs like FETCH_HEAD.
        commit = repo.commit(repo.git.rev_parse("--verify", "--end-of-options", f"{ref}^{{commit}}"))
    except (BadName, BadObject, ValueError, git.GitCommandError) as err:
        raise SetupError(
            f"找不到基准版本 “{ref}”：它不是本仓库中的分支、标签或提交。"
            "在 GitHub Actions 中请给 actions/checkout 设置 fetch-depth: 0，并用 origin/<目标分支> 作为 --base。"
        ) from err
    shallow = is_shallow(repo)
    try:
        head = repo.head.commit
    except ValueError:  # no commit on this branch yet: everything in the working tree is the change
        head = None
    if head is None and not shallow:
        return Base(commit, prefix, None)
    merge_bases = repo.merge_base(commit, head) if head is not None else []
    if not merge_bases and shallow:
        raise SetupError(
            f"本仓库是浅克隆（shallow clone），找不到本分支与 “{ref}” 的分叉点：若与 {ref} 的最新版本比较，"
            f"会把 {ref} 在分叉之后的修改算在本次修改头上。请先取得完整历史：运行 git fetch --unshallow；"
            "在 GitHub Actions 中请给 actions/checkout 设置 fetch-depth: 0。"
        )
    if not merge_bases:
        raise SetupError(
            f"本分支与 “{ref}” 没有共同的历史（找不到分叉点），无法判断哪些修改是本分支做的。"
            f"请从 {ref} 新建分支（git switch -c <分支名> {ref}），再把修改提交到新分支上。"
        )
    fork_point = None
    if merge_bases[0] != commit:
        commit = merge_bases[0]
        fork_point = commit.hexsha[:7]
    return Base(commit, prefix, fork_point)


def _is_rule_file(name: str) -> bool:
    return name.endswith((SCHEMA_SUFFIX, LIFECYCLE_SUFFIX))


def base_rules(base: Base) -> dict[str, Any]:
    """The base's rule files: schemas/<name> blobs, name → blob (symlinks included, as Git holds them)."""
    import git

    folder = base.entry(SCHEMAS_DIR)
    if not isinstance(folder, git.Tree):
        return {}
    return {blob.name: blob for blob in folder.blobs if _is_rule_file(blob.name)}


def head_rules(root: Path) -> dict[str, str]:
    """The working tree's rule files: name → Git blob id of what is there (a link's own text)."""
    found: dict[str, str] = {}
    folder = root / SCHEMAS_DIR
    if not folder.is_dir():
        return found
    for entry in os.scandir(folder):
        if not _is_rule_file(entry.name):
            continue
        try:
            if entry.is_symlink():
                raw = os.readlink(entry.path).encode()
            else:  # a FIFO would block the reader: it is certainly not the base's blob
                raw = Path(entry.path).read_bytes() if entry.is_file(follow_symlinks=False) else b""
        except OSError:
            raw = b""  # unreadable: certainly not the base's blob either
        found[entry.name] = _blob_id(raw)
    return found


def configuration_changed(root: Path, old: bytes | None) -> list[tuple[str, str]]:
    """registry/liandong.yaml added, changed or removed, like a rule file (it is judged the same way)."""
    file = root / CONFIG_PATH
    new = file.read_bytes() if file.is_file() and not file.is_symlink() else None
    if old == new:
        return []
    return [(CONFIG_PATH, "新增" if old is None else "删除" if new is None else "修改")]


def rules_changed(old: dict[str, Any], new: dict[str, str]) -> list[tuple[str, str]]:
    """Each rule file added, changed or removed: (schemas/<name>, 新增|修改|删除), by name."""
    found = []
    for name in sorted({*old, *new}):
        verb = "新增" if name not in old else "删除" if name not in new else "修改" if old[name].hexsha != new[name] else None
        if verb:
            found.append((f"{SCHEMAS_DIR}/{name}", verb))
    return found


def base_configuration(base: Base) -> bytes | None:
    """The base's registry configuration (registry/liandong.yaml), which is part of its rules."""
    import git

    blob = base.entry(CONFIG_PATH)
    return bytes(blob.data_stream.read()) if isinstance(blob, git.Blob) and blob.mode != _SYMLINK_MODE else None


def base_schemas(rules: dict[str, Any], ref: str, configuration: bytes | None = None) -> SchemaSet | None:
    """The SchemaSet the base's rule files and configuration make (None when the base has no
    types yet), read by the same code as the working tree's: the files are written to a
    temporary folder."""
    if not any(name.endswith(SCHEMA_SUFFIX) and name != f"{COMMON}{SCHEMA_SUFFIX}" for name in rules):
        return None
    with tempfile.TemporaryDirectory(prefix="liandong-base-schemas-") as folder:
        for name, blob in rules.items():
            if blob.mode != _SYMLINK_MODE:
                Path(folder, name).write_bytes(blob.data_stream.read())
        try:
            settings = configuration_from(Path(folder), configuration)[0] if configuration is not None else defaults(Path(folder))
            return SchemaSet(Path(folder), settings)
        except SchemaSetupError as err:
            where = str(err).replace(folder, f"{ref}:{SCHEMAS_DIR}")
            raise SetupError(f"基准版本 {ref} 中的模式无法读取，无法按其规则检查本次修改：{where}") from err


def _follow(base: Base, blob: Any) -> bytes | None:
    """What a symlink in the base tree points to within that tree (a regular file), else None."""
    import git

    at = blob.path
    for _ in range(_LINK_HOPS):
        if blob.mode != _SYMLINK_MODE:
            return bytes(blob.data_stream.read())
        link = blob.data_stream.read().decode("utf-8", "replace")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(at), link))
        if link.startswith("/") or target == ".." or target.startswith("../"):
            return None
        try:
            blob = base.commit.tree / target
        except KeyError:
            return None
        if not isinstance(blob, git.Blob):
            return None
        at = target
    return None


def read_base(base: Base, types: list[str], known: dict[str, Version] | None = None) -> list[Version]:
    """Every `registry/<type>/<name>.yaml` blob of the base for each of `types` (the base's).
    A symlink is a record position too: it is read as what it points to in the base tree.
    `known` maps blob ids to already parsed versions (the working tree's), which need no reading."""
    import git

    registry = base.entry(REGISTRY_DIR)
    if not isinstance(registry, git.Tree):
        return []  # the base had no registry folder yet: every record is new
    found: list[Version] = []
    known = known or {}
    with no_gc():
        for type_tree in registry.trees:
            if type_tree.name not in types:
                continue
            for blob in type_tree.blobs:
                if not blob.name.endswith(".yaml"):
                    continue
                path = f"{REGISTRY_DIR}/{type_tree.name}/{blob.name}"
                record_id = blob.name[:-5]
                if blob.mode == _SYMLINK_MODE:
                    raw = _follow(base, blob)
                    loaded = load_bytes(path, raw) if raw is not None else None
                    found.append(Version(path, type_tree.name, record_id, loaded.data if loaded else None, loaded.text if loaded else None, link=True))
                    continue
                same = known.get(blob.hexsha)
                if same is not None:
                    found.append(replace(same, path=path, type=type_tree.name, id=record_id))
                    continue
                loaded = load_bytes(path, blob.data_stream.read())
                found.append(Version(path, type_tree.name, record_id, loaded.data, loaded.text))
    return found
