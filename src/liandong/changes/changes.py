"""Rules against the base branch: what a pull request may and may not do to existing records.

Every change is judged by the base's rules: the schemas and lifecycles are read from the base
commit's tree, never from the working tree, so a pull request cannot bring the rules that allow
it. A change to schemas/ is reported on its own (change.rules-changed); it judges records only
once it has landed. The base versions are read straight from Git objects (no checkout, no
worktree) for every type the base knows, so each record of the base is accounted for whatever the
pull request does to the schemas; the working tree is read through registry.load_registry, both
with the same strict loader. Records are matched by path, then by id: the same id in another
folder is the same record whose type changed, an error unless it moves a misplaced file (one its
old folder's schema rejects) into a folder that fits it. A symlink in the base is a record
position to account for (followed within the base tree); a symlink in the working tree never
counts as a record. Findings point into the head file (line:col via locate.py); a deleted record
is named by its base path, line 1. Records whose base or head version does not parse are
skipped: `validate` reports those.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import posixpath
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath
from typing import Any

from liandong.diagnostics import Diagnostic, Pointer, sort_diagnostics
from liandong.validation.files import REGISTRY_DIR, SCHEMAS_DIR, load_registry
from liandong.validation.schema import COMMON, LIFECYCLE_SUFFIX, SCHEMA_SUFFIX, SchemaSet, SchemaSetupError, TypeSchema
from liandong.yamlio.loader import load_bytes
from liandong.yamlio.locator import locate

_SYMLINK_MODE = 0o120000
_LINK_HOPS = 8


class ChangesSetupError(Exception):
    """The comparison cannot be made (no Git repository, unknown base ref, no fork point): exit 2, not a finding."""


@dataclass
class Version:
    """One side of a record: its file and, when it parsed, its data."""

    path: str  # repository-relative POSIX path
    type: str  # folder name
    id: str  # file stem
    data: dict[str, Any] | None  # None when the file does not parse
    text: str | None
    link: bool = False  # a symlink in the base (its data, if any, is what it pointed to there)

    @property
    def title(self) -> str:
        title = self.data.get("title") if self.data else None
        return title if isinstance(title, str) else ""


@dataclass
class Pair:
    base: Version
    head: Version

    @property
    def renamed(self) -> bool:
        return self.base.id != self.head.id

    @property
    def unchanged(self) -> bool:
        return self.base.path == self.head.path and self.base.text == self.head.text and not self.base.link

    @property
    def made_internal(self) -> bool:
        """A public record (visibility public or left out) made internal: it leaves the public site."""
        old, new = self.base.data or {}, self.head.data or {}
        return old.get("visibility") != "internal" and new.get("visibility") == "internal"


@dataclass
class Comparison:
    pairs: list[Pair]  # present on both sides and parsed on both (moved and renamed included)
    added: list[Version]
    deleted: list[Version]
    skipped: list[tuple[str, str]]  # (path, which side) not compared because that side does not parse


@dataclass
class ChangeReport:
    schemas: SchemaSet  # the base's: every record change was judged by them
    comparison: Comparison
    diagnostics: list[Diagnostic]  # sorted, located
    fork_point: str | None = None  # short hash of the merge base, when it is not the base ref itself
    rules: list[tuple[str, str]] = field(default_factory=list)  # (schemas/… path, 新增|修改|删除) in this change


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


def _shallow(repo: Any) -> bool:
    import git

    try:
        answer = repo.git.rev_parse("--is-shallow-repository").strip()
    except git.GitCommandError:
        answer = ""
    if answer in ("true", "false"):
        return answer == "true"
    # A Git older than 2.15 does not know the option; its marker file says the same.
    return os.path.exists(os.path.join(repo.common_dir, "shallow"))


def open_base(root: Path, ref: str) -> Base:
    """Where this branch left `ref`, and the short hash of that fork point when it is not `ref` itself.

    Like `git diff ref...HEAD` and GitHub's pull request view, the comparison starts from the
    merge base: when `ref` has moved on since the branch was made, what others changed there is
    not this change's doing. On GitHub's pull request merge commit the merge base is `ref` itself.
    Without a merge base (a shallow clone, unrelated histories) there is no honest comparison.
    """
    import git
    from gitdb.exc import BadName, BadObject

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as err:
        raise ChangesSetupError(f"{root} 不在 Git 仓库中；check-changes 需要在 Git 仓库中运行。") from err
    if repo.working_tree_dir is None:
        raise ChangesSetupError(f"{root} 是没有工作区的裸仓库；请在检出的仓库中运行。")
    try:
        # git itself resolves the name: GitPython's own parser fails on refs like FETCH_HEAD.
        commit = repo.commit(repo.git.rev_parse("--verify", "--end-of-options", f"{ref}^{{commit}}"))
    except (BadName, BadObject, ValueError, git.GitCommandError) as err:
        raise ChangesSetupError(
            f"找不到基准版本 “{ref}”：它不是本仓库中的分支、标签或提交。"
            "在 GitHub Actions 中请给 actions/checkout 设置 fetch-depth: 0，并用 origin/<目标分支> 作为 --base。"
        ) from err
    try:
        prefix = root.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    except ValueError as err:  # GIT_DIR / GIT_WORK_TREE point somewhere else
        raise ChangesSetupError(f"{root} 不在 Git 仓库 {repo.working_tree_dir} 的工作区中。") from err
    prefix = "" if prefix == "." else prefix
    shallow = _shallow(repo)
    try:
        head = repo.head.commit
    except ValueError:  # no commit on this branch yet: everything in the working tree is the change
        head = None
    if head is None and not shallow:
        return Base(commit, prefix, None)
    merge_bases = repo.merge_base(commit, head) if head is not None else []
    if not merge_bases and shallow:
        raise ChangesSetupError(
            f"本仓库是浅克隆（shallow clone），找不到本分支与 “{ref}” 的分叉点：若与 {ref} 的最新版本比较，"
            f"会把 {ref} 在分叉之后的修改算在本次修改头上。请先取得完整历史：运行 git fetch --unshallow；"
            "在 GitHub Actions 中请给 actions/checkout 设置 fetch-depth: 0。"
        )
    if not merge_bases:
        raise ChangesSetupError(
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


def base_schemas(rules: dict[str, Any], ref: str) -> SchemaSet | None:
    """The SchemaSet the base's rule files make (None when the base has no types yet), read
    by the same code as the working tree's: the files are written to a temporary folder."""
    if not any(name.endswith(SCHEMA_SUFFIX) and name != f"{COMMON}{SCHEMA_SUFFIX}" for name in rules):
        return None
    with tempfile.TemporaryDirectory(prefix="liandong-base-schemas-") as folder:
        for name, blob in rules.items():
            if blob.mode != _SYMLINK_MODE:
                Path(folder, name).write_bytes(blob.data_stream.read())
        try:
            return SchemaSet(Path(folder))
        except SchemaSetupError as err:
            where = str(err).replace(folder, f"{ref}:{SCHEMAS_DIR}")
            raise ChangesSetupError(f"基准版本 {ref} 中的模式无法读取，无法按其规则检查本次修改：{where}") from err


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
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as in registry.load_registry: many small objects, all kept alive
    try:
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
    finally:
        if gc_was_enabled:
            gc.enable()
    return found


