"""Which figures compare: their span (annual, part-year, multi-year) and level (province, city)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SPANS = ("annual", "part-year", "multi-year")
LEVELS = ("province", "city")
NATIONAL = "全国"  # the province value of a national figure
LIKE = ("annual", "province")  # what Compare plots by default


def spans(df: pd.DataFrame) -> pd.Series:
    """Each claim's span: the `span` column where it is filled, else multi-year when the
    period starts before its year, else annual."""
    start, year = df["period_start"], df["year"]
    longer = (start.notna() & year.notna() & (start < year)).to_numpy(dtype=bool)
    derived = pd.Series(np.where(longer, "multi-year", "annual"), index=df.index)
    if "span" in df:
        given = df["span"].astype(object)
        return given.where(given.isin(SPANS), derived)
    return derived


def levels(df: pd.DataFrame) -> pd.Series:
    """'city' for a city's figure, else 'province' (the national figure included)."""
    return pd.Series(np.where(df["city"] != "", "city", "province"), index=df.index)


@dataclass(frozen=True)
class Split:
    """Figures kept for a like-with-like comparison and how many were left out, by reason."""

    kept: pd.DataFrame
    left_out: dict[str, int]

    @property
    def dropped(self) -> int:
        """How many figures were left out in all."""
        return sum(self.left_out.values())


def like_with_like(rows: pd.DataFrame, show_all: bool = False) -> Split:
    """Annual province-level figures; the others counted by reason, their `mark` column
    (marks(): a multi-year city figure counts once, under its span). With `show_all`
    nothing is left out."""
    if show_all:
        return Split(rows, {})
    mark = rows["mark"]
    counts = mark.value_counts()
    reasons = {s: int(counts.get(s, 0)) for s in (*SPANS, "city") if s != LIKE[0]}
    return Split(rows[(mark == "").to_numpy()], {k: v for k, v in reasons.items() if v})


def marks(rows: pd.DataFrame) -> pd.Series:
    """Why a figure does not compare ('' when it does): its span, else 'city'."""
    span, level = spans(rows).astype(object), levels(rows)
    out = span.where(span != LIKE[0], "")
    return out.where(out != "", np.where(level != LIKE[1], "city", ""))
