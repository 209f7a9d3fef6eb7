"""The whole dataset out of the store: CSV, Parquet and a data dictionary of its columns."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from board.downloads import csv_bytes
from extract.claim import COLUMNS_PATH, meanings
from extract.output import write_bytes
from store.backends import Database
from store.repository import effective_claims

DICTIONARY_PATH = COLUMNS_PATH
FILES = ("claims.csv", "claims.parquet", "dictionary.csv")


def _type_name(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer (empty when unknown)"
    if pd.api.types.is_float_dtype(series):
        return "number"
    return "text"


def data_dictionary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column of `frame`: its name, type and meaning; every column needs one."""
    missing = [c for c in frame.columns if c not in meanings()]
    if missing:
        raise KeyError(f"{DICTIONARY_PATH.name} has no meaning for {missing}")
    return pd.DataFrame(
        {
            "column": list(frame.columns),
            "type": [_type_name(frame[c]) for c in frame.columns],
            "meaning": [meanings()[c] for c in frame.columns],
        }
    )


def _files(frame: pd.DataFrame) -> dict[str, bytes]:
    """The export files by name, CSVs written by the dashboard's one neutralising writer."""
    return {
        FILES[0]: csv_bytes(frame),
        FILES[1]: frame.to_parquet(index=False),
        FILES[2]: csv_bytes(data_dictionary(frame)),
    }


def export_dataset(conn: Database, out_dir: str | Path) -> list[Path]:
    """Write claims.csv (UTF-8 with BOM), claims.parquet and dictionary.csv into out_dir."""
    out = Path(out_dir)
    return [write_bytes(data, out / name) for name, data in _files(effective_claims(conn)).items()]


def export_zip(conn: Database) -> bytes:
    """The three export files in one zip archive, for a download button."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _files(effective_claims(conn)).items():
            archive.writestr(name, data)
    return buffer.getvalue()
