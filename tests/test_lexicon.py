"""Every lexicon file loads and is validated; malformed data is refused."""

from __future__ import annotations

import pytest

from extract import lexicon
from extract.lexicon import LexiconError
from extract.script import simplify


@pytest.mark.parametrize("name", sorted(lexicon.SCHEMAS))
def test_every_file_loads(name: str) -> None:
    assert lexicon.load(name)


def test_every_lexicon_file_has_a_schema() -> None:
    files = {p.name for p in lexicon.LEXICON_DIR.glob("*.yaml")}
    assert files <= set(lexicon.SCHEMAS)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "units.yaml",
            "units:\n  个: {unit: 个, kind: count}\n  个: {unit: 个, kind: count}\n",
            "duplicate key",
        ),
        ("units.yaml", "units: {}\ndata_volume: {}\nimplicit: {}\ncolour: red\n", "unknown keys"),
        ("units.yaml", "units:\n  个: {unit: 个, kind: heap}\n", "bad entry"),
        ("qualifiers.yaml", "before: {约: roughly}\ninside: {}\nafter: {}\n", "unknown approx"),
        ("nonclaims.yaml", "patterns:\n  - {reason: date, regex: '([0-9'}\n", "bad regex"),
        (
            "verbs.yaml",
            "verbs: [建成, 建成]\nfillers: []\nstops: []\ncopulas: []\n",
            "more than once",
        ),
        ("time.yaml", "plans:\n  十三五: [2016, 2020]\n", "missing keys"),
    ],
)
def test_malformed_files_are_refused(tmp_path, monkeypatch, name, content, message) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tmp_path)
    lexicon.load.cache_clear()
    try:
        with pytest.raises(LexiconError, match=message):
            lexicon.load(name)
    finally:
        lexicon.load.cache_clear()


def test_userdict_lines_are_word_frequency_tag() -> None:
    for line in lexicon.userdict_path().read_text(encoding="utf-8").splitlines():
        word, freq, tag = line.split()
        assert word and int(freq) > 0 and tag


def test_gazetteer_names_are_unique() -> None:
    provinces = lexicon.load("regions.yaml")["provinces"]
    names = [p["name"] for p in provinces] + [c["name"] for p in provinces for c in p["cities"]]
    assert len(names) == len(set(names))
    assert len(provinces) == 34


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("plans", {"十三五": [2020, 2016]}, "first year, last year"),
        ("events", {"十八大": "2012"}, "needs a year"),
        ("part_year", "上半年", "list of words"),
    ],
)
def test_time_words_are_validated(key: str, value: object, message: str) -> None:
    data = {**lexicon.load("time.yaml"), key: value}
    with pytest.raises(LexiconError, match=message):
        lexicon._validate_time(data)


def test_traditional_table_is_one_character_for_one() -> None:
    seen: set[str] = set()
    for line in (lexicon.LEXICON_DIR / "traditional.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert len(line) == 2 and line[0] != line[1], line
            assert line[0] not in seen, f"{line[0]} listed twice"
            seen.add(line[0])


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("萬", "万"),
        ("億", "亿"),
        ("餘", "余"),
        ("個百分點", "个百分点"),
        ("項", "项"),
        ("場次", "场次"),
        ("輛次", "辆次"),
        ("臺", "台"),
        ("塊", "块"),
        ("條", "条"),
        ("歲", "岁"),
        ("減少", "减少"),
        ("增長", "增长"),
        ("降幅", "降幅"),
        ("約", "约"),
        ("詐騙", "诈骗"),
        ("犯罪嫌疑人", "犯罪嫌疑人"),
        ("兩搶一盜", "两抢一盗"),
        ("執法監督", "执法监督"),
        ("審批", "审批"),
        ("戶籍", "户籍"),
        ("證件", "证件"),
        ("護照", "护照"),
        ("訓練", "训练"),
        ("獎勵", "奖励"),
        ("調解糾紛", "调解纠纷"),
        ("視頻監控", "视频监控"),
        ("數據", "数据"),
        ("涼山州", "凉山州"),
        ("黔東南", "黔东南"),
        ("烏魯木齊", "乌鲁木齐"),
        ("廣東", "广东"),
        ("遼寧", "辽宁"),
        ("內蒙古", "内蒙古"),
        ("貴陽", "贵阳"),
        ("邊境", "边境"),
        ("電話", "电话"),
        ("後", "后"),
        ("於", "于"),
        ("團夥", "团伙"),
    ],
)
def test_traditional_lexicon_words_read_as_simplified(traditional: str, simplified: str) -> None:
    assert simplify(traditional) == simplified


def test_simplified_text_is_left_alone() -> None:
    text = "显著提升著名乾坤，全省破获刑事案件1.2万起。"
    assert simplify(text) == text


def test_county_cities_name_known_prefectures_and_clash_with_no_name() -> None:
    data = lexicon.load("regions.yaml")
    prefectures = {c["name"] for p in data["provinces"] for c in p["cities"]}
    names = {w for p in data["provinces"] for w in [p["name"], *p["short"]]}
    names |= {w for p in data["provinces"] for c in p["cities"] for w in [c["name"], *c["short"]]}
    for town, prefecture in data["county_cities"].items():
        assert prefecture in prefectures, town
        assert town not in names, town


def test_units_not_before_name_known_units() -> None:
    data = lexicon.load("units.yaml")
    assert set(data["not_before"]) <= set(data["units"])


def test_decisive_phrases_are_unique_across_categories() -> None:
    table = lexicon.load("categories.yaml")["categories"]
    words = [w for entry in table.values() for w in entry.get("decisive", [])]
    assert len(words) == len(set(words))
