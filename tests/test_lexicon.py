"""Every lexicon file loads and is validated; malformed data is refused."""

from __future__ import annotations

import pytest

from extract import lexicon
from extract.lexicon import LexiconError


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
