"""Figures, the tile map and the labels: the right traces, ticks and texts."""

import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from board import charts, i18n, shaping, tilemap
from board.regions import Province, parse_regions
from board.sample import synthetic_claims

CATS = {c: i18n.category(c, "zh") for c in i18n.category_codes()}
DF = synthetic_claims(200, seed=2)


def test_count_bars_stack_categories_and_label_totals():
    order = shaping.dimension_order(DF, "province")
    table = shaping.count_table(DF, "province", order, "category", i18n.category_codes())
    fig = charts.count_bars(table, "province", order, {}, "zh", "标题", "条数", CATS)
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.name for t in bars} == {CATS[c] for c in table["category"].unique()}
    assert sum(sum(t.y) for t in bars) == len(shaping.chart_rows(DF, "province"))
    totals = next(t for t in fig.data if t.type == "scatter")
    assert list(totals.x) == order
    assert fig.layout.barmode == "stack"


def test_count_bars_by_category_use_one_trace_coloured_by_category():
    order = shaping.dimension_order(DF, "category", (), i18n.category_codes())
    table = shaping.count_table(DF, "category", order)
    fig = charts.count_bars(table, "category", order, CATS, "en", "t", "Claims", CATS)
    assert len([t for t in fig.data if t.type == "bar"]) == 1
    assert list(fig.layout.xaxis.categoryarray) == [CATS[c] for c in order]


@pytest.mark.parametrize(
    ("unit", "kind", "log"),
    [("人", "count", True), ("%", "change", False), ("%", "percent", False)],
)
def test_value_points_one_point_per_claim(unit, kind, log):
    rows = shaping.chart_rows(DF, "year", (unit, kind))
    order = shaping.dimension_order(DF, "year")
    fig = charts.value_points(rows, "year", order, {}, "zh", "t", unit, CATS)
    ids = [c for t in fig.data for c in t.customdata]
    assert sorted(ids) == sorted(rows["claim_id"])
    assert (fig.layout.yaxis.type == "log") is log
    if log:
        assert "1万人" in fig.layout.yaxis.ticktext
    if unit == "%":
        assert all(t.endswith("%") for t in fig.layout.yaxis.ticktext)


def test_a_figures_dict_is_plotlys_without_the_copy():
    """Streamlit writes a chart's JSON from its to_dict(): ours skips Plotly's copy and
    must say what Plotly's says, after a change to the figure too."""
    order = shaping.dimension_order(DF, "province")
    table = shaping.count_table(DF, "province", order, "category", i18n.category_codes())
    fig = charts.count_bars(table, "province", order, {}, "zh", "标题", "条数", CATS)
    for change in (lambda f: f, lambda f: f.update_layout(height=300).update_traces(opacity=0.5)):
        change(fig)
        assert fig.to_dict() == go.Figure.to_dict(fig)
        theirs = go.Figure.to_dict(fig)
        assert pio.to_json(fig.to_dict(), validate=False) == pio.to_json(theirs, validate=False)


def test_matrix_heatmap_writes_counts_and_leaves_zeros_blank():
    mat = pd.DataFrame({"services": [3, 0]}, index=["四川省", "吉林省"])
    fig = charts.matrix_heatmap(mat, {}, CATS, "zh", "t")
    assert [list(r) for r in fig.data[0].text] == [["3"], [""]]
    assert tuple(fig.data[0].colorscale[0]) == (0.0, "rgb(247,251,255)")  # no claims: palest
    assert list(fig.data[0].x) == ["政务服务"]


PROVINCES = parse_regions(
    {
        "provinces": [
            {
                "code": "510000",
                "name": "四川省",
                "short": ["四川", "川"],
                "en": "Sichuan",
                "tile": [1, 0],
            },
            {
                "code": "110000",
                "name": "北京市",
                "short": ["北京", "京"],
                "en": "Beijing",
                "tile": [0, 1],
            },
            {"code": "710000", "name": "台湾省", "short": ["台湾"], "en": "Taiwan", "tile": None},
        ]
    }
)


@pytest.mark.parametrize(
    ("province", "lang", "expected"),
    [
        (PROVINCES[1], "zh", "四川"),
        (PROVINCES[1], "en", "Sichuan"),
        (Province("1", "某省", ("某",)), "zh", "某省"),
        (Province("2", "内蒙古自治区", en="Inner Mongolia"), "en", "Inner<br>Mongolia"),
        (
            Province("3", "黑龙江省", en="Heilongjiang", tile_en="Heilong-jiang"),
            "en",
            "Heilong-<br>jiang",
        ),
    ],
)
def test_tile_label(province, lang, expected):
    assert tilemap.tile_label(province, lang) == expected


