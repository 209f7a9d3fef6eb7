"""The region loader: regions.yaml as provinces ordered by GB/T 2260 code."""

import pytest
import yaml

from board import regions
from board.regions import City, Province

DOC = {
    "provinces": [
        {
            "code": "510000",
            "name": "四川省",
            "short": ["四川", "川"],
            "en": "Sichuan",
            "group": "西部",
            "tile": [4, 1],
            "cities": [{"name": "攀枝花市", "short": ["攀枝花"], "en": "Panzhihua"}],
        },
        {
            "code": "110000",
            "name": "北京市",
            "short": "京",
            "en": "Beijing",
            "group": "东部",
            "tile": [1, 4],
            "cities": [],
        },
        {"name": "无代码省"},
        {"code": "", "name": ""},
    ]
}


def test_parse_regions_orders_by_code_and_fills_defaults():
    parsed = regions.parse_regions(DOC)
    assert [p.name for p in parsed] == ["北京市", "四川省", "无代码省"]
    assert parsed[1] == Province(
        "510000",
        "四川省",
        ("四川", "川"),
        "Sichuan",
        "西部",
        (4, 1),
        (City("攀枝花市", ("攀枝花",), "Panzhihua"),),
    )
    assert parsed[0].short == ("京",)
    assert parsed[2] == Province("", "无代码省")


@pytest.mark.parametrize("doc", [None, {}, {"provinces": None}])
def test_parse_regions_of_nothing(doc):
    assert regions.parse_regions(doc) == ()


def test_load_regions_missing_or_broken_file(tmp_path):
    assert regions.load_regions(tmp_path / "missing.yaml") == ()
    broken = tmp_path / "broken.yaml"
    broken.write_text("provinces: [", encoding="utf-8")
    assert regions.load_regions(broken) == ()


def test_bundled_regions_read_alike_by_the_fast_and_the_plain_loader():
    """load_regions reads with libyaml when it is there; PyYAML's loader, which the other
    data files use, reads the same provinces (the two differ on some plain scalars)."""
    with open(regions.REGIONS_PATH, encoding="utf-8") as fh:
        plain = regions.parse_regions(yaml.safe_load(fh))
    assert regions.load_regions() == plain and len(plain) >= 34


def test_bundled_regions_are_complete():
    loaded = regions.load_regions()
    assert len(loaded) >= 31
    assert [p.code for p in loaded] == sorted(p.code for p in loaded)
    assert {p.group for p in loaded} <= set(regions.GROUP_ORDER)
    tiles = [p.tile for p in loaded]
    assert all(tiles) and len(set(tiles)) == len(tiles)  # one province per cell


PARSED = regions.parse_regions(DOC)


@pytest.mark.parametrize(
    ("func", "name", "lang", "expected"),
    [
        (regions.province_label, "四川省", "zh", "四川省"),
        (regions.province_label, "四川省", "en", "Sichuan"),
        (regions.province_label, "火星省", "en", "火星省"),
        (regions.city_label, "攀枝花市", "en", "Panzhihua"),
        (regions.city_label, "攀枝花市", "zh", "攀枝花市"),
        (regions.city_label, "成都市", "en", "成都市"),
    ],
)
def test_labels(func, name, lang, expected):
    assert func(name, PARSED, lang) == expected


def test_order_provinces():
    assert regions.order_provinces(["四川省", "火星省", "北京市", "四川省"], PARSED) == [
        "北京市",
        "四川省",
        "火星省",
    ]


def test_groups_of():
    assert regions.groups_of(PARSED) == {"北京市": "东部", "四川省": "西部"}
