"""Digests: for each unit that leads something, the items that need it today, in the order of 督办
practice (临近提醒 → 到期催办 → 情况通报 is the sequence; a digest lists what is due, overdue,
unsigned, without progress, waiting for an answer, or a meeting's missing minutes or missed period).

Every state comes from model/status.py and carries the explanation the site shows, so a digest and
the site never disagree; who leads is the schemas' x-lead, read through Model.leads. Facts only: no
score, no count compared across units, units in id order (never by how much they have pending).
Only the public registry is read: digests end up in forge issues and group chats."""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from liandong.errors import LiandongError
from liandong.model.model import Item, Model
from liandong.model.status import Badge, Status
from liandong.validation.pipeline import validate

SITE_URL_ENV = "LIANDONG_SITE_URL"


@dataclass(frozen=True)
class Section:
    code: str  # the derived state that puts an item here (status.Badge.code)
    title: str  # the digest's heading


# An item goes into the first section whose state it has; its line then names all its states.
# Titles name the registry's warning windows (registry/liandong.yaml `windows`): see headings().
SECTIONS = (
    Section("overdue", "到期催办：逾期未办结"),
    Section("due-soon", "临近提醒：{due_soon_days} 天内到期"),
    Section("unsigned", "未签收"),
    Section("awaiting-answer", "已上报、待上级答复"),
    Section("stale", "超过 {stale_days} 天无进展"),
    Section("minutes-missing", "会议纪要未印发"),
    Section("missed-period", "会议未按期召开"),
)
CODES = tuple(s.code for s in SECTIONS)


def headings(windows: dict[str, int]) -> tuple[Section, ...]:
    """The sections with the registry's warning windows in their titles."""
    return tuple(Section(s.code, s.title.format_map(windows)) for s in SECTIONS)


class RegistryNotReady(LiandongError):
    """The registry has errors: no digest is made from it (exit 1, as validate)."""

    exit_code = 1


@dataclass(frozen=True)
class Entry:
    """One item in a digest.

    item: the record
    section: the code of the section it is listed in
    badges: its derived states (status.badges), each with its explanation
    url: its page on the published site, None when no site address is configured
    """

    item: Item
    section: str
    badges: list[Badge]
    url: str | None


@dataclass(frozen=True)
class Digest:
    """What one unit leads that needs it today.

    unit_id: the organization's id
    name: its name (the id when it is not in the public registry)
    team: its reviewer team on the forge (its own reviewer_team or its nearest parent's), None without one
    entries: its items, section by section, most urgent first within a section
    """

    unit_id: str
    name: str
    team: str | None
    entries: list[Entry]
    windows: dict[str, int] = field(default_factory=dict)  # the registry's warning windows, for the titles

    def sections(self) -> list[tuple[Section, list[Entry]]]:
        found = [(s, mine) for s in SECTIONS if (mine := [e for e in self.entries if e.section == s.code])]
        return [(Section(s.code, s.title.format_map(self.windows)), mine) for s, mine in found]

    @property
    def overdue(self) -> list[str]:
        """The ids of its overdue items: what a new reminder comment is about."""
        return [e.item.id for e in self.entries if any(b.code == "overdue" for b in e.badges)]


@dataclass(frozen=True)
class Reminders:
    """Every digest of one day.

    today: the day
    site_url: the published site's address ("" when none is configured: the digests say so)
    digests: one per unit with something pending, by unit id
    unassigned: items with something pending whose source names no leading unit (no digest can hold them)
    """

    today: datetime.date
    site_url: str
    digests: list[Digest]
    unassigned: list[Entry]
    windows: dict[str, int] = field(default_factory=dict)  # the registry's warning windows, for the titles


def site_url(root: Path, option: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The published site's address: --site-url, else LIANDONG_SITE_URL (as the Pages workflow sets
    it), else mkdocs.yml's site_url when it is written there; "" when none is configured."""
    env = os.environ if environ is None else environ
    for candidate in (option, env.get(SITE_URL_ENV)):
        if candidate:
            return candidate.rstrip("/") + "/"
    configured = _mkdocs_site_url(root / "mkdocs.yml", env)
    return configured.rstrip("/") + "/" if configured else ""


def _mkdocs_site_url(path: Path, environ: dict[str, str] | os._Environ[str]) -> str:
    """site_url from mkdocs.yml, reading MkDocs' !ENV tag as MkDocs does and ignoring other tags."""

    class Loader(yaml.SafeLoader):
        pass

    def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]  # type: ignore[arg-type]
        *variables, default = names if len(names) > 1 else [*names, None]
        return next((environ[str(v)] for v in variables if environ.get(str(v))), default)

    Loader.add_constructor("!ENV", env_tag)
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # a SafeLoader: no Python objects
    except (OSError, yaml.YAMLError):
        return ""
    value = config.get("site_url") if isinstance(config, dict) else None
    return value if isinstance(value, str) else ""


def public_model(root: Path, today: datetime.date) -> Model:
    """The public registry, validated on `today`; RegistryNotReady when it has errors."""
    result = validate(root, today=today)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        from liandong.reporters import text

        raise RegistryNotReady(f"登记册有 {len(errors)} 个错误，未生成提醒：\n{text(errors)}")
    return Model.build(result.schemas, result.valid).public()


