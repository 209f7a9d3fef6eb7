"""What the 添加报告 / Add report page shows, without Streamlit: its texts, the review table's
columns and choices (the page itself is app/pages/add_report.py)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from extract import lexicon
from extract.claim import column_label, typed_claims
from extract.documents import MAX_BYTES

LABELS_PATH = Path(__file__).with_name("add_report.yaml")
UPLOAD_TYPES = ["txt", "html", "htm", "docx", "pdf"]
MAX_MB = MAX_BYTES // (1024 * 1024)
# The dashboard's table order first (where, when, what), then the number and how it reads.
EDITOR_COLUMNS = [
    "province",
    "city",
    "year",
    "category",
    "metric",
    "raw",
    "value",
    "unit",
    "kind",
    "direction",
    "approx",
    "period_start",
    "sentence",
    "claim_id",
]
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@cache
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    with open(LABELS_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def label(key: str, lang: str, section: str = "ui", **fmt: object) -> str:
    """A text of the page in the language, formatted with `fmt`; column headers are the
    schema's (extract/columns.yaml)."""
    if section == "columns":
        return column_label(key, lang)
    entry = _labels()[section].get(key, {})
    text = entry.get(lang) or entry.get("zh") or key
    return text.format(**fmt) if fmt else text


@cache
def provinces() -> list[str]:
    """Province-level units by GB/T 2260 code, for the province picker."""
    return [p["name"] for p in lexicon.load("regions.yaml")["provinces"]]


def unit_choices(claims: pd.DataFrame) -> list[str]:
    """Normalised units of the lexicon and any unit the claims already use."""
    known = {entry["unit"] for entry in lexicon.load("units.yaml")["units"].values()}
    return sorted(known | {u for u in claims.get("unit", []) if isinstance(u, str) and u})


def editor_frame(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims as the review table shows them: EDITOR_COLUMNS with editable dtypes."""
    frame = typed_claims(claims)[EDITOR_COLUMNS].reset_index(drop=True)
    # A picker shows '' as the word "None"; an empty cell shows the placeholder instead.
    frame["direction"] = frame["direction"].replace("", None)
    return frame
