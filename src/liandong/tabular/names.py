"""References written as names: which record a name in a cell means, and which name to write for
an id so that it reads back as that id."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet

# The fields that name a record besides its title: organisations' 简称 and 其他名称 (other_names,
# entries with a `name`), mechanisms' 其他名称 (plain names), documents' 发文字号.
_NAME_FIELDS = {"title": "名称", "short_name": "简称", "other_names": "其他名称", "doc_number": "发文字号"}
_SPACE = re.compile(r"\s+")


def key(name: str) -> str:
    """What two spellings of one name have in common: NFKC (full-width letters and digits), no spaces."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


def _names(data: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """(name, which field it is) for every name of a record."""
    for field, what in _NAME_FIELDS.items():
        value = data.get(field)
        for item in value if isinstance(value, list) else [value]:
            name = item.get("name") if isinstance(item, dict) else item
            if isinstance(name, str) and name.strip():
                yield name, what


class Unresolved(Exception):
    """A cell that names no record, or more than one: the rule, the message and the next step."""

    def __init__(self, rule: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint = rule, message, hint


class NameIndex:
    """Every record's id, type, title and other names."""

    def __init__(self, schemas: SchemaSet, records: Iterable[Record] = ()) -> None:
        self.schemas = schemas
        self.types: dict[str, str] = {}  # id → type
        self.titles: dict[str, str] = {}  # id → title
        self._by_name: dict[str, dict[str, str]] = {}  # key(name) → {id: which field}
        for record in records:
            self.add(record.type, record.id, record.data)

    def add(self, type_name: str, record_id: str, data: dict[str, Any]) -> None:
        self.types[record_id] = type_name
        title = data.get("title")
        if isinstance(title, str):
            self.titles[record_id] = title
        for name, what in _names(data):
            self._by_name.setdefault(key(name), {}).setdefault(record_id, what)

    def _title(self, type_name: str) -> str:
        ts = self.schemas.types.get(type_name)
        return ts.title if ts else type_name

    def _shown(self, record_id: str, what: str = "") -> str:
        title = self.titles.get(record_id, "")
        return f"{title}（{record_id}{'，' + what if what and what != '名称' else ''}）" if title else record_id

    def resolve(self, target: str, text: str) -> str:
        """The id of the one record of type `target` that `text` is the id or a name of."""
        wanted = self._title(target)
        if text in self.types:
            if self.types[text] == target:
                return text
            raise Unresolved("ref.wrong-type", f"“{text}”是{self._title(self.types[text])}的编号，不是{wanted}", f"请填写{wanted}的名称或编号。")
        found = self._by_name.get(key(text), {})
        mine = {i: what for i, what in found.items() if self.types[i] == target}
        if len(mine) == 1:
            return next(iter(mine))
        if mine:
            candidates = "、".join(self._shown(i, what) for i, what in sorted(mine.items()))
            raise Unresolved("ref.unknown-id", f"名称“{text}”对应 {len(mine)} 个{wanted}，无法确定是哪一个", f"候选：{candidates}。请改填其中一个的编号。")
        if found:
            other = next(iter(sorted(found)))
            raise Unresolved("ref.wrong-type", f"“{text}”是{self._title(self.types[other])}{self._shown(other)}，不是{wanted}", f"请填写{wanted}的名称或编号。")
        raise Unresolved("ref.unknown-id", f"没有名称或编号为“{text}”的{wanted}", self._suggest(target, text, wanted))

    def _suggest(self, target: str, text: str, wanted: str) -> str:
        ids = sorted(i for i, t in self.types.items() if t == target)
        spelled = {key(self.titles.get(i, i)): i for i in ids}
        wanted_key = key(text)
        close = [spelled[k] for k in difflib.get_close_matches(wanted_key, list(spelled), n=3, cutoff=0.5)]
        close += [i for k, i in spelled.items() if wanted_key and (wanted_key in k or k in wanted_key) and i not in close]
        if close:
            return f"是否想写：{'、'.join(self._shown(i) for i in close[:5])}？也可以直接填写编号。"
        return f"请填写已登记的{wanted}的名称或编号（registry/{target}/ 中），或先登记这个{wanted}。"

    def name_for(self, target: str, record_id: str) -> str:
        """The title, when it reads back as this record; otherwise the id."""
        title = self.titles.get(record_id)
        if title is None or self.types.get(record_id) != target:
            return record_id
        try:
            return title if self.resolve(target, title) == record_id else record_id
        except Unresolved:
            return record_id