def reminders(model: Model, today: datetime.date, site: str = "") -> Reminders:
    """Every unit's digest on `today`, from `model` (the public one: see public_model)."""
    from liandong.codeowners import reviewer_teams

    status = Status(model, today)
    windows = dict(model.schemas.configuration.data["windows"])
    order = _urgency(status)
    by_unit: dict[str, list[Entry]] = {}
    unassigned: list[Entry] = []
    for type_name in model.types:
        for item in model.of_type(type_name):
            badges = status.badges(item)
            section = next((code for code in CODES if any(b.code == code for b in badges)), None)
            if section is None:
                continue
            entry = Entry(item, section, badges, f"{site}{item.url}" if site else None)
            leads = model.leads(item)
            for unit in dict.fromkeys(leads):
                by_unit.setdefault(unit, []).append(entry)
            if not leads:
                unassigned.append(entry)
    teams = reviewer_teams({o.id: o.data for o in model.of_type("organizations")})

    def key(entry: Entry) -> tuple[int, int, str]:
        return CODES.index(entry.section), order.get((entry.section, entry.item.id), 0), entry.item.id

    digests = []
    for unit_id in sorted(by_unit):
        organization = model.get(unit_id)
        name = organization.title if organization is not None else unit_id
        digests.append(Digest(unit_id, name, teams.get(unit_id), sorted(by_unit[unit_id], key=key), windows))
    return Reminders(today, site, digests, sorted(unassigned, key=key), windows)


def _urgency(status: Status) -> dict[tuple[str, str], int]:
    """(section, item id) → rank, in the order the site lists them (most overdue first, soonest due
    first, longest unsigned or waiting first); items of other sections keep id order."""
    ranks: dict[tuple[str, str], int] = {}
    for code, items in (
        ("overdue", [e.item for e in status.overdue()]),
        ("due-soon", [e.item for e in status.due_soon()]),
        ("unsigned", [u.item for u in status.unsigned()]),
        ("awaiting-answer", [w.item for w in status.escalations]),
    ):
        ranks.update({(code, item.id): rank for rank, item in enumerate(items)})
    return ranks


# -- Markdown ---------------------------------------------------------------------------------------

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~!"} | {"@": "＠", "\n": " ", "\r": " "})


def text(value: str) -> str:
    """Record text as plain Markdown text: no markup, no line break, and no @mention (a record's
    title cannot notify anyone on the forge; "＠" is the full-width at sign)."""
    return value.translate(_MARKDOWN)


def no_site_note() -> str:
    return f"网站地址未配置（设置环境变量 {SITE_URL_ENV} 或 mkdocs.yml 的 site_url），各项不带链接，只列编号。"


def entry_markdown(entry: Entry) -> str:
    item = entry.item
    title = text(item.title)
    named = f"[{title}]({entry.url})" if entry.url else title
    marks = f"{text(item.type_label)} `{item.id}`" + ("，示例" if item.example else "")
    lines = [f"- **{named}**（{marks}）"]
    lines += [f"  - {text(b.label)}：{text(b.explanation)}" for b in entry.badges]
    return "\n".join(lines)


def digest_markdown(digest: Digest, today: datetime.date, site: str, heading: str = "##", note: bool = True) -> str:
    """One unit's digest: a heading, one line of what it is (and, without a site address, that the
    items are not linked, unless `note` is False), then each section."""
    parts = [f"{heading} {text(digest.name)}", "", f"截至 {today.isoformat()}，{text(digest.name)}牵头的事项中，以下 {len(digest.entries)} 项需要关注。"]
    if not site and note:
        parts += ["", no_site_note()]
    for section, entries in digest.sections():
        parts += ["", f"{heading}# {section.title}（{len(entries)} 项）", ""]
        parts += [entry_markdown(e) for e in entries]
    return "\n".join(parts) + "\n"


def markdown(found: Reminders) -> str:
    """Every digest, for `liandong remind` on a terminal."""
    parts = [f"# 催办提醒（截至 {found.today.isoformat()}）", ""]
    parts.append("逾期、即将到期、未签收、无进展和待答复的状态都按当天自动计算，说明与网站相同；按单位编号排列，不作排名。")
    if not found.site_url:
        parts += ["", no_site_note()]
    if not found.digests and not found.unassigned:
        parts += ["", "没有需要提醒的事项。"]
    for digest in found.digests:
        parts += ["", digest_markdown(digest, found.today, found.site_url, note=False).rstrip("\n")]
    if found.unassigned:
        parts += ["", f"## 未明确牵头单位的事项（{len(found.unassigned)} 项）", "", "来源没有写明牵头单位，无法提醒到单位；有正式分工后请补充牵头单位。", ""]
        parts += [entry_markdown(e) for e in found.unassigned]
    return "\n".join(parts) + "\n"


# -- JSON -------------------------------------------------------------------------------------------


def _entry_json(entry: Entry) -> dict[str, Any]:
    item = entry.item
    return {
        "id": item.id,
        "type": item.type,
        "type_label": item.type_label,
        "title": item.title,
        "status": item.status,
        "status_label": item.status_label,
        "example": item.example,
        "url": entry.url,
        "section": entry.section,
        "states": [{"code": b.code, "label": b.label, "explanation": b.explanation} for b in entry.badges],
    }


def as_json(found: Reminders) -> str:
    """Every digest for programs: units by id, each item with its states and explanations."""
    document = {
        "today": found.today.isoformat(),
        "site_url": found.site_url or None,
        "sections": [{"code": s.code, "title": s.title} for s in headings(found.windows)],
        "units": [{"id": d.unit_id, "name": d.name, "team": d.team, "items": [_entry_json(e) for e in d.entries], "overdue": d.overdue} for d in found.digests],
        "unassigned": [_entry_json(e) for e in found.unassigned],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
