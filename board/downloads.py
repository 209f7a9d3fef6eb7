"""Files behind the charts: CSV (UTF-8 with BOM) and xlsx, safe to open in a spreadsheet."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet reads a cell starting with one of these as a formula (CWE-1236).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SLUG_UNSAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
MAX_SHEET_ROWS = 1_048_575  # Excel's row limit less the header
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_text(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralised; numeric columns are left as numbers."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_text)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM, so Excel reads the Chinese text right."""
    return neutralise(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _xlsx_safe(df: pd.DataFrame) -> pd.DataFrame:
    out = neutralise(df)
    for col in out.columns:
        if out[col].dtype == object:
            # Control characters make openpyxl refuse the cell; they carry no meaning here.
            out[col] = out[col].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
        elif isinstance(out[col].dtype, pd.Int64Dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.head(MAX_SHEET_ROWS)


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per entry (sheet name -> rows)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            _xlsx_safe(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()


def file_name(view: str, ext: str, day: date, detail: str = "") -> str:
    """'police-reform_by-province_四川省_2025-01-31.csv': the view, a filter hint and the date."""
    parts = ["police-reform", view, SLUG_UNSAFE.sub("-", detail).strip("-")[:40], day.isoformat()]
    return "_".join(p for p in parts if p) + "." + ext.lstrip(".")


def about_sheet(view: str, params: Mapping[str, list[str]], day: date) -> pd.DataFrame:
    """What a download holds: the view, its filters (as URL parameters), the date, the columns."""
    filters = "; ".join(f"{k}={','.join(v)}" for k, v in params.items()) or "-"
    return pd.DataFrame(
        {
            "field": ["view", "filters", "downloaded", "rows", "provenance"],
            "value": [
                view,
                filters,
                day.isoformat(),
                "one row per claim counted or drawn in the chart",
                "sentence, start, end (offsets in the report text), title, published, source, "
                "publisher",
            ],
        }
    )
