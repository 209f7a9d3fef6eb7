"""Margins guessed from a chart's labels: wide enough that Plotly need not widen them and
draw again (the browser test checks the guess against Plotly's own measure)."""

import math

import pytest

from board import margins

PROVINCES = ["北京市", "天津市", "内蒙古自治区", "新疆维吾尔自治区"] * 8  # 32 labels


@pytest.mark.parametrize(
    ("text", "px"),
    [
        ("北京市", 36),  # CJK: one em each at 12 px
        ("新疆维吾尔自治区", 96),
        ("2019", 26.88),  # digits: 0.56 em
        ("−80%", 30.96),  # the minus sign is a digit's width, % nearly an em
        ("Law enforcement", 12 * (0.65 + 13 * 0.55 + 0.27)),
        ("长<br>很长很长", 48),  # the widest line
        ("", 0),
    ],
)
def test_text_width(text, px):
    assert margins.text_px(text) == pytest.approx(px)


@pytest.mark.parametrize(
    ("labels", "step", "angles"),
    [
        (["2019", "2020", "2021"], 60, {0}),  # room to spare: flat
        (["北京市", "天津市"], 38, {0}),  # 36 px labels 38 px apart: they touch, not clearly
        (PROVINCES, 60, {30}),  # overlapping, but far enough apart to turn 30°
        (PROVINCES, 20, {90}),  # 32 provinces across a 640 px plot: upright
        (PROVINCES, 28, {30, 90}),  # 28 px apart: Plotly's rule (cos 30° ≤ 0.88) is close
        (["只有一个"], 1, {0}),  # one label never overlaps
        # 14 years 28.6 px apart, fonts 15 px high: Plotly's rule is a close call
        ([str(y) for y in range(2011, 2025)], 28.6, {30, 90}),
    ],
)
def test_label_angles(labels, step, angles):
    assert margins.label_angles(labels, step, slack=1) == angles


def test_tick_step_follows_the_ticks_and_range_when_the_axis_fixes_them():
    axis = {"tickvals": [0, 10, 20], "range": [0, 40]}
    assert margins.tick_step_px(axis, ["0", "10", "20"], 400) == 100
    assert margins.tick_step_px({}, ["a", "b", "c", "d"], 400) == 100


@pytest.mark.parametrize(
    ("axis", "angle", "overhang"),
    [
        ({"tickvals": [0, 50, 100], "range": [0, 100]}, 0, 12),  # flat, centred on the edge
        ({"tickvals": [0, 50, 100], "range": [0, 110]}, 0, 0),  # room past the last tick
        # Turned 30°: its width's run and its top corner, half a line (15 px) above the tick
        ({"tickvals": [0, 50, 100], "range": [0, 100]}, 30, 24 * 3**0.5 / 2 + 7.5 / 2),
        ({"tickvals": [0, 50, 100], "range": [0, 100]}, 90, 7.5),  # upright: half a line
        ({"tickvals": [0, 50, 100], "range": [0, 110]}, 90, 0),
    ],
)
def test_right_overhang(axis, angle, overhang):
    labels = ["0", "50", "两字"]  # 24 px
    got = margins.right_overhang(axis, labels, 200, angle)
    assert got == pytest.approx(max(overhang, 0), abs=1e-9)


@pytest.mark.parametrize(
    ("labels", "angle", "overhang"),
    [
        # Turned, a long label a tick (20 px) before a short last one reaches furthest.
        (["0", "新疆维吾尔自治区", "全国"], 30, 96 * 3**0.5 / 2 + 7.5 / 2 - 20),
        (["0", "全国", "新疆维吾尔自治区"], 30, 96 * 3**0.5 / 2 + 7.5 / 2),
        # Flat labels that do not overlap: the last one alone.
        (["0", "新疆维吾尔自治区", "全国"], 0, 12),
    ],
)
def test_right_overhang_of_every_turned_label(labels, angle, overhang):
    axis = {"tickvals": [80, 90, 100], "range": [0, 100]}  # 20 px apart on 200 px
    got = margins.right_overhang(axis, labels, 200, angle)
    assert got == pytest.approx(overhang, abs=1e-9)


def test_y_labels_and_title_set_the_left_margin_and_a_wider_one_stays():
    layout = {"margin": {"l": 10}, "yaxis": {"ticktext": ["0", "新疆维吾尔自治区"]}}
    assert margins.fitted(layout, [])["margin"]["l"] == 96 + margins.LABEL_GAP
    titled = {**layout, "yaxis": {**layout["yaxis"], "title": {"text": "条数"}}}
    room = margins.TITLE_PX * 1.3 + margins.TITLE_STANDOFF
    assert margins.fitted(titled, [])["margin"]["l"] == pytest.approx(96 + 28 + room, abs=1)
    wide = {**layout, "margin": {"l": 300}}
    assert margins.fitted(wide, [])["margin"]["l"] == 300


