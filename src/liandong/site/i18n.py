"""The site's editions (#18): Chinese at the root, Vietnamese under vi/, English under en/.

The Chinese record is authoritative; the other editions translate the site's own words, and
show a record's own text in Chinese (marked lang="zh") unless the record carries a translation
of it, which is shown marked as unofficial. Nothing is machine-translated.

Where the words come from, each said once:
- the product's labels: `labels/<code>.yaml` beside this module. `ui` maps a Chinese label, as
  the templates and the model write it, to the edition's; a label with `{name}` fields matches the
  text the model formats (逾期 {days} 天 ↔ 逾期 12 天). `schema` maps a schema path — `<type>` (the
  type's name), `<type>/<field>/<sub>` (a field's title; `*` for any list entry, or any type where
  a field is common), `<path>=<value>` (a code's label) — to the edition's title. `terms` are the
  Chinese words of official usage with their sources.
- the registry's own words (its title, code lists, the names of its bodies): `translations` in
  registry/liandong.yaml, since the product names no zone.
- a record's text: its `translations` block (common.schema.json `$defs/translations`).

The Chinese edition's words are the templates' own: its Language translates nothing and marks
nothing, so a registry with only Chinese configured builds as it did before editions existed."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from markupsafe import Markup, escape

DEFAULT = "zh"
LANGUAGES = ("zh", "vi", "en")  # the editions the product has labels for, in the switcher's order
# Pages that exist in Chinese only (the contributor pages are for the staff who keep the registry).
CHINESE_ONLY = ("contribute/",)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_FIELD = re.compile(r"\\\{(\w+)\\\}")  # a {name} field, as re.escape writes it


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: an edition's environment is cached by it
class Language:
    code: str  # zh, vi, en
    name: str  # as the language names itself, for the switcher
    ui: Mapping[str, str] = field(default_factory=dict)  # Chinese label → the edition's
    schema: Mapping[str, str] = field(default_factory=dict)  # schema path → the edition's
    notes: Mapping[str, str] = field(default_factory=dict)  # the edition's own sentences, by name
    patterns: tuple[tuple[re.Pattern[str], str], ...] = ()  # labels with {fields}, most specific first
    utc_offset: int = 8  # hours: the edition's local time, beside Beijing time where it differs
    own: frozenset[str] = frozenset()  # the Chinese words the registry translates itself: they win over the product's

    @property
    def prefix(self) -> str:
        """The edition's folder: "" for Chinese, "vi/" for Vietnamese."""
        return "" if self.code == DEFAULT else f"{self.code}/"

    @property
    def translates(self) -> bool:
        return self.code != DEFAULT

    # -- words ----------------------------------------------------------------------------------

    def t(self, text: str, /, **values: Any) -> str:
        """A label in this edition: `text` is the Chinese label (with {fields} filled from
        `values`). An unknown label is returned as it is, in Chinese: the label test finds it."""
        if not self.translates:
            return text.format(**values) if values else text
        found = self.ui.get(text)
        if found is not None:
            return found.format(**values) if values else found
        if values:
            return text.format(**values)
        return self._formatted(text)

    def marked(self, text: str, /, **values: Any) -> Markup | str:
        """t() for a page (the templates' `_`): the fields of a {field} pattern that are not labels
        themselves are the record's text it quotes (a unit's name, an enterprise, a reason), so they
        come out marked lang="zh". The Chinese edition's words are t()'s, unmarked."""
        if not self.translates:
            return self.t(text, **values)
        found = self.ui.get(text)
        if found is not None:
            return escape(found).format(**values) if values else escape(found)
        if values:
            return escape(text).format(**values)
        marked: Markup = _marked(self)(text)
        return marked

    def _formatted(self, text: str) -> str:
        """A label the model formatted (逾期 12 天): the pattern it matches, filled with its fields,
        each field translated in turn where it is a label itself (a unit's name stays Chinese)."""
        return _match(self, text)

    def label(self, path: str, chinese: str) -> str:
        """A schema's title or code label, by its path (tasks/lead, tasks/status=open), then by
        the same path in any type (*/note), then by its Chinese text."""
        if not self.translates:
            return chinese
        if chinese in self.own:  # the registry's own code labels (自治区（争取）) in its own words
            return self.ui[chinese]
        found = self.schema.get(path)
        if found is None and "/" in path:
            found = self.schema.get("*/" + path.split("/", 1)[1])
        return found if found is not None else self.t(chinese)

    def note(self, name: str) -> str:
        return self.notes.get(name, "")

    # -- record text ----------------------------------------------------------------------------

    def zh(self, text: Any) -> Markup:
        """A record's own text, which is Chinese: marked so in the other editions (screen readers
        read it as Chinese; the label test knows it is not a missing label)."""
        if not self.translates:
            return escape(text)
        return Markup(f'<span lang="zh">{escape(text)}</span>')

    def text_of(self, data: Mapping[str, Any], key: str) -> Markup:
        """A record's field in this edition: its translation (unofficial, marked by the page), else
        the Chinese text marked lang="zh"."""
        value = data.get(key, "")
        if self.translates:
            translated = (data.get("translations") or {}).get(self.code, {}).get(key)
            if translated:
                return escape(translated)
        return self.zh(value)

    # -- links ----------------------------------------------------------------------------------

    def href(self, from_url: str, to_url: str) -> str:
        """A relative link from a page of this edition (`from_url` as the Chinese edition names it):
        another page of the edition as in Chinese, since the folders are the same below the
        edition's; a file, or a page there is only in Chinese, one folder further up."""
        up = "../" * from_url.count("/")
        if self.translates and not _edition_page(to_url):
            up += "../" * self.prefix.count("/")
        return (up + to_url) or "./"

    # -- dates and times ------------------------------------------------------------------------

    def date(self, day: datetime.date | str) -> str:
        value = datetime.date.fromisoformat(day) if isinstance(day, str) else day
        if self.code == "vi":
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        if self.code == "en":
            return f"{value.day} {value.strftime('%B')} {value.year}"
        return f"{value.year}年{value.month}月{value.day}日"

    def clock(self, clock: str) -> str:
        """A 24-hour HH:MM as the edition writes it (Chinese: 上午9:30); in Beijing time."""
        hour, minute = (int(part) for part in clock.split(":")[:2])
        if self.code == "vi":
            return f"{hour:02d}:{minute:02d}"
        if self.code == "en":
            return f"{hour % 12 or 12}:{minute:02d} {'a.m.' if hour < 12 else 'p.m.'}"
        return chinese_clock(hour, minute)

    def local_clock(self, clock: str) -> str:
        """A Beijing time in the edition's local time where it differs (Hanoi is an hour behind):
        "09:30 giờ Bắc Kinh (08:30 giờ Hà Nội)"; the Chinese edition keeps Beijing time alone."""
        shown = self.clock(clock)
        if self.utc_offset == 8:
            return shown
        hour, minute = (int(part) for part in clock.split(":")[:2])
        local = (hour + self.utc_offset - 8) % 24
        return self.t("{beijing}（北京时间，{local} 当地时间）", beijing=shown, local=self.clock(f"{local:02d}:{minute:02d}"))


