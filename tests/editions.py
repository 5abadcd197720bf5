"""What a page of the Vietnamese or English edition shows in Chinese that is not marked as Chinese
(#18): a label missing from the edition's labels file, or a record's text not marked lang="zh".

Read by the label tests, and runnable on a built site while labels are being written:

    python -m tests.editions public/vi      # every page of the edition, the words not marked
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]*[\u3400-\u9fff\uf900-\ufaff]+[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]*")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "data-label", "content")


class _Unmarked(HTMLParser):
    """Han text outside any element whose lang is Chinese, in text a person reads or hears.

    A <title> (the page's, an SVG's) and an attribute hold no markup, so a record's Chinese name
    in them cannot be marked: there it is accepted when the page shows the same words marked
    lang="zh" (the h1 the <title> repeats, the unit a feed's title names)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, inside Chinese or not shown, inside Chinese)
        self.found: list[str] = []
        self.unmarkable: list[str] = []  # in a <title> or an attribute
        self.marked: set[str] = set()  # shown inside lang="zh"

    def _quiet(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        chinese = (bool(self.stack) and self.stack[-1][2]) if lang is None else lang.lower().startswith("zh")
        quiet = self._quiet() or tag in ("script", "style", "template") or (lang is not None and lang.lower().startswith("zh"))
        if lang is not None and not lang.lower().startswith("zh"):
            quiet = tag in ("script", "style", "template")  # another language inside Chinese is read again
        if not quiet:
            for name in SHOWN_ATTRIBUTES:
                value = values.get(name)
                if value and (tag != "meta" or values.get("name") in ("description",)):
                    self.unmarkable.extend(HAN.findall(value))
        if tag not in VOID:
            self.stack.append((tag, quiet, chinese))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._quiet():
            words = HAN.findall(data)
            (self.unmarkable if self.stack and self.stack[-1][0] == "title" else self.found).extend(words)
        elif self.stack and self.stack[-1][2] and self.stack[-1][0] not in ("script", "style", "template"):
            self.marked.update(HAN.findall(data))


def unmarked_chinese(html: str) -> list[str]:
    """The Chinese words of a page that are neither a translation nor marked lang="zh"."""
    parser = _Unmarked()
    parser.feed(html)
    parser.close()
    return parser.found + [word for word in parser.unmarkable if word not in parser.marked]


def edition_report(folder: Path) -> Counter[str]:
    """Every unmarked Chinese word of an edition's pages, with the number of pages showing it."""
    found: Counter[str] = Counter()
    for page in sorted(folder.rglob("*.html")):
        found.update(set(unmarked_chinese(page.read_text(encoding="utf-8"))))
    return found


if __name__ == "__main__":
    report = edition_report(Path(sys.argv[1]))
    for word, pages in report.most_common():
        print(f"{pages:5d}  {word}")
    print(f"{len(report)} words not marked", file=sys.stderr)
