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
        ("＝1+1", "'＝1+1"),  # full-width forms are formulas to Excel and WPS too
        ("＋86", "'＋86"),
        ("－5", "'－5"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        (" =1", "' =1"),  # a leading space does not hide one
        ("\u3000＝1", "'\u3000＝1"),
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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_workbook_has_data_and_about_sheets(lang):
    data = downloads.workbook(
        FRAME, "by-year", "province=四川省", date(2025, 1, 31), ["metric", "value", "year"], lang
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet, about = (book[downloads.DATA_SHEET[lang]], book[downloads.ABOUT_SHEET[lang]])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["C"].width
    text = [str(v) for row in about.iter_rows(values_only=True) for v in row if v]
    assert "province=四川省" in text and "2025-01-31" in text and "3" not in text[:0]
    assert {"metric", "value", "year"} <= set(text)  # the column dictionary
    assert any("base units" in t or "基本单位" in t for t in text)


def test_a_hundred_thousand_rows_stay_numbers():
    df = synthetic_claims(2000, seed=1)
    book = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes({"d": df})), read_only=True)
    rows = list(book["d"].iter_rows(values_only=True))
    assert len(rows) == len(df) + 1
    assert [r[list(df.columns).index("value")] for r in rows[1:6]] == df["value"][:5].tolist()
    assert [r[1] for r in rows[1:6]] == df["claim_id"][:5].tolist()


def test_the_cli_and_zip_exports_use_the_same_neutralising_writer():
    from extract.claim import typed_claims
    from store import export

    frame = typed_claims(
        pd.DataFrame(
            {
                "metric": ["=1+1", "＋86", "落户"],
                "value": [-14.5, 2.0, 3.0],
                "sentence": ["", "", ""],
            }
        )
    )
    files = export._files(frame)
    back = pd.read_csv(io.BytesIO(files["claims.csv"]), encoding="utf-8-sig", dtype=str)
    assert back["metric"].tolist() == ["'=1+1", "'＋86", "落户"]
    assert back["value"].tolist() == ["-14.5", "2.0", "3.0"]  # numbers stay numbers
    assert files["claims.csv"] == downloads.csv_bytes(frame)
