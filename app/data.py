"""The dataset and report texts, read once and shared by every session (Streamlit caches)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from board import compare, i18n, search, shaping
from board import filters as flt
from board.data import dataset_path, dataset_version, prepared_dataset, report_text
from board.regions import GROUP_ORDER, Province, groups_of, load_regions


class Dataset(NamedTuple):
    """The claims (with each figure's span and level) and what the filters offer for them."""

    df: pd.DataFrame
    synthetic: bool
    options: dict[str, list]
    bounds: tuple[int, int] | None
    text: search.TextIndex  # metric and sentence of each row, for the search box
    key: tuple  # (path, version): what the cache knows this dataset by


def options_for(df: pd.DataFrame, name: str, provinces: tuple[Province, ...]) -> list:
    """The values one filter offers for these claims, in display order."""
    return flt.filter_options(df, name, provinces, GROUP_ORDER, i18n.category_codes())


@st.cache_resource(show_spinner=False, max_entries=2)
def _dataset(path: str, version: tuple[float, ...]) -> Dataset:
    """Read once per file version and shared read-only by all sessions."""
    df, synthetic, text = prepared_dataset()
    options = {name: options_for(df, name, load_regions()) for name in flt.LIST_PARAMS}
    return Dataset(df, synthetic, options, shaping.year_bounds(df), text, (path, version))


@st.cache_resource(show_spinner=False, max_entries=256)
def _scoped_options(
    path: str, version: tuple, name: str, groups: tuple[str, ...], provinces: tuple[str, ...]
) -> list:
    ds, regions = _dataset(path, version), load_regions()
    chosen = flt.Filters(groups=groups, provinces=provinces)
    scope = flt.apply_filters(ds.df, chosen, groups_of(regions))
    return options_for(scope, name, regions)


def scoped_options(name: str, groups: tuple[str, ...], provinces: tuple[str, ...]) -> list:
    """What filter `name` offers once region groups and provinces are chosen (cities of the
    chosen provinces), computed once per choice: at a million claims it is a scan."""
    if not groups and not provinces:
        return dataset().options[name]
    return _scoped_options(str(dataset_path()), dataset_version(), name, groups, provinces)


def dataset() -> Dataset:
    """The claims as they stand: a CLI `add` or a save shows without a restart."""
    return _dataset(str(dataset_path()), dataset_version())


# Each claim belongs to one indicator: all entries of a dataset version hold at most one
# copy of its claims with an indicator (~26 MB an indicator at a million synthetic claims).
@st.cache_resource(show_spinner=False, max_entries=32)
def _indicator_rows(key: tuple, code: str, order: tuple[str, ...]) -> pd.DataFrame:
    return compare.indicator_rows(_dataset(*key).df, code, order)


def _positional(ds: Dataset) -> bool:
    """Whether the claims' index labels are their row positions (what the caches assume): a
    RangeIndex from 0 by 1, as prepare() and its snapshot give, told without a scan."""
    index = ds.df.index
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def indicator_rows(ds: Dataset, df: pd.DataFrame, code: str, order: Sequence[str]) -> pd.DataFrame:
    """One indicator's figures among `df`, claims filtered from `ds` (read-only, shared):
    found and sorted once per dataset version in all claims, then cut to df's rows. At a
    million claims, finding and sorting them on every run was a third of a Compare run."""
    if not _positional(ds):
        return compare.indicator_rows(df, code, order)
    full = _indicator_rows(ds.key, code, tuple(order))
    if df is ds.df:
        return full
    kept = np.zeros(len(ds.df), dtype=bool)
    kept[df.index.to_numpy()] = True  # the dataset's index is its row positions
    return full[kept[full.index.to_numpy()]]


# Hover boxes written so far, by claim position, per dataset version, indicator and language:
# at most one box a claim with an indicator, as the rows above.
@st.cache_resource(show_spinner=False, max_entries=32)
def _written_hovers(key: tuple, code: str, lang: str) -> dict[int, str]:
    return {}


def with_hover(ds: Dataset, code: str, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`rows` (an indicator's, from indicator_rows) with their hover box in `lang`, each box
    written once per dataset version and kept: only the rows a chart draws get one (writing
    all 28k of an indicator's at a million claims took most of a second)."""
    if not _positional(ds):
        return compare.with_hover(rows, load_regions(), lang)
    written = _written_hovers(ds.key, code, lang)
    at = rows.index.tolist()
    new = rows[[i not in written for i in at]]
    if len(new):
        boxes = compare.with_hover(new, load_regions(), lang)["hover"]
        written.update(zip(new.index.tolist(), boxes, strict=True))
    out = rows.copy(deep=False)  # a column added, the rows' own shared (assign copies them)
    out["hover"] = [written[i] for i in at]
    return out


def forget_dataset() -> None:
    """Drop the cached claims after a save."""
    _dataset.clear()
    _scoped_options.clear()
    _indicator_rows.clear()
    _written_hovers.clear()


@st.cache_data(show_spinner=False, max_entries=32)
def report(doc_id: str) -> str | None:
    """A report's text from the store (uploads included), else its seed file."""
    return report_text(doc_id)
