"""Compare view: table-driven tests of its shaping functions, and the view driven by AppTest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from board import compare
from board.data import CLAIMS_ENV, normalise
from board.regions import load_regions
from extract.indicators import catalogue

ROOT = Path(__file__).resolve().parent.parent
IND = catalogue()["data_records"]


def claim(n: int, **fields) -> dict:
    """A claim row: data records of Jilin in 2014 unless `fields` say otherwise."""
    row = {
        "doc_id": f"d{n}",
        "claim_id": f"d{n}:{n}-{n + 4}",
        "raw": f"{n}亿条",
        "value": n * 1e8,
        "unit": "条",
        "kind": "amount",
        "metric": "信息拥有量",
        "year": 2014,
        "period_start": 2014,
        "province": "吉林省",
        "city": "",
        "sentence": f"信息拥有量达到{n}亿条。",
        "start": n,
        "end": n + 4,
        "indicator": "data_records",
        "title": f"报告{n}",
        "published": "2015-06-09",
    }
    return row | fields


def frame(*rows: dict) -> pd.DataFrame:
    return normalise(pd.DataFrame(list(rows)))


ORDER = ["吉林省", "山东省", "四川省"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], []),
        ([claim(1)], [("data_records", 1, 1)]),
        # Most regions first; ties keep the catalogue order.
        (
            [
                claim(1, indicator="video_cameras"),
                claim(2),
                claim(3, province="山东省", city="济宁市"),
                claim(4),
            ],
            [("data_records", 2, 3), ("video_cameras", 1, 1)],
        ),
        ([claim(1, indicator=""), claim(2, value=None)], []),
    ],
)
def test_indicator_counts(rows, expected) -> None:
    df = frame(*rows) if rows else frame(claim(0, indicator=""))
    assert compare.indicator_counts(df, list(catalogue())) == expected


@pytest.mark.parametrize(
    ("province", "city", "key"),
    [("四川省", "", "四川省"), ("四川省", "攀枝花市", "四川省 · 攀枝花市")],
)
def test_region_key(province, city, key) -> None:
    assert compare.region_key(province, city) == key


def test_indicator_rows_keep_provenance_in_region_order() -> None:
    df = frame(
        claim(1, province="四川省"),
        claim(2, province="山东省", city="济宁市"),
        claim(3, indicator="video_cameras"),
        claim(4, value=None),
        claim(5, year=2013),
        claim(6, province="四川省", city="攀枝花市"),
    )
    rows = compare.indicator_rows(df, "data_records", ORDER)
    assert rows["claim_id"].tolist() == ["d5:5-9", "d2:2-6", "d1:1-5", "d6:6-10"]
    assert rows["region"].tolist() == ["吉林省", "山东省 · 济宁市", "四川省", "四川省 · 攀枝花市"]
    assert {"sentence", "title", "published", "raw", "start", "end"} <= set(rows.columns)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # The latest year of each region, each claim of it (never summed).
        (
            [
                claim(1, year=2013),
                claim(2),
                claim(3),
                claim(4, province="山东省", year=2022, period_start=2022),
            ],
            [
                ("吉林省", "d2", "2014 2亿条"),
                ("吉林省", "d3", "2014 3亿条"),
                ("山东省", "d4", "2022 4亿条"),
            ],
        ),
        # A claim without a year is not placed in time.
        ([claim(1, year=None), claim(2, year=2012)], [("吉林省", "d2", "2012 2亿条")]),
        # Same raw twice in one year: labels stay unique; a period shows its span.
        (
            [claim(1, raw="5亿条"), claim(2, raw="5亿条", period_start=2012)],
            [("吉林省", "d1", "2014 5亿条"), ("吉林省", "d2", "2012–2014 5亿条")],
        ),
        (
            [claim(1, raw="5亿条"), claim(2, raw="5亿条")],
            [("吉林省", "d1", "2014 5亿条"), ("吉林省", "d2", "2014 5亿条 (2)")],
        ),
    ],
)
def test_latest_by_region(rows, expected) -> None:
    latest = compare.latest_by_region(compare.indicator_rows(frame(*rows), "data_records", ORDER))
    assert list(zip(latest["region"], latest["doc_id"], latest["label"], strict=True)) == expected


def test_year_series_orders_regions_then_years() -> None:
    df = frame(
        claim(1, year=2015),
        claim(2, province="山东省", year=2020),
        claim(3, year=2013),
        claim(4, year=None),
    )
    series = compare.year_series(compare.indicator_rows(df, "data_records", ORDER))
    assert series["doc_id"].tolist() == ["d3", "d1", "d2"]


@pytest.mark.parametrize(
    ("year", "start", "label"),
    [(2023, 2019, "2019–2023"), (2023, 2023, "2023"), (2023, None, "2023"), (None, None, "")],
)
def test_period_label(year, start, label) -> None:
    year = pd.NA if year is None else year
    start = pd.NA if start is None else start
    assert compare.period_label(year, start) == label


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", {"吉林省": "吉林省", "山东省 · 济宁市": "山东省 · 济宁市"}),
        ("en", {"吉林省": "Jilin", "山东省 · 济宁市": "Shandong · Jining"}),
    ],
)
def test_region_labels(lang, expected) -> None:
    assert compare.region_labels(list(expected), load_regions(), lang) == expected


def test_hover_traces_the_figure_to_its_report() -> None:
    row = claim(7, sentence="<b>信息</b>拥有量达到7亿条。" * 3, title="A & B")
    text = compare.hover_text(row, "吉林省", "zh")
    assert "<b>7亿条</b>" in text and "信息拥有量" in text and "2015-06-09" in text
    assert "A &amp; B" in text and "&lt;b&gt;信息" in text and "<b>信息" not in text
    assert text.count("<br>") >= 4  # region, figure, report, then the sentence in lines


def test_bar_figure_has_one_bar_per_claim_with_its_id() -> None:
    rows = compare.indicator_rows(
        frame(claim(1), claim(2), claim(3, province="山东省", city="济宁市")), "data_records", ORDER
    )
    latest = compare.latest_by_region(rows)
    labels = compare.region_labels(rows["region"].unique(), load_regions(), "en")
    fig = compare.bar_figure(latest, labels, IND, "en", "t")
    bar = fig.data[0]
    assert list(bar.x[0]) == ["Jilin", "Jilin", "Shandong · Jining"]
    assert list(bar.customdata) == ["d1:1-5", "d2:2-6", "d3:3-7"]
    assert list(bar.y) == [1e8, 2e8, 3e8] and "3亿条" in bar.hovertext[2]


@pytest.mark.parametrize(
    ("rows", "modes"),
    [
        ([claim(1, year=2013), claim(2)], ["lines+markers"]),
        ([claim(1), claim(2)], ["markers"]),  # two claims in one year: no line between them
        ([claim(1), claim(2, province="山东省")], ["lines+markers", "lines+markers"]),
    ],
)
def test_year_figure_one_trace_per_region(rows, modes) -> None:
    series = compare.year_series(compare.indicator_rows(frame(*rows), "data_records", ORDER))
    fig = compare.year_figure(series, {}, IND, "zh", "t")
    assert [trace.mode for trace in fig.data] == modes


def test_table_view_localises_headers_and_regions() -> None:
    rows = compare.indicator_rows(frame(claim(1)), "data_records", ORDER)
    table = compare.table_view(rows, {"吉林省": "Jilin"}, "en")
    assert list(table.columns[:3]) == ["Region", "Year", "From year"]
    assert table.iloc[0]["Region"] == "Jilin" and table.iloc[0]["Sentence"].startswith("信息")


# The view itself, on the bundled dataset.


def _view(path: str, lang: str) -> None:
    from board.compare import render_compare
    from board.data import load_claims

    render_compare(load_claims(path), lang)


@pytest.fixture(scope="module")
def claims_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("compare") / "claims.csv"
    shutil.copy(ROOT / "data" / "claims.csv", path)
    return str(path)


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize(("lang", "jilin"), [("zh", "吉林省"), ("en", "Jilin")])
def test_selecting_an_indicator_shows_its_regions(claims_path, lang, jilin) -> None:
    at = AppTest.from_function(_view, args=(claims_path, lang), default_timeout=30).run()
    assert not at.exception
    at.selectbox(key="w_indicator").set_value("data_records").run()
    assert not at.exception
    bars, years = _specs(at)
    bar = bars["data"][0]
    assert bar["x"][0][0] == jilin and len(bar["x"][0]) == 2
    assert any("387.5亿条" in text for text in bar["hovertext"])
    assert {t["name"] for t in years["data"]} >= {jilin}
    table = at.dataframe[0].value
    assert len(table) == 2 and table.iloc[0, 4] == "387.5亿条"
    assert len(at.get("download_button")) == 2


def test_the_dashboard_has_the_compare_tab(claims_path, monkeypatch) -> None:
    monkeypatch.setenv(CLAIMS_ENV, claims_path)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update({"tab": "compare"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_indicator").value in catalogue()
    assert len(_specs(at)) == 2
