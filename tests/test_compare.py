"""Compare view: table-driven tests of its shaping functions, and the view driven by AppTest."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from board import compare, downloads, margins
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
    ("rows", "bars", "several", "series", "undrawn", "national"),
    [
        ([], [], 0, [], 0, []),
        # Each region's latest year is its bar; every year a point, regions in GB/T order.
        (
            [claim(1, year=2013), claim(2), claim(3, province="山东省", year=2022)],
            ["d2", "d3"],
            0,
            ["d1", "d2", "d3"],
            0,
            [],
        ),
        # Two figures of one year: the one published last, then the later in its report.
        (
            [claim(1, published="2015-03-01"), claim(2, published="2015-01-02")],
            ["d1"],
            1,
            ["d1"],
            1,
            [],
        ),
        ([claim(1, start=9), claim(2, start=1)], ["d1"], 1, ["d1"], 1, []),
        ([claim(1, published=None), claim(2, published="2015-01-02")], ["d2"], 1, ["d2"], 1, []),
        # A figure without a year is in neither chart.
        ([claim(1, year=None), claim(2, year=2012)], ["d2"], 0, ["d2"], 1, []),
        # National figures: one a year, apart from the regions'.
        (
            [
                claim(1, province="全国", year=2013),
                claim(2, province="全国"),
                claim(3, province="全国", published="2014-01-01"),
                claim(4),
            ],
            ["d4"],
            0,
            ["d4"],
            0,
            ["d1", "d2"],
        ),
        # A city is a region of its own, after its province.
        (
            [claim(1, city="长春市", year=2013), claim(2), claim(3, city="长春市")],
            ["d2", "d3"],
            0,
            ["d2", "d1", "d3"],
            0,
            [],
        ),
    ],
)
def test_compare_sets(rows, bars, several, series, undrawn, national) -> None:
    df = frame(*rows) if rows else frame(claim(0)).iloc[:0]
    sets = compare.compare_sets(compare.indicator_rows(df, "data_records", ORDER))
    assert sets.bars["doc_id"].tolist() == bars and sets.several == several
    assert sets.series["doc_id"].tolist() == series and sets.undrawn == undrawn
    assert sets.national_years["doc_id"].tolist() == national


@pytest.mark.parametrize("na_first", [False, True])
@pytest.mark.parametrize(
    "keys",
    [
        ["published"],  # dates as text, some missing
        ["published", "start"],  # ties on the date broken by the position, missing too
        ["year", "published", "start"],
    ],
)
def test_sorted_order_is_the_stable_order_sort_values_gives(keys, na_first) -> None:
    rows = pd.DataFrame(
        {
            "published": ["2020-01-02", None, "2019-05-01", "2020-01-02", np.nan, "2019-05-01"],
            "start": pd.array([9, 1, None, 1, 5, 9], dtype="Int64"),
            "year": pd.array([2020, 2020, None, 2019, 2020, 2019], dtype="Int64"),
        },
        index=[50, 3, 7, 1, 2, 9],  # labels that are not positions
    )
    na = "first" if na_first else "last"
    want = rows.sort_values(keys, kind="stable", na_position=na).index
    assert list(rows.index[compare.sorted_order(rows, keys, na_first)]) == list(want)


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
    row = claim(7, sentence="<b>信息</b>拥有量达到7亿条。" * 3, title="A & B <img src=x>")
    text = compare.hover_text(row, "吉林省", "zh")
    assert "<b>7亿条</b>" in text and "信息拥有量" in text and "2015-06-09" in text
    assert "A &amp; B &lt;img src=x&gt;" in text and "&lt;b&gt;信息" in text
    assert "<b>信息" not in text and "<img" not in text
    assert text.count("<br>") >= 4  # region, figure, report, then the sentence in lines


@pytest.mark.parametrize(
    ("rows", "show_all", "kept", "left_out"),
    [
        ([claim(1), claim(2)], False, ["d1", "d2"], {}),
        # A multi-year figure, a part-year one (the span column), a city's: left out, counted.
        (
            [
                claim(1),
                claim(2, period_start=2012),
                claim(3, span="part-year"),
                claim(4, province="山东省", city="济宁市"),
                claim(5, province="山东省", city="济宁市", period_start=2010),
            ],
            False,
            ["d1"],
            {"multi-year": 2, "part-year": 1, "city": 1},
        ),
        # The switch shows them all, each marked with why it does not compare.
        ([claim(1), claim(2, period_start=2012)], True, ["d1", "d2"], {}),
    ],
)
def test_compare_rows_keep_like_with_like(rows, show_all, kept, left_out) -> None:
    df = frame(*rows)
    if any("span" in r for r in rows):
        df["span"] = [r.get("span", "") for r in rows]
    out, dropped = compare.compare_rows(compare.indicator_rows(df, "data_records", ORDER), show_all)
    assert out["doc_id"].tolist() == kept and dropped == left_out
    if show_all:
        assert out["mark"].tolist() == ["", "multi-year"]


def _latest(*rows: dict) -> tuple:
    """Each region's figures of its latest year (all of them), and the national ones."""
    kept, _ = compare.compare_rows(
        compare.indicator_rows(frame(*rows), "data_records", ORDER), True
    )
    national = kept["province"] == "全国"
    latest = kept["year"] == kept.groupby("region")["year"].transform("max")
    return kept[latest & ~national], compare.compare_sets(kept).national_years


