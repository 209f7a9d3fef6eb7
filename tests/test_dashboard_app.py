"""The dashboard driven through its widgets with Streamlit's AppTest."""

import base64
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app import heap
from board import downloads
from board.data import CLAIMS_ENV, load_claims
from board.filters import MODES, Filters, apply_filters
from board.regions import groups_of, load_regions
from board.sample import synthetic_claims

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
# A real claim of a seed report, so the source panel can show it in the report's text.
SEED_CLAIM = {
    "doc_id": "000_d2ab64f43d8cd3ad",
    "claim_id": "000_d2ab64f43d8cd3ad:345-354",
    "raw": "610.24万余名",
    "value": 6102400.0,
    "unit": "人",
    "kind": "count",
    "approx": "over",
    "metric": "农业转移人口落户城镇",
    "year": 2023,
    "period_start": 2019,
    "province": "四川省",
    "category": "services",
    "sentence": "2019年至2023年,全省共有610.24万余名农业转移人口落户城镇。",
    "start": 345,
    "end": 354,
    "title": "5年来,四川公安“改革强警、科技兴警”成效显著",
    "published": "2024-05-29",
    "source": "四川经济网",
    "publisher": "四川经济网",
}


@pytest.fixture(scope="module")
def claims_csv(tmp_path_factory):
    """A fixed dataset for the app: 400 synthetic claims and one real one."""
    df = pd.concat([synthetic_claims(400, seed=11), pd.DataFrame([SEED_CLAIM])], ignore_index=True)
    path = tmp_path_factory.mktemp("data") / "claims.csv"
    path.write_bytes(downloads.csv_bytes(df.fillna({"direction": "", "city": "", "indicator": ""})))
    old = os.environ.get(CLAIMS_ENV)
    os.environ[CLAIMS_ENV] = str(path)
    yield load_claims(path)
    if old is None:
        os.environ.pop(CLAIMS_ENV, None)
    else:
        os.environ[CLAIMS_ENV] = old


