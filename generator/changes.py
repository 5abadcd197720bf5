"""Rules against the base branch: what a pull request may and may not do to existing records.

The base versions are read straight from Git objects (no checkout, no worktree), the working
tree through registry.load_registry, both with the same strict loader. Records are matched by
path, then by id (a record moved to another folder is the same record). Findings point into the
head file (line:col via locate.py); a deleted record is named by its base path, line 1.
Records whose base or head version does not parse are skipped: `validate` reports those.
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from .diagnostics import Diagnostic, Pointer, sort_diagnostics
from .load import load_bytes
from .locate import locate
from .registry import REGISTRY_DIR, SCHEMAS_DIR, load_registry
from .schema import SchemaSet, TypeSchema

# History lists: existing entries are never edited or removed; a correction is a new entry.
APPEND_ONLY = ("progress", "extensions", "reminders", "reopenings", "decisions")
_SYMLINK_MODE = 0o120000


class ChangesSetupError(Exception):
    """The comparison cannot be made (no Git repository, unknown base ref): exit 2, not a finding."""


@dataclass
class Version:
    """One side of a record: its file and, when it parsed, its data."""

    path: str  # repository-relative POSIX path
    type: str  # folder name
    id: str  # file stem
    data: dict[str, Any] | None  # None when the file does not parse
    text: str | None

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
        return self.base.path == self.head.path and self.base.text == self.head.text


@dataclass
class Comparison:
    pairs: list[Pair]  # present on both sides and parsed on both (moved and renamed included)
    added: list[Version]
    deleted: list[Version]
    skipped: list[tuple[str, str]]  # (path, which side) not compared because that side does not parse


@dataclass
class ChangeReport:
    schemas: SchemaSet
    comparison: Comparison
    diagnostics: list[Diagnostic]  # sorted, located
    fork_point: str | None = None  # short hash of the merge base, when it is not the base ref itself


def blob_id(text: str) -> str:
    """Git's object id of a file with this content, to skip parsing base files the branch left alone."""
    raw = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def read_base(root: Path, ref: str, types: list[str], known: dict[str, Version] | None = None) -> tuple[list[Version], str | None]:
    """Every `registry/<type>/<name>.yaml` blob where this branch left `ref` (symlinks are skipped,
    as validate reports them), and the short hash of that fork point when it is not `ref` itself.

    Like `git diff ref...HEAD` and GitHub's pull request view, the comparison starts from the
    merge base: when `ref` has moved on since the branch was made, what others changed there is
    not this change's doing. On GitHub's pull request merge commit the merge base is `ref` itself.
    `known` maps blob ids to already parsed versions (the working tree's), which need no reading.
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
        commit = repo.commit(ref)
    except (BadName, BadObject, ValueError, git.GitCommandError) as err:
        raise ChangesSetupError(
            f"找不到基准版本 “{ref}”：它不是本仓库中的分支、标签或提交。"
            "在 GitHub Actions 中请给 actions/checkout 设置 fetch-depth: 0，并用 origin/<目标分支> 作为 --base。"
        ) from err
    fork_point = None
    try:
        merge_bases = repo.merge_base(commit, "HEAD")
    except git.GitCommandError:  # no commit on this branch yet
        merge_bases = []
    if merge_bases and merge_bases[0] != commit:
        commit = merge_bases[0]
        fork_point = commit.hexsha[:7]
    try:
        prefix = root.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    except ValueError as err:  # GIT_DIR / GIT_WORK_TREE point somewhere else
        raise ChangesSetupError(f"{root} 不在 Git 仓库 {repo.working_tree_dir} 的工作区中。") from err
    folder = REGISTRY_DIR if prefix == "." else f"{prefix}/{REGISTRY_DIR}"
    try:
        registry = commit.tree / folder
    except KeyError:
        registry = None
    if not isinstance(registry, git.Tree):
        return [], fork_point  # the base had no registry folder yet: every record is new
    found: list[Version] = []
    known = known or {}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as in registry.load_registry: many small objects, all kept alive
    try:
        for type_tree in registry.trees:
            if type_tree.name not in types:
                continue
            for blob in type_tree.blobs:
                if not blob.name.endswith(".yaml") or blob.mode == _SYMLINK_MODE:
                    continue
                path = f"{REGISTRY_DIR}/{type_tree.name}/{blob.name}"
                same = known.get(blob.hexsha)
                if same is not None:
                    found.append(replace(same, path=path, type=type_tree.name, id=blob.name[:-5]))
                    continue
                loaded = load_bytes(path, blob.data_stream.read())
                found.append(Version(path, type_tree.name, blob.name[:-5], loaded.data, loaded.text))
    finally:
        if gc_was_enabled:
            gc.enable()
    return found, fork_point


def read_head(root: Path, types: list[str]) -> list[Version]:
    loaded = load_registry(root, types)
    found = [Version(r.path, r.type, r.id, r.data, r.text) for r in loaded.records]
    parsed = {v.path for v in found}
    for diagnostic in loaded.diagnostics:  # a record file that is there but does not parse
        parts = PurePosixPath(diagnostic.path).parts
        if len(parts) == 3 and parts[1] in types and parts[2].endswith(".yaml") and diagnostic.path not in parsed:
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
    for old in unmatched:  # moved to another folder, same id
        candidates = by_id.get(old.id)
        if candidates:
            matched.append((old, candidates.pop(0)))
        else:
            deleted.append(old)
    added = sorted((v for vs in by_id.values() for v in vs), key=lambda v: v.path)
    skipped = sorted({(new.path, _unparsed(old, new)) for old, new in matched if old.data is None or new.data is None}
                     | {(v.path, "基准版本") for v in deleted if v.data is None}
                     | {(v.path, "当前版本") for v in added if v.data is None})
    pairs = [Pair(old, new) for old, new in matched if old.data is not None and new.data is not None]
    deleted = [v for v in deleted if v.data is not None]
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


def check_changes(root: Path, ref: str, schemas: SchemaSet | None = None) -> ChangeReport:
    schemas = schemas or SchemaSet(root / SCHEMAS_DIR)
    types = list(schemas.types)
    head = read_head(root, types)
    base, fork_point = read_base(root, ref, types, {blob_id(v.text): v for v in head if v.text is not None})
    comparison = compare(base, head)
    found: list[Diagnostic] = []
    for old in comparison.deleted:
        found.append(_deleted(schemas.types[old.type], old))
    for new in comparison.added:
        found.extend(_new_state(schemas.types[new.type], new))
    for pair in comparison.pairs:
        if not pair.unchanged:
            found.extend(check_pair(schemas, pair))
    texts = {p.head.path: p.head.text for p in comparison.pairs if p.head.text is not None}
    texts.update({v.path: v.text for v in comparison.added if v.text is not None})
    return ChangeReport(schemas, comparison, sort_diagnostics(locate(found, texts)), fork_point)


def state_label(ts: TypeSchema, state: str) -> str:
    """The Chinese name of a state (x-enum-labels), e.g. in_progress → 办理中."""
    return ts.enum_labels(("status",)).get(state, state)


def labelled(ts: TypeSchema, state: str) -> str:
    return f"“{state_label(ts, state)}”"


def _coded(ts: TypeSchema, states: list[str], last: str = "、") -> str:
    """States with their codes: “办理中”（in_progress）、“已终止”（terminated）; `last` joins the final one."""
    items = [f"{labelled(ts, s)}（{s}）" for s in states]
    return last.join(["、".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def _deleted(ts: TypeSchema, old: Version) -> Diagnostic:
    sources = {t.source for t in ts.lifecycle.transitions}
    final = [s for s in ts.states if s not in sources]
    retire = f"，不再有效时把状态改为 {_coded(ts, final, '或 ')}" if final else ""
    return Diagnostic(old.path, "change.record-deleted", f"记录 {old.id}《{old.title}》被删除",
                      f"记录只能通过状态退出，不能删除文件：请恢复 {old.path}{retire}。", line=1, col=1)


def _new_state(ts: TypeSchema, new: Version) -> Iterator[Diagnostic]:
    status = new.data.get("status") if new.data else None
    if isinstance(status, str) and status in ts.states and status not in ts.lifecycle.initial:
        yield Diagnostic(new.path, "change.new-record-state",
                         f"新建的{ts.title}状态为 {labelled(ts, status)}，通常应从 {'或'.join(labelled(ts, s) for s in ts.lifecycle.initial)} 开始",
                         f"如果是登记已在办理中的事项，请审阅者核对其状态和进度；否则请以 {_coded(ts, ts.lifecycle.initial, '或 ')}新建记录。",
                         pointer=("status",), severity="warning")


def check_pair(schemas: SchemaSet, pair: Pair) -> Iterator[Diagnostic]:
    old, new = pair.base.data or {}, pair.head.data or {}
    ts = schemas.types[pair.head.type]
    path = pair.head.path
    if pair.renamed:
        yield Diagnostic(path, "change.id-changed", f"记录编号由 “{pair.base.id}” 改为 “{pair.head.id}”（《{pair.head.title}》）",
                         f"编号一经使用不能更改，其他记录和已发布的链接都用它引用：请把文件名和 id 改回 {pair.base.id}。",
                         pointer=("id",))
    if pair.base.type == pair.head.type:  # states of different types cannot be compared
        yield from _transition(ts, path, old, new)
    yield from _deadline(ts, path, old, new)
    for name in APPEND_ONLY:
        before, after = old.get(name), new.get(name)
        if isinstance(before, list) and before:
            yield from _append_only(ts, path, name, before, after if isinstance(after, list) else [])
    if old.get("example") is True and new.get("example") is not True:
        yield Diagnostic(path, "change.example-to-real", "记录原为示例（example: true），本次改为正式记录",
                         "请确认内容已按真实情况核实、可以作为正式数据发布，并请负责人审核后再合并。",
                         severity="warning", pointer=("example",) if "example" in new else ("id",))


def _transition(ts: TypeSchema, path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Diagnostic]:
    source, target = old.get("status"), new.get("status")
    if not isinstance(source, str) or not isinstance(target, str) or source == target:
        return
    if source not in ts.states or target not in ts.states:
        return  # an unknown state is a schema finding, reported by validate
    lifecycle = ts.lifecycle
    if not lifecycle.allows(source, target):
        following = [t.target for t in lifecycle.transitions if t.source == source and t.target != source]
        hint = (f"{labelled(ts, source)} 之后只能改为：{_coded(ts, following)}" if following
                else f"{labelled(ts, source)} 是最终状态，不能再改为其他状态")
        yield Diagnostic(path, "change.illegal-transition",
                         f"状态不能由 {labelled(ts, source)}（{source}）改为 {labelled(ts, target)}（{target}）",
                         f"{hint}；中间的状态要逐一经过，流转规定见 schemas/{ts.name}.lifecycle.yaml。", pointer=("status",))
        return
    matching = [t for t in lifecycle.transitions if t.source == source and t.target == target]
    if not matching or any(t.adds is None for t in matching):
        return
    for field in {t.adds for t in matching if t.adds}:
        before, after = old.get(field), new.get(field)
        if len(after if isinstance(after, list) else []) > len(before if isinstance(before, list) else []):
            return
    field = matching[0].adds or ""
    yield Diagnostic(path, "change.transition-needs-entry",
                     f"状态由 {labelled(ts, source)} 改为 {labelled(ts, target)}，但没有在 “{ts.label((field,))}” 中新增一条记录",
                     f"这一状态变化须在 {field} 末尾新增一条，写明{_required(ts, field)}。", pointer=("status",))


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
        yield Diagnostic(path, "change.deadline-without-extension", f"办理时限 {before} 被删去",
                         f"办理时限一经确定，只能经批准延期来更改：请恢复 deadline: {before}。", pointer=("id",))
        return
    yield Diagnostic(path, "change.deadline-without-extension",
                     f"办理时限由 {before} 改为 {after}，但没有新增批准这一时限的延期记录",
                     f"请在 extensions 末尾新增一条延期记录，写明{_required(ts, 'extensions')}，其中新办理时限为 {after}；"
                     f"未获批准的，请把办理时限改回 {before}。", pointer=("deadline",))


def new_entries(old: dict[str, Any], new: dict[str, Any], field: str) -> list[Any]:
    """The entries appended to a history list (by position, as the append-only rule sees it)."""
    before, after = old.get(field), new.get(field)
    if not isinstance(after, list):
        return []
    return after[len(before) if isinstance(before, list) else 0:]


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
        return Diagnostic(path, "change.append-only", f"{label}第 {i + 1} 条{_describe(a)}被修改" + (f"（{fields}）" if fields else ""),
                          hint, pointer=(field, j))

    def deleted(i: int, j: int) -> Diagnostic:
        at: Pointer = (field, min(j, len(after) - 1)) if after else (field,)
        return Diagnostic(path, "change.append-only", f"{label}第 {i + 1} 条{_describe(before[i])}被删除", hint, pointer=at)

    def inserted(j: int) -> Diagnostic:
        return Diagnostic(path, "change.append-only", f"在已有的{label}之间插入了新的一条{_describe(after[j])}",
                          "新记录只能加在列表最后；请把它移到末尾（日期写报送当天，实际发生日期写在内容中）。", pointer=(field, j))

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