def test_bar_figure_one_bar_per_figure_and_the_national_line() -> None:
    latest, national = _latest(
        claim(1), claim(2), claim(3, province="山东省"), claim(4, province="全国", value=-14.5e8)
    )
    labels = compare.region_labels(latest["region"].unique(), load_regions(), "en")
    fig = compare.bar_figure(latest, national, labels, IND, "en", "t", "Source: x")
    bar = fig.data[0]
    assert list(bar.y) == ["Jilin", "Jilin (2)", "Shandong"]  # GB/T order, top down
    assert list(bar.customdata) == ["d1:1-5", "d2:2-6", "d3:3-7"]
    assert list(bar.x) == [1e8, 2e8, 3e8] and "3亿条" in bar.hovertext[2]
    [line] = fig.layout.shapes
    assert line.x0 == line.x1 == -14.5e8 and line.line.dash == "dash"
    texts = [a.text for a in fig.layout.annotations]
    assert any("National 2014" in t and "\u2212" in t for t in texts)  # −1.45B, sign shown
    assert fig.layout.title.subtitle.text == "Source: x"


@pytest.mark.parametrize(
    ("national", "side"),
    [
        (0.5e8, "left"),  # near the axis' left end: labelled to its right
        (3.5e8, "right"),  # near its right end: to its left, not past the chart's edge
    ],
)
def test_the_national_label_sits_above_the_bars_on_the_roomier_side(national, side) -> None:
    latest, nat = _latest(claim(1), claim(3, province="山东省"), claim(4, province="全国"))
    nat = nat.assign(value=national)
    labels = compare.region_labels(latest["region"].unique(), load_regions(), "zh")
    fig = compare.bar_figure(latest, nat, labels, IND, "zh", "t", "s")
    [note] = fig.layout.annotations
    # Above the plot's top edge, where no bar's label lies.
    assert (note.y, note.yref, note.yanchor) == (1, "y domain", "bottom")
    assert note.xanchor == side


@pytest.mark.parametrize(
    ("values", "marked", "low", "high", "right"),
    [
        # Rising bars end at the plot's edge; their labels run into a margin that holds the
        # widest, whatever width the plot gets (a mark goes under the region name).
        ([3e8, 1e8], False, 0.0, 3e8, "3亿条"),
        ([3e8, 1e8], True, 0.0, 3e8, "3亿条"),
        # A falling bar's label gets a share of the axis left of it.
        ([-2e8, -1e8], False, -2e8 * (1 + compare.LABEL_ROOM), 0.0, ""),
    ],
)
def test_bar_labels_have_room(values, marked, low, high, right) -> None:
    rows = [
        claim(i, value=v, province=p, period_start=2010 if marked else 2014)
        for i, (v, p) in enumerate(zip(values, ORDER[:2], strict=True), 1)
    ]
    latest, national = _latest(*rows)
    fig = compare.bar_figure(latest, national, {}, IND, "zh", "t", "")
    assert fig.layout.xaxis.range == pytest.approx((low, high))
    if right:
        assert right in fig.data[0].text
        assert fig.layout.margin.r >= margins.text_px(right, fig.layout.font.size) + 3


def test_marked_figures_are_pale_and_labelled() -> None:
    latest, national = _latest(claim(1, period_start=2010))
    fig = compare.bar_figure(latest, national, {}, IND, "zh", "t", "")
    assert fig.data[0].marker.opacity == (0.45,) and fig.data[0].marker.pattern.shape == ("/",)
    # The mark under the region's name; the value's label stays the value alone.
    assert fig.data[0].y == ("吉林省<br>(多年累计)",) and fig.data[0].text == ("1亿条",)


