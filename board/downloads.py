"""The one writer of every export: chart downloads, the whole dataset, `python -m extract export`.

CSV is UTF-8 with BOM (Excel reads the Chinese right); xlsx has a data sheet with a frozen,
filtered header and fitted widths, and a 说明 sheet (source, filters, date, column dictionary).
Text cells a spreadsheet would run as a formula are neutralised; numbers stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from board import csvfile, xlsx
from extract.claim import column_label, column_type, meanings

# A spreadsheet reads a cell starting with one of these as a formula (CWE-1236); Excel and
# WPS also take the full-width forms, and a tab or CR before one of them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
RISKY_FIRST = frozenset((*FORMULA_START, " ", "\u3000"))  # a neutralised text starts so
SLUG_UNSAFE = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ABOUT_SHEET = {"zh": "说明", "en": "About"}
DATA_SHEET = {"zh": "数据", "en": "Data"}


def neutralise_text(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with a quote."""
    if isinstance(value, str) and value.lstrip(" \u3000").startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralised; numeric columns are left as numbers."""
    out = df.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            # Few distinct values: neutralise the categories, unless two would become one.
            names = column.cat.categories.to_list()
            fixed = [neutralise_text(name) for name in names]
            if fixed == names or len(set(fixed)) == len(fixed):
                out.isetitem(i, column.cat.rename_categories(fixed) if fixed != names else column)
                continue
            column = column.astype(object)
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            values = column.to_numpy(dtype=object)
            # One pass, the first character first: nearly every text is let through at once.
            risky = [
                type(v) is str and v[:1] in RISKY_FIRST and neutralise_text(v) is not v
                for v in values
            ]
            if any(risky):
                out.isetitem(i, column.where(~np.array(risky), "'" + column.astype(str)))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM, so Excel reads the Chinese text right."""
    return csvfile.csv_bytes(neutralise(df))


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per entry (sheet name -> rows), neutralised."""
    return xlsx.workbook_bytes({name: neutralise(df) for name, df in sheets.items()})


def file_name(view: str, ext: str, day: date, detail: str = "") -> str:
    """'police-reform_by-province_四川省_2025-01-31.csv': the view, a filter hint and the date."""
    parts = ["police-reform", view, SLUG_UNSAFE.sub("-", detail).strip("-")[:40], day.isoformat()]
    return "_".join(p for p in parts if p) + "." + ext.lstrip(".")


def dictionary(columns: Sequence[str], lang: str = "en") -> pd.DataFrame:
    """The data dictionary of claim columns: header as written, name, type, meaning."""
    known = [c for c in columns if c in meanings()]
    return pd.DataFrame(
        {
            "column": [column_label(c, lang) if lang else c for c in known],
            "name": known,
            "type": [column_type(c) for c in known],
            "meaning": [meanings()[c] for c in known],
        }
    )


def about_sheet(
    view: str, filters: str, day: date, rows: int, columns: Sequence[str], lang: str
) -> pd.DataFrame:
    """The 说明 sheet: what the file holds, its source and filters, the date, the dictionary."""
    zh = lang == "zh"
    head = pd.DataFrame(
        {
            "column": ["视图", "来源", "筛选条件", "下载日期", "行数", "单位"]
            if zh
            else ["View", "Source", "Filters", "Downloaded", "Rows", "Units"],
            "name": [
                view,
                "各省公安改革报告中的量化指标,每行一条;出处见每行的报告、发布日期与原文链接"
                if zh
                else "Figures quoted in provincial police-reform reports, one per row; each "
                "row names its report, date and link",
                filters or ("无" if zh else "none"),
                day.isoformat(),
                str(rows),
                "数值为基本单位(不按万、亿缩写)"
                if zh
                else "values in base units (not scaled to thousands or millions)",
            ],
            "type": "",
            "meaning": "",
        }
    )
    blank = pd.DataFrame([{"column": "", "name": "", "type": "", "meaning": ""}])
    title = pd.DataFrame(
        [
            {"column": "列名", "name": "字段", "type": "类型", "meaning": "含义"}
            if zh
            else {"column": "Column", "name": "Field", "type": "Type", "meaning": "Meaning"}
        ]
    )
    table = pd.concat([head, blank, title, dictionary(columns, lang)], ignore_index=True)
    table.columns = ["项目", "内容", "", " "] if zh else ["Item", "Value", "", " "]
    return table


def workbook(
    data: pd.DataFrame, view: str, filters: str, day: date, columns: Sequence[str], lang: str
) -> bytes:
    """The xlsx of a download: its data sheet and its 说明 sheet."""
    about = about_sheet(view, filters, day, len(data), columns, lang)
    return xlsx_bytes({DATA_SHEET[lang]: data, ABOUT_SHEET[lang]: about})
