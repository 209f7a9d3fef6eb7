"""The chart theme stated in the figure (board/chart_theme.py)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from board import chart_theme
from board.chart_theme import load_theme, plain, revision, themed, under


@pytest.mark.parametrize(
    ("base", "over", "expected"),
    [
        ({"a": 1}, {}, {"a": 1}),  # unset: the theme's
        ({"a": 1}, {"a": 2}, {"a": 2}),  # set: the figure's
        ({"f": {"size": 12, "color": "g"}}, {"f": {"size": 16}}, {"f": {"size": 16, "color": "g"}}),
        ({"f": {"size": 12}}, {"f": None}, {"f": None}),  # a value, not a dict: it wins
        ({}, {"x": {"y": 1}}, {"x": {"y": 1}}),
    ],
)
def test_under_keeps_what_the_figure_sets(base, over, expected):
    assert under(base, over) == expected


def test_a_themed_figure_shares_no_dict_with_the_theme():
    styled = themed([{"type": "scatter", "y": [1]}], {})[1]
    styled["font"]["size"] = 99
    styled["xaxis"]["tickfont"]["size"] = 99
    theme = load_theme()
    assert theme["layout"]["font"]["size"] == 12 and theme["xaxis"]["tickfont"]["size"] == 12


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.array([1.5, 2.0]), [1.5, 2.0]),
        (pd.Series(["a", "b"]), ["a", "b"]),
        ({"marker": {"color": np.array([1, 2])}}, {"marker": {"color": [1, 2]}}),
        ([np.array([1]), "x"], [[1], "x"]),
        ((1, 2), [1, 2]),
        (["a", 1, 2.5, None, True], ["a", 1, 2.5, None, True]),  # scalars: copied as they are
        ([{"x": np.array([1])}, None], [{"x": [1]}, None]),  # dicts inside a list: looked into
        ([np.float64(1.5), "x"], [1.5, "x"]),  # a numpy number stays a (float) number
        ("text", "text"),
    ],
)
def test_plain_turns_arrays_into_lists(value, expected):
    out = plain(value)
    assert out == expected and type(out) is type(expected)


def test_themed_styles_every_axis_and_keeps_the_figure_values():
    data = [
        {"type": "scatter", "x": np.array([1, 2]), "y": [3, 4]},
        {"type": "bar", "x": [1], "y": [2], "xaxis": "x2", "marker": {"line": {"width": 3}}},
    ]
    layout = {"title": {"text": "标题"}, "yaxis": {"showgrid": False}, "font": {"size": 13}}
    traces, styled = themed(data, layout)
    theme = load_theme()
    assert set(styled) >= {"xaxis", "xaxis2", "yaxis"}  # xaxis2 only named by a trace
    assert styled["xaxis2"]["gridcolor"] == theme["xaxis"]["gridcolor"]
    assert styled["yaxis"]["showgrid"] is False  # the figure's own value wins
    assert styled["yaxis"]["gridcolor"] == theme["yaxis"]["gridcolor"]
    assert styled["font"] == {**theme["layout"]["font"], "size": 13}
    assert styled["title"]["text"] == "<b>标题</b>"  # bold, as Streamlit's theme shows it
    assert styled["template"] == "none"
    assert traces[0]["x"] == [1, 2] and traces[0]["marker"]["line"]["width"] == 0
    assert traces[1]["marker"]["line"]["width"] == 3  # no theme for bars; its own kept
    assert layout == {"title": {"text": "标题"}, "yaxis": {"showgrid": False}, "font": {"size": 13}}


def test_the_data_revision_changes_with_the_data_only():
    one = themed([{"type": "scatter", "y": np.array([1.0, 2.0])}], {})[1]["datarevision"]
    same = themed([{"type": "scatter", "y": [1.0, 2.0]}], {"title": {"text": "t"}})
    other = themed([{"type": "scatter", "y": [1.0, 2.5]}], {})[1]["datarevision"]
    assert one == same[1]["datarevision"] != other
    assert revision([{"text": ["a"]}]) != revision([{"text": ["b"]}])


def test_an_unknown_theme_section_is_refused(tmp_path: Path):
    path = tmp_path / "theme.yaml"
    path.write_text("layout: {}\nxaxis: {}\nyaxis: {}\ntraces: {}\nlegends: {}\n")
    with pytest.raises(ValueError, match="legends"):
        chart_theme.load_theme(path)