def chinese_clock(hour: int, minute: int) -> str:
    """09:30 → 上午9:30, 14:00 → 下午2:00."""
    if hour < 6:
        period, shown = "凌晨", hour
    elif hour < 12:
        period, shown = "上午", hour
    elif hour < 13:
        period, shown = "中午", hour
    elif hour < 19:
        period, shown = "下午", hour - 12
    else:
        period, shown = "晚上", hour - 12
    return f"{period}{shown}:{minute:02d}"


def schema_path(type_name: str, pointer: Iterable[Any]) -> str:
    """A field's path in the labels files: tasks/progress/*/date (a list's entries are *)."""
    return "/".join([type_name, *("*" if isinstance(part, int) else str(part) for part in pointer)])


def _edition_page(to_url: str) -> bool:
    path = to_url.split("#", 1)[0]
    return (path == "" or path.endswith("/")) and not path.startswith(CHINESE_ONLY)


def _match(language: Language, text: str) -> str:
    return str(_matcher(language)(text))


@functools.cache
def _matcher(language: Language) -> Any:
    @functools.lru_cache(maxsize=65536)
    def match(text: str) -> str:
        for pattern, translated in language.patterns:
            found = pattern.fullmatch(text)
            if found is not None:
                return translated.format(**{k: language.t(v) for k, v in found.groupdict().items()})
        return text

    return match


