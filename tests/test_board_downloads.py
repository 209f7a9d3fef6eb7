"""Downloads: CSV with BOM and xlsx, neutralised against formula injection, numbers kept."""

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from board import downloads
from board.data import load_claims
from board.sample import synthetic_claims


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+86 28", "'+86 28"),
        ("-5%", "'-5%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("610.24万余名", "610.24万余名"),
        ("a=b", "a=b"),
        ("", ""),
        (-97.6, -97.6),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise_text(value, expected):
    assert downloads.neutralise_text(value) == expected


FRAME = pd.DataFrame(
    {
        "metric": ['=HYPERLINK("http://x")', "农业转移人口落户城镇"],
        "value": [-97.6, 6102400.0],
        "year": pd.array([2023, None], dtype="Int64"),
        "sentence": ["-下降97.6%", "全省共有610.24万余名\x07农业转移人口"],
    }
)


def test_csv_has_bom_neutralised_text_and_plain_numbers():
    data = downloads.csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["metric"].tolist() == ['\'=HYPERLINK("http://x")', "农业转移人口落户城镇"]
    assert back["value"].tolist() == [-97.6, 6102400.0]
    assert back["sentence"][0] == "'-下降97.6%"
    assert back["year"].tolist()[0] == 2023


def test_xlsx_sheets_keep_numbers_and_never_hold_formulas():
    data = downloads.xlsx_bytes(
        {"data": FRAME, "about": pd.DataFrame({"field": ["view"], "value": ["=x"]})}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["data", "about"]
    rows = list(book["data"].iter_rows(values_only=True))
    assert rows[0] == ("metric", "value", "year", "sentence")
    assert rows[1][:3] == ('\'=HYPERLINK("http://x")', -97.6, 2023)
    assert rows[2][1:3] == (6102400, None)
    assert rows[2][3] == "全省共有610.24万余名农业转移人口"  # control character dropped
    cells = [c for row in book["data"].iter_rows() for c in row] + [
        c for row in book["about"].iter_rows() for c in row
    ]
    assert all(c.data_type != "f" for c in cells)


def test_claims_survive_a_csv_round_trip(tmp_path):
    df = synthetic_claims(50, seed=3)
    path = tmp_path / "claims.csv"
    path.write_bytes(downloads.csv_bytes(df))
    back = load_claims(path)
    # Only text that starts like a formula changes (the synthetic data has none).
    pd.testing.assert_frame_equal(back, df)


@pytest.mark.parametrize(
    ("view", "ext", "detail", "expected"),
    [
        ("by-province", "csv", "", "police-reform_by-province_2025-01-31.csv"),
        (
            "by-province",
            ".xlsx",
            "四川省-吉林省",
            "police-reform_by-province_四川省-吉林省_2025-01-31.xlsx",
        ),
        ("claims", "csv", "a/b\\c:d", "police-reform_claims_a-b-c-d_2025-01-31.csv"),
    ],
)
def test_file_name(view, ext, detail, expected):
    assert downloads.file_name(view, ext, date(2025, 1, 31), detail) == expected


def test_about_sheet_lists_the_filters():
    about = downloads.about_sheet(
        "by-year", {"province": ["四川省", "吉林省"], "y": ["2015-2020"]}, date(2025, 1, 31)
    )
    values = dict(zip(about["field"], about["value"], strict=True))
    assert values["filters"] == "province=四川省,吉林省; y=2015-2020"
    assert values["view"] == "by-year" and values["downloaded"] == "2025-01-31"