def read_head(root: Path, types: list[str]) -> list[Version]:
    """The working tree's records; a file that is there but does not parse is a Version without
    data. A symlink (or FIFO, or folder) where a record belongs is not the record."""
    loaded = load_registry(root, types)
    found = [Version(r.path, r.type, r.id, r.data, r.text) for r in loaded.records]
    parsed = {v.path for v in found}
    for diagnostic in loaded.diagnostics:
        parts = PurePosixPath(diagnostic.path).parts
        if len(parts) == 3 and parts[1] in types and parts[2].endswith(".yaml") and diagnostic.path not in parsed:
            file = root / diagnostic.path
            if file.is_symlink() or not file.is_file():
                continue
            parsed.add(diagnostic.path)
            found.append(Version(diagnostic.path, parts[1], parts[2][:-5], None, None))
    return found


def compare(base: list[Version], head: list[Version]) -> Comparison:
    by_path = {v.path: v for v in head}
    matched: list[tuple[Version, Version]] = []
    unmatched: list[Version] = []
    for old in sorted(base, key=lambda v: v.path):
        new = by_path.pop(old.path, None)
        if new is None:
            unmatched.append(old)
        else:
            matched.append((old, new))
    by_id: dict[str, list[Version]] = {}
    for new in sorted(by_path.values(), key=lambda v: v.path):
        by_id.setdefault(new.id, []).append(new)
    deleted = []
    for old in unmatched:  # in another folder, same id: the same record (check_changes judges the move)
        candidates = by_id.get(old.id)
        if candidates:
            matched.append((old, candidates.pop(0)))
        else:
            deleted.append(old)
    added = sorted((v for vs in by_id.values() for v in vs), key=lambda v: v.path)
    # A base symlink that led nowhere is still a record position: deleting it is deleting a record.
    skipped = sorted(
        {(new.path, _unparsed(old, new)) for old, new in matched if old.data is None or new.data is None}
        | {(v.path, "基准版本") for v in deleted if v.data is None and not v.link}
        | {(v.path, "当前版本") for v in added if v.data is None}
    )
    pairs = [Pair(old, new) for old, new in matched if old.data is not None and new.data is not None]
    deleted = [v for v in deleted if v.data is not None or v.link]
    added = [v for v in added if v.data is not None]
    # A record that vanished while one of the same type and title appeared: its id was changed.
    for old in list(deleted):
        twin = next((v for v in added if v.type == old.type and v.title and v.title == old.title), None)
        if twin is not None:
            deleted.remove(old)
            added.remove(twin)
            pairs.append(Pair(old, twin))
    pairs.sort(key=lambda p: p.head.path)
    return Comparison(pairs, added, deleted, skipped)