def test_region_names_on_the_charts_are_text() -> None:
    latest, national = _latest(claim(1, city="<b>长春市</b>"))
    fig = compare.bar_figure(latest, national, {}, IND, "zh", "t", "")
    assert "<b>" not in fig.data[0].y[0] and "&lt;b&gt;长春市" in fig.data[0].y[0]
    sets = _series(claim(1, city="<b>长春市</b>"))
    fig = compare.year_figure(sets.series, sets.national_years, {}, IND, "zh", "t", "")
    assert fig.data[0].name == "吉林省 · &lt;b&gt;长春市&lt;/b&gt;"


def _series(*rows: dict) -> compare.CompareSets:
    return compare.compare_sets(compare.indicator_rows(frame(*rows), "data_records", ORDER))


@pytest.mark.parametrize(
    ("rows", "names"),
    [
        ([claim(1, year=2013), claim(2)], ["吉林省"]),
        ([claim(1), claim(2, province="山东省")], ["吉林省", "山东省"]),
    ],
)
def test_year_figure_one_line_per_region(rows, names) -> None:
    sets = _series(*rows)
    fig = compare.year_figure(sets.series, sets.national_years, {}, IND, "zh", "t", "")
    assert [trace.name for trace in fig.data] == names
    assert {trace.mode for trace in fig.data} == {"lines+markers"}


CITIES = [f"市{i}" for i in range(compare.LEGEND_MAX + 2)]  # more regions than a legend holds


def test_year_figure_many_regions_share_traces() -> None:
    sets = _series(*(claim(i, city=c, year=y) for i, c in enumerate(CITIES) for y in (2013, 2014)))
    fig = compare.year_figure(sets.series, sets.national_years, {}, IND, "zh", "t", "")
    # LEGEND_MAX traces, two regions in some, a colour each, and no legend.
    assert len(fig.data) == compare.LEGEND_MAX
    assert not any(trace.showlegend for trace in fig.data)
    assert len({trace.line.color for trace in fig.data}) == compare.LEGEND_MAX
    # One gap (None) between two regions of a trace keeps their lines apart.
    gaps = sum(x is None for trace in fig.data for x in trace.x)
    assert gaps == len(CITIES) - len(fig.data)
    # Every figure stays a point that opens its source, named in its hover box.
    ids = [c for trace in fig.data for c in trace.customdata if c]
    assert sorted(ids) == sorted(sets.series["claim_id"])
    hovers = [h for trace in fig.data for h in trace.hovertext if h]
    assert all(any(c in h for c in CITIES) for h in hovers)


def test_year_figure_draws_the_national_series_dashed() -> None:
    sets = _series(claim(1), claim(2, province="全国", year=2013), claim(3, province="全国"))
    fig = compare.year_figure(sets.series, sets.national_years, {}, IND, "zh", "t", "")
    assert [t.name for t in fig.data] == ["吉林省", "全国"]
    assert fig.data[1].line.dash == "dash" and list(fig.data[1].x) == [2013, 2014]


# The view itself, in the dashboard.


@pytest.fixture(scope="module")
def claims_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("compare") / "claims.csv"
    shutil.copy(ROOT / "data" / "claims.csv", path)
    return str(path)


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.mark.parametrize(("lang", "jilin"), [("zh", "吉林省"), ("en", "Jilin")])
def test_selecting_an_indicator_shows_its_regions(claims_path, lang, jilin, monkeypatch) -> None:
    monkeypatch.setenv(CLAIMS_ENV, claims_path)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update({"lang": lang})
    at.run()
    assert not at.exception
    at.selectbox(key="w_indicator").set_value("data_records").run()
    assert not at.exception
    assert at.query_params["indicator"] == "data_records"
    # Jilin's 2014 figure compares; Jining's (a city's total over several years) is left out,
    # and said so.
    bars, years = _specs(at)
    assert bars["data"][0]["y"] == [jilin]
    assert any("387.5" in text for text in bars["data"][0]["hovertext"])
    assert {t["name"] for t in years["data"]} == {jilin}
    assert any(
        ("未显示 1 条不可比数据" in c.value) or c.value.startswith("1 figures that do not compare")
        for c in at.caption
    )
    at.toggle(key="w_all").set_value(True).run()
    bars, _ = _specs(at)
    assert len(bars["data"][0]["y"]) == 2 and at.query_params["all"] == "1"
    assert len(at.get("download_button")) == 2


