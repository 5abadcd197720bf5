"""联合检查和检查周 (实施意见三(一)3): what the inspection records mean together, on a given day.
Derived at build time from the records and the day; never stored.

The records (schemas/inspections.schema.json) are applications (检查申报), arrangements (统筹安排:
an inspection week or a joint inspection of the applications it names) and separate inspections
(单独检查: one department on its own, outside any arrangement). From them:

- an arrangement's enterprises and departments: its own `enterprises` and `team` when written,
  else those of the applications it arranges (each fact is entered once);
- each enterprise's inspections (its visits): the arrangements (not cancelled) and the separate
  inspections that name it. An enterprise is identified by its 统一社会信用代码 when the record
  gives one, else by its exact name: “某公司” and “某有限公司” without a code are two enterprises;
- separate inspections of the same enterprise by two or more different departments: the thing the
  mechanism exists to prevent. The policy gives no window, so none is invented: without a rule the
  finding states the facts (which departments, on which dates) and makes no judgement. A window
  stated on the mechanism record (inspection_rules.separate_window_days, with the document clause
  that sets it) is checked: two separate inspections by different departments fewer than that
  many days apart (the same day is 0 days apart) are 不符合检查规则;
- the inspection weeks a rule asks for (inspection_rules.weeks, e.g. one a quarter), period by
  period, only when a mechanism states one;
- applications not yet arranged, the calendar of arranged inspections, the next inspection week.

Examples never count with real records: a finding about real records is made from real records
only (example records make their own, marked as examples), and the figures of a real mechanism
count its real records (the examples are counted apart, and said to be examples).

Every explanation is a sentence a reader can check against the records it names. Pure: a Model
and a day in, the dataclasses below out."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from liandong.model.model import Item, Model
from liandong.model.periods import MONTHS
from liandong.model.periods import periods as calendar_periods
from liandong.model.periods import state_label as period_state

TYPE = "inspections"
APPLICATION, ARRANGEMENT, SEPARATE = "application", "arrangement", "separate"
FORMS = {"inspection_week": "检查周", "joint_inspection": "联合检查"}

# The codes of the derived states (list filter, registry.json), and their labels.
LABELS = {
    "awaiting-arrangement": "待安排",
    "arranged-in": "已列入安排",
    "upcoming": "尚未开始",
    "ongoing": "检查进行中",
    "result-missing": "未登记检查结果",
    "follow-up-open": "后续任务未办结",
    "follow-up-done": "后续任务已办结",
    "separate": "单独检查",
    "separate-repeated": "多个部门单独检查同一企业",
    "separate-rule": "不符合检查规则",
}
ENTERPRISE_NOTE = "企业以统一社会信用代码识别；记录未填代码的，以企业名称识别（名称须与营业执照完全一致，写法不同即视为不同企业）。"
NO_RULE = "联合检查机制记录未规定单独检查的间隔（实施意见三（一）3 也没有规定），这里只列出事实，不作判断。"


@dataclass(frozen=True)
class Derived:
    """A derived state of one record: the parts of a status.Badge."""

    code: str  # a key of LABELS
    label: str  # short, e.g. 待安排
    explanation: str  # a sentence that says why, naming dates and records
    tone: str  # danger | warning | ok | info


@dataclass(frozen=True)
class Enterprise:
    """An enterprise as the inspection records name it.

    key: ("uscc", code) or ("name", exact name)
    name: the name it is shown under (the first written; with a code, other spellings are `names`)
    names: every name the records write for it, in the order first seen
    uscc: its 统一社会信用代码, None when no record gives one
    """

    key: tuple[str, str]
    name: str
    names: tuple[str, ...]
    uscc: str | None

    @property
    def identified_by(self) -> str:
        return "统一社会信用代码" if self.uscc else "企业名称"


@dataclass(frozen=True)
class Visit:
    """One inspection an enterprise received or is to receive.

    item: the arrangement or separate inspection
    start, end: its dates (end = start for one day)
    departments: the inspecting departments' ids
    arranged: True for an arrangement (检查周、联合检查), False for a separate inspection
    done: whether it has taken place (已检查)
    """

    item: Item
    start: datetime.date
    end: datetime.date
    departments: tuple[str, ...]
    arranged: bool
    done: bool


@dataclass(frozen=True)
class Breach:
    """Two separate inspections of one enterprise by different departments, closer than the rule allows."""

    first: Visit
    second: Visit
    days: int  # days between their dates


@dataclass(frozen=True)
class WindowRule:
    """inspection_rules.separate_window_days of a mechanism, with the clause that sets it."""

    mechanism: Item
    days: int
    source: str  # e.g. 三(一)3（某文件）


@dataclass(frozen=True)
class SeparateFinding:
    """Separate inspections of one enterprise by two or more departments (示例 apart from real).

    enterprise: the enterprise
    visits: the separate inspections that took place, by date
    departments: the departments that inspected it separately, in order of their first visit
    example: whether these are example records
    rule: the window rule checked, None when no mechanism states one
    breaches: the pairs closer than the rule's window ([] without a rule, or when none is)
    explanation: the facts, and the verdict only when a rule is stated
    """

    enterprise: Enterprise
    visits: tuple[Visit, ...]
    departments: tuple[str, ...]
    example: bool
    rule: WindowRule | None
    breaches: tuple[Breach, ...]
    explanation: str


@dataclass(frozen=True)
class WeekPeriod:
    """One period of an inspection-week rule and the inspection weeks arranged in it."""

    label: str
    start: datetime.date
    end: datetime.date
    state: str  # held | missed | current | upcoming
    weeks: tuple[Item, ...]
    every: str = "quarter"  # the rule's period code (periods.MONTHS), for 本季度进行中

    @property
    def state_label(self) -> str:
        return period_state(self.state, self.every, "已安排", "未安排")


@dataclass(frozen=True)
class WeeksRule:
    """inspection_rules.weeks of a mechanism: at least `times` inspection weeks `every` period."""

    mechanism: Item
    every_label: str
    times: int
    source: str
    periods: tuple[WeekPeriod, ...]
    note: str


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


def _done(item: Item) -> bool:
    return item.status in item.schema.lifecycle.done


def enterprise_key(enterprise: dict[str, Any]) -> tuple[str, str]:
    """An enterprise's identity: its 统一社会信用代码 when given, else its exact name."""
    code = enterprise.get("uscc")
    return ("uscc", str(code)) if isinstance(code, str) and code else ("name", str(enterprise.get("name", "")))


