"""The validated registry as a read-only model: items, labels and relations in both directions.

Nothing here knows about MkDocs or HTML. `Model.public()` is the only way the public site
sees the registry (the rule is visibility.py's): internal records are gone from it, and so are
relations that point at them. Its working-day calendar (workdays.registry_calendar) is made from
the whole registry and kept by the public model, so a holiday notice that is internal still counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from liandong.diagnostics import Pointer
from liandong.model import clauses
from liandong.model.visibility import public_records
from liandong.model.vocabulary import TYPE_ORDER
from liandong.model.workdays import Calendar, registry_calendar
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet, TypeSchema, values_at


@dataclass(eq=False)
class Item:
    record: Record
    schema: TypeSchema

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def type(self) -> str:
        return self.record.type

    @property
    def data(self) -> dict[str, Any]:
        return self.record.data

    @property
    def title(self) -> str:
        return str(self.data.get("title", self.id))

    @property
    def status(self) -> str:
        return str(self.data.get("status", ""))

    @property
    def status_label(self) -> str:
        return self.schema.enum_labels(("status",)).get(self.status, self.status)

    @property
    def leads(self) -> list[str]:
        """The units that lead this record (its schema's x-lead field), [] for types without one."""
        return self.schema.leads_in(self.data)

    @property
    def type_label(self) -> str:
        return self.schema.title

    @property
    def example(self) -> bool:
        return self.record.example

    @property
    def public(self) -> bool:
        return self.record.public

    @property
    def url(self) -> str:
        """Site path of the record's page, relative to the site root, without a leading slash."""
        return f"{self.type}/{self.id}/"

    @property
    def source_path(self) -> str:
        """Markdown file of the record's page in the generated docs tree."""
        return f"{self.type}/{self.id}.md"


@dataclass(frozen=True, eq=False)
class Relation:
    source: Item
    pointer: Pointer  # where in the source record the reference is
    label: str  # Chinese title of the referring field, e.g. 牵头单位
    target: Item

    @property
    def field(self) -> str:
        """The referring field's top-level name, e.g. "lead"."""
        return str(self.pointer[0])


@dataclass
class Model:
    schemas: SchemaSet
    items: dict[str, Item]
    outgoing: dict[str, list[Relation]] = field(default_factory=dict)
    incoming: dict[str, list[Relation]] = field(default_factory=dict)
    calendar: Calendar = field(default_factory=Calendar)  # working days: the library's years and the registry's holiday notices
    _cited: dict[str, list[tuple[Relation, Any]]] = field(default_factory=dict, repr=False)  # citing_clause's, by document
    _of_type: dict[str, list[Item]] | None = field(default=None, repr=False, compare=False)  # of_type's, by type

    @classmethod
    def build(cls, schemas: SchemaSet, records: Iterable[Record], calendar: Calendar | None = None) -> Model:
        items = {r.id: Item(r, schemas.types[r.type]) for r in records}
        model = cls(schemas, items, calendar=calendar if calendar is not None else registry_calendar(i.record for i in items.values()))
        for item in items.values():
            for relation in cls._relations(item, items):
                model._link(relation)
        return model

    @classmethod
    def _relations(cls, item: Item, items: dict[str, Item]) -> list[Relation]:
        found = []
        for path, _target_type in item.schema.ref_paths:
            for pointer, value in values_at(item.data, path):
                target = items.get(value) if isinstance(value, str) else None
                if target is not None:
                    role = item.schema.role_at(item.data, pointer)
                    found.append(Relation(item, pointer, f"分工：{role}" if role else item.schema.label(pointer), target))
        return found

    def updated(self, records: Iterable[Record], changed: set[str], calendar: Calendar) -> Model:
        """This model with the records of `changed` ids as they are among `records` (edited, added or
        gone): the other items are kept, and so are the relations that neither start nor end at one
        of them. The same model as Model.build(records, calendar) gives, at a fraction of its cost
        (the live preview makes one on every save)."""
        kept = self.items
        items = {r.id: kept[r.id] if r.id in kept and r.id not in changed else Item(r, self.schemas.types[r.type]) for r in records}
        relink = {rid for rid in changed if rid in items} | {r.source.id for rid in changed for r in self.incoming.get(rid, []) if r.source.id in items}
        model = Model(self.schemas, items, calendar=calendar)
        for rid, item in items.items():
            relations = self._relations(item, items) if rid in relink else self.outgoing.get(rid, [])
            for relation in relations:
                model._link(relation)
        return model

    def _link(self, relation: Relation) -> None:
        self.outgoing.setdefault(relation.source.id, []).append(relation)
        self.incoming.setdefault(relation.target.id, []).append(relation)

    def public(self) -> Model:
        """The same registry as the public may see it (visibility.py): without internal records,
        and without the references public records make to them."""
        return Model.build(self.schemas, public_records(i.record for i in self.items.values()), self.calendar)

    def leads(self, item: Item) -> list[str]:
        """Who leads a record: its own x-lead field (Item.leads), or for a type led through a reference
        (x-lead: via, a meeting through its mechanism) the leads of the record it refers to."""
        via = item.schema.lead_via
        if via is None:
            return item.leads
        target = self.get(str(item.data.get(via, "")))
        return target.leads if target is not None else []

    def of_type(self, type_name: str) -> list[Item]:
        """The records of a type, by id: sorted once per model (a model's items never change), a
        copy each time, since callers may sort or extend it."""
        if self._of_type is None:
            self._of_type = {}
            for item in sorted(self.items.values(), key=lambda i: i.id):
                self._of_type.setdefault(item.type, []).append(item)
        return list(self._of_type.get(type_name, ()))

    @property
    def types(self) -> list[str]:
        """Every type the schemas define, in TYPE_ORDER, then any other in name order."""
        return [t for t in TYPE_ORDER if t in self.schemas.types] + sorted(set(self.schemas.types) - set(TYPE_ORDER))

    def get(self, item_id: str) -> Item | None:
        return self.items.get(item_id)

    def refers_to(self, item: Item) -> list[Relation]:
        return self.outgoing.get(item.id, [])

    def referred_by(self, item: Item) -> list[Relation]:
        """One relation per record and role: a document whose seven clauses name the same
        organisation is that organisation's document once, not seven times."""
        unique = {(r.source.id, r.label): r for r in reversed(self.incoming.get(item.id, []))}
        return sorted(unique.values(), key=lambda r: (TYPE_ORDER.index(r.source.type) if r.source.type in TYPE_ORDER else 99, r.label, r.source.id))

    def created_by_decision(self, meeting: Item, number: int) -> list[Item]:
        """Tasks whose source is this meeting's decision `number`."""
        return [
            r.source
            for r in self.incoming.get(meeting.id, [])
            if r.source.type == "tasks" and r.pointer == ("source", "meeting") and r.source.data["source"].get("decision") == number
        ]

    def citing_clause(self, document: Item, clause: str) -> list[Relation]:
        """Records that cite a clause of a document, e.g. the tasks that carry out 三(一)1, however its
        brackets are written, and those citing a part of it the document does not list (第六条第二款
        of a document listing 第六条): the listed clause each reference names (clauses.resolve)."""
        wanted = clauses.key(clause)
        return [relation for relation, key in self._citations(document) if key == wanted]

    def _citations(self, document: Item) -> list[tuple[Relation, Any]]:
        """Each reference to the document that names a clause, with the key of the listed clause it
        names; made once per document (its page asks for every clause)."""
        found = self._cited.get(document.id)
        if found is None:
            listed = [c.get("number") for c in document.data.get("clauses", []) if isinstance(c, dict)]
            found = []
            for relation in self.incoming.get(document.id, []):
                parent = _parent(relation.source.data, relation.pointer)
                cited = parent.get("clause") if isinstance(parent, dict) else None
                if isinstance(cited, str):
                    found.append((relation, clauses.key(clauses.resolve(cited, listed) or cited)))
            found.sort(key=lambda pair: (pair[0].source.type, pair[0].source.id))
            self._cited[document.id] = found
        return found


def _parent(data: Any, pointer: Pointer) -> Any:
    for part in pointer[:-1]:
        data = data[part]
    return data
