"""Status derived at build time from the records and `today`; never stored in the registry.

Every badge carries its own explanation (逾期 12 天 — 办理时限 2025-03-01，未办结), so nobody
has to guess why an item is red."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from liandong.model import examples
from liandong.model import inspections as joint_inspections
from liandong.model import pushes as information_pushes
from liandong.model import reviews as joint_reviews
from liandong.model.model import Item, Model
from liandong.model.periods import periods as _periods
from liandong.model.periods import state_label as period_state
from liandong.validation.rules.dates import extended_deadline


def as_date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


# The state a lead enters by signing for an item (签收, #15): tasks and coordination matters have it.
SIGNED = "signed"
# Meetings that took place; a planned one whose day has passed may have too, unrecorded.
HELD = ("held", "minutes_issued")


def is_open(item: Item) -> bool:
    return item.status not in item.schema.lifecycle.done


def is_standing(item: Item) -> bool:
    """A standing rule (nature: standing, 长期执行的规定, e.g. 每季度召开一次): it has no day on which it
    is done, so it is never overdue, due soon or stale, and never in the report or the reminders.
    The one place that says so: every list of late or quiet items below is made from _derive."""
    return item.data.get("nature") == "standing"


def deadline(item: Item) -> datetime.date | None:
    return as_date(item.data.get("deadline"))


def started(item: Item) -> datetime.date | None:
    return as_date(item.data.get("assigned") or item.data.get("raised_on"))


def finished(item: Item) -> datetime.date | None:
    """When the item was carried out: a task's completion, a matter's resolution."""
    for key in ("completion", "resolution"):
        block = item.data.get(key)
        if isinstance(block, dict):
            return as_date(block.get("date"))
    return None


@dataclass(frozen=True)
class Lapse:
    """A deadline that ran out before its extension was requested (a late extension, approved as an exception)."""

    deadline: datetime.date  # the deadline in force when it lapsed
    requested: datetime.date  # when the extension of it was requested
    new_deadline: datetime.date

    @property
    def days(self) -> int:
        return (self.requested - self.deadline).days


def lapses(item: Item) -> list[Lapse]:
    """The overdue periods a later extension does not erase, oldest first."""
    extensions = [e for e in item.data.get("extensions", []) if isinstance(e, dict)]
    found = []
    for i, extension in enumerate(extensions):
        lapsed, requested, granted = as_date(extended_deadline(extensions, i)), as_date(extension.get("requested")), as_date(extension.get("new_deadline"))
        if lapsed is not None and requested is not None and granted is not None and requested > lapsed:
            found.append(Lapse(lapsed, requested, granted))
    return found


@dataclass(frozen=True)
class Badge:
    code: str  # overdue | due-soon | unsigned | lapsed | stale | late | on-time | awaiting-answer | minutes-missing | missed-period | standing
    label: str  # 逾期 12 天
    explanation: str  # 办理时限 2025-03-01，未办结
    tone: str  # danger | warning | ok | info


@dataclass(frozen=True)
class Late:
    item: Item
    deadline: datetime.date
    days: int  # days past the deadline, or days left for due-soon lists


@dataclass(frozen=True)
class Period:
    label: str  # 2026年第三季度
    start: datetime.date
    end: datetime.date
    state: str  # held | missed | upcoming | current
    meetings: tuple[Item, ...]
    every: str = "quarter"  # the cadence's period code (periods.MONTHS), for 本季度进行中

    @property
    def state_label(self) -> str:
        return period_state(self.state, self.every, "已召开", "未召开")


@dataclass(frozen=True)
class Unsigned:
    """An item its lead has not signed for (未签收), counted from the day it was assigned or raised."""

    item: Item
    since: datetime.date
    days: int


@dataclass(frozen=True)
class Waiting:
    item: Item
    to: tuple[Item, ...]  # whom it was reported to (三(三)3: up to four bodies), those with a public record
    reported_on: datetime.date
    days: int


class Status:
    """Derived facts about one model on one day."""

    def __init__(self, model: Model, today: datetime.date) -> None:
        self.model = model
        self.settings = model.schemas.configuration  # the warning windows and who may be reported up to
        self.today = today
        self._badges: dict[str, list[Badge]] = {}  # every page asks again; compute once per item
        self._reviews: dict[str, joint_reviews.Review] = {}

    # -- tasks and coordination ------------------------------------------------------------------

    def last_progress(self, item: Item) -> datetime.date | None:
        dates = [as_date(p.get("date")) for p in item.data.get("progress", []) if isinstance(p, dict)]
        known = [d for d in dates if d is not None]
        return max(known) if known else None

    def days_open(self, item: Item) -> int | None:
        begin = started(item)
        if begin is None:
            return None
        end = finished(item) if not is_open(item) else None
        return ((end or self.today) - begin).days

    def badges(self, item: Item) -> list[Badge]:
        if item.id not in self._badges:
            if item.schema.tracked:
                self._badges[item.id] = self._derive(item)
            elif item.type == "reviews":
                self._badges[item.id] = self._review_badges(item)
            elif item.type == "meetings":
                self._badges[item.id] = self._meeting_badges(item)
            elif item.type == "mechanisms":
                self._badges[item.id] = self._mechanism_badges(item)
            elif item.type == "inspections":
                self._badges[item.id] = [Badge(d.code, d.label, d.explanation, d.tone) for d in self.inspections.derived(item)]
            elif item.type == "pushes":
                self._badges[item.id] = [Badge(d.code, d.label, d.explanation, d.tone) for d in self.pushes.derived(item)]
            else:
                self._badges[item.id] = []
        return self._badges[item.id]

    def unsigned_days(self, item: Item) -> int | None:
        """Days since an item was assigned (a matter: raised) that its lead has not signed for it:
        None once it is signed or past that step (a task already under way needs no 签收 after the
        fact), for types without the step, and without a date to count from."""
        if SIGNED not in item.schema.states or item.status not in item.schema.lifecycle.initial or item.data.get("acknowledgement"):
            return None
        begin = started(item)
        if begin is None or begin > self.today:
            return None
        return (self.today - begin).days

    def _derive(self, item: Item) -> list[Badge]:
        if is_standing(item):
            return self._standing_badges(item)
        found: list[Badge] = []
        due = deadline(item)
        done = finished(item)
        if is_open(item) and due is not None:
            if due < self.today:
                days = (self.today - due).days
                found.append(Badge("overdue", f"逾期 {days} 天", f"办理时限 {due.isoformat()}，至 {self.today.isoformat()} 未办结", "danger"))
            elif (due - self.today).days <= self.settings.due_soon_days:
                days = (due - self.today).days
                found.append(Badge("due-soon", "今天到期" if days == 0 else f"{days} 天后到期", f"办理时限 {due.isoformat()}，尚未办结", "warning"))
        found.extend(self._unsigned_badge(item))
        for lapse in lapses(item):
            found.append(
                Badge(
                    "lapsed",
                    f"曾逾期 {lapse.days} 天",
                    f"办理时限 {lapse.deadline.isoformat()} 到期后，{lapse.requested.isoformat()} 才申请延期（经批准延至 {lapse.new_deadline.isoformat()}）",
                    "warning",
                )
            )
        if is_open(item):
            last = self.last_progress(item) or started(item)
            window = self.settings.stale_days
            if last is not None and (self.today - last).days > window:
                what = "最近一次进度" if self.last_progress(item) else "交办以来没有进度，交办日期"
                found.append(Badge("stale", f"{(self.today - last).days} 天无进展", f"{what} {last.isoformat()}，超过 {window} 天未更新", "warning"))
        elif done is not None and due is not None:
            # A late extension does not erase the lapse: judge against the deadline in force when it first ran out.
            first = next(iter(lapses(item)), None)
            judged = first.deadline if first is not None else due
            if first is not None and done > judged:
                found.append(
                    Badge(
                        "late",
                        f"逾期办结（晚 {(done - judged).days} 天）",
                        f"办理时限 {judged.isoformat()} 到期时未办结，{first.requested.isoformat()} 才申请延期；按当时的办理时限计，"
                        f"{done.isoformat()} 办结（延期后的办理时限 {due.isoformat()}）",
                        "warning",
                    )
                )
            elif done > due:
                found.append(Badge("late", f"逾期办结（晚 {(done - due).days} 天）", f"办理时限 {due.isoformat()}，{done.isoformat()} 办结", "warning"))
            else:
                found.append(Badge("on-time", "按期办结", f"办理时限 {due.isoformat()}，{done.isoformat()} 办结", "ok"))
        waiting = self.waiting_answer(item)
        if waiting is not None:
            to = "、".join(t.title for t in waiting.to) or "上级"
            found.append(Badge("awaiting-answer", f"待上级答复 {waiting.days} 天", f"{waiting.reported_on.isoformat()} 报{to}，尚未答复", "warning"))
        return found

    def _standing_badges(self, item: Item) -> list[Badge]:
        """A standing rule's badge (长期执行), and whether its lead has signed for it; no deadline, overdue or staleness."""
        timing = item.data.get("timing_as_written")
        said = f"原文时限：{timing}；" if isinstance(timing, str) else ""
        return [
            Badge("standing", "长期执行", f"{said}长期执行的规定，没有办结的一天：至 {self.today.isoformat()} 不计逾期、即将到期和无进展", "info"),
            *self._unsigned_badge(item),
        ]

    def _unsigned_badge(self, item: Item) -> list[Badge]:
        unsigned = self.unsigned_days(item)
        if unsigned is None:
            return []
        begin = started(item)
        field = "assigned" if item.data.get("assigned") else "raised_on"
        lead = "牵头单位" if item.schema.lead_field and not item.schema.lead_field[1] else "牵头的责任单位"
        return [
            Badge(
                "unsigned",
                f"未签收 {unsigned} 天" if unsigned else "未签收",
                f"{item.schema.label((field,))} {begin.isoformat() if begin else ''}，至 {self.today.isoformat()} {lead}尚未签收",
                "warning",
            )
        ]

    def _meeting_badges(self, meeting: Item) -> list[Badge]:
        """A meeting held (or planned for a day now past) more than the configured minutes_due_days ago whose minutes are not on record."""
        held = as_date(meeting.data.get("date"))
        if held is None or meeting.status not in ("held", "planned") or meeting.data.get("minutes"):
            return []
        days = (self.today - held).days
        if days <= self.settings.minutes_due_days:
            return []
        if meeting.status == "held":
            label, why = f"纪要未印发（会后 {days} 天）", f"会议 {held.isoformat()} 召开，超过 {self.settings.minutes_due_days} 天仍未登记纪要印发"
        else:
            label = f"会议情况未登记（计划日期后 {days} 天）"
            why = f"会议计划 {held.isoformat()} 召开，超过 {self.settings.minutes_due_days} 天仍为“计划召开”，没有召开情况和纪要"
        return [Badge("minutes-missing", label, why, "warning")]

    def example_meetings(self, mechanism: Item) -> list[Item]:
        """A real mechanism's example meetings: shown on its page, never counted in its cadence."""
        return examples.split(mechanism, (m for m in self.model.of_type("meetings") if m.data.get("mechanism") == mechanism.id))[1]

    def missed_run(self, mechanism: Item) -> list[Period]:
        """The periods missed in a row up to the last one that has ended (a quarter without its 联席会议,
        or several), [] when that one was kept or the mechanism is suspended, abolished or has no cadence."""
        if mechanism.status == "suspended" or not is_open(mechanism):
            return []
        periods, _note = self.cadence(mechanism)
        run: list[Period] = []
        for period in (p for p in periods if p.end < self.today):
            run = [*run, period] if period.state == "missed" else []
        return run

    def _mechanism_badges(self, mechanism: Item) -> list[Badge]:
        run = self.missed_run(mechanism)
        if not run:
            return []
        cadence = mechanism.data["cadence"]
        every = mechanism.schema.enum_labels(("cadence", "every")).get(cadence["every"], cadence["every"])
        first, last = run[0], run[-1]
        held = sum(m.status in HELD for p in run for m in p.meetings)
        label = f"{first.label}未按期召开" if len(run) == 1 else f"连续 {len(run)} 期未按期召开"
        span = first.label if len(run) == 1 else f"{first.label}至{last.label}"
        why = f"{every}应召开 {cadence['times']} 次；{span}（{first.start.isoformat()} 至 {last.end.isoformat()}）召开 {held} 次"
        return [Badge("missed-period", label, why, "warning")]

    def codes(self, item: Item) -> list[str]:
        if item.type == "reviews":  # its state, and whether a department was deemed to agree (the list's 审理情况 filter)
            return self.review(item).codes
        return [b.code for b in self.badges(item)]

    def tracked_items(self) -> list[Item]:
        """Every record someone leads to a deadline (tasks, coordination matters), examples included."""
        return list(self._tracked)

    @cached_property
    def _tracked(self) -> list[Item]:
        return [i for t in self.model.types if self.model.schemas.types[t].tracked for i in self.model.of_type(t)]

    @cached_property
    def _led_by(self) -> dict[str, list[Item]]:
        index: dict[str, list[Item]] = {}
        for item in self._tracked:
            for org in item.leads:
                index.setdefault(org, []).append(item)
        return index

    def _with(self, code: str) -> list[Item]:
        return [i for i in self._tracked if code in self.codes(i)]

    def overdue(self) -> list[Late]:
        late = [Late(i, d, (self.today - d).days) for i in self._with("overdue") if (d := deadline(i)) is not None]
        return sorted(late, key=lambda entry: (-entry.days, entry.item.id))

    def due_soon(self) -> list[Late]:
        soon = [Late(i, d, (d - self.today).days) for i in self._with("due-soon") if (d := deadline(i)) is not None]
        return sorted(soon, key=lambda entry: (entry.days, entry.item.id))

    def stale(self) -> list[Item]:
        return self._with("stale")

    def unsigned(self) -> list[Unsigned]:
        """Items their lead has not signed for, longest first."""
        found = [Unsigned(i, begin, days) for i in self._tracked if (days := self.unsigned_days(i)) is not None and (begin := started(i)) is not None]
        return sorted(found, key=lambda entry: (-entry.days, entry.item.id))

    def lapsed(self) -> list[tuple[Item, Lapse]]:
        """Open items whose deadline once ran out before it was extended: each lapse, oldest first."""
        found = [(i, lapse) for i in self._tracked if is_open(i) and not is_standing(i) for lapse in lapses(i)]
        return sorted(found, key=lambda entry: (entry[1].deadline, entry[0].id))

    # -- escalations ------------------------------------------------------------------------------

    def waiting_answer(self, item: Item) -> Waiting | None:
        escalation = item.data.get("escalation")
        if item.type != "coordination" or not isinstance(escalation, dict) or "answer" in escalation:
            return None
        if not is_open(item):
            return None
        targets = tuple(t for unit in escalation.get("to", []) if (t := self.model.get(unit)) is not None)
        if not all(self.settings.may_escalate_to(t.data) for t in targets):
            return None
        reported = as_date(escalation.get("reported_on"))
        if reported is None:
            return None
        return Waiting(item, targets, reported, (self.today - reported).days)

    @cached_property
    def escalations(self) -> list[Waiting]:
        found = [w for i in self.model.of_type("coordination") if (w := self.waiting_answer(i)) is not None]
        return sorted(found, key=lambda w: (-w.days, w.item.id))

    # -- meetings ---------------------------------------------------------------------------------

    def decision_state(self, meeting: Item, number: int) -> tuple[str, str]:
        """(code, label) of what a decision created: no tasks, all done, overdue or in progress."""
        tasks, _examples = examples.split(meeting, self.model.created_by_decision(meeting, number))
        if not tasks:
            return "none", "未交办任务"
        if all(not is_open(t) for t in tasks):
            return "done", "已全部办结"
        if any("overdue" in self.codes(t) for t in tasks):
            return "overdue", "有逾期"
        return "in-progress", "办理中"

    def meeting_share(self, meeting: Item) -> tuple[int, int]:
        """(decisions carried out, decisions that created tasks)."""
        states = [self.decision_state(meeting, d["number"])[0] for d in meeting.data.get("decisions", [])]
        with_tasks = [s for s in states if s != "none"]
        return sum(s == "done" for s in with_tasks), len(with_tasks)

    # -- mechanisms -------------------------------------------------------------------------------

    def cadence(self, mechanism: Item) -> tuple[list[Period], str]:
        """Each period since the mechanism started, with the meetings held in it; and a note."""
        cadence = mechanism.data.get("cadence")
        if not isinstance(cadence, dict):
            return [], ""
        # A real mechanism is kept by real meetings only; its example meetings are listed apart (example_meetings).
        meetings, _examples = examples.split(mechanism, (m for m in self.model.of_type("meetings") if m.data.get("mechanism") == mechanism.id))
        held = [m for m in meetings if m.status in ("held", "minutes_issued")]
        start = as_date(mechanism.data.get("started"))
        note = ""
        if start is None:
            dates = [d for m in held if (d := as_date(m.data.get("date"))) is not None]
            if not dates:
                return [], "启动日期未知，也没有已召开会议的记录，无法判断召开频次。"
            start = min(dates)
            note = f"启动日期未知，自有记录的第一次会议（{start.isoformat()}）起计算。"
        periods = []
        for begin, end, label in _periods(cadence["every"], start, self.today):
            inside = tuple(m for m in meetings if begin.isoformat() <= m.data.get("date", "") <= end.isoformat())
            count = sum(m in held for m in inside)
            if count >= cadence["times"]:
                state = "held"
            elif end < self.today:
                state = "missed"
            elif begin <= self.today:
                state = "current"
            else:
                state = "upcoming"
            periods.append(Period(label, begin, end, state, inside, cadence["every"]))
        return periods, note

    # -- joint inspections and information pushes (三(一)3) ----------------------------------------

    @cached_property
    def inspections(self) -> joint_inspections.Inspections:
        """The inspection records read together on this day (model/inspections.py)."""
        return joint_inspections.Inspections(self.model, self.today)

    @cached_property
    def pushes(self) -> information_pushes.Pushes:
        """The pushes read together on this day (model/pushes.py)."""
        return information_pushes.Pushes(self.model, self.today)

    # -- joint reviews (集中审理) ------------------------------------------------------------------

    def review(self, item: Item) -> joint_reviews.Review:
        """A joint review's positions, materials and state on this day (model/reviews.py), once per review."""
        if item.id not in self._reviews:
            mechanism = self.model.get(str(item.data.get("mechanism", "")))
            found = joint_reviews.derive(item.data, mechanism.data if mechanism else None, self.model.calendar, self.today, self.unit_name)
            self._reviews[item.id] = found
        return self._reviews[item.id]

    def _review_badges(self, item: Item) -> list[Badge]:
        state = self.review(item).state
        return [Badge(state.code, state.label, state.explanation, state.tone)] if state is not None else []

    def unit_name(self, unit_id: str) -> str:
        """An organization's name as derived explanations write it; one not published is not named."""
        unit = self.model.get(unit_id)
        return unit.title if unit is not None else "（未公开的单位）"

    def awaiting_decision(self) -> list[Item]:
        """Reviews still in review (no decision yet, not withdrawn), by notice date."""
        found = [r for r in self.model.of_type("reviews") if is_open(r) and "decision" not in r.data]
        return sorted(found, key=lambda r: (str(r.data.get("notice", {}).get("date", "")), r.id))

    # -- organizations ----------------------------------------------------------------------------

    def led_by(self, organization: Item) -> list[Item]:
        """The tasks and matters an organization leads (Model.leads), examples included."""
        return list(self._led_by.get(organization.id, []))

    def org_record(self, organization: Item) -> dict[str, int]:
        """Tasks and matters an organization leads: open, overdue, completed, completed on time;
        for a real organization of its real ones, the examples only counted apart (examples.py)."""
        led, apart = examples.split(organization, self._led_by.get(organization.id, []))
        completed = [i for i in led if not is_open(i) and finished(i) is not None]
        on_time = [i for i in completed if "on-time" in self.codes(i)]
        judged = [i for i in completed if deadline(i) is not None]
        return {
            "led": len(led),
            "open": sum(is_open(i) for i in led),
            "overdue": sum("overdue" in self.codes(i) for i in led),
            "completed": len(completed),
            "judged": len(judged),
            "on_time": len(on_time),
            "examples": len(apart),
        }


