"""Chart data: the claims behind each chart and the figures drawn from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from board import i18n
from board.regions import Province, province_label
from extract.claim import COLUMNS

DIMENSIONS = ("province", "year", "category")


@dataclass(frozen=True)
class Overview:
    """Figures at a glance."""

    reports: int
    claims: int
    provinces: int
    years: tuple[int, int] | None


def overview(df: pd.DataFrame) -> Overview:
    """Counts of reports, claims and provinces, and the span of years."""
    years = df["year"].dropna()
    span = (int(years.min()), int(years.max())) if len(years) else None
    provinces = df.loc[df["province"] != "", "province"].nunique()
    return Overview(int(df["doc_id"].nunique()), len(df), int(provinces), span)


def dimension_order(
    df: pd.DataFrame,
    dim: str,
    province_order: Sequence[str] = (),
    category_order: Sequence[str] = (),
) -> list:
    """Values of `dim` in df in display order (GB/T code, category list); every year in range."""
    present = df.loc[chart_mask(df, dim), dim].unique().tolist()
    if dim == "year":
        # Years without claims keep their place, so the axis spaces time evenly.
        return list(range(int(min(present)), int(max(present)) + 1)) if present else []
    given = {"province": list(province_order), "category": list(category_order)}.get(dim, [])
    known = [v for v in given if v in set(present)]
    return known + sorted(v for v in present if v not in set(known))


def chart_mask(df: pd.DataFrame, dim: str, measure: tuple[str, str] | None = None) -> pd.Series:
    """Which claims a chart by `dim` draws: those with a `dim` value (and of `measure`)."""
    mask = df[dim].notna() if dim == "year" else df[dim] != ""
    if measure:
        mask = mask & (df["unit"] == measure[0]) & (df["kind"] == measure[1]) & df["value"].notna()
    return mask


def chart_rows(df: pd.DataFrame, dim: str, measure: tuple[str, str] | None = None) -> pd.DataFrame:
    """Exactly the claims a chart by `dim` draws, all columns in dataset order."""
    return df[chart_mask(df, dim, measure)][list(COLUMNS)]


def _rank(values: pd.Series, order: Sequence) -> pd.Series:
    rank = {v: i for i, v in enumerate(order)}
    return values.map(rank).fillna(len(rank))


def sizes(df: pd.DataFrame, keys: list[str], mask: pd.Series) -> pd.Series:
    """Rows of `mask` per combination of `keys` present (like groupby(keys).size()); on
    categorical columns one count of their codes, a pass over the rows instead of a group-by
    (a tenth of the time at a million claims)."""
    columns = [df[k] for k in keys]
    if not all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        return df.loc[mask, keys].groupby(keys, observed=True).size()
    keep = mask.to_numpy(dtype=bool)
    codes = [c.cat.codes.to_numpy()[keep].astype(np.int64) for c in columns]
    shape = [len(c.cat.categories) for c in columns]
    known = np.logical_and.reduce([code >= 0 for code in codes])  # -1: a missing value
    flat = np.ravel_multi_index([code[known] for code in codes], shape)
    counts = np.bincount(flat, minlength=int(np.prod(shape)))
    present = np.flatnonzero(counts)
    index = pd.MultiIndex.from_arrays(
        [
            c.cat.categories[i]
            for c, i in zip(columns, np.unravel_index(present, shape), strict=True)
        ],
        names=keys,
    )
    return pd.Series(counts[present], index=index if len(keys) > 1 else index.get_level_values(0))


def count_table(
    df: pd.DataFrame,
    dim: str,
    order: Sequence,
    stack: str | None = None,
    stack_order: Sequence = (),
) -> pd.DataFrame:
    """Claims per `dim` value (and per `stack` value): columns dim, [stack,] n; no zero rows."""
    keys = [dim, stack] if stack else [dim]
    counts = sizes(df, keys, chart_mask(df, dim)).rename("n").reset_index()
    counts = counts.astype({k: object for k in keys if k != "year"})
    if dim == "year":
        counts["year"] = counts["year"].astype(int)
    sort_key = _rank(counts[dim], order) * 1000
    if stack:
        sort_key = sort_key + _rank(counts[stack], stack_order)
    return counts.iloc[sort_key.argsort(kind="stable")].reset_index(drop=True)


def matrix(df: pd.DataFrame, rows: Sequence[str], cols: Sequence[str]) -> pd.DataFrame:
    """Claim counts with provinces as rows and categories as columns (all listed, zeros kept)."""
    keys = ["province", "category"]
    table = sizes(df, keys, chart_mask(df, "province")).unstack(fill_value=0)
    return table.reindex(index=list(rows), columns=list(cols), fill_value=0).astype(int)


def measures(df: pd.DataFrame) -> list[tuple[str, str, int]]:
    """(unit, kind, claim count) of claims with values, most frequent first."""
    keys = ["unit", "kind"]
    counts = (
        df.loc[df["value"].notna() & (df["unit"] != ""), keys].groupby(keys, observed=True).size()
    )
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(unit, kind, int(n)) for (unit, kind), n in ordered]


def largest(rows: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most `limit` rows, those of largest absolute value, when there are more."""
    if len(rows) <= limit:
        return rows
    return rows.loc[rows["value"].abs().nlargest(limit).index]


def province_counts(df: pd.DataFrame) -> dict[str, int]:
    """Claim count per province name."""
    counts = df.loc[chart_mask(df, "province"), "province"].value_counts()
    return counts[counts > 0].to_dict()


def year_bounds(df: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year of the claims; None unless there are two years to range over."""
    years = df["year"].dropna()
    if years.empty or years.min() == years.max():
        return None
    return int(years.min()), int(years.max())


def axis_labels(df: pd.DataFrame, provinces: tuple[Province, ...], lang: str) -> dict[str, dict]:
    """Displayed names of the values of each chart dimension."""
    names = df.loc[df["province"] != "", "province"].unique()
    return {
        "province": {p: province_label(p, provinces, lang) for p in names},
        "year": {},
        "category": {c: i18n.category(c, lang) for c in df["category"].unique()},
    }


def table_view(
    df: pd.DataFrame,
    columns: Sequence[str],
    cat_labels: Mapping[str, str],
    prov_labels: Mapping[str, str],
) -> pd.DataFrame:
    """The claims table as shown: chosen columns, categories and provinces by their names."""
    out = df[list(columns)].copy()
    out["category"] = out["category"].map(lambda c: cat_labels.get(c, c))
    out["province"] = out["province"].map(lambda p: prov_labels.get(p, p))
    return out.reset_index(drop=True)
