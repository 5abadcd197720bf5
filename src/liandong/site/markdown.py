"""Markdown from a record field → HTML that cannot carry script.

Raw HTML in the source is escaped (it shows as text), images are dropped (no third-party
requests), and links keep only http(s), mailto and relative targets."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

SAFE_LINK = re.compile(r"^(?:https?://|mailto:|#|\.{0,2}/|[^:/?#]+(?:[/?#]|$))", re.IGNORECASE)


def is_safe_link(href: str) -> bool:
    # Browsers ignore tabs, newlines and leading spaces in a scheme ("java\tscript:"), so do we.
    cleaned = re.sub(r"[\x00-\x20]", "", href)
    return bool(SAFE_LINK.match(cleaned)) and not cleaned.lower().startswith(("javascript:", "data:", "vbscript:"))


class _Sanitise(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img":
                    replacement = etree.Element("span")
                    replacement.text = child.get("alt", "")
                    replacement.tail = child.tail
                    parent.insert(list(parent).index(child), replacement)
                    parent.remove(child)
                elif child.tag == "a":
                    href = child.get("href", "")
                    if not is_safe_link(href):
                        del child.attrib["href"]
                    else:
                        child.set("rel", "nofollow noopener")
                    for name in list(child.attrib):
                        if name not in ("href", "rel", "title"):
                            del child.attrib[name]


class _SanitiseExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Sanitise(md), "liandong-sanitise", 0)


_CONVERTER = markdown.Markdown(extensions=[_SanitiseExtension()], output_format="html")


def render_markdown(source: str) -> Markup:
    # Escaping first turns every tag into text; Markdown then only adds its own safe elements.
    # One converter, reset between uses: building a new one costs more than converting a note.
    escaped = str(escape(source))
    html = _CONVERTER.reset().convert(escaped)
    return Markup(html)
