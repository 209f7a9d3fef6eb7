"""Claims as people read them: the on-screen table (万/亿, names, GB/T order) and the files
(raw numbers, the same names and headers, every provenance column)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from board import i18n
from board.comparability import spans
from board.formatting import ZH_STEPS, value_label
from board.safe_text import web_link
from extract.claim import COLUMNS

# What the screen shows, sentence early so it is in view without scrolling sideways.
SCREEN_COLUMNS = (
    "province",
    "city",
    "year",
    "metric",
    "value",
    "sentence",
    "span",
    "category",
    "title",
    "published",
    "url",
)
CODED = {"category": i18n.category, "kind": i18n.kind, "span": i18n.span}
PERCENT_UNITS = ("%", "个百分点")


def gbt_order(df: pd.DataFrame, province_order: Sequence[str]) -> pd.DataFrame:
    """Rows by province in GB/T 2260 order (the national figure first), then city, year,
    report and position in it."""
    rank = {name: i for i, name in enumerate(province_order)}
    key = df["province"].map(rank).astype("float64").fillna(len(rank))
    key = key.where(df["province"] != "全国", -1.0)
    order = np.lexsort(
        (
            df["start"].fillna(-1).to_numpy(dtype="int64"),
            _text_rank(df["doc_id"]),
            df["year"].fillna(0).to_numpy(dtype="int64"),
            _text_rank(df["city"]),
            key.to_numpy(),
        )
    )
    return df.iloc[order]


def _text_rank(text: pd.Series) -> np.ndarray:
    """Integers in the order of the texts: sorting them sorts the texts (comparing codes,
    not a million strings)."""
    if isinstance(text.dtype, pd.CategoricalDtype):
        ranks = np.argsort(np.argsort(np.asarray(text.cat.categories, dtype=object), kind="stable"))
        codes = text.cat.codes.to_numpy()
        return np.where(codes < 0, -1, ranks[codes])  # a missing value first, as factorize does
    return pd.factorize(text, sort=True)[0]


def scale_for(values: pd.Series, unit: str) -> tuple[float, str]:
    """The 万/亿 step that suits most of the values (1 and '' when none does)."""
    if unit in PERCENT_UNITS or values.dropna().empty:
        return 1.0, ""
    typical = float(values.abs().median())
    return next(((size, name) for size, name in ZH_STEPS if typical >= size), (1.0, ""))


def _value_column(rows: pd.DataFrame, lang: str) -> tuple[str, pd.Series]:
    """The value header and cells: one unit gives numbers scaled to 万/亿 under a header
    with the unit (数值(万人)); mixed units give each value written with its own."""
    units = rows["unit"].unique()
    head = i18n.column("value", lang)
    if len(units) == 1:
        unit = str(units[0])
        size, step = scale_for(rows["value"], unit) if lang == "zh" else (1.0, "")
        shown = i18n.unit(unit, lang)
        return f"{head}({step}{shown})" if lang == "zh" else f"{head} ({shown})", (
            rows["value"] / size
        ).round(2)
    text = [value_label(v, u, lang) for v, u in zip(rows["value"], rows["unit"], strict=True)]
    return head, pd.Series(text, index=rows.index)


def screen_table(
    rows: pd.DataFrame, lang: str, places: Mapping[str, str], cities: Mapping[str, str]
) -> pd.DataFrame:
    """The claims table as shown: names, not codes; values with 万/亿; localised headers."""
    out = pd.DataFrame(index=rows.index)
    for col in SCREEN_COLUMNS:
        if col == "value":
            head, cells = _value_column(rows, lang)
            out[head] = cells
            continue
        series = spans(rows) if col == "span" and "span" not in rows else rows[col]
        if col in CODED:
            series = series.map(lambda c, f=CODED[col]: f(c, lang) if c else "")
        elif col == "province":
            series = series.map(lambda p: places.get(p, p))
        elif col == "city":
            series = series.map(lambda c: cities.get(c, c))
        elif col == "url":
            series = series.map(web_link)  # only http(s) links are ever clickable
        out[i18n.column(col, lang)] = series
    return out.reset_index(drop=True)


def file_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The claims of a download: every column, raw numbers, names beside codes in the
    reader's language, localised headers; the report's link in every row."""
    out = pd.DataFrame(index=rows.index)
    for col in COLUMNS:
        out[i18n.column(col, lang)] = rows[col]
        if col in CODED:
            out[f"{i18n.column(col, lang)} ({i18n.t('name', lang)})"] = rows[col].map(
                lambda c, f=CODED[col]: f(c, lang) if c else ""
            )
        if col == "period_start" and "span" not in COLUMNS:
            out[i18n.column("span", lang)] = (rows["span"] if "span" in rows else spans(rows)).map(
                lambda s: i18n.span(s, lang)
            )
    return out.reset_index(drop=True)
