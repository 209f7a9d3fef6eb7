"""The dataset as a DataFrame: every read of claims goes through load_claims."""

from __future__ import annotations

import csv
import logging
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

import store
from board import comparability, provenance, search, snapshot, tables
from board.regions import load_regions
from extract.claim import COLUMNS, typed_claims

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_PATH = ROOT / "data" / "claims.csv"
SEEDS_DIR = ROOT / "seeds"
# Points the dashboard at another claims file (tests, previews of a new extraction).
CLAIMS_ENV = "DASHBOARD_CLAIMS"
# Where prepared frames are kept between server starts (gitignored); $DASHBOARD_CACHE
# overrides it (tests, a read-only checkout with a writable cache elsewhere).
CACHE_DIR = ROOT / "data" / ".cache"
CACHE_ENV = "DASHBOARD_CACHE"
# Columns of few distinct values, categorical in the prepared frame: every filter and group
# is then a comparison of codes.
CATEGORICAL = (
    "doc_id",
    "unit",
    "kind",
    "direction",
    "approx",
    "province",
    "city",
    "category",
    "indicator",
    "title",
    "published",
    "source",
    "publisher",
    "url",
    "span",
    "level",
)
# Bump when prepare() (or what it calls) makes a different frame: older snapshots then go
# unused. The schema and the library versions are part of the snapshot key already.
PREPARED_FORMAT = 2  # 2: the row index kept as a RangeIndex


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """The claims with every column of COLUMNS, in order, with the schema's dtypes."""
    return typed_claims(df.drop(columns=["reviewed"], errors="ignore"))


def load_claims(path: str | Path | None = None) -> pd.DataFrame:
    """Claims of the store (seeded from data/claims.csv), or of the CSV file `path`."""
    if path is None or Path(path) == CLAIMS_PATH:
        stored = _store_claims()
        if stored is not None:
            return normalise(stored)
    return normalise(read_text_csv(Path(path) if path else CLAIMS_PATH))


def read_text_csv(path: Path) -> pd.DataFrame:
    """Every cell of a CSV as text ('' stays '', codes like 510000 stay text; repeated text
    as categoricals), read by pyarrow's parser. A file it refuses, or one pandas would read
    differently (header names missing or repeated), goes to pandas: its result, its errors."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            names = next(csv.reader(fh))
        if len(set(names)) == len(names) and all(names):
            return _arrow_text_csv(path, names)
    except (pa.ArrowException, OSError, UnicodeError, StopIteration, csv.Error):
        pass
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _arrow_text_csv(path: Path, names: list[str]) -> pd.DataFrame:
    text = pa.string()
    table = pa_csv.read_csv(
        path,
        convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, text)),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
    )
    if table.column_names != names:
        raise pa.ArrowInvalid("header read differently")
    return pd.DataFrame({name: _objects(table.column(name)) for name in names})


def _objects(column: pa.ChunkedArray) -> np.ndarray | pd.Categorical:
    """A column of text as Python strings; repeated values (34 provinces in a million rows)
    as a categorical, each distinct string made once."""
    encoded = column.combine_chunks().dictionary_encode()
    if len(encoded.dictionary) > len(encoded) // 2:
        return column.to_numpy()
    categories = pd.Index(encoded.dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Categorical.from_codes(encoded.indices.to_numpy(), categories, validate=False)


def _store_claims() -> pd.DataFrame | None:
    """The reviewed dataset of the store (bundled data imported first); None when the store
    cannot be opened."""
    try:
        store.bootstrap()
        with store.opened() as conn:
            return store.effective_claims(conn)
    except store.ERRORS as err:  # e.g. a read-only data/ folder
        logging.getLogger(__name__).warning("claims store unavailable, reading CSV: %s", err)
        return None


def dataset_version() -> tuple[float, str]:
    """The CSV's modification time and the store's change counter: a save by any process,
    on either backend, changes it. Another claims file ($DASHBOARD_CLAIMS) is read without
    the store, which is then neither asked nor created."""
    path = dataset_path()
    return (path.stat().st_mtime if path.exists() else 0.0, _store_version(path) or "")


def _store_version(path: Path) -> str | None:
    """The store's change counter when the claims of `path` come from the store (the bundled
    file); '' for another file; None when the store is unreachable (load_claims then reads
    the CSV)."""
    if path != CLAIMS_PATH:
        return ""
    try:
        return store.version()
    except store.ERRORS:
        return None


def report_text(doc_id: str) -> str | None:
    """The report's text from the store (uploads included), else from seeds/<doc_id>.txt."""
    try:
        with store.opened() as conn:
            document = store.get_document(conn, doc_id)
        if document and document.get("text"):
            return str(document["text"])
    except store.ERRORS:
        pass
    return provenance.document_text(doc_id, SEEDS_DIR)


