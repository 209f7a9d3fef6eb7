"""The claim record: one number of a report, as CLAIMS.md §2 defines it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

KINDS = ("count", "amount", "percent", "change", "rank")
DIRECTIONS = ("", "up", "down")
APPROX = ("exact", "over", "under", "about")
# How much time a figure covers (CLAIMS.md §5): one whole year or a level at a point in time,
# part of one year (1-11月, 上半年), or several years (a period, a since-X total, a streak).
SPANS = ("annual", "part-year", "multi-year")
CATEGORIES = (
    "services",
    "technology",
    "enforcement",
    "crime",
    "policing",
    "governance",
    "workforce",
)

# Column order of the tidy dataset (data/claims.csv and every export).
CLAIM_FIELDS = (
    "raw",
    "value",
    "unit",
    "kind",
    "direction",
    "approx",
    "metric",
    "year",
    "period_start",
    "span",
    "province",
    "city",
    "category",
    "sentence",
    "start",
    "end",
)
# `url`: the report's link when it has one (empty for the bundled seeds).
# The fields a reviewer or an annotator judges (everything but the text's provenance).
PROVENANCE_FIELDS = ("raw", "sentence", "start", "end")
CHECKED_FIELDS = (*(f for f in CLAIM_FIELDS if f not in PROVENANCE_FIELDS), "indicator")
DOCUMENT_FIELDS = ("title", "published", "source", "publisher", "url")
COLUMNS = ("doc_id", "claim_id", *CLAIM_FIELDS, "indicator", *DOCUMENT_FIELDS)
# Types of the columns: every other column is text ('' when unknown, never NaN).
REAL_FIELDS = ("value",)
INT_FIELDS = ("year", "period_start", "start", "end")
TEXT_FIELDS = tuple(c for c in COLUMNS if c not in REAL_FIELDS + INT_FIELDS)
COLUMNS_PATH = Path(__file__).with_name("columns.yaml")


@cache
def _columns_doc() -> dict[str, dict]:
    with open(COLUMNS_PATH, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def meanings() -> dict[str, str]:
    """Column -> its meaning in English (the data dictionary), from columns.yaml."""
    return dict(_columns_doc()["columns"])


def column_label(name: str, lang: str) -> str:
    """The header of a column in `lang` ('zh' or 'en'); the name itself when unlabelled."""
    entry = _columns_doc().get("labels", {}).get(name) or {}
    return str(entry.get(lang) or entry.get("zh") or name)


def column_type(name: str) -> str:
    """'number', 'integer' or 'text': how a column is stored and exported."""
    return "number" if name in REAL_FIELDS else "integer" if name in INT_FIELDS else "text"


def typed_claims(frame: pd.DataFrame, *, strip: bool = True) -> pd.DataFrame:
    """COLUMNS (+ `reviewed` when present) in order: float values, nullable ints, text
    (stripped unless `strip` is False: the store gives back exactly what it holds)."""
    out = pd.DataFrame(index=frame.index)
    for name in (*COLUMNS, *(["reviewed"] if "reviewed" in frame else [])):
        series = frame[name] if name in frame else pd.Series(pd.NA, index=frame.index)
        out[name] = _typed_column(name, series, strip)
    return out.reset_index(drop=True)


def _typed_column(name: str, series: pd.Series, strip: bool) -> pd.Series:
    """One column of typed_claims. A categorical column (a CSV's repeated text) is typed
    through its categories: a million rows may hold a few dozen values, each typed once."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return _typed_values(name, series, strip)
    codes = series.cat.codes.to_numpy()  # a missing value has code -1: the None added last
    values = [*series.cat.categories, *([None] if (codes < 0).any() else [])]
    typed = _typed_values(name, pd.Series(values, dtype=object), strip)
    return pd.Series(typed.array.take(codes), index=series.index, name=series.name)


def _typed_values(name: str, series: pd.Series, strip: bool) -> pd.Series:
    """The schema's type for the values of column `name`."""
    if name in REAL_FIELDS:
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if name in INT_FIELDS:
        return pd.to_numeric(series, errors="coerce").round().astype("Int64")
    if name == "reviewed":
        return series.fillna(0).astype(bool)
    text = series.fillna("").astype(str)
    return text.str.strip() if strip else text


@dataclass(frozen=True)
class Claim:
    """One quantitative claim with its provenance in the document text."""

    doc_id: str
    raw: str
    value: float
    unit: str
    kind: str
    direction: str
    approx: str
    metric: str
    year: int | None
    period_start: int | None
    span: str
    province: str
    city: str
    category: str
    sentence: str
    start: int
    end: int
    indicator: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def claim_id(self) -> str:
        """Stable id: the document and the character span of the number."""
        return f"{self.doc_id}:{self.start}-{self.end}"

    def to_row(self) -> dict[str, object]:
        """The claim as a flat row keyed by COLUMNS (document fields from `extra`)."""
        # Field by field, not dataclasses.asdict: its deep copy was a fifth of a batch's time.
        row: dict[str, object] = {name: getattr(self, name) for name in CLAIM_FIELDS}
        row.update(doc_id=self.doc_id, claim_id=self.claim_id, indicator=self.indicator)
        for name in DOCUMENT_FIELDS:
            row[name] = self.extra.get(name, "")
        return {name: row[name] for name in COLUMNS}
