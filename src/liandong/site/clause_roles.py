"""The clause-by-clause table (#13): for each clause of each policy document, the real records made
from it and every unit each of them names, in the role it names it — 委托, 受委托行使, 牵头单位,
配合单位… — with the clause's words for the role, or the registry's reason where it is an inference.
Page clause-roles.md.j2 (URL roles/); tests/unit/test_clause_roles.py reads it back against the
registry's own files. Example records are not in it: the table is the policy as written."""

from __future__ import annotations

from dataclasses import dataclass

from liandong.model import clauses
from liandong.model.model import Item, Model

ROLE_PREFIX = "分工："  # Model.build labels a reference inside `roles` with its role, after this prefix
ESCALATION = "escalation"  # a mechanism's rules of whom to report to, each with its condition (mechanisms.schema.json)


@dataclass(frozen=True)
class UnitRole:
    """One unit in one record, in one role.

    unit: the organisation's record
    role: the role as the record states it: a role of `roles` (委托…) or the field's title (牵头单位…)
    as_written: the clause's own words for that role, "" when the record quotes none
    inferred: whether the registry inferred it (登记册推定) rather than the text stating it
    basis: why, for an inference, else ""
    """

    unit: Item
    role: str
    as_written: str
    inferred: bool
    basis: str


@dataclass(frozen=True)
class RecordRoles:
    """A real record made from a clause, and the units it names.

    item: the record (a task, a mechanism, a power…)
    units: each unit in each role, in the record's order; [] when the text names nobody
    unassigned: whether the record says the source names no lead (原文未明确)
    part: the part of the clause the record cites, as it writes it, when the document lists the
        clause only (第六条第二款 under 第六条); "" when it cites the clause itself
    """

    item: Item
    units: list[UnitRole]
    unassigned: bool
    part: str = ""


@dataclass(frozen=True)
class ClauseRoles:
    """A clause with the real records made from it.

    document: the document's record
    number: the clause's number, e.g. 三(一)1
    heading: its heading
    records: the real records made from it, by type and id
    """

    document: Item
    number: str
    heading: str
    records: list[RecordRoles]


@dataclass(frozen=True)
class ClauseRolesContext:
    """clause-roles.md.j2, the clause-by-clause table (roles.md).

    clauses: every clause of every document that real records are made from, in the document's order
    """

    clauses: list[ClauseRoles]


def unit_roles(model: Model, item: Item) -> list[UnitRole]:
    """Every organisation a record names in a field of its own (not inside its history lists or its
    notes' sources), with the role it names it in."""
    found: list[UnitRole] = []
    roles = item.schema.roles_in(item.data)
    for relation in model.outgoing.get(item.id, []):
        if relation.target.type != "organizations" or relation.pointer[0] in item.schema.append_only:
            continue
        if relation.label.startswith(ROLE_PREFIX) and isinstance(relation.pointer[1], int):
            entry = roles[relation.pointer[1]]
            role = relation.label.removeprefix(ROLE_PREFIX)
            found.append(UnitRole(relation.target, role, entry.get("as_written", ""), bool(entry.get("inferred")), entry.get("basis", "")))
        elif len(relation.pointer) == 1 or (len(relation.pointer) == 2 and isinstance(relation.pointer[1], int)):  # lead, cooperating, participants…
            found.append(UnitRole(relation.target, relation.label, "", False, ""))
        elif relation.pointer[0] == ESCALATION and isinstance(relation.pointer[1], int):  # 报请决策单位, 汇总上报单位: with the condition
            rule = item.data[ESCALATION][relation.pointer[1]]
            found.append(UnitRole(relation.target, relation.label, str(rule.get("condition", "")), False, ""))
    return found


def clause_roles_context(model: Model) -> ClauseRolesContext:
    found = []
    for document in model.of_type("documents"):
        for clause in document.data.get("clauses", []):
            made = [r.source for r in model.citing_clause(document, clause["number"]) if r.pointer[0] == "source" and not r.source.example]
            records = [RecordRoles(i, unit_roles(model, i), bool(i.data.get("unassigned_in_source")), _part(i, clause["number"])) for i in dict.fromkeys(made)]
            if records:
                # the clause's own records first, then those of each part in the text's order (第二款 before 第十款)
                records.sort(key=lambda r: clauses.sort_key(r.part or clause["number"]))
                found.append(ClauseRoles(document, clause["number"], clause.get("heading", ""), records))
    return ClauseRolesContext(found)


def _part(item: Item, number: str) -> str:
    source = item.data.get("source")
    cited = source.get("clause") if isinstance(source, dict) else None
    return cited if isinstance(cited, str) and not clauses.same(cited, number) else ""
