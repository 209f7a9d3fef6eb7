"""Reading a claims CSV fast changes nothing: the same text, types, errors and order."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from board import data, tables
from board.search import TextIndex
from extract.claim import COLUMNS, _typed_column, _typed_values, typed_claims

# One row per tricky cell: (column, cell, its typed value). NaN stands for a missing number.
CELLS = [
    ("value", " 12 ", 12.0),
    ("value", "1e3", 1000.0),
    ("value", "", math.nan),
    ("value", None, math.nan),
    ("value", math.nan, math.nan),
    ("value", "12万", math.nan),
    ("value", "-0.5", -0.5),
    ("year", "2020", 2020),
    ("year", "2020.0", 2020),
    ("year", "2019.6", 2020),
    ("year", " 2021", 2021),
    ("year", "", pd.NA),
    ("year", "NaN", pd.NA),
    ("start", "1e2", 100),
    ("province", " 四川省 ", "四川省"),
    ("province", "北京市\u3000", "北京市"),
    ("city", "", ""),
    ("city", None, ""),
    ("city", math.nan, ""),
    ("metric", "NA", "NA"),
    ("published", "2022", "2022"),
    ("doc_id", "510000", "510000"),
]


def _same(got: object, want: object) -> bool:
    if want is pd.NA or (isinstance(want, float) and math.isnan(want)):
        return bool(pd.isna(got))
    return bool(got == want)


@pytest.mark.parametrize(("column", "cell", "expected"), CELLS)
@pytest.mark.parametrize("categorical", [False, True], ids=["text", "categorical"])
def test_typed_claims_types_each_cell(
    column: str, cell: object, expected: object, categorical: bool
) -> None:
    series = pd.Series([cell, "0", cell], dtype=object)
    frame = pd.DataFrame({column: series.astype("category") if categorical else series})
    typed = typed_claims(frame)
    assert list(typed.columns) == list(COLUMNS)
    assert _same(typed[column].iloc[0], expected) and _same(typed[column].iloc[2], expected)


# Columns of mixed cells: a categorical column types exactly as the same cells as text.
MIXED = [
    [" 12 ", "1e3", "", None, math.nan, "2020.6", "x", "12", "1.0", "NaN", "-0", "2019"],
    ["1", "2", "2", "1"],
    ["9007199254740993", "1"],
    [" a", "b\u3000", "\xa0", "", "a"],
]


@pytest.mark.parametrize("cells", MIXED)
@pytest.mark.parametrize("column", ["value", "year", "unit", "reviewed"])
@pytest.mark.parametrize("strip", [True, False])
def test_categories_type_like_their_cells(cells: list, column: str, strip: bool) -> None:
    series = pd.Series(cells, dtype=object)
    pd.testing.assert_series_equal(
        _typed_column(column, series.astype("category"), strip),
        _typed_values(column, series, strip),
    )


HEADER = "doc_id,claim_id,raw,value,city,sentence\n"
# One row per file: how it is written, and what reading it must give (pandas' own result).
FILES = {
    "bom": "\ufeff" + HEADER + "d,d:1-2,12,12.0,,一句\n",
    "no bom": HEADER + "d,d:1-2,12,12.0,,一句\n",
    "quoted newline and quote": HEADER + 'd,d:1-2,12,12.0,,"第一行\n第二行, ""引号"""\n',
    "crlf": HEADER.replace("\n", "\r\n") + "d,d:1-2,12,12.0,成都市,s\r\n",
    "blank lines": HEADER + "\nd,d:1-2,12,12.0,,s\n\n",
    "spaces kept": HEADER + "d , d:1-2, 12 ,12.0, 成都市 ,s \n",
    "codes stay text": HEADER + "510000,d:1-2,007,1e3,NA,NaN\n",
    "header only": HEADER,
    "short row": HEADER + "d,d:1-2,12\n",
    "repeated header name": "a,a,b\n1,2,3\n",
    "empty header name": "a,,b\n1,2,3\n",
    "more fields than header": "a,b\n1,2,3\n",
    "many rows, few values": HEADER + "d,d:1-2,12,12.0,,s\n" * 50,
}
BROKEN = {
    "empty file": (b"", pd.errors.EmptyDataError),
    "not utf-8": (HEADER.encode() + "d,d,12,1,成都,s\n".encode("gbk"), UnicodeDecodeError),
    "too many fields": ((HEADER + "d,d,1,1,c,s\nd,d,1,1,c,s,extra,more\n").encode(), Exception),
}


@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_read_text_csv_reads_like_pandas(text: str, tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(text.encode("utf-8"))
    expected = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    got = data.read_text_csv(path)
    pd.testing.assert_frame_equal(got.astype(object), expected.astype(object))


@pytest.mark.parametrize(("raw", "error"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_gives_the_error_pandas_gives(
    raw: bytes, error: type[Exception], tmp_path: Path
) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(raw)
    with pytest.raises(error) as expected:
        pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    with pytest.raises(type(expected.value), match=str(expected.value)[:40] or None):
        data.read_text_csv(path)


def test_gbt_order_of_categories_is_the_order_of_text() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(
        {
            "province": rng.choice(["全国", "四川省", "北京市", "海南省", "外国"], 400),
            "city": rng.choice(["", "成都市", "绵阳市", "三亚市"], 400),
            "doc_id": rng.choice(["b", "a", "c10", "c9"], 400),
            "year": pd.array(rng.choice([2019, 2020, None], 400), dtype="Int64"),
            "start": pd.array(rng.integers(0, 50, 400), dtype="Int64"),
        }
    )
    provinces = ["北京市", "四川省", "海南省"]
    as_text = tables.gbt_order(frame, provinces)
    coded = frame.astype({"province": "category", "city": "category", "doc_id": "category"})
    # Categories in another order than sorted (as after a filter or a merge) sort the same.
    coded["doc_id"] = coded["doc_id"].cat.reorder_categories(["c9", "b", "c10", "a"])
    assert as_text.index.tolist() == tables.gbt_order(coded, provinces).index.tolist()
    assert as_text["province"].iloc[0] == "全国"


@pytest.mark.parametrize(
    "texts",
    [[], ["a"], ["AB", "c\nD", "x"], ["İstanbul", "B"], ["", ""], ["ΑΣ", "Σ b"], ["a", 12]],
)
def test_text_index_is_the_rows_lowered_and_joined(texts: list) -> None:
    parts = [str(t).replace("\n", " ").lower() for t in texts]
    index = TextIndex(texts)
    assert index.text == "\n".join(parts) and index.size == len(texts)
    assert index.starts.tolist() == [sum(len(p) + 1 for p in parts[:i]) for i in range(len(parts))]
    saved = TextIndex.from_text(index.text, index.size)
    assert saved is not None and saved.starts.tolist() == index.starts.tolist()
    assert TextIndex.from_text(index.text + "\n", index.size) is None  # a row too many


@pytest.mark.parametrize("name", ["bom", "quoted newline and quote", "crlf", "header only"])
def test_a_well_formed_file_needs_no_pandas_parser(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(FILES[name].encode("utf-8"))
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: pytest.fail("pandas parsed the file"))
    assert list(data.read_text_csv(path).columns) == HEADER.strip().split(",")
