"""The column-by-column file writers: CSV byte for byte as pandas writes it, xlsx cells as
openpyxl reads them, the same files whatever the block sizes, formula-like text neutralised."""

import io
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from board import cells, csvfile, downloads, xlsx

NA = pd.NA

# One row per column shape: the name of the case and the column's values.
CSV_COLUMNS = [
    ("plain text", pd.Series(["省公安厅", "派出所", "省公安厅"])),
    ("comma, quote, line breaks", pd.Series(["a,b", 'say "hi"', "l1\nl2", "l1\r\nl2", "cr\r"])),
    ("empty and missing text", pd.Series(["", None, np.nan, "x", ""], dtype=object)),
    ("leading spaces and NUL", pd.Series([" a", "\u3000b", "x\x00y"])),
    ("floats", pd.Series([1.5, np.nan, np.inf, -0.0, 0.0, 1e16, 0.1 + 0.2, 1e-5, -97.6])),
    ("whole floats", pd.Series([2023.0, 6102400.0, np.nan])),
    ("ints", pd.Series([1, -2, 30000000000])),
    ("nullable ints", pd.array([2023, None, 7], dtype="Int64")),
    ("nullable floats", pd.array([1.25, None, -0.0], dtype="Float64")),
    ("booleans", pd.Series([True, False, True])),
    ("nullable booleans", pd.array([True, None, False], dtype="boolean")),
    ("categories", pd.Categorical(["b,c", None, "a", "b,c", ""])),
    ("string dtype", pd.array(["x", None, 'q"'], dtype="string")),
    ("dates (pandas writes them)", pd.to_datetime(["2024-01-31", None, "2025-06-01"])),
    ("numbers held as objects", pd.Series([1, "1", 1.0, np.float64(2.5), None], dtype=object)),
]


@pytest.mark.parametrize(("case", "values"), CSV_COLUMNS, ids=[c for c, _ in CSV_COLUMNS])
def test_csv_is_what_pandas_writes(case, values):
    df = pd.DataFrame({"text, header": ["k"] * len(values), case: values})
    expected = df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    assert csvfile.csv_bytes(df) == expected


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"only": ["", "a"]}),  # the csv module quotes a lone empty field
        pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=float)}),
        pd.DataFrame(),
    ],
)
def test_csv_of_edge_frames_is_what_pandas_writes(df):
    expected = df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    assert csvfile.csv_bytes(df) == expected


def _frame(rows: int) -> pd.DataFrame:
    """A frame of every column shape, long enough to span several small blocks."""
    columns = {case: pd.Series(values) for case, values in CSV_COLUMNS[:13]}
    frame = pd.DataFrame({k: v.reindex(range(5)) for k, v in columns.items()})
    frame = pd.concat([frame] * (rows // 5), ignore_index=True)
    # Texts nearly all distinct (each row its own), some missing: made block by block.
    return frame.assign(distinct=[f"第{i}条,<{i}>" if i % 7 else None for i in range(len(frame))])


def test_files_do_not_depend_on_the_block_size(monkeypatch):
    df = _frame(40)
    csv_whole, xlsx_whole = csvfile.csv_bytes(df), _members(xlsx.workbook_bytes({"d": df}))
    monkeypatch.setattr(cells, "ROW_BATCH", 3)
    monkeypatch.setattr(xlsx, "STRING_BATCH", 2)
    assert csvfile.csv_bytes(df) == csv_whole
    assert _members(xlsx.workbook_bytes({"d": df})) == xlsx_whole


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


# One row per column: its values and what openpyxl reads back from the neutralised xlsx.
XLSX_CELLS = [
    (["<&>", "a\x07b", "x\x1fy\ufffe"], ["<&>", "ab", "xy"]),  # markup escaped, illegal dropped
    (["\ue000joined", "plain"], ["\ue000joined", "plain"]),  # the escaping separator itself
    (["=1+1", " ＝1", "-5%", "a=b"], ["'=1+1", "' ＝1", "'-5%", "a=b"]),
    (["", None, np.nan, "x"], [None, None, None, "x"]),
    (["=a"] * 8 + [None], ["'=a"] * 8 + [None]),  # few distinct texts: cells made once
    ([1.5, np.nan, np.inf, -97.6], [1.5, None, None, -97.6]),
    ([2023.0, 6102400.0, np.nan], [2023, 6102400, None]),  # whole numbers stay whole
    (pd.array([2023, None], dtype="Int64"), [2023, None]),
    ([True, False], [1, 0]),
    (pd.Categorical(["=x", None, "b", "=x"]), ["'=x", None, "b", "'=x"]),
    ([1, "=2", None], ["1", "'=2", None]),  # a number among text is written as text
]


@pytest.mark.parametrize(("values", "expected"), XLSX_CELLS)
def test_xlsx_cells_read_back(values, expected):
    df = pd.DataFrame({"key": range(len(expected)), "column": values})
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes({"d": df})))
    assert [r[1] for r in book["d"].iter_rows(min_row=2, values_only=True)] == expected


def test_a_column_is_whole_or_not_over_all_its_blocks(monkeypatch):
    monkeypatch.setattr(cells, "ROW_BATCH", 2)
    df = pd.DataFrame({"value": [1.0, 2.0, 2.5]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes({"d": df})))
    values = [r[0] for r in book["d"].iter_rows(min_row=2, values_only=True)]
    assert values == [1.0, 2.0, 2.5] and all(type(v) is float for v in values)


def test_a_text_in_two_columns_and_two_sheets_is_one_shared_string():
    df = pd.DataFrame({"a": pd.Categorical(["四川省", "吉林省"]), "b": ["四川省", "x"]})
    sst = _members(xlsx.workbook_bytes({"d": df, "e": df}))["xl/sharedStrings.xml"].decode()
    assert 'uniqueCount="3"' in sst and sst.count("四川省") == 1


# One row per column: values in, values out of neutralise (None for a missing value).
NEUTRALISED = [
    (["=a", "b", None], ["'=a", "b", None]),
    (["=a", "'=a"], ["'=a", "'=a"]),  # a neutralised text may equal another
    (pd.Categorical(["=a", "b", None]), ["'=a", "b", None]),
    (pd.Categorical(["=a", "'=a"]), ["'=a", "'=a"]),
    (pd.array(["+1", NA], dtype="string"), ["'+1", None]),
    ([1, "@x", 2.5], [1, "'@x", 2.5]),
]


@pytest.mark.parametrize(("values", "expected"), NEUTRALISED)
def test_neutralise_columns(values, expected):
    out = downloads.neutralise(pd.DataFrame({"c": values, "n": range(len(expected))}))
    column = out["c"].astype(object)
    assert column.where(column.notna(), None).tolist() == expected
    assert out["n"].tolist() == list(range(len(expected)))  # numbers untouched
