"""A column as a file writer sees it: the text of each distinct value, made once, and per
row a code into those texts. A download repeats most values (a few thousand reports, a
few dozen units and provinces), so the per-row work is one numpy take."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

# Rows are written this many at a time, so a million rows never sit in memory as text.
ROW_BATCH = 50_000


def text_codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of each row into the column's distinct texts, in order of first appearance
    ('' for an empty cell); each text as str() writes the value."""
    found = plain_text_codes(series)
    if found is not None:
        return found
    # Numbers among text: 1 and 1.0 are one value to factorize, two texts to str().
    text = series.astype(object).where(series.notna(), "").astype(str)
    codes, uniques = pd.factorize(text)
    return codes.astype(np.int32), list(uniques)


def plain_text_codes(series: pd.Series) -> tuple[np.ndarray, list[str]] | None:
    """text_codes of a column whose values are all text or empty; None for any other."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        names = series.cat.categories.to_numpy(dtype=object)
        if not _all_text(names):
            return None
        # Factorising the category codes keeps the order rows show them in.
        codes, first = pd.factorize(series.cat.codes.to_numpy())
        texts = np.append(names, "")[first].tolist()  # code -1, a missing value, takes ''
        return codes.astype(np.int32), texts  # a sheet or file holds fewer than 2**31 rows
    codes, uniques = pd.factorize(series)
    if not _all_text(np.asarray(uniques, dtype=object)):
        return None
    if len(codes) and codes.min() < 0:
        # A missing value is an empty text, first seen where the first missing value is.
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        texts = ["" if m else u for u, m in zip(uniques, pd.isna(uniques), strict=True)]
        return codes.astype(np.int32), texts
    return codes.astype(np.int32), list(uniques)


def _all_text(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def distinct_floats(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes into the distinct floats of `values`, told apart by their bits (0.0 and -0.0
    are written differently)."""
    codes, bits = pd.factorize(values.view(np.int64))
    return codes, bits.view(np.float64)


def is_number(series: pd.Series) -> bool:
    """Numbers and booleans: written as numbers, not as text."""
    return pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series)


def blocks(rows: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of each block of ROW_BATCH rows."""
    for start in range(0, rows, ROW_BATCH):
        yield start, min(start + ROW_BATCH, rows)
