"""Load and validate the language data in extract/lexicon/."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).parent / "lexicon"

# The keys each file may hold: a typo in a data file fails loudly at load time.
SCHEMAS: dict[str, set[str]] = {
    "units.yaml": {"units", "data_volume", "implicit"},
    "magnitudes.yaml": {"magnitudes", "digits", "multipliers"},
    "qualifiers.yaml": {"before", "inside", "after"},
    "changes.yaml": {"down", "up", "fillers", "levels", "nominal"},
    "nonclaims.yaml": {"patterns", "name_suffixes", "hotlines"},
    "verbs.yaml": {"verbs", "fillers", "stops", "copulas", "nouns_too"},
    "categories.yaml": {"categories"},
    "regions.yaml": {"provinces"},
}
APPROX_VALUES = {"exact", "over", "under", "about"}
KIND_VALUES = {"count", "amount", "percent", "change"}


class LexiconError(ValueError):
    """A lexicon file is malformed."""


# The C loader when PyYAML has it: parsing the gazetteer is most of a cold start.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise LexiconError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


@cache
def load(name: str) -> dict[str, Any]:
    """Load one lexicon file, checking its keys and the uniqueness of its entries."""
    path = LEXICON_DIR / name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except LexiconError as err:
        raise LexiconError(f"{name}: {err}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: expected a mapping at the top level")
    unknown = set(data) - SCHEMAS[name]
    if unknown:
        raise LexiconError(f"{name}: unknown keys {sorted(unknown)}")
    for key, value in data.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            _check_unique(name, key, value)
    _VALIDATORS.get(name, lambda d: None)(data)
    return data


def _check_unique(name: str, key: str, values: list[str]) -> None:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise LexiconError(f"{name}: {key} lists {dupes} more than once")


def _validate_units(data: dict[str, Any]) -> None:
    for word, entry in data["units"].items():
        if set(entry) - {"unit", "kind", "magnitude"} or entry.get("kind") not in KIND_VALUES:
            raise LexiconError(f"units.yaml: bad entry for {word!r}: {entry}")


def _validate_qualifiers(data: dict[str, Any]) -> None:
    for place, table in data.items():
        bad = {w: a for w, a in table.items() if a not in APPROX_VALUES}
        if bad:
            raise LexiconError(f"qualifiers.yaml: {place} has unknown approx values {bad}")


def _validate_nonclaims(data: dict[str, Any]) -> None:
    for entry in data["patterns"]:
        if set(entry) != {"reason", "regex"}:
            raise LexiconError(f"nonclaims.yaml: pattern needs reason and regex: {entry}")
        try:
            re.compile(entry["regex"])
        except re.error as err:
            raise LexiconError(f"nonclaims.yaml: bad regex {entry['regex']!r}: {err}") from None


def _validate_categories(data: dict[str, Any]) -> None:
    from extract.claim import CATEGORIES

    if set(data["categories"]) != set(CATEGORIES):
        raise LexiconError(f"categories.yaml: categories must be exactly {CATEGORIES}")
    for code, entry in data["categories"].items():
        if set(entry) != {"zh", "en", "keywords"}:
            raise LexiconError(f"categories.yaml: {code} needs zh, en and keywords")
        _check_unique("categories.yaml", code, entry["keywords"])


_VALIDATORS = {
    "units.yaml": _validate_units,
    "qualifiers.yaml": _validate_qualifiers,
    "nonclaims.yaml": _validate_nonclaims,
    "categories.yaml": _validate_categories,
}


def userdict_path() -> Path:
    """Path of the jieba user dictionary of police-domain words."""
    return LEXICON_DIR / "userdict.txt"