@functools.cache
def _marked(language: Language) -> Any:
    @functools.lru_cache(maxsize=65536)
    def marked(text: str) -> Markup:
        for pattern, translated in language.patterns:
            found = pattern.fullmatch(text)
            if found is not None:
                return escape(translated).format(**{k: quoted(v) for k, v in found.groupdict().items()})
        return escape(text)

    def quoted(value: str) -> Markup:
        if value in language.ui:
            return escape(language.ui[value])
        inner = marked(value)
        if inner == escape(value) and _HAN.search(value):  # no label and no pattern: the record's text
            return language.zh(value)
        return inner

    return marked


def _patterns(ui: Mapping[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for chinese, translated in ui.items():
        if "{" in chinese:
            pattern = _FIELD.sub(lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(chinese))
            # the most specific first: the most words of its own, not the longest with its fields
            # written out ({record}（{type}，{status}） before a generic {name}（{note}）)
            found.append((len(re.sub(r"\{\w+\}", "", chinese)), re.compile(pattern, re.S), translated))
    found.sort(key=lambda entry: -entry[0])
    return tuple((pattern, translated) for _, pattern, translated in found)


# -- the labels files -------------------------------------------------------------------------


@functools.cache
def product_labels(code: str) -> dict[str, Any]:
    """labels/<code>.yaml as written: language, notes, terms, ui, schema."""
    folder = resources.files("liandong.site").joinpath("labels")
    data = yaml.safe_load(folder.joinpath(f"{code}.yaml").read_text(encoding="utf-8"))
    data = data if isinstance(data, dict) else {}
    return data


def terms(labels: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The labels file's official terms as (Chinese, the edition's)."""
    for entry in labels.get("terms") or []:
        yield str(entry["zh"]), str(entry["text"])


def language(code: str, registry: Mapping[str, Any] | None = None) -> Language:
    """An edition's words: the product's labels with the registry's own translations over them
    (registry/liandong.yaml `translations.<code>`, each a text or {text, source})."""
    if code == DEFAULT:
        return Language(DEFAULT, "中文")
    labels = product_labels(code)
    ui: dict[str, str] = dict(terms(labels))
    ui.update({str(k): str(v) for k, v in (labels.get("ui") or {}).items()})
    for chinese, value in (registry or {}).items():
        ui[str(chinese)] = str(value["text"] if isinstance(value, dict) else value)
    return Language(
        code,
        str(labels["language"]["name"]),
        ui=ui,
        schema={str(k): str(v) for k, v in (labels.get("schema") or {}).items()},
        notes={str(k): str(v) for k, v in (labels.get("notes") or {}).items()},
        patterns=_patterns(ui),
        utc_offset=int(labels["language"].get("utc_offset", 8)),
        own=frozenset(str(chinese) for chinese in registry or {}),
    )


def languages(codes: Iterable[str], translations: Mapping[str, Any] | None = None) -> list[Language]:
    """The configured editions, Chinese first."""
    ordered = [DEFAULT] + [code for code in LANGUAGES if code in set(codes) and code != DEFAULT]
    return [language(code, (translations or {}).get(code)) for code in ordered]


CHINESE = Language(DEFAULT, "中文")
