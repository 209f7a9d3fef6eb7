"""Loading claims and the synthetic dataset."""

import pandas as pd
import pytest

from board import data
from board.sample import synthetic_claims
from extract.claim import CATEGORIES, COLUMNS, KINDS

CSV = (
    "\ufeffdoc_id,claim_id,raw,value,unit,kind,direction,approx,metric,year,period_start,province,"
    "city,category,sentence,start,end,indicator,title,published,source,publisher\n"
    "d,d:1-2,610.24万余名,6102400.0,人,count,,over,落户,2023,2019,四川省,,services,"
    '"共有610.24万余名,落户",1,2,,T,2024-05-29,S,P\n'
    "d,d:3-4,12,,,count,,exact,NA,,,四川省,,crime,s,3,4,,T,2022,S,P\n"
)


def test_load_claims_keeps_text_as_text(tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    df = data.load_claims(path)
    assert list(df.columns) == list(COLUMNS)
    first, second = df.iloc[0], df.iloc[1]
    assert (first["value"], first["year"], first["start"], first["city"]) == (
        6102400.0,
        2023,
        1,
        "",
    )
    assert second["metric"] == "NA" and second["published"] == "2022"  # not NaN, not a number
    assert pd.isna(second["value"]) and pd.isna(second["year"])
    assert str(df["year"].dtype) == "Int64" and df["value"].dtype == "float64"


def test_load_dataset_falls_back_to_synthetic(tmp_path, monkeypatch):
    monkeypatch.setenv(data.CLAIMS_ENV, str(tmp_path / "missing.csv"))
    df, synthetic = data.load_dataset(sample_size=40)
    assert synthetic and len(df) == 40


def test_load_dataset_reads_the_env_path(tmp_path, monkeypatch):
    path = tmp_path / "claims.csv"
    path.write_text(CSV, encoding="utf-8")
    monkeypatch.setenv(data.CLAIMS_ENV, str(path))
    df, synthetic = data.load_dataset()
    assert not synthetic and len(df) == 2


@pytest.mark.parametrize(("n", "seed"), [(1, 0), (45, 1), (300, 7)])
def test_synthetic_claims_look_like_the_dataset(n, seed):
    df = synthetic_claims(n, seed)
    assert len(df) == n and list(df.columns) == list(COLUMNS)
    assert df["claim_id"].is_unique
    assert set(df["category"]) <= set(CATEGORIES) and set(df["kind"]) <= set(KINDS)
    assert all(raw in sentence for raw, sentence in zip(df["raw"], df["sentence"], strict=True))
    assert (df["end"] - df["start"]).tolist() == df["raw"].str.len().tolist()
    assert (df["period_start"] <= df["year"]).all()
    # A decrease is negative; a level is not.
    assert (df.loc[df["direction"] == "down", "value"] < 0).all()
    assert (df.loc[df["kind"] == "count", "value"] > 0).all()


def test_synthetic_claims_are_reproducible():
    pd.testing.assert_frame_equal(synthetic_claims(60, 5), synthetic_claims(60, 5))
    assert not synthetic_claims(60, 5).equals(synthetic_claims(60, 6))


def test_report_text_comes_from_the_store_then_seeds(tmp_path, monkeypatch):
    import store

    monkeypatch.setenv(store.DB_ENV, str(tmp_path / "claims.sqlite"))
    text = "全市新建警务室36个。"
    with store.opened() as conn:
        store.add_report(
            conn,
            {
                "doc_id": "upload_1",
                "text": text,
                "title": "上传的报告",
                "sha256": "f" * 64,
                "origin": "upload",
            },
            [],
        )
    assert data.report_text("upload_1") == text
    assert data.report_text("000_d2ab64f43d8cd3ad").startswith("新闻热线")
    assert data.report_text("no_such_report") is None


def test_dataset_version_changes_when_the_store_is_written(tmp_path, monkeypatch):
    import store

    monkeypatch.setenv(store.DB_ENV, str(tmp_path / "claims.sqlite"))
    with store.opened():
        pass
    before = data.dataset_version()
    import time

    time.sleep(0.01)
    with store.opened() as conn:
        store.add_report(
            conn,
            {
                "doc_id": "upload_2",
                "text": "新建警务室3个。",
                "sha256": "e" * 64,
                "origin": "upload",
            },
            [],
        )
    assert data.dataset_version() != before


def test_another_claims_file_is_versioned_without_the_store(tmp_path, monkeypatch):
    import store

    claims = tmp_path / "claims.csv"
    claims.write_text("doc_id,claim_id\n", encoding="utf-8")
    monkeypatch.setenv(data.CLAIMS_ENV, str(claims))
    monkeypatch.setenv(store.DB_ENV, str(tmp_path / "never.sqlite"))
    assert data.dataset_version() == (claims.stat().st_mtime, "")
    assert not (tmp_path / "never.sqlite").exists()