def _unparsed(old: Version, new: Version) -> str:
    return "两个版本都" if old.data is None and new.data is None else "基准版本" if old.data is None else "当前版本"


def check_changes(root: Path, ref: str) -> ChangeReport:
    base = open_base(root, ref)
    old_rules, new_rules = base_rules(base), head_rules(root)
    # Judged by the base's rules; a base without any (the registry's first change) by the working tree's.
    schemas = base_schemas(old_rules, ref) or SchemaSet(root / SCHEMAS_DIR)
    types = list(schemas.types)
    new_types = sorted(n[: -len(SCHEMA_SUFFIX)] for n in new_rules if n.endswith(SCHEMA_SUFFIX) and n != f"{COMMON}{SCHEMA_SUFFIX}")
    head = read_head(root, [*types, *(t for t in new_types if t not in types)])
    comparison = compare(read_base(base, types, {blob_id(v.text): v for v in head if v.text is not None}), head)
    rules = rules_changed(old_rules, new_rules)
    found: list[Diagnostic] = [_rules_changed(path, verb, ref) for path, verb in rules]
    for old in comparison.deleted:
        found.append(_deleted(schemas.types[old.type], old, (root / old.path).is_symlink()))
    for new in comparison.added:
        if new.type in schemas.types:  # a type the base does not know has no rules yet: see change.rules-changed
            found.extend(_new_state(schemas.types[new.type], new))
    for pair in comparison.pairs:
        if pair.base.type != pair.head.type and not _fixes_folder(schemas, pair):
            found.append(_type_changed(schemas, pair))
        elif not pair.unchanged:
            found.extend(check_pair(schemas, pair))
    texts = {p.head.path: p.head.text for p in comparison.pairs if p.head.text is not None}
    texts.update({v.path: v.text for v in comparison.added if v.text is not None})
    return ChangeReport(schemas, comparison, sort_diagnostics(locate(found, texts)), base.fork_point, rules)