def test_a_shared_link_reopens_the_indicator_and_claim(claims_path, monkeypatch) -> None:
    monkeypatch.setenv(CLAIMS_ENV, claims_path)
    claim_id = "000_d2ab64f43d8cd3ad:345-354"
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update({"indicator": "hukou_settlements", "all": "1", "claim": claim_id})
    at.run()
    assert not at.exception
    assert at.selectbox(key="w_indicator").value == "hukou_settlements"
    assert at.toggle(key="w_all").value is True
    assert "<mark>610&#46;24万余名</mark>" in "".join(m.value for m in at.markdown)
    assert at.query_params["claim"] == claim_id


@pytest.mark.parametrize("categories", ["sorted", "unsorted", "text"])
def test_indicator_rows_order_whatever_the_column_types(categories) -> None:
    df = frame(
        claim(1, province="山东省", city="济宁市"),
        claim(2, province="山东省", city=""),
        claim(3, province="吉林省", year=2013),
        claim(4, province="吉林省", city="长春市"),
    )
    if categories != "text":
        df = df.astype({c: "category" for c in ("province", "city", "published")})
    if categories == "unsorted":  # as a parquet dictionary may come back: first-seen order
        df["city"] = df["city"].cat.reorder_categories(["长春市", "济宁市", ""])
    rows = compare.indicator_rows(df, "data_records", ORDER)
    assert rows["claim_id"].str.split(":").str[0].tolist() == ["d3", "d4", "d2", "d1"]


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "全省" * 40,  # no place to break: cut every HOVER_WIDTH characters
        "中" * compare.HOVER_WIDTH,
        "(1-11月)全市刑事案件立案数同比下降14.5%," * 3,  # a hyphen: textwrap's rules
        "Cases fell 14.5% year on year across the province, " * 3,
        "全省\t共有\n610.24万余名农业转移人口落户城镇" * 2,
    ],
)
def test_hover_lines_break_as_textwrap_does(sentence) -> None:
    assert compare.hover_lines(sentence) == textwrap.wrap(sentence, compare.HOVER_WIDTH)


def _app(rows: list[dict], params: dict, tmp_path: Path, monkeypatch) -> AppTest:
    """The dashboard on a dataset of `rows` alone, opened at `params`."""
    path = tmp_path / "claims.csv"
    path.write_bytes(downloads.csv_bytes(pd.DataFrame(rows)))
    monkeypatch.setenv(CLAIMS_ENV, str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    return at


def test_the_map_shows_the_figure_of_each_provinces_bar(tmp_path, monkeypatch) -> None:
    """Of two figures of a province's latest year the map shows the one Compare's bar
    shows: the one published last, a figure without a date counting as the earliest."""
    rows = [
        claim(1, published=""),
        claim(2, published="2015-01-02"),
        claim(3, province="山东省", year=2013),
    ]
    shown = []
    for tab in ("compare", "map"):
        at = _app(rows, {"tab": tab, "indicator": "data_records"}, tmp_path, monkeypatch)
        spec = _specs(at)[0]
        values = spec["data"][0]["x"] if tab == "compare" else spec["data"][1]["z"]
        shown.append(sorted(v for v in np.ravel(values) if v is not None))
    assert shown[0] == shown[1] == [2e8, 3e8]


@pytest.mark.parametrize(
    ("rows", "charts", "says"),
    [
        # Several figures of the latest year: the one published last is drawn, and said so.
        ([claim(1), claim(2, published="2015-07-01")], 2, "最新年份有 1 个地区"),
        # An older year's second figure, or a figure without a year: how many are not drawn.
        ([claim(1, year=2013), claim(2, year=2013), claim(3)], 2, "另有 1 条数据未画入图中"),
        ([claim(1), claim(2, year=None)], 2, "另有 1 条数据未画入图中"),
        # No figure has a year: no empty charts, a note, and the rows to download.
        ([claim(1, year=None, period_start=None)], 0, "1 条数据都没有年份"),
    ],
)
def test_compare_says_what_it_does_not_draw(rows, charts, says, tmp_path, monkeypatch) -> None:
    at = _app(rows, {"indicator": "data_records"}, tmp_path, monkeypatch)
    assert len(_specs(at)) == charts
    notes = [c.value for c in at.caption] + [i.value for i in at.info]
    assert any(says in n for n in notes), notes
    assert len(at.get("download_button")) == 2