def test_category_labels_come_from_the_traces_when_the_axis_names_none():
    layout = {"margin": {}, "yaxis": {"type": "category"}}
    data = [{"y": ["北京市", "新疆维吾尔自治区", "北京市"]}]
    assert margins.axis_labels(layout["yaxis"], data, "y") == ["北京市", "新疆维吾尔自治区"]
    assert margins.axis_labels({"visible": False, "ticktext": ["x"]}, data, "x") == []
    assert margins.axis_labels({}, data, "x") == []  # numbers Plotly picks: left to it


def test_bottom_margin_follows_the_labels_angle():
    flat = {"margin": {"b": 10}, "xaxis": {"ticktext": ["2019", "2020"]}}
    assert margins.fitted(flat, [])["margin"]["b"] == 15 + margins.LABEL_GAP
    upright = {"margin": {"b": 10}, "xaxis": {"ticktext": PROVINCES}}
    assert margins.fitted(upright, [], chart_px=800)["margin"]["b"] == 96 + margins.LABEL_GAP
    top = {"margin": {"t": 40, "b": 10}, "xaxis": {"ticktext": ["北京市"], "side": "top"}}
    fitted = margins.fitted(top, [])["margin"]
    assert (fitted["t"], fitted["b"]) == (15 + margins.LABEL_GAP, 10)


def test_a_colour_bar_sets_the_right_margin():
    data = [{"marker": {"colorbar": {"ticktext": ["−80%", "0%"], "title": {"text": "%"}}}}]
    assert margins.fitted({"margin": {"r": 10}}, data)["margin"]["r"] == 31 + 70
    data[0]["marker"]["colorbar"]["orientation"] = "h"  # under the plot: no room beside it
    assert margins.fitted({"margin": {"r": 10}}, data)["margin"]["r"] == 10


@pytest.mark.parametrize(
    ("xaxis", "bottom"),
    [
        ({}, 12 + 15 + 24),  # the bar, a line of labels and Plotly's pads
        ({"ticktext": ["2019", "2020"]}, 15 + margins.LABEL_GAP + 12 + 15 + 24),  # below labels
        ({"ticktext": ["2019"], "side": "top"}, 12 + 15 + 24),
    ],
)
def test_a_colour_bar_under_the_plot_sets_the_bottom_margin(xaxis, bottom):
    data = [{"marker": {"colorbar": {"orientation": "h", "thickness": 12, "ticktext": ["0%"]}}}]
    layout = {"margin": {"t": 10, "b": 10}, "xaxis": xaxis}
    assert margins.fitted(layout, data)["margin"]["b"] == bottom


@pytest.mark.parametrize(
    ("names", "rows"),
    [
        (["全国"], 1),
        (["一个很长的地区名称"] * 2, 1),
        (["一个很长的地区名称"] * 20, 4),
        # Too many for one row: every entry takes the widest one's room, 7 to a row.
        (["北京市"] * 20 + ["新疆维吾尔自治区"], 3),
    ],
)
def test_a_legend_at_the_foot_adds_its_rows_under_the_labels(names, rows):
    layout = {
        "margin": {"b": 10},
        "xaxis": {"ticktext": ["2019", "2020"]},
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0},
    }
    data = [{"name": n, "showlegend": True} for n in names]
    legend = rows * margins.LEGEND_ROW_PX + margins.LEGEND_PAD_PX
    labels = 15 + margins.LABEL_GAP
    assert margins.fitted(layout, data, chart_px=1000)["margin"]["b"] == labels + legend


@pytest.mark.parametrize(
    ("layout", "data", "names"),
    [
        ({}, [{"name": "a"}], []),  # one trace: Plotly shows no legend
        ({}, [{"name": "a", "showlegend": True}], ["a"]),  # unless it asks for one
        ({}, [{"name": "a"}, {"name": "b"}], ["a", "b"]),
        ({"showlegend": False}, [{"name": "a"}, {"name": "b"}], []),
        ({}, [{"name": "a"}, {"name": "b", "showlegend": False}], []),
    ],
)
def test_legend_names(layout, data, names):
    assert margins.legend_names(layout, data) == names


@pytest.mark.parametrize(
    ("labels", "plot_px", "bottom"),
    [
        # Years 28 px apart may lie flat or turn: margins for either, they differ little.
        ([str(y) for y in range(2015, 2025)], 280, math.ceil(26.88 + margins.LABEL_GAP)),
        # Long names that may turn: the flat margin, as turned ones would leave a wide gap.
        (["Law enforcement standards", "Fighting crime"], 240, 15 + margins.LABEL_GAP),
    ],
)
def test_a_close_call_between_flat_and_turned_labels(labels, plot_px, bottom):
    n = len(labels)
    axis = {"ticktext": labels, "tickvals": list(range(n)), "range": [-0.5, n - 0.5]}
    layout = {"margin": {"l": 0, "r": 0, "b": 0}, "xaxis": axis}
    assert margins.fitted(layout, [], chart_px=plot_px)["margin"]["b"] == bottom
