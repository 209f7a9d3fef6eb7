"""The dataset as a DataFrame: every read of claims goes through load_claims."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd

import store
from board import provenance
from extract.claim import typed_claims

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_PATH = ROOT / "data" / "claims.csv"
SEEDS_DIR = ROOT / "seeds"
# Points the dashboard at another claims file (tests, previews of a new extraction).
CLAIMS_ENV = "DASHBOARD_CLAIMS"


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """The claims with every column of COLUMNS, in order, with the schema's dtypes."""
    return typed_claims(df.drop(columns=["reviewed"], errors="ignore"))


def load_claims(path: str | Path | None = None) -> pd.DataFrame:
    """Claims of the store (seeded from data/claims.csv), or of the CSV file `path`."""
    if path is None or Path(path) == CLAIMS_PATH:
        stored = _store_claims()
        if stored is not None:
            return normalise(stored)
    path = Path(path) if path else CLAIMS_PATH
    # Text stays text: '' must not become NaN, and codes like 510000 must not become ints.
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return normalise(df)


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
    on either backend, changes it."""
    try:
        stored = store.version()
    except store.ERRORS:  # unreachable store: load_claims falls back to the CSV
        stored = ""
    path = dataset_path()
    return (path.stat().st_mtime if path.exists() else 0.0, stored)


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


def load_dataset(path: Path | None = None, sample_size: int = 600) -> tuple[pd.DataFrame, bool]:
    """The claims of `path` (default dataset_path()), or synthetic ones while none exist."""
    path = Path(path) if path else dataset_path()
    if path.exists():
        return load_claims(path), False
    from board.sample import synthetic_claims

    return synthetic_claims(sample_size, seed=0), True
