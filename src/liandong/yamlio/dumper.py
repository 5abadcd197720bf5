"""Records written as `liandong new` writes them: block style, keys in the order given, Chinese as
is, and quotes on exactly the strings our loader would otherwise read as another type (a date
written as text stays text, "true" stays a string). The form, the scaffold and the contributor
pages' examples all write through here."""

from __future__ import annotations

from typing import Any

import yaml

from liandong.yamlio.loader import JsonLikeResolver


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.yaml_implicit_resolvers = JsonLikeResolver.yaml_implicit_resolvers


def dump(data: Any, width: int = 100) -> str:
    """`data` as YAML text, ending in a newline."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width)
