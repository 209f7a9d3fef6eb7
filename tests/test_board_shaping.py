"""Chart data: which claims each chart draws, and the counts it shows."""

import numpy as np
import pandas as pd
import pytest

from board import shaping
from board.data import normalise
from extract.claim import COLUMNS

CATS = ["services", "technology", "crime"]
PROVINCES = ["吉林省", "山东省", "四川省"]


def claims(*rows: tuple) -> pd.DataFrame:
    """Claims from (doc_id, province, year, category, unit, kind, value) tuples."""
    keys = ("doc_id", "province", "year", "category", "unit", "kind", "value")
    frame = pd.DataFrame([dict(zip(keys, r, strict=True)) for r in rows])
    frame["claim_id"] = [f"{d}:{i}" for i, d in enumerate(frame["doc_id"])]
    return normalise(frame)


DF = claims(
    ("a", "四川省", 2023, "services", "人", "count", 6102400),
    ("a", "四川省", 2023, "technology", "次", "count", 4.1e8),
    ("a", "四川省", 2022, "crime", "%", "change", -97.6),
    ("b", "吉林省", 2014, "technology", "条", "amount", 3.875e10),
    ("b", "吉林省", None, "services", "人", "count", 5200),
    ("c", "山东省", 2022, "crime", "人", "count", 241),
    ("c", "", 2022, "crime", "人", "count", None),
)


def test_overview():
    assert shaping.overview(DF) == shaping.Overview(
        reports=3, claims=7, provinces=3, years=(2014, 2023)
    )
    assert shaping.overview(DF.iloc[:0]) == shaping.Overview(0, 0, 0, None)


@pytest.mark.parametrize(
    ("dim", "measure", "expected"),
    [
        ("province", None, [0, 1, 2, 3, 4, 5]),  # a claim without a province is not drawn
        ("year", None, [0, 1, 2, 3, 5, 6]),  # nor one without a year on a chart by year
        ("category", None, [0, 1, 2, 3, 4, 5, 6]),
        ("province", ("人", "count"), [0, 4, 5]),
        ("category", ("人", "count"), [0, 4, 5]),  # no value, no point
        ("year", ("条", "amount"), [3]),
        ("year", ("元", "amount"), []),
    ],
)
def test_chart_rows(dim, measure, expected):
    rows = shaping.chart_rows(DF, dim, measure)
    assert rows.index.tolist() == expected
    assert list(rows.columns) == list(COLUMNS)


@pytest.mark.parametrize(
    ("dim", "expected"),
    [
        ("province", ["吉林省", "山东省", "四川省"]),
        ("year", list(range(2014, 2024))),  # years without claims keep their place
        ("category", ["services", "technology", "crime"]),
    ],
)
def test_dimension_order(dim, expected):
    assert shaping.dimension_order(DF, dim, PROVINCES, CATS) == expected


def test_dimension_order_puts_unknown_provinces_last():
    df = claims(
        ("a", "火星省", 2020, "crime", "人", "count", 1),
        ("a", "四川省", 2020, "crime", "人", "count", 1),
    )
    assert shaping.dimension_order(df, "province", PROVINCES) == ["四川省", "火星省"]


@pytest.mark.parametrize(
    ("dim", "stack", "expected"),
    [
        (
            "province",
            "category",
            [
                ("吉林省", "services", 1),
                ("吉林省", "technology", 1),
                ("山东省", "crime", 1),
                ("四川省", "services", 1),
                ("四川省", "technology", 1),
                ("四川省", "crime", 1),
            ],
        ),
        ("year", None, [(2014, 1), (2022, 3), (2023, 2)]),
        ("category", None, [("services", 2), ("technology", 2), ("crime", 3)]),
    ],
)
def test_count_table(dim, stack, expected):
    order = shaping.dimension_order(DF, dim, PROVINCES, CATS)
    table = shaping.count_table(DF, dim, order, stack, CATS)
    assert [tuple(r) for r in table.itertuples(index=False)] == expected


@pytest.mark.parametrize("dim", ["province", "year", "category"])
def test_count_table_sums_to_the_rows_behind_the_chart(dim):
    order = shaping.dimension_order(DF, dim, PROVINCES, CATS)
    assert shaping.count_table(DF, dim, order).n.sum() == len(shaping.chart_rows(DF, dim))


def test_matrix_keeps_listed_rows_and_columns_with_zeros():
    mat = shaping.matrix(DF, PROVINCES, ["services", "crime", "workforce"])
    assert mat.to_dict("index") == {
        "吉林省": {"services": 1, "crime": 0, "workforce": 0},
        "山东省": {"services": 0, "crime": 1, "workforce": 0},
        "四川省": {"services": 1, "crime": 1, "workforce": 0},
    }


def test_measures_most_frequent_first():
    assert shaping.measures(DF) == [
        ("人", "count", 3),
        ("%", "change", 1),
        ("条", "amount", 1),
        ("次", "count", 1),
    ]


@pytest.mark.parametrize(("limit", "expected"), [(10, 7), (2, 2)])
def test_largest(limit, expected):
    with_values = DF[DF["value"].notna()]
    out = shaping.largest(with_values, limit)
    assert len(out) == min(expected, len(with_values))
    if limit < len(with_values):
        assert out["value"].abs().min() >= with_values["value"].abs().nlargest(limit).min()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (slice(None), (2014, 2023)),
        (slice(0, 2), None),  # one year: nothing to range over
        (slice(4, 5), None),  # no year at all
    ],
)
def test_year_bounds(rows, expected):
    assert shaping.year_bounds(DF.iloc[rows]) == expected


def test_province_counts():
    assert shaping.province_counts(DF) == {"四川省": 3, "吉林省": 2, "山东省": 1}


def test_table_view_translates_names():
    out = shaping.table_view(
        DF.head(2),
        ["province", "category", "raw"],
        {"services": "Public services"},
        {"四川省": "Sichuan"},
    )
    assert out.to_dict("list") == {
        "province": ["Sichuan", "Sichuan"],
        "category": ["Public services", "technology"],
        "raw": ["", ""],
    }


@pytest.mark.parametrize(
    ("keys", "categorical", "mask"),
    [
        (["province", "category"], True, "all"),
        (["province", "category"], False, "all"),
        (["province"], True, "some"),
        (["category"], True, "none"),
        (["unit", "kind"], True, "some"),
    ],
)
def test_sizes_counts_like_a_group_by(keys, categorical, mask):
    df = DF.astype({k: "category" for k in keys}) if categorical else DF
    if categorical:  # a value missing from a row (NaN code -1) is not counted
        df.loc[df.index[:2], keys[0]] = np.nan
    keep = {
        "all": pd.Series(True, index=df.index),
        "some": df["province"] != DF["province"].iloc[0],
        "none": pd.Series(False, index=df.index),
    }[mask]
    expected = df.loc[keep, keys].groupby(keys, observed=True).size().sort_index()
    got = shaping.sizes(df, keys, keep).sort_index()
    assert got.tolist() == expected.tolist()
    assert [tuple(np.atleast_1d(i)) for i in got.index] == [
        tuple(np.atleast_1d(i)) for i in expected.index
    ]