def run_app(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, at.exception[0].value
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def array(value) -> list:
    """A trace array from a chart spec (plotly sends numeric arrays base64-encoded)."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape") or len(arr)).split(",")]
        return arr.reshape(shape).tolist()
    return list(value)


def bar_total(spec: dict) -> int:
    return int(sum(sum(array(t["y"])) for t in spec["data"] if t["type"] == "bar"))


def expected(df: pd.DataFrame, **filters) -> pd.DataFrame:
    return apply_filters(df, Filters(**filters), groups_of(load_regions()))


def glance(at: AppTest) -> str:
    return next(c.value for c in at.caption if "条数据" in c.value or "figures" in c.value)


def test_opens_on_the_indicator_comparison(claims_csv):
    at = run_app()
    assert at.title[0].value == "各省公安改革成效指标对比"
    ind = at.selectbox(key="w_indicator").value
    bars, years = chart_specs(at)
    drawn = set(bars["data"][0]["customdata"])
    rows = claims_csv[claims_csv["indicator"] == ind]
    assert drawn and drawn <= set(rows["claim_id"])  # one indicator only
    # Like with like: annual, province-level figures only; the national one is the line.
    chosen = rows[rows["claim_id"].isin(drawn)]
    assert (chosen["city"] == "").all() and (chosen["period_start"] == chosen["year"]).all()
    assert "全国" not in set(chosen["province"])
    assert any("未显示" in c.value for c in at.caption)
    assert at.query_params["indicator"] == ind
    assert [b.label for b in at.download_button] == ["下载 CSV", "下载 Excel"]


def test_province_filter_updates_the_chart_and_url(claims_csv):
    at = run_app({"tab": "coverage"})
    at.multiselect(key="w_province").set_value(["天津市", "四川省"]).run()
    at.segmented_control(key="w_coverage").set_value("province").run()
    rows = expected(claims_csv, provinces=("天津市", "四川省"))
    assert f"{len(rows):,} 条数据" in glance(at)
    [spec] = chart_specs(at)
    assert bar_total(spec) == len(rows)
    assert spec["layout"]["xaxis"]["categoryarray"] == ["天津市", "四川省"]  # GB/T code order
    assert at.query_params["province"] == ["天津市", "四川省"]
    assert at.query_params["tab"] == "coverage"


def test_url_restores_filters_tab_language_and_indicator(claims_csv):
    rows = expected(claims_csv, provinces=("天津市",), years=(2015, 2020))
    ind = rows.loc[rows["indicator"] != "", "indicator"].value_counts().index[-1]
    params = {
        "province": ["天津市", "火星省"],
        "y": "2015-2020",
        "tab": "year",
        "lang": "en",
        "indicator": ind,
        "all": "1",
    }
    at = run_app(params)
    assert at.multiselect(key="w_province").value == ["天津市"]  # unknown names are dropped
    assert at.slider(key="w_years").value == (2015, 2020)
    assert at.toggle(key="w_en").value is True
    assert at.selectbox(key="w_indicator").value == ind
    assert at.title[0].value == "Police reform metrics across Chinese provinces"
    rows = rows[rows["indicator"] == ind]
    [spec] = chart_specs(at)
    assert sorted(spec["data"][0]["customdata"]) == sorted(rows["claim_id"])
    assert spec["data"][0]["marker"]["colorbar"]["ticktext"]  # coloured by value, a legend


def test_language_switch_keeps_the_open_tab(claims_csv):
    at = run_app({"tab": "map"})
    at.toggle(key="w_en").set_value(True).run()
    assert at.session_state["w_tab"] == "Map"
    assert at.query_params["lang"] == "en" and at.query_params["tab"] == "map"
    [spec] = chart_specs(at)
    assert "latest comparable figure of each region" in spec["layout"]["title"]["text"]
    assert spec["data"][1]["colorbar"]["ticktext"]  # the map's legend of values


def test_filters_that_match_nothing_show_an_empty_state(claims_csv):
    at = run_app()
    at.text_input(key="w_q").input("没有这个指标").run()
    assert [i.value for i in at.info] == ["当前筛选条件下没有数据。请放宽筛选条件。"]
    assert chart_specs(at) == []


@pytest.mark.parametrize("tab", ["province", "year", "category"])
def test_value_mode_draws_one_indicator(claims_csv, tab):
    at = run_app({"tab": tab, "indicator": "legal_officers", "all": "1"})
    [spec] = chart_specs(at)
    drawn = spec["data"][0]["customdata"]
    mask = (claims_csv["indicator"] == "legal_officers") & claims_csv["value"].notna()
    rows = claims_csv[mask & claims_csv["year"].notna()]
    assert set(drawn) <= set(rows["claim_id"])
    # One point per region and year: every region-year is drawn, once.
    assert len(drawn) == len(rows.drop_duplicates(["province", "city", "year"]))
    at.segmented_control(key="w_mode").set_value("count").run()
    [spec] = chart_specs(at)
    assert bar_total(spec) == len(claims_csv) - (tab == "year") * claims_csv["year"].isna().sum()
    assert at.query_params["mode"] == "count"


CHART_VIEWS = [
    {},
    {"all": "1"},
    *({"tab": tab, "mode": mode} for tab in ("province", "year", "category") for mode in MODES),
    {"tab": "map"},
    {"tab": "coverage"},
]


@pytest.mark.parametrize("view", CHART_VIEWS, ids=lambda v: "&".join(v.values()) or "compare")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_is_a_valid_plotly_figure(claims_csv, view, lang):
    """The app builds its figures unvalidated, for speed (board/charts.figure): here Plotly
    validates what every view sends, and raises on an unknown property or a bad value."""
    specs = chart_specs(run_app({**view, "lang": lang}))
    assert specs
    for spec in specs:
        go.Figure(spec)
        # Tick labels are not measured on each draw (a third of a value chart's drawing).
        axes = [v for k, v in spec["layout"].items() if k.startswith(("xaxis", "yaxis"))]
        traces = spec["data"]
        bars = [t["marker"]["colorbar"] for t in traces if "colorbar" in t.get("marker", {})]
        bars += [t["colorbar"] for t in traces if "colorbar" in t and t.get("showscale", True)]
        assert all(a.get("ticklabeloverflow") == "allow" for a in axes + bars)
        # Colour scales go as colour lists: plotly.js reads a bare name as its own scale
        # ("Blues" dark to grey, the reverse of plotly.py's).
        scales = [t["colorscale"] for t in traces if "colorscale" in t]
        scales += [t["marker"]["colorscale"] for t in traces if "colorscale" in t.get("marker", {})]
        assert all(isinstance(scale, list) for scale in scales)


def test_table_and_source_of_a_claim(claims_csv):
    at = run_app({"tab": "table", "claim": SEED_CLAIM["claim_id"]})
    table = at.dataframe[0].value
    assert len(table) == len(claims_csv)
    assert list(table.columns[:6]) == ["省份", "城市", "年份", "指标", "数值", "原句"]
    html = "".join(m.value for m in at.markdown)
    assert "<mark>610&#46;24万余名</mark>农业转移人口落户城镇" in html
    assert "深化户籍制度改革" in html  # context from the report, beyond the sentence
    assert "2024&#45;05&#45;29" in html
    close = next(b for b in at.button if b.label == "关闭出处")
    close.click().run()
    assert "<mark>" not in "".join(m.value for m in at.markdown)
    assert "claim" not in at.query_params


def test_clear_filters(claims_csv):
    at = run_app({"cat": "crime", "q": "破获", "tab": "coverage"})
    n = len(expected(claims_csv, categories=("crime",), query="破获"))
    assert f"{n:,} 条数据" in glance(at)
    next(b for b in at.button if b.label == "清除筛选").click().run()
    assert f"{len(claims_csv):,} 条数据" in glance(at)
    assert "cat" not in at.query_params and "q" not in at.query_params


def test_runs_on_the_bundled_dataset(monkeypatch):
    bundled = Path(APP).parent / "data" / "claims.csv"
    if not bundled.exists():
        pytest.skip("data/claims.csv not built yet")
    monkeypatch.delenv(CLAIMS_ENV, raising=False)
    for tab in ("compare", "province", "year", "category", "map", "coverage", "table"):
        at = run_app({"tab": tab})
        assert at.query_params.get("tab") == (None if tab == "compare" else tab)
        assert not any("合成" in c.value for c in at.caption)  # real data, no synthetic notice


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(groups=("东部",)),
        Filters(query="诈骗"),
        Filters(years=(2019, 2022), categories=("crime", "services")),
    ],
    ids=["none", "group", "search", "years+categories"],
)
def test_indicator_rows_cut_from_the_cached_ones_are_those_of_the_filtered_claims(
    claims_csv, filters
):
    """The Compare, map and value views take an indicator's figures from its rows in all
    claims (sorted once, cached) cut to the filtered claims: the same rows, in the same
    order, as found afresh in the filtered claims; their hover boxes, written once and
    kept, are those written afresh."""
    from app import data
    from board import compare, search

    ds, regions = data.dataset(), load_regions()
    order = [p.name for p in regions]
    df = apply_filters(ds.df, filters, groups_of(regions), search.synonyms, ds.text.contains)
    codes = [c for c in df["indicator"].astype(str).unique() if c]
    assert codes
    for code in codes:
        want = compare.indicator_rows(df, code, order)
        got = data.indicator_rows(ds, df, code, order)
        pd.testing.assert_frame_equal(got, want)
        for lang in ("zh", "en"):
            for rows in (got.iloc[::2], got, got.iloc[::-3]):  # some written, then all
                fresh = compare.with_hover(rows, regions, lang)
                pd.testing.assert_frame_equal(data.with_hover(ds, code, rows, lang), fresh)


def test_indicator_rows_of_a_dataset_not_indexed_by_position_are_found_afresh(claims_csv):
    """Claims whose index labels are not row positions cannot be cut from the cached rows,
    nor their hover boxes kept by position: both are found afresh."""
    from app import data
    from board import compare

    ds, regions = data.dataset(), load_regions()
    order = [p.name for p in regions]
    shifted = ds._replace(df=ds.df.set_axis(ds.df.index + 1))
    code = next(c for c in ds.df["indicator"].astype(str).unique() if c)
    want = compare.indicator_rows(shifted.df, code, order)
    got = data.indicator_rows(shifted, shifted.df, code, order)
    pd.testing.assert_frame_equal(got, want)
    for lang in ("zh", "en"):
        boxes = data.with_hover(shifted, code, got, lang)
        pd.testing.assert_frame_equal(boxes, compare.with_hover(want, regions, lang))


def test_the_first_run_freezes_the_start_up_heap_once(claims_csv, monkeypatch):
    """Start-up objects leave the collector's view after the first run, and only then."""
    calls = []
    monkeypatch.setattr(heap, "_done", False)
    monkeypatch.setattr(heap.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(heap.gc, "freeze", lambda: calls.append("freeze"))
    at = run_app()
    assert calls == ["collect", "freeze"]
    at.multiselect(key="w_group").set_value(["东部"]).run()
    assert not at.exception and calls == ["collect", "freeze"]
