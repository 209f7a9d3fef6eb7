"""YAML front matter of a report: a flat mapping of short strings, parsed safely.

No anchors, aliases or tags (a 500-byte alias bomb expands to gigabytes), no nested
values, no duplicate keys, and the block itself is capped in size.
"""

from __future__ import annotations

import re

import yaml

from extract.limits import MAX_FRONT_MATTER_CHARS
from extract.metadata import FIELDS

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.DOTALL)
_NULLS = {"", "~", "null", "Null", "NULL"}


class FrontMatterError(ValueError):
    """Front matter that is not a flat mapping of known keys to plain values."""


class _FlatLoader(yaml.BaseLoader):
    """BaseLoader (every scalar a string) that refuses anchors, aliases and explicit tags."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise FrontMatterError(f"aliases (*) are not allowed (line {line})")
        if getattr(event, "anchor", None):
            raise FrontMatterError(f"anchors (&) are not allowed (line {line})")
        if getattr(event, "tag", None) not in (None, "!"):
            raise FrontMatterError(f"tags (!) are not allowed (line {line})")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split optional front matter from the body; anything but flat known keys is an error."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    block = match.group(1)
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(f"{len(block):,} characters long (limit {MAX_FRONT_MATTER_CHARS:,})")
    return parse_block(block), text[match.end() :]


def parse_block(block: str) -> dict[str, str]:
    """The key: value pairs of a front matter block."""
    loader = _FlatLoader(block)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(err, "problem", None) or "not valid YAML"
        raise FrontMatterError(f"{problem}{where}") from None
    finally:
        loader.dispose()
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterError("not a mapping of key: value lines")
    return _flat(node)


def _flat(node: yaml.MappingNode) -> dict[str, str]:
    meta: dict[str, str] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in FIELDS:
            known = ", ".join(FIELDS)
            raise FrontMatterError(f"unknown front matter keys [{key!r}] (known: {known})")
        if key in meta:
            raise FrontMatterError(f"{key} given twice")
        if not isinstance(value_node, yaml.ScalarNode):
            raise FrontMatterError(f"{key} must be a single value, not a list or mapping")
        plain = value_node.style is None
        meta[key] = "" if plain and value_node.value in _NULLS else value_node.value
    return meta
