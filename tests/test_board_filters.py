"""Filter state: URL query parameters both ways, widget state, and applying filters."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from board import filters as flt
from board.data import normalise
from board.filters import Filters, View
from board.regions import parse_regions
from board.search import TextIndex, synonyms

REGIONS = parse_regions(
    {
        "provinces": [
            {"code": "510000", "name": "四川省", "group": "西部", "cities": [{"name": "攀枝花市"}]},
            {"code": "220000", "name": "吉林省", "group": "东北", "cities": [{"name": "长春市"}]},
            {"code": "370000", "name": "山东省", "group": "东部", "cities": [{"name": "济宁市"}]},
        ]
    }
)
GROUPS = {p.name: p.group for p in REGIONS}


def claims(*rows: tuple) -> pd.DataFrame:
    """A claims frame from (province, city, year, category, unit, kind, metric, sentence,
    indicator) tuples."""
    keys = ("province", "city", "year", "category", "unit", "kind", "metric", "sentence")
    keys += ("indicator",)
    frame = pd.DataFrame([dict(zip(keys, r, strict=True)) for r in rows])
    frame["claim_id"] = [f"d:{i}-{i + 1}" for i in range(len(frame))]
    return normalise(frame)


DF = claims(
    ("四川省", "", 2023, "services", "人", "count", "农业转移人口落户城镇", "全省落户。", ""),
    ("四川省", "攀枝花市", 2017, "technology", "条", "amount", "一标三实数据", "", ""),
    ("吉林省", "", 2014, "technology", "条", "amount", "信息拥有量", "", "data_records"),
    ("山东省", "济宁市", 2022, "crime", "%", "change", "电信网络诈骗发案", "", ""),
    ("山东省", "济宁市", None, "policing", "处", "count", "警保联控工作站", "", ""),
    ("福建省", "莆田市", 2023, "crime", "%", "change", "发案数", "全市刑事案件", ""),
    ("福建省", "莆田市", 2023, "crime", "%", "change", "发案数", "", "criminal_cases_change"),
)


@pytest.mark.parametrize(
    ("params", "filters", "view"),
    [
        ({}, Filters(), View()),
        ({"province": ["四川省", "吉林省"]}, Filters(provinces=("四川省", "吉林省")), View()),
        ({"province": ["四川省", "四川省", " "]}, Filters(provinces=("四川省",)), View()),
        ({"y": ["2015-2020"]}, Filters(years=(2015, 2020)), View()),
        ({"y": ["2020~2015"]}, Filters(years=(2015, 2020)), View()),
        ({"y": ["2019"]}, Filters(years=(2019, 2019)), View()),
        ({"y": ["abc"]}, Filters(), View()),
        (
            {"q": ["派出所"], "cat": ["crime"]},
            Filters(categories=("crime",), query="派出所"),
            View(),
        ),
        ({"lang": ["en"], "tab": ["map"]}, Filters(), View(lang="en", tab="map")),
        ({"lang": ["fr"], "tab": ["nope"], "mode": ["x"]}, Filters(), View()),
        (
            {"mode": ["count"], "indicator": ["data_records"], "claim": ["d:1-2"], "all": ["1"]},
            Filters(),
            View(mode="count", indicator="data_records", claim="d:1-2", all=True),
        ),
        ({"all": ["no"]}, Filters(), View()),
        ({"city": ["全省", "济宁市"]}, Filters(cities=("全省", "济宁市")), View()),
    ],
)
def test_from_query(params, filters, view):
    assert flt.from_query(params) == (filters, view)


@pytest.mark.parametrize(
    ("filters", "view", "params"),
    [
        (Filters(), View(), {}),
        (Filters(provinces=("四川省",)), View(), {"province": ["四川省"]}),
        (Filters(years=(2015, 2020), query="网"), View(), {"y": ["2015-2020"], "q": ["网"]}),
        (Filters(), View(lang="en", tab="table"), {"lang": ["en"], "tab": ["table"]}),
        (
            Filters(groups=("西部",), kinds=("count",)),
            View(mode="count", indicator="video_cameras", all=True),
            {
                "group": ["西部"],
                "kind": ["count"],
                "mode": ["count"],
                "indicator": ["video_cameras"],
                "all": ["1"],
            },
        ),
    ],
)
def test_to_query(filters, view, params):
    assert flt.to_query(filters, view) == params


names = st.lists(st.text("四川省吉林济宁市ab", min_size=1, max_size=5), max_size=3, unique=True)


@given(
    provinces=names,
    cities=names,
    years=st.none() | st.tuples(st.integers(2000, 2010), st.integers(2010, 2030)),
    query=st.text("派出所 警", max_size=6).map(str.strip),
    lang=st.sampled_from(["zh", "en"]),
    tab=st.sampled_from(flt.TABS),
    mode=st.sampled_from(flt.MODES),
    indicator=st.sampled_from(["", "data_records"]),
    show_all=st.booleans(),
)
def test_query_round_trip(provinces, cities, years, query, lang, tab, mode, indicator, show_all):
    # A copied link restores exactly the state it was made from.
    f = Filters(provinces=tuple(provinces), cities=tuple(cities), years=years, query=query)
    v = View(lang=lang, tab=tab, mode=mode, indicator=indicator, all=show_all)
    assert flt.from_query(flt.to_query(f, v)) == (f, v)


OPTIONS = {"provinces": ["四川省", "吉林省"], "categories": ["crime"]}


@pytest.mark.parametrize(
    ("filters", "bounds", "expected"),
    [
        (Filters(provinces=("四川省", "火星省")), (2014, 2023), Filters(provinces=("四川省",))),
        (Filters(years=(2010, 2018)), (2014, 2023), Filters(years=(2014, 2018))),
        (Filters(years=(2000, 2030)), (2014, 2023), Filters()),  # the full range is no filter
        (Filters(years=(2030, 2040)), (2014, 2023), Filters()),
        (Filters(years=(2015, 2016)), None, Filters()),
        (
            Filters(categories=("crime", "x"), query="q"),
            None,
            Filters(categories=("crime",), query="q"),
        ),
    ],
)
def test_restrict(filters, bounds, expected):
    assert flt.restrict(filters, OPTIONS, bounds) == expected


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        (Filters(), [0, 1, 2, 3, 4, 5, 6]),
        (Filters(provinces=("四川省",)), [0, 1]),
        (Filters(groups=("东部", "东北")), [2, 3, 4]),
        (Filters(groups=("西部",), provinces=("吉林省",)), []),
        (Filters(cities=("全省",)), [0, 2]),
        (Filters(cities=("济宁市", "攀枝花市")), [1, 3, 4]),
        (Filters(years=(2017, 2022)), [1, 3]),  # a claim without a year fails a year filter
        (Filters(categories=("technology",)), [1, 2]),
        (Filters(units=("条", "%")), [1, 2, 3, 5, 6]),
        (Filters(kinds=("count",)), [0, 4]),
        (Filters(query="信息"), [2]),
        (Filters(query="  电信  发案 "), [3]),  # every word must occur
        (Filters(query="ABC"), []),
        (Filters(provinces=("山东省",), kinds=("count",)), [4]),
        (Filters(query="落户"), [0]),  # metric
        (Filters(query="刑事"), [5, 6]),  # the sentence; the indicator's keywords (刑事, 立案)
        (Filters(query="数据资源"), [2]),  # the indicator's name, not the metric's words
        (Filters(query="criminal"), [6]),  # an English indicator name, any case
    ],
)
def test_apply_filters(filters, expected_ids):
    out = flt.apply_filters(DF, filters, GROUPS, synonyms)
    assert out["claim_id"].tolist() == [f"d:{i}-{i + 1}" for i in expected_ids]


@pytest.mark.parametrize(
    ("filters", "view", "bounds"),
    [
        (Filters(), View(), (2014, 2023)),
        (
            Filters(provinces=("四川省",), years=(2015, 2018), query="网"),
            View(lang="en"),
            (2014, 2023),
        ),
        (Filters(cities=("全省",)), View(tab="map", mode="count", indicator="x"), None),
        (Filters(), View(claim="d:1-2", all=True), (2014, 2023)),
    ],
)
def test_widget_state_round_trip(filters, view, bounds):
    assert flt.from_widgets(flt.widget_state(filters, view, bounds), bounds) == (filters, view)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("provinces", ["吉林省", "山东省", "四川省"]),  # GB/T 2260 order: 22, 37, 51
        ("groups", ["东部", "西部", "东北"]),
        ("cities", ["全省", "济宁市", "攀枝花市"]),  # by province code
        ("categories", ["services", "technology", "crime", "policing"]),
        ("kinds", ["count", "amount", "change"]),
        ("units", ["条", "%", "人", "处"]),  # most frequent first
    ],
)
def test_filter_options(name, expected):
    cats = ["services", "technology", "enforcement", "crime", "policing"]
    assert (
        flt.filter_options(DF.head(5), name, REGIONS, ("东部", "中部", "西部", "东北"), cats)
        == expected
    )


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        ("信息", [2]),
        ("  电信  发案 ", [3]),
        ("刑事", [5, 6]),
        ("落户", [0]),
        ("ABC", []),
        ("全", [0, 5]),
    ],
)
def test_the_text_index_finds_what_a_scan_finds(query, expected_ids):
    index = TextIndex((DF["metric"] + " " + DF["sentence"]).tolist())
    out = flt.apply_filters(DF, Filters(query=query), GROUPS, synonyms, index.contains)
    assert out["claim_id"].tolist() == [f"d:{i}-{i + 1}" for i in expected_ids]
    scan = flt.apply_filters(DF, Filters(query=query), GROUPS, synonyms)
    assert scan["claim_id"].tolist() == out["claim_id"].tolist()
