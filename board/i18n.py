"""Chinese/English labels for the dashboard, read from board/labels.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from extract.claim import column_label

LANGS = ("zh", "en")
LABELS_PATH = Path(__file__).with_name("labels.yaml")


@lru_cache(maxsize=4)
def load_labels(path: Path = LABELS_PATH) -> dict[str, dict[str, dict[str, str]]]:
    """The label tables of labels.yaml: section -> key -> language -> text."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _lookup(section: str, key: str, lang: str) -> str:
    entry = load_labels().get(section, {}).get(key)
    if not entry:
        return key
    # Chinese is the source language: a missing Chinese text is the key itself.
    return entry.get(lang) or (key if lang == "zh" else entry.get("zh", key))


def t(key: str, lang: str, **fmt: object) -> str:
    """An interface text, formatted with `fmt` when given."""
    text = _lookup("ui", key, lang)
    return text.format(**fmt) if fmt else text


def category(code: str, lang: str) -> str:
    """The name of a reform category code (services, crime, ...)."""
    return _lookup("categories", code, lang)


def kind(code: str, lang: str) -> str:
    """The name of a claim kind (count, amount, percent, change, rank)."""
    return _lookup("kinds", code, lang)


def unit(code: str, lang: str) -> str:
    """A unit as shown: Chinese units stay as written, English gets a gloss."""
    return _lookup("units", code, lang)


def group(code: str, lang: str) -> str:
    """The name of a region group (东部, 中部, 西部, 东北)."""
    return _lookup("groups", code, lang)


def column(code: str, lang: str) -> str:
    """The header of a table column: a claim column's from extract/columns.yaml."""
    if code in load_labels().get("columns", {}):
        return _lookup("columns", code, lang)
    return column_label(code, lang)


def span(code: str, lang: str) -> str:
    """The name of a figure's span (annual, part-year, multi-year)."""
    return _lookup("spans", code, lang)


def category_codes() -> list[str]:
    """Reform category codes in display order."""
    return list(load_labels()["categories"])


def ui_key(text: str, prefix: str = "") -> str | None:
    """The interface key (starting with `prefix`) whose text is `text` in either language."""
    for key, entry in load_labels()["ui"].items():
        if key.startswith(prefix) and text in (entry.get("zh"), entry.get("en")):
            return key
    return None