def dataset_path() -> Path:
    """The claims file the dashboard shows: $DASHBOARD_CLAIMS, else data/claims.csv."""
    return Path(os.environ.get(CLAIMS_ENV) or CLAIMS_PATH)


def prepare(df: pd.DataFrame) -> pd.DataFrame:
    """The claims as the dashboard holds them: each figure's span and level, categoricals,
    rows in GB/T 2260 order (every filtered view, the table first, keeps it)."""
    df = df.assign(span=comparability.spans(df), level=comparability.levels(df))
    df = df.astype({c: "category" for c in CATEGORICAL})
    return tables.gbt_order(df, [p.name for p in load_regions()]).reset_index(drop=True)


class Prepared(NamedTuple):
    """The prepared claims, whether they are the synthetic stand-in, their search index."""

    df: pd.DataFrame
    synthetic: bool
    text: search.TextIndex


def search_index(df: pd.DataFrame) -> search.TextIndex:
    """The search box's index: each row's metric and sentence."""
    return search.TextIndex((df["metric"].astype(str) + " " + df["sentence"].astype(str)).tolist())


def prepared_dataset(path: Path | None = None) -> Prepared:
    """prepare(load_dataset(path)) and its search index: from their snapshot when one
    matches the source as it stands, else built and saved for the next server start."""
    path = Path(path) if path else dataset_path()
    if not path.exists():
        df, synthetic = load_dataset(path)
        df = prepare(df)
        return Prepared(df, synthetic, search_index(df))
    before = _source_key(path)
    cached = snapshot.read(cache_dir(), before)
    if cached is not None:
        text = snapshot.read_text(cache_dir(), before)
        index = search.TextIndex.from_text(text, len(cached)) if text is not None else None
        return Prepared(cached, False, index or search_index(cached))
    df = prepare(load_claims(path))
    index = search_index(df)
    if _source_key(path) == before:  # unchanged while it was read: the frame is that version
        snapshot.write(cache_dir(), before, df, index.text)
    return Prepared(df, False, index)


def _source_key(path: Path) -> str:
    """The snapshot key of the dataset read from `path`: the file (path, size, mtime_ns),
    the store's version when the store is read, and the shape of the prepared frame."""
    stat = path.stat()
    stored = _store_version(path)
    stored = "unavailable" if stored is None else stored
    source = [str(path.resolve()), stat.st_size, stat.st_mtime_ns, stored]
    return snapshot.key([PREPARED_FORMAT, COLUMNS, CATEGORICAL, *source])


def cache_dir() -> Path:
    """The folder of the dataset snapshots: $DASHBOARD_CACHE, else data/.cache/."""
    return Path(os.environ.get(CACHE_ENV) or CACHE_DIR)


def load_dataset(path: Path | None = None, sample_size: int = 600) -> tuple[pd.DataFrame, bool]:
    """The claims of `path` (default dataset_path()), or synthetic ones while none exist."""
    path = Path(path) if path else dataset_path()
    if path.exists():
        return load_claims(path), False
    from board.sample import synthetic_claims

    return synthetic_claims(sample_size, seed=0), True
