"""信息推送 (实施意见三(一)3): who signed for each push, what was pushed about each power, what
each organization pushed and received. Derived at build time from the records and the day.

A push is signed for by a receiver when the receiver, or a unit under it (its parent chain
reaches the receiver: a push to “某市相关部门” is signed for by the department that handles it),
has a receipt on the push. Nothing sets a time limit for signing, so an unsigned push is stated as
a fact (待签收, with the days since it was sent), never as late.

Facts only, never scores: an organization's page shows how many pushes it sent and received and
which are still unsigned, with no rate, points or order among units (central guidance against
指尖上的形式主义 discourages 积分排名). Examples never count in a figure about a real record: a real
organization's or power's counts are made from real pushes; example pushes are listed apart.

Pure: a Model and a day in, the dataclasses below out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from liandong.model import examples
from liandong.model.model import Item, Model
from liandong.validation import hierarchy

TYPE = "pushes"
DIRECTIONS = {"approval": "管委会 → 部门", "policy": "部门 → 管委会", "supervision": "部门 → 管委会"}
LABELS = {"all-signed": "已全部签收", "awaiting-receipt": "待签收"}


@dataclass(frozen=True)
class Derived:
    """A derived state of one push: the parts of a status.Badge."""

    code: str
    label: str
    explanation: str
    tone: str


@dataclass(frozen=True)
class ReceiverState:
    """One receiver of a push and its receipt.

    receiver: the receiver's id
    signed_by: the unit whose receipt counts for it (itself or a unit under it), None while unsigned
    date: the receipt's date, None while unsigned
    """

    receiver: str
    signed_by: str | None
    date: datetime.date | None


@dataclass(frozen=True)
class PushView:
    """A push as a page lists it.

    item: the push
    kind_label: 行政审批信息, 上级有关政策 or 监督信息
    direction: 管委会 → 部门 or 部门 → 管委会
    receivers: each receiver with its receipt
    signed: how many receivers have signed
    derived: its derived states (待签收, 已全部签收)
    """

    item: Item
    kind_label: str
    direction: str
    receivers: tuple[ReceiverState, ...]
    signed: int
    derived: tuple[Derived, ...]


@dataclass(frozen=True)
class KindCount:
    """How many pushes of one kind."""

    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class OrgPushes:
    """What one organization pushed and received, facts only.

    sent, received: the real pushes it sent, and those it is a receiver of, newest first
    sent_by_kind, received_by_kind: their counts by kind (kinds with none left out)
    unsigned: the received pushes (real, not withdrawn) it has not signed for
    examples_sent, examples_received: the example pushes, listed apart, never counted
    counted_real_only: whether the organization is a real record (then the counts leave examples
        out); on an example organization every push counts
    """

    sent: tuple[PushView, ...]
    received: tuple[PushView, ...]
    sent_by_kind: tuple[KindCount, ...]
    received_by_kind: tuple[KindCount, ...]
    unsigned: tuple[PushView, ...]
    examples_sent: tuple[PushView, ...]
    examples_received: tuple[PushView, ...]
    counted_real_only: bool

    @property
    def empty(self) -> bool:
        return not (self.sent or self.received or self.examples_sent or self.examples_received)


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


class Pushes:
    """The pushes of one model, read together, on one day."""

    def __init__(self, model: Model, today: datetime.date) -> None:
        self.model = model
        self.today = today
        self.items = model.of_type(TYPE) if TYPE in model.schemas.types else []
        self._views: dict[str, PushView] = {}
        self._naming: dict[tuple[str, str], list[Item]] | None = None

    def naming(self, field: str, record_id: str) -> list[Item]:
        """The pushes whose `field` (powers, sender, receivers, mechanism) names `record_id`, in
        the model's order. Indexed once: a search of every push per page made the pages of
        100,000 records quadratic."""
        if self._naming is None:
            self._naming = {}
            for item in self.items:
                for name in ("powers", "sender", "receivers", "mechanism"):
                    value = item.data.get(name)
                    for named in dict.fromkeys(value if isinstance(value, list) else [value]):
                        if isinstance(named, str):
                            self._naming.setdefault((name, named), []).append(item)
        return self._naming.get((field, record_id), [])

    def unit_name(self, unit_id: str) -> str:
        unit = self.model.get(unit_id)
        return unit.title if unit is not None else "（未公开的单位）"

    def within(self, unit: str, ancestor: str) -> bool:
        """Whether `unit` is `ancestor` or lies under it (through the organisations' parents, each of them)."""
        return hierarchy.within(unit, ancestor, self._organization_data)

    def _organization_data(self, unit_id: str) -> dict[str, Any] | None:
        found = self.model.get(unit_id)
        return found.data if found is not None and found.type == "organizations" else None

    def receivers(self, item: Item) -> tuple[ReceiverState, ...]:
        receipts = [r for r in item.data.get("receipts", []) if isinstance(r, dict) and isinstance(r.get("organization"), str)]
        found = []
        for receiver in (u for u in item.data.get("receivers", []) if isinstance(u, str)):
            mine = next((r for r in receipts if self.within(r["organization"], receiver)), None)
            found.append(ReceiverState(receiver, mine["organization"] if mine else None, _date(mine.get("date")) if mine else None))
        return tuple(found)

    def view(self, item: Item) -> PushView:
        if item.id not in self._views:
            receivers = self.receivers(item)
            kind = str(item.data.get("kind", ""))
            label = item.schema.enum_labels(("kind",)).get(kind, kind)
            signed = sum(r.signed_by is not None for r in receivers)
            self._views[item.id] = PushView(item, label, DIRECTIONS.get(kind, ""), receivers, signed, tuple(self._derived(item, receivers)))
        return self._views[item.id]

    def derived(self, item: Item) -> list[Derived]:
        return list(self.view(item).derived)

    def _derived(self, item: Item, receivers: tuple[ReceiverState, ...]) -> list[Derived]:
        if item.status != "sent" or not receivers:
            return []
        sent = _date(item.data.get("date"))
        waiting = [r for r in receivers if r.signed_by is None]
        if not waiting:
            signed = "；".join(f"{self.unit_name(r.receiver)} {r.date.isoformat() if r.date else '（未写日期）'}" for r in receivers)
            return [Derived("all-signed", "已全部签收", f"接收单位均已签收：{signed}。", "ok")]
        since = f"{sent.isoformat()} 推送，至 {self.today.isoformat()} 已 {(self.today - sent).days} 天" if sent else "推送日期未写明"
        names = "、".join(self.unit_name(r.receiver) for r in waiting)
        label = f"{len(waiting)} 个单位待签收" if len(receivers) > 1 else "待签收"
        return [Derived("awaiting-receipt", label, f"{names} 尚未签收（{since}；没有规定签收时限，只列事实）。", "info")]

    def _newest(self, items: list[Item]) -> tuple[PushView, ...]:
        return tuple(self.view(i) for i in sorted(items, key=lambda i: (str(i.data.get("date", "")), i.id), reverse=True))

    def about_power(self, power: Item) -> tuple[tuple[PushView, ...], tuple[PushView, ...]]:
        """Pushes about a power (their `powers` name it), newest first: those that count for it
        (on a real power the real ones), and the example pushes apart."""
        counted, apart = examples.split(power, self.naming("powers", power.id))
        return self._newest(counted), self._newest(apart)

    def of_organization(self, organization: Item) -> OrgPushes:
        """What an organization sent (it is the sender) and received (it is a receiver)."""
        sent = self.naming("sender", organization.id)
        received = self.naming("receivers", organization.id)
        counted_sent, examples_sent = examples.split(organization, sent)
        counted_received, examples_received = examples.split(organization, received)
        unsigned = [
            i for i in counted_received if i.status == "sent" and any(r.receiver == organization.id and r.signed_by is None for r in self.view(i).receivers)
        ]
        return OrgPushes(
            self._newest(counted_sent),
            self._newest(counted_received),
            self._by_kind(counted_sent),
            self._by_kind(counted_received),
            self._newest(unsigned),
            self._newest(examples_sent),
            self._newest(examples_received),
            not organization.example,
        )

    def _by_kind(self, items: list[Item]) -> tuple[KindCount, ...]:
        if TYPE not in self.model.schemas.types:
            return ()
        labels = self.model.schemas.types[TYPE].enum_labels(("kind",))
        counts = [(kind, sum(i.data.get("kind") == kind for i in items)) for kind in labels]
        return tuple(KindCount(kind, labels[kind], n) for kind, n in counts if n)

    def for_mechanism(self, mechanism: Item) -> list[Item]:
        return list(self.naming("mechanism", mechanism.id))
