"""Records written as `liandong new` writes them: block style, keys in the order given, Chinese as
is, and quotes on exactly the strings our loader would otherwise read as another type (a date
written as text stays text, "true" stays a string); text with line breaks as a literal block (|),
and no line folded. The scaffold, the importer and the contributor pages' examples write through
here; the browser forms write the same text (site/javascripts/contribute.js, yamlText), which
tests/site/test_contrib_forms.py compares on every record of the registry."""

from __future__ import annotations

from typing import Any

import yaml

from liandong.yamlio.loader import JsonLikeResolver


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.yaml_implicit_resolvers = JsonLikeResolver.yaml_implicit_resolvers


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML writes a multi-line string in single quotes, each line break doubled; a literal block
    # reads as it was typed. PyYAML still falls back to quotes where a block cannot hold the text.
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)

# Long lines stay long: a folded line is a line changed in every later diff of the paragraph, and
# the form in the browser (which writes the same text) then needs no folding rules.
UNFOLDED = 1 << 30


def dump(data: Any, width: int = UNFOLDED) -> str:
    """`data` as YAML text, ending in a newline."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width)