def test_tile_grid_and_figure():
    grid = tilemap.tile_grid({"四川省": -14.5, "火星省": 3}, PROVINCES, "zh")
    assert [tuple(r) for r in grid.itertuples(index=False)][1] == ("四川省", "四川", 1, 0, -14.5)
    assert math.isnan(grid["value"][0])  # no figure for Beijing
    fig = tilemap.tile_figure(grid, "%", "zh", "<b>t</b>", signed=True, source="来源")
    base, shaded, labels = fig.data
    assert [list(r) for r in base.z] == [[None, 0], [0, None]]
    assert shaded.z[1][0] == -14.5 and shaded.z[0][1] is None  # no figure: grey
    assert shaded.showscale is not False and shaded.colorbar.ticktext  # a legend of values
    assert list(labels.text) == ["北京<br><b></b>", "四川<br><b>\u221214.5</b>"]
    assert "\u221214.5%" in shaded.text[1][0]  # the hover has the unit
    assert fig.layout.title.text == "<b>&lt;b&gt;t&lt;/b&gt;</b>"  # bold as the theme shows it
    assert fig.layout.title.subtitle.text == "来源"  # the source line, also in a PNG
    assert fig.layout.yaxis.scaleanchor == "x"  # square tiles
    # A long title wraps to a phone's width like every chart's, the map growing by its line.
    title = "Telecom and online fraud cases solved: latest comparable figure of each province"
    long = tilemap.tile_figure(grid, "%", "en", title, signed=True)
    assert long.layout.title.text.count("<br>") == 1
    assert long.layout.height - fig.layout.height == charts.TITLE_LINE_PX


@pytest.mark.parametrize(
    ("func", "code", "lang", "expected"),
    [
        (i18n.category, "services", "zh", "政务服务"),
        (i18n.category, "workforce", "en", "Workforce"),
        (i18n.kind, "rank", "en", "rank"),
        (i18n.unit, "人次", "zh", "人次"),  # Chinese units stay as written
        (i18n.unit, "人次", "en", "person-times"),
        (i18n.unit, "米", "en", "米"),  # unknown: shown as is
        (i18n.group, "东北", "en", "Northeast"),
        (i18n.column, "sentence", "zh", "原句"),
    ],
)
def test_labels(func, code, lang, expected):
    assert func(code, lang) == expected


def test_every_interface_text_exists_in_both_languages():
    ui = i18n.load_labels()["ui"]
    assert all(entry.get("zh") and entry.get("en") for entry in ui.values())
    assert (
        i18n.t("table_truncated", "en", shown=10, total=20)
        == "Showing the first 10 of 20 claims; download for all of them."
    )


@pytest.mark.parametrize(
    ("text", "expected"), [("按省份", "tab_province"), ("Map", "tab_map"), ("nope", None)]
)
def test_ui_key(text, expected):
    assert i18n.ui_key(text, "tab_") == expected


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("短标题", ["短标题"]),
        # Too wide for a phone: broken after the colon, then at spaces.
        (
            "Telecom and online fraud cases solved: latest comparable year of each region",
            ["Telecom and online fraud cases solved:", "latest comparable year of each region"],
        ),
        (
            "破获电信网络诈骗案件数:各地区最新可比年份",
            ["破获电信网络诈骗案件数:各地区最新可比年份"],
        ),
        ("一" * 30, ["一" * 23, "一" * 7]),  # a CJK character is two columns wide
        (
            "Telecom and online fraud cases solved over the years",
            ["Telecom and online fraud cases solved over the", "years"],
        ),
    ],
)
def test_title_lines_fit_a_phone(title, lines):
    assert charts.title_lines(title) == lines


def test_wrapped_title_is_escaped_and_gets_room():
    spec, top = charts.title_layout("<b>x</b>: " + "y" * 60, 64)
    assert spec["text"] == "&lt;b&gt;x&lt;/b&gt;:<br>" + "y" * 60
    assert top == 64 + charts.TITLE_LINE_PX


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        ("来源:各地公安改革报告,出处见数据下载 · 公安改革指标对比 2026-12-01", 1),
        ("Source: police-reform reports, each cited in the data download · 2026-12-01", 2),
    ],
)
def test_source_line_wraps_and_the_chart_grows(source, lines):
    def bars(source: str) -> go.Figure:
        order = shaping.dimension_order(DF, "category")
        table = shaping.count_table(DF, "category", order)
        return charts.count_bars(table, "category", order, CATS, "en", "t", "Claims", CATS, source)

    plain = bars("")
    top, height = plain.layout.margin.t, plain.layout.height
    fig = bars(source)
    assert fig.layout.title.subtitle.text.count("<br>") == lines - 1
    assert fig.layout.margin.t - top == fig.layout.height - height
    assert fig.layout.height - height == charts.SOURCE_LINE_PX * (lines - 1)
