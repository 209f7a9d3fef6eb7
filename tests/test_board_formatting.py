"""Chinese and English magnitudes, value labels and axis ticks."""

import math

import pytest

from board.formatting import linear_ticks, log_ticks, magnitude, needs_log, value_label


@pytest.mark.parametrize(
    ("x", "lang", "expected"),
    [
        (6102400, "zh", "610.24万"),
        (4.048e11, "zh", "4048亿"),
        (115000, "zh", "11.5万"),
        (9999, "zh", "9999"),
        (10000, "zh", "1万"),
        (1e12, "zh", "1万亿"),
        (99999999, "zh", "1亿"),  # rounds up into the next step, not '10000万'
        (-97.6, "zh", "-97.6"),
        (-1234567, "zh", "-123.46万"),
        (0, "zh", "0"),
        (0.5, "zh", "0.5"),
        (2377.0, "zh", "2377"),
        (6102400, "en", "6.1M"),
        (4.048e11, "en", "404.8B"),
        (1500, "en", "1.5K"),
        (999, "en", "999"),
        (float("nan"), "zh", ""),
    ],
)
def test_magnitude(x, lang, expected):
    assert magnitude(x, lang) == expected


@pytest.mark.parametrize(
    ("x", "unit", "lang", "expected"),
    [
        (6102400, "人", "zh", "610.24万人"),
        (-97.6, "%", "zh", "\u221297.6%"),  # a true minus sign: −97.6%
        (3, "名次", "zh", "第3"),
        (3, "名次", "en", "#3"),
        (4e8, "元", "zh", "4亿元"),
        (4e8, "元", "en", "400M yuan"),  # English units in English
        (20, "件", "en", "20 pieces"),  # 件 and 项 read differently
        (20, "项", "en", "20 items"),
        (-14.5, "%", "en", "\u221214.5%"),
        (12.5, "个百分点", "zh", "12.5个百分点"),
        (float("nan"), "人", "zh", ""),
    ],
)
def test_value_label(x, unit, lang, expected):
    assert value_label(x, unit, lang) == expected


@pytest.mark.parametrize(("x", "expected"), [(-14.5, "\u221214.5%"), (14.5, "+14.5%"), (0, "0%")])
def test_a_change_shows_its_sign(x, expected):
    assert value_label(x, "%", "zh", signed=True) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 1000], True),
        ([1, 999], False),
        ([5, 6102400], True),
        ([-97.6, 1e6], False),  # a decrease cannot go on a log axis
        ([0, 1e6], False),
        ([1e6], False),
        ([], False),
        ([float("nan"), 1, 1e4], True),
    ],
)
def test_needs_log(values, expected):
    assert needs_log(values) is expected


@pytest.mark.parametrize(
    ("lo", "hi", "vals", "text"),
    [
        (
            5,
            6102400,
            [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7],
            ["1", "10", "100", "1000", "1万", "10万", "100万", "1000万"],
        ),
        (2e8, 4.048e11, [1e8, 1e9, 1e10, 1e11, 1e12], ["1亿", "10亿", "100亿", "1000亿", "1万亿"]),
        (0, 10, [], []),
    ],
)
def test_log_ticks(lo, hi, vals, text):
    assert log_ticks(lo, hi) == (vals, text)


@pytest.mark.parametrize(
    ("lo", "hi", "first", "last", "step"),
    [
        (0, 47, 0, 50, 10),
        (0, 120000, 0, 120000, 25000),
        (-97.6, 0, -100, 0, 20),
        (3, 3, 0, 3, 1),
    ],
)
def test_linear_ticks_cover_range_in_round_steps(lo, hi, first, last, step):
    vals, text = linear_ticks(lo, hi)
    assert vals[0] == first and vals[-1] >= last - 1e-9
    assert all(math.isclose(b - a, step) for a, b in zip(vals, vals[1:], strict=False))
    assert len(text) == len(vals)