def rules_changed(old: dict[str, Any], new: dict[str, str]) -> list[tuple[str, str]]:
    """Each rule file added, changed or removed: (schemas/<name>, 新增|修改|删除), by name."""
    found = []
    for name in sorted({*old, *new}):
        verb = "新增" if name not in old else "删除" if name not in new else "修改" if old[name].hexsha != new[name] else None
        if verb:
            found.append((f"{SCHEMAS_DIR}/{name}", verb))
    return found


def _rules_changed(path: str, verb: str, ref: str) -> Diagnostic:
    kind = "模式" if path.endswith(SCHEMA_SUFFIX) else "状态流转定义"
    return Diagnostic(
        path,
        "change.rules-changed",
        f"本次{verb}了{kind} {path}：新规则合并后才生效，本次的记录变更仍按 {ref} 的规则检查",
        "规则变更须经负责人审核；请把规则变更与依赖它的记录变更分成两个拉取请求，规则合并后再提交记录变更。",
        line=1,
        col=1,
        severity="warning",
    )


def _fixes_folder(schemas: SchemaSet, pair: Pair) -> bool:
    """A file its base folder's schema rejects, moved into a folder whose schema accepts it: a
    record put in the wrong folder by mistake, now where it belongs (its type was never the old folder's)."""
    return pair.head.type in schemas.types and not schemas.is_valid(pair.base.type, pair.base.data) and schemas.is_valid(pair.head.type, pair.head.data)


def _final(ts: TypeSchema) -> list[str]:
    sources = {t.source for t in ts.lifecycle.transitions}
    return [s for s in ts.states if s not in sources]


def _named(version: Version) -> str:
    """The id and title, to be followed directly by Chinese text: 《》 or a space ends it."""
    return f"{version.id}《{version.title}》" if version.title else f"{version.id} "


def _type_changed(schemas: SchemaSet, pair: Pair) -> Diagnostic:
    old_ts, new_ts = schemas.types[pair.base.type], schemas.types.get(pair.head.type)
    new_title = new_ts.title if new_ts else pair.head.type
    final = _final(old_ts)
    retire = f"把原记录的状态改为 {_coded(old_ts, final, '或 ')}，" if final else ""
    return Diagnostic(
        pair.head.path,
        "change.type-changed",
        f"记录 {_named(pair.head)}由{old_ts.title}（{pair.base.path}）改为{new_title}（{pair.head.path}），记录的类型不能更改",
        f"类型决定记录适用的模式和状态流转，一经登记不能更改：请把文件移回 {pair.base.path}。确属另一类事项的，请{retire}另以新编号新建一条{new_title}记录。",
        pointer=("id",),
    )


def state_label(ts: TypeSchema, state: str) -> str:
    """The Chinese name of a state (x-enum-labels), e.g. in_progress → 办理中."""
    return ts.enum_labels(("status",)).get(state, state)


def labelled(ts: TypeSchema, state: str) -> str:
    return f"“{state_label(ts, state)}”"


