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
    "units.yaml": {"units", "data_volume", "implicit", "not_before"},
    "magnitudes.yaml": {"magnitudes", "digits", "multipliers"},
    "qualifiers.yaml": {"before", "inside", "after"},
    "changes.yaml": {"down", "up", "fillers", "levels", "nominal"},
    "nonclaims.yaml": {"patterns", "name_suffixes", "hotlines"},
    "verbs.yaml": {"verbs", "fillers", "stops", "copulas", "nouns_too", "kept"},
    "categories.yaml": {"categories"},
    "regions.yaml": {"provinces", "county_cities"},
    "indicators.yaml": {"indicators"},
    "time.yaml": {
        "plans",
        "plan_whole",
        "plan_since",
        "plan_end",
        "events",
        "milestones",
        "part_year",
        "whole_year",
        "this_year",
        "last_year",
        "before_last_year",
        "same_period",
        "review_words",
        "current_words",
        "base_words",
        "year_on_year",
        "streak_words",
        "traditional",
    },
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


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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
        if set(entry) - {"decisive"} != {"zh", "en", "keywords"}:
            raise LexiconError(f"categories.yaml: {code} needs zh, en and keywords")
        _check_unique("categories.yaml", code, entry["keywords"])
        _check_unique("categories.yaml", code, entry.get("decisive", []))


def _validate_time(data: dict[str, Any]) -> None:
    missing = SCHEMAS["time.yaml"] - set(data)
    if missing:
        raise LexiconError(f"time.yaml: missing keys {sorted(missing)}")
    for name, years in data["plans"].items():
        if not (
            isinstance(years, list)
            and len(years) == 2
            and _is_year(years[0])
            and _is_year(years[1])
            and years[0] <= years[1]
        ):
            raise LexiconError(f"time.yaml: plan {name!r} needs [first year, last year]")
    for name, year in data["events"].items():
        if not _is_year(year):
            raise LexiconError(f"time.yaml: event {name!r} needs a year, not {year!r}")
    for old, new in data["traditional"].items():
        if not (isinstance(old, str) and isinstance(new, str) and len(old) == len(new) == 1):
            raise LexiconError(f"time.yaml: traditional maps one character to one: {old!r}")
    for key in SCHEMAS["time.yaml"] - {"plans", "events", "traditional"}:
        words = data[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise LexiconError(f"time.yaml: {key} must be a list of words")


def _is_year(value: object) -> bool:
    return isinstance(value, int) and 1900 <= value <= 2100


INDICATOR_REQUIRED = {"zh", "en", "unit", "kind", "category", "include"}
INDICATOR_KEYS = INDICATOR_REQUIRED | {
    "units",
    "direction",
    "exclude",
    "exclude_clause",
    "exclude_sentence",
    "heads",
    "context",
}
INDICATOR_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _validate_indicators(data: dict[str, Any]) -> None:
    from extract.claim import CATEGORIES, KINDS

    for code, entry in data["indicators"].items():
        where = f"indicators.yaml: {code}"
        if not INDICATOR_CODE.fullmatch(str(code)) or not isinstance(entry, dict):
            raise LexiconError(f"{where}: codes are snake_case names of a mapping")
        if set(entry) - INDICATOR_KEYS or INDICATOR_REQUIRED - set(entry):
            raise LexiconError(
                f"{where}: needs {sorted(INDICATOR_REQUIRED)}, may have "
                f"{sorted(INDICATOR_KEYS - INDICATOR_REQUIRED)}"
            )
        if entry["kind"] not in KINDS or entry["category"] not in CATEGORIES:
            raise LexiconError(
                f"{where}: unknown kind {entry['kind']!r} or category {entry['category']!r}"
            )
        if entry.get("direction", "up") not in ("up", "down"):
            raise LexiconError(f"{where}: direction must be up or down")
        if ("heads" in entry) != ("context" in entry):
            raise LexiconError(f"{where}: heads and context go together")
        _check_indicator_lists(where, entry)


def _check_indicator_lists(where: str, entry: dict[str, Any]) -> None:
    for key in ("units", "exclude", "exclude_clause", "exclude_sentence", "heads", "context"):
        words = entry.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise LexiconError(f"{where}: {key} must be a list of words")
        _check_unique(where, key, words)
    include = entry["include"]
    ok = (
        isinstance(include, list)
        and include
        and all(
            (isinstance(e, str) and e)
            or (isinstance(e, list) and e and all(isinstance(w, str) and w for w in e))
            for e in include
        )
    )
    if not ok:
        raise LexiconError(f"{where}: include must list words or lists of words")
    _check_unique(where, "include", ["+".join(e) if isinstance(e, list) else e for e in include])


_VALIDATORS = {
    "units.yaml": _validate_units,
    "qualifiers.yaml": _validate_qualifiers,
    "nonclaims.yaml": _validate_nonclaims,
    "categories.yaml": _validate_categories,
    "indicators.yaml": _validate_indicators,
    "time.yaml": _validate_time,
}


def userdict_path() -> Path:
    """Path of the jieba user dictionary of police-domain words."""
    return LEXICON_DIR / "userdict.txt"