def source_text(model: Model, clause_ref: Any) -> str:
    """A clause reference as explanations write it: 三(一)3（文件名称）."""
    if not isinstance(clause_ref, dict):
        return "（未写明依据）"
    document = model.get(str(clause_ref.get("document", "")))
    title = document.title if document is not None else "未公开的文件"
    return f"{clause_ref.get('clause', '')}（{title}）"


class Inspections:
    """The inspection records of one model, read together, on one day."""

    def __init__(self, model: Model, today: datetime.date) -> None:
        self.model = model
        self.today = today
        self.items = model.of_type(TYPE) if TYPE in model.schemas.types else []
        self._derived: dict[str, list[Derived]] = {}

    # -- names --------------------------------------------------------------------------------

    def unit_name(self, unit_id: str) -> str:
        unit = self.model.get(unit_id)
        return unit.title if unit is not None else "（未公开的单位）"

    def units(self, ids: Iterable[str]) -> str:
        return "、".join(self.unit_name(u) for u in ids) or "（未写明）"

    def form_label(self, item: Item) -> str:
        return FORMS.get(str(item.data.get("form")), "统筹安排")

    # -- one record ---------------------------------------------------------------------------

    def kind(self, item: Item) -> str:
        return str(item.data.get("kind", ""))

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if self.kind(i) == kind]

    def applications_of(self, arrangement: Item) -> list[Item]:
        """The applications an arrangement arranges (those published and of the right kind)."""
        found = [self.model.get(a) for a in arrangement.data.get("applications", []) if isinstance(a, str)]
        return [a for a in found if a is not None and a.type == TYPE and self.kind(a) == APPLICATION]

    @cached_property
    def _arranged_in(self) -> dict[str, list[Item]]:
        index: dict[str, list[Item]] = {}
        for arrangement in self.of_kind(ARRANGEMENT):
            for application in self.applications_of(arrangement):
                index.setdefault(application.id, []).append(arrangement)
        return index

    def arrangements_of(self, application: Item) -> list[Item]:
        """The arrangements that name an application: live ones first, then cancelled, each by date."""
        found = self._arranged_in.get(application.id, [])
        return sorted(found, key=lambda a: (a.status == "cancelled", str(a.data.get("date", "")), a.id))

    def enterprises_of(self, item: Item) -> list[dict[str, Any]]:
        """The enterprises a record is about: an arrangement's own, else its applications'."""
        own = item.data.get("enterprises")
        if isinstance(own, list) and own:
            return [e for e in own if isinstance(e, dict)]
        if self.kind(item) != ARRANGEMENT:
            return []
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for application in self.applications_of(item):
            for enterprise in application.data.get("enterprises", []):
                if isinstance(enterprise, dict):
                    seen.setdefault(enterprise_key(enterprise), enterprise)
        return list(seen.values())

    def departments_of(self, item: Item) -> list[str]:
        """Who inspects: the department of an application or separate inspection; an arrangement's
        team, else the departments of its applications."""
        if self.kind(item) != ARRANGEMENT:
            department = item.data.get("department")
            return [department] if isinstance(department, str) else []
        team = item.data.get("team")
        if isinstance(team, list) and team:
            return [u for u in team if isinstance(u, str)]
        found: list[str] = []
        for application in self.applications_of(item):
            department = application.data.get("department")
            if isinstance(department, str) and department not in found:
                found.append(department)
        return found

    def period(self, item: Item) -> tuple[datetime.date, datetime.date] | None:
        start = _date(item.data.get("date"))
        if start is None:
            return None
        end = _date(item.data.get("end_date")) or start
        return start, max(start, end)

    def period_text(self, item: Item) -> str:
        found = self.period(item)
        if found is None:
            return "（未写明日期）"
        start, end = found
        return start.isoformat() if start == end else f"{start.isoformat()} 至 {end.isoformat()}"

    # -- enterprises and their inspections ----------------------------------------------------

    def visit(self, item: Item) -> Visit | None:
        """The inspection a live arrangement or a separate inspection is; None for anything else."""
        kind = self.kind(item)
        found = self.period(item)
        if found is None or kind not in (ARRANGEMENT, SEPARATE) or item.status == "cancelled":
            return None
        return Visit(item, found[0], found[1], tuple(self.departments_of(item)), kind == ARRANGEMENT, item.status == "inspected")

    @cached_property
    def _by_enterprise(self) -> tuple[dict[tuple[str, str], Enterprise], dict[tuple[str, str], list[Visit]], dict[tuple[str, str], list[Item]]]:
        names: dict[tuple[str, str], list[str]] = {}
        visits: dict[tuple[str, str], list[Visit]] = {}
        applications: dict[tuple[str, str], list[Item]] = {}
        for item in self.items:
            one = self.visit(item)
            for enterprise in self.enterprises_of(item):
                key = enterprise_key(enterprise)
                written = names.setdefault(key, [])
                if str(enterprise.get("name", "")) not in written:
                    written.append(str(enterprise.get("name", "")))
                if one is not None:
                    visits.setdefault(key, []).append(one)
                elif self.kind(item) == APPLICATION:
                    applications.setdefault(key, []).append(item)
        enterprises = {key: Enterprise(key, found[0], tuple(found), key[1] if key[0] == "uscc" else None) for key, found in names.items()}
        for found in visits.values():
            found.sort(key=lambda v: (v.start, v.item.id))
        return enterprises, visits, applications

    @property
    def enterprises(self) -> list[Enterprise]:
        """Every enterprise an inspection record names, by name."""
        return sorted(self._by_enterprise[0].values(), key=lambda e: (e.name, e.key))

    def visits_of(self, enterprise: Enterprise) -> list[Visit]:
        """Its inspections (live arrangements and separate inspections), by date."""
        return self._by_enterprise[1].get(enterprise.key, [])

    def applications_for(self, enterprise: Enterprise) -> list[Item]:
        """The applications that name it (arranged or not)."""
        return self._by_enterprise[2].get(enterprise.key, [])

    def enterprises_named(self, item: Item) -> list[Enterprise]:
        known = self._by_enterprise[0]
        return [known[k] for k in dict.fromkeys(enterprise_key(e) for e in self.enterprises_of(item)) if k in known]

    # -- rules --------------------------------------------------------------------------------

    def _rules(self, mechanism_id: Any) -> dict[str, Any]:
        mechanism = self.model.get(mechanism_id) if isinstance(mechanism_id, str) else None
        rules = mechanism.data.get("inspection_rules") if mechanism is not None else None
        return rules if isinstance(rules, dict) else {}

    def window_rule(self, item: Item) -> WindowRule | None:
        """The separate-inspection window of the record's mechanism, None when it states none."""
        rules = self._rules(item.data.get("mechanism"))
        days = rules.get("separate_window_days")
        mechanism = self.model.get(str(item.data.get("mechanism")))
        if not isinstance(days, int) or mechanism is None:
            return None
        return WindowRule(mechanism, days, source_text(self.model, rules.get("source")))

    @cached_property
    def findings(self) -> list[SeparateFinding]:
        """Enterprises inspected separately by two or more departments: real records among
        themselves, examples among themselves; by the first such date."""
        found: list[SeparateFinding] = []
        for key, enterprise in self._by_enterprise[0].items():
            separate = [v for v in self._by_enterprise[1].get(key, []) if not v.arranged and v.done]
            for example in (False, True):
                visits = tuple(v for v in separate if v.item.example == example)
                departments = tuple(dict.fromkeys(d for v in visits for d in v.departments))
                if len(departments) >= 2:
                    found.append(self._finding(enterprise, visits, departments, example))
        return sorted(found, key=lambda f: (f.visits[0].start, f.enterprise.name, f.example))

    def _finding(self, enterprise: Enterprise, visits: tuple[Visit, ...], departments: tuple[str, ...], example: bool) -> SeparateFinding:
        facts = "；".join(f"{self.units(v.departments)} {self.period_text(v.item)}" for v in visits)
        what = f"{enterprise.name}在统筹安排的检查周、联合检查之外，由 {len(departments)} 个部门分别单独检查：{facts}。"
        rule = self.window_rule(visits[-1].item)
        if rule is None:
            return SeparateFinding(enterprise, visits, departments, example, None, (), what + NO_RULE)
        breaches = tuple(
            Breach(a, b, (b.start - a.start).days)
            for i, a in enumerate(visits)
            for b in visits[i + 1 :]
            if set(a.departments) != set(b.departments) and (b.start - a.start).days < rule.days
        )
        if breaches:
            pairs = "；".join(f"{self._dated(b.first)} 与 {self._dated(b.second)} 相隔 {b.days} 天" for b in breaches)
            verdict = f"依据 {rule.source}，同一企业由不同部门分别单独检查应相隔至少 {rule.days} 天，不符合：{pairs}。"
        else:
            verdict = f"依据 {rule.source}，同一企业由不同部门分别单独检查应相隔至少 {rule.days} 天，以上检查相隔均不少于 {rule.days} 天。"
        return SeparateFinding(enterprise, visits, departments, example, rule, breaches, what + verdict)

    def _dated(self, visit: Visit) -> str:
        return f"{self.units(visit.departments)} {visit.start.isoformat()}"

    def findings_of(self, item: Item) -> list[SeparateFinding]:
        """The findings a separate inspection is part of."""
        return [f for f in self.findings if any(v.item is item for v in f.visits)]

    def weeks_rule(self, mechanism: Item) -> WeeksRule | None:
        """How a mechanism's inspection-week rule was kept, period by period; None without one."""
        rules = mechanism.data.get("inspection_rules")
        weeks = rules.get("weeks") if isinstance(rules, dict) else None
        if not isinstance(weeks, dict) or weeks.get("every") not in MONTHS:
            return None
        # A real mechanism's rule counts its real inspection weeks; an example's counts every one.
        arranged = [
            a
            for a in self.for_mechanism(mechanism)
            if self.kind(a) == ARRANGEMENT and a.data.get("form") == "inspection_week" and a.status != "cancelled" and (mechanism.example or not a.example)
        ]
        every = str(mechanism.schema.enum_labels(("inspection_rules", "weeks", "every")).get(weeks["every"], weeks["every"]))
        source = source_text(self.model, rules.get("source") if isinstance(rules, dict) else None)
        start = _date(mechanism.data.get("started"))
        note = ""
        if start is None:
            dates = sorted(p[0] for a in arranged if (p := self.period(a)) is not None)
            if not dates:
                return WeeksRule(mechanism, every, int(weeks["times"]), source, (), "启动日期未知，也没有检查周的记录，无法按周期列出。")
            start = dates[0]
            note = f"启动日期未知，自有记录的第一个检查周（{start.isoformat()}）起计算。"
        periods = []
        for begin, end, label in calendar_periods(weeks["every"], start, self.today):
            inside = tuple(a for a in arranged if (p := self.period(a)) is not None and begin <= p[0] <= end)
            if len(inside) >= weeks["times"]:
                state = "held"
            elif end < self.today:
                state = "missed"
            elif begin <= self.today:
                state = "current"
            else:
                state = "upcoming"
            periods.append(WeekPeriod(label, begin, end, state, inside, weeks["every"]))
        return WeeksRule(mechanism, every, int(weeks["times"]), source, tuple(periods), note)

    # -- lists ---------------------------------------------------------------------------------

    def pending(self) -> list[Item]:
        """Applications not yet arranged (已申报), oldest application first."""
        found = [a for a in self.of_kind(APPLICATION) if a.status == "submitted"]
        return sorted(found, key=lambda a: (str(a.data.get("submitted", "")), a.id))

    def calendar(self) -> list[Item]:
        """Arrangements not cancelled, and separate inspections, by date."""
        found = [i for i in self.items if self.visit(i) is not None]
        return sorted(found, key=lambda i: (self.period(i) or (datetime.date.max,), i.id))

    def next_week(self) -> Item | None:
        """The inspection week that is under way today or comes next (already arranged, not cancelled)."""
        weeks = [
            a
            for a in self.of_kind(ARRANGEMENT)
            if a.data.get("form") == "inspection_week" and a.status == "scheduled" and (p := self.period(a)) is not None and p[1] >= self.today
        ]
        return min(weeks, key=lambda a: (self.period(a) or (datetime.date.max,), a.id), default=None)

    def for_mechanism(self, mechanism: Item) -> list[Item]:
        return [i for i in self.items if i.data.get("mechanism") == mechanism.id]

    # -- derived states -------------------------------------------------------------------------

    def derived(self, item: Item) -> list[Derived]:
        if item.id not in self._derived:
            kind = self.kind(item)
            if kind == APPLICATION:
                found = self._application(item)
            elif kind == ARRANGEMENT:
                found = self._arrangement(item)
            elif kind == SEPARATE:
                found = self._separate(item)
            else:
                found = []
            self._derived[item.id] = found
        return self._derived[item.id]

    def _application(self, item: Item) -> list[Derived]:
        proposed = item.data.get("proposed")
        proposed = proposed if isinstance(proposed, dict) else {}
        start, end = _date(proposed.get("from")), _date(proposed.get("to"))
        when = f"拟检查时间 {start.isoformat() if start else '未写明'}" + (f" 至 {end.isoformat()}" if end else " 起")
        if item.status == "submitted":
            submitted = item.data.get("submitted", "（未写明日期）")
            if end is not None and end < self.today:
                return [
                    Derived(
                        "awaiting-arrangement",
                        "待安排（拟检查时间已过）",
                        f"{submitted} 申报，尚未列入统筹安排；{when}，至 {self.today.isoformat()} 已过。",
                        "warning",
                    )
                ]
            return [Derived("awaiting-arrangement", "待安排", f"{submitted} 申报，尚未列入统筹安排；{when}。", "info")]
        if item.status == "arranged":
            live = [a for a in self.arrangements_of(item) if a.status != "cancelled"]
            if live:
                names = "；".join(f"{a.title}（{self.form_label(a)}，{self.period_text(a)}）" for a in live)
                first = self.period(live[0])
                label = f"已列入{self.form_label(live[0])}" + (f" {first[0].isoformat()}" if first else "")
                by = self.model.get(str(live[0].data.get("arranged_by")))
                who = f"由{by.data.get('short_name') or by.title}" if by is not None else "已"  # as the text names it
                return [Derived("arranged-in", label, f"{who}统筹安排：{names}。", "ok")]
        return []

    def _arrangement(self, item: Item) -> list[Derived]:
        found: list[Derived] = []
        period = self.period(item)
        enterprises = self.enterprises_of(item)
        who = f"检查部门：{self.units(self.departments_of(item))}；企业 {len(enterprises)} 家"
        if item.status == "scheduled" and period is not None:
            start, end = period
            what = f"{self.form_label(item)} {self.period_text(item)}，{who}。"
            if start > self.today:
                days = (start - self.today).days
                found.append(Derived("upcoming", "明天开始" if days == 1 else f"{days} 天后开始", what, "info"))
            elif end >= self.today:
                found.append(Derived("ongoing", "检查进行中", what, "info"))
            else:
                found.append(
                    Derived(
                        "result-missing",
                        "未登记检查结果",
                        f"检查日期 {self.period_text(item)} 已过，至 {self.today.isoformat()} 状态仍为已排定：请登记检查结果（已检查）或取消情况（已取消）。",
                        "warning",
                    )
                )
        found.extend(self._follow_up(item))
        return found

    def _follow_up(self, item: Item) -> list[Derived]:
        tasks = [t for t in (self.model.get(str(x)) for x in item.data.get("follow_up", [])) if t is not None]
        if not tasks or item.status != "inspected":
            return []
        open_tasks = [t for t in tasks if not _done(t)]
        if open_tasks:
            names = "、".join(f"{t.title}（{t.status_label}）" for t in open_tasks)
            return [Derived("follow-up-open", f"后续任务未办结 {len(open_tasks)} 项", f"检查后交办任务 {len(tasks)} 项，未办结：{names}。", "info")]
        return [Derived("follow-up-done", "后续任务已办结", f"检查后交办的 {len(tasks)} 项任务均已办结或终止。", "ok")]

    def _separate(self, item: Item) -> list[Derived]:
        reason = item.data.get("reason")
        why = f"原因：{reason.rstrip('。')}" if isinstance(reason, str) else "未写明原因"
        found = [
            Derived(
                "separate",
                "单独检查",
                f"{self.units(self.departments_of(item))} {self.period_text(item)} 单独检查，未列入统筹安排的检查周或联合检查；{why}。",
                "info",
            )
        ]
        for finding in self.findings_of(item):
            mine = [b for b in finding.breaches if item in (b.first.item, b.second.item)]
            if mine:
                found.append(Derived("separate-rule", "不符合检查规则", finding.explanation, "danger"))
            else:
                label = f"{finding.enterprise.name}：{len(finding.departments)} 个部门单独检查"
                found.append(Derived("separate-repeated", label, finding.explanation, "warning"))
        return found
