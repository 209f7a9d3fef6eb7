"""The whole dataset out of the store: CSV, Parquet and a data dictionary of its columns."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from extract.output import write_table
from store.backends import Database
from store.repository import effective_claims

DICTIONARY_PATH = Path(__file__).with_name("columns.yaml")
FILES = ("claims.csv", "claims.parquet", "dictionary.csv")


@cache
def meanings() -> dict[str, str]:
    """Column -> meaning, from store/columns.yaml."""
    with open(DICTIONARY_PATH, encoding="utf-8") as fh:
        return dict(yaml.safe_load(fh)["columns"])


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


def export_dataset(conn: Database, out_dir: str | Path) -> list[Path]:
    """Write claims.csv (UTF-8 with BOM), claims.parquet and dictionary.csv into out_dir."""
    frame = effective_claims(conn)
    out = Path(out_dir)
    tables = (frame, frame, data_dictionary(frame))
    return [write_table(table, out / name) for table, name in zip(tables, FILES, strict=True)]


def export_zip(conn: Database) -> bytes:
    """The three export files in one zip archive, for a download button."""
    frame = effective_claims(conn)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            FILES[0], frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
        )
        archive.writestr(FILES[1], frame.to_parquet(index=False))
        archive.writestr(
            FILES[2],
            data_dictionary(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig"),
        )
    return buffer.getvalue()