def _coded(ts: TypeSchema, states: list[str], last: str = "、") -> str:
    """States with their codes: “办理中”（in_progress）、“已终止”（terminated）; `last` joins the final one."""
    items = [f"{labelled(ts, s)}（{s}）" for s in states]
    return last.join(["、".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def _deleted(ts: TypeSchema, old: Version, linked: bool) -> Diagnostic:
    """`linked`: a symlink stands where the record was, which is not the record."""
    final = _final(ts)
    retire = f"，不再有效时把状态改为 {_coded(ts, final, '或 ')}" if final else ""
    if linked:
        what = "的位置上仍是符号链接（基准版本中已是如此）" if old.link else "的文件换成了符号链接"
        return Diagnostic(
            old.path,
            "change.record-deleted",
            f"记录 {_named(old)}{what}，不算作登记册中的记录",
            f"登记册中不接受符号链接：请把记录文件本身放回 {old.path}{retire}。",
            line=1,
            col=1,
        )
    return Diagnostic(
        old.path, "change.record-deleted", f"记录 {_named(old)}被删除", f"记录只能通过状态退出，不能删除文件：请恢复 {old.path}{retire}。", line=1, col=1
    )


def _new_state(ts: TypeSchema, new: Version) -> Iterator[Diagnostic]:
    status = new.data.get("status") if new.data else None
    if isinstance(status, str) and status in ts.states and status not in ts.lifecycle.initial:
        yield Diagnostic(
            new.path,
            "change.new-record-state",
            f"新建的{ts.title}状态为 {labelled(ts, status)}，通常应从 {'或'.join(labelled(ts, s) for s in ts.lifecycle.initial)} 开始",
            f"如果是登记已在办理中的事项，请审阅者核对其状态和进度；否则请以 {_coded(ts, ts.lifecycle.initial, '或 ')}新建记录。",
            pointer=("status",),
            severity="warning",
        )


def check_pair(schemas: SchemaSet, pair: Pair) -> Iterator[Diagnostic]:
    old, new = pair.base.data or {}, pair.head.data or {}
    ts = schemas.types[pair.head.type]
    path = pair.head.path
    if pair.renamed:
        yield Diagnostic(
            path,
            "change.id-changed",
            f"记录编号由 “{pair.base.id}” 改为 “{pair.head.id}”（《{pair.head.title}》）",
            f"编号一经使用不能更改，其他记录和已发布的链接都用它引用：请把文件名和 id 改回 {pair.base.id}。",
            pointer=("id",),
        )
    if pair.base.type == pair.head.type:  # states of different types cannot be compared
        yield from _transition(ts, path, old, new)
    yield from _deadline(ts, path, old, new)
    for name in ts.append_only:  # the base's history lists (x-append-only)
        before, after = old.get(name), new.get(name)
        if isinstance(before, list) and before:
            yield from _append_only(ts, path, name, before, after if isinstance(after, list) else [])
    if old.get("example") is True and new.get("example") is not True:
        yield Diagnostic(
            path,
            "change.example-to-real",
            "记录原为示例（example: true），本次改为正式记录",
            "请确认内容已按真实情况核实、可以作为正式数据发布，并请负责人审核后再合并。",
            severity="warning",
            pointer=("example",) if "example" in new else ("id",),
        )
    if pair.made_internal:
        yield Diagnostic(
            path,
            "change.made-internal",
            f"记录 {_named(pair.head)}由公开改为内部（visibility: internal），将从公开网站撤下",
            "合并后它的公开页面和链接将失效，公开记录中对它的引用也会被删去；请在拉取请求中写明撤下的理由，并请负责人审核后再合并。",
            severity="warning",
            pointer=("visibility",),
        )


def _transition(ts: TypeSchema, path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Diagnostic]:
    source, target = old.get("status"), new.get("status")
    if not isinstance(source, str) or not isinstance(target, str) or source == target:
        return
    if source not in ts.states or target not in ts.states:
        return  # an unknown state is a schema finding, reported by validate
    lifecycle = ts.lifecycle
    if not lifecycle.allows(source, target):
        following = [t.target for t in lifecycle.transitions if t.source == source and t.target != source]
        hint = f"{labelled(ts, source)} 之后只能改为：{_coded(ts, following)}" if following else f"{labelled(ts, source)} 是最终状态，不能再改为其他状态"
        yield Diagnostic(
            path,
            "change.illegal-transition",
            f"状态不能由 {labelled(ts, source)}（{source}）改为 {labelled(ts, target)}（{target}）",
            f"{hint}；中间的状态要逐一经过，流转规定见 schemas/{ts.name}.lifecycle.yaml。",
            pointer=("status",),
        )
        return
    matching = [t for t in lifecycle.transitions if t.source == source and t.target == target]
    if not matching or any(t.adds is None for t in matching):
        return
    for history_list in {t.adds for t in matching if t.adds}:
        before, after = old.get(history_list), new.get(history_list)
        if len(after if isinstance(after, list) else []) > len(before if isinstance(before, list) else []):
            return
    field = matching[0].adds or ""
    yield Diagnostic(
        path,
        "change.transition-needs-entry",
        f"状态由 {labelled(ts, source)} 改为 {labelled(ts, target)}，但没有在 “{ts.label((field,))}” 中新增一条记录",
        f"这一状态变化须在 {field} 末尾新增一条，写明{_required(ts, field)}。",
        pointer=("status",),
    )


def _required(ts: TypeSchema, field: str) -> str:
    item = ts.subschema((field, 0)) or {}
    return "、".join(f"{ts.label((field, 0, name))}（{name}）" for name in item.get("required", [])) or "内容"


def _deadline(ts: TypeSchema, path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Diagnostic]:
    props = ts.schema.get("properties", {})
    if "deadline" not in props or "extensions" not in props:
        return
    before, after = old.get("deadline"), new.get("deadline")
    if not isinstance(before, str) or before == after or (after is not None and not isinstance(after, str)):
        return  # a first deadline may be set; a non-date is a schema finding
    if after is not None and any(isinstance(e, dict) and e.get("new_deadline") == after for e in new_entries(old, new, "extensions")):
        return
    if after is None:
        yield Diagnostic(
            path,
            "change.deadline-without-extension",
            f"办理时限 {before} 被删去",
            f"办理时限一经确定，只能经批准延期来更改：请恢复 deadline: {before}。",
            pointer=("id",),
        )
        return
    yield Diagnostic(
        path,
        "change.deadline-without-extension",
        f"办理时限由 {before} 改为 {after}，但没有新增批准这一时限的延期记录",
        f"请在 extensions 末尾新增一条延期记录，写明{_required(ts, 'extensions')}，其中新办理时限为 {after}；未获批准的，请把办理时限改回 {before}。",
        pointer=("deadline",),
    )


def new_entries(old: dict[str, Any], new: dict[str, Any], field: str) -> list[Any]:
    """The entries appended to a history list (by position, as the append-only rule sees it)."""
    before, after = old.get(field), new.get(field)
    if not isinstance(after, list):
        return []
    return after[len(before) if isinstance(before, list) else 0 :]


def _key(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def _describe(entry: Any) -> str:
    if isinstance(entry, dict):
        for key, template in (("date", "（{}）"), ("requested", "（申请日期 {}）"), ("number", "（序号 {}）")):
            if key in entry:
                return template.format(entry[key])
    return ""


def _append_only(ts: TypeSchema, path: str, field: str, before: list[Any], after: list[Any]) -> Iterator[Diagnostic]:
    old, new = [_key(e) for e in before], [_key(e) for e in after]
    if new[: len(old)] == old:
        return
    label = ts.label((field,))
    hint = "已有的记录只增不改：请恢复原内容；如需更正，请在最后新增一条说明更正的记录。"

    def changed(i: int, j: int) -> Diagnostic:
        a, b = before[i], after[j]
        keys = [*a, *(k for k in b if k not in a)] if isinstance(a, dict) and isinstance(b, dict) else []
        fields = "、".join(ts.label((field, 0, k)) for k in keys if _key(a.get(k)) != _key(b.get(k)))
        return Diagnostic(
            path, "change.append-only", f"{label}第 {i + 1} 条{_describe(a)}被修改" + (f"（{fields}）" if fields else ""), hint, pointer=(field, j)
        )

    def deleted(i: int, j: int) -> Diagnostic:
        at: Pointer = (field, min(j, len(after) - 1)) if after else (field,)
        return Diagnostic(path, "change.append-only", f"{label}第 {i + 1} 条{_describe(before[i])}被删除", hint, pointer=at)

    def inserted(j: int) -> Diagnostic:
        return Diagnostic(
            path,
            "change.append-only",
            f"在已有的{label}之间插入了新的一条{_describe(after[j])}",
            "新记录只能加在列表最后；请把它移到末尾（日期写报送当天，实际发生日期写在内容中）。",
            pointer=(field, j),
        )

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            if i1 < len(old):
                yield inserted(j1)
            continue
        for k in range(i2 - i1):
            yield changed(i1 + k, j1 + k) if tag == "replace" and j1 + k < j2 else deleted(i1 + k, j1 + k if tag == "replace" else j1)
        if tag == "replace" and j2 - j1 > i2 - i1 and i2 < len(old):
            yield inserted(j1 + i2 - i1)