def upcoming_meetings(model: Model, today: datetime.date) -> list[Item]:
    return sorted(
        (m for m in model.of_type("meetings") if m.status == "planned" and m.data.get("date", "") >= today.isoformat()), key=lambda m: (m.data["date"], m.id)
    )


def recent_decisions(model: Model, limit: int = 8) -> list[tuple[Item, dict[str, Any]]]:
    held = sorted((m for m in model.of_type("meetings") if m.data.get("decisions")), key=lambda m: (m.data["date"], m.id), reverse=True)
    return [(m, d) for m in held for d in m.data["decisions"]][:limit]


@dataclass(frozen=True)
class Role:
    label: str  # e.g. 牵头单位（督办任务）
    total: int  # records counted (for a real organization, real ones only)
    open: int
    overdue: int
    examples: int  # example records in this role, never in the figures above


def role_summary(status: Status, organization: Item) -> list[Role]:
    """How often an organization appears in each role, and how many of those items are open or late."""
    groups: dict[str, list[Item]] = {}
    for relation in status.model.referred_by(organization):
        groups.setdefault(f"{relation.label}（{relation.source.type_label}）", []).append(relation.source)
    roles = []
    for label, found in groups.items():
        items, apart = examples.split(organization, found)
        open_ = sum(is_open(i) for i in items if i.schema.tracked)
        roles.append(Role(label, len(items), open_, sum("overdue" in status.codes(i) for i in items), len(apart)))
    return roles
