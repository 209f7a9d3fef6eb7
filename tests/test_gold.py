"""Gold annotations are well formed, and extraction keeps its measured quality on them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from extract import extract_files
from extract.claim import APPROX, CATEGORIES, KINDS, SPANS
from extract.documents import read_document
from extract.evaluate import load_gold, score

ROOT = Path(__file__).parent.parent
GOLD = ROOT / "tests" / "gold"
GOLD_FILES = sorted(GOLD.glob("*.yaml"))
REASONS = {"date", "time", "phone", "id", "name", "period", "range", "ordinal", "furniture"}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_spans_cover_every_digit(path: Path) -> None:
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = read_document(ROOT / "seeds" / f"{gold['doc_id']}.txt").text
    spans = [
        (s["start"], s["start"] + len(s["raw"]), s["raw"])
        for s in gold["claims"] + gold["non_claims"]
    ]
    for start, end, raw in spans:
        assert text[start:end] == raw
    covered = bytearray(len(text))
    for start, end, _ in sorted(spans):
        assert not any(covered[start:end]), f"overlapping span at {start}"
        covered[start:end] = b"\x01" * (end - start)
    uncovered = [m.start() for m in re.finditer(r"[0-9０-９]", text) if not covered[m.start()]]
    assert uncovered == []


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_fields_are_valid(path: Path) -> None:
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    for claim in gold["claims"]:
        assert claim["kind"] in KINDS and claim["approx"] in APPROX
        assert claim["category"] in CATEGORIES
        assert (claim["direction"] in ("up", "down")) == (claim["kind"] == "change")
        assert claim["period_start"] <= claim["year"]
        assert claim["span"] in SPANS
        assert (claim["span"] == "multi-year") == (claim["period_start"] < claim["year"])
    assert {n["reason"] for n in gold["non_claims"]} <= REASONS


@pytest.fixture(scope="module")
def seed_score():
    result = extract_files([ROOT / "seeds"], workers=1)
    assert result.errors == []
    return score(load_gold(GOLD), result.claims)


def test_detection_quality(seed_score) -> None:
    assert seed_score.f1 >= 0.95


# The bars of the extraction issue; the README records the measured figures.
BARS = {
    "value": 0.95,
    "unit": 0.95,
    "kind": 0.95,
    "direction": 0.95,
    "approx": 0.95,
    "province": 0.98,
    "city": 0.95,
    "year": 0.95,
    "period_start": 0.90,
    "span": 0.90,
    "category": 0.85,
    "metric": 0.80,
}


@pytest.mark.parametrize("field", BARS)
def test_field_accuracy(seed_score, field: str) -> None:
    assert seed_score.accuracy(field) >= BARS[field]


def _pair(gold: dict, predicted: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = {"doc_id": "d", "raw": "5起", "start": 0, "end": 2, "value": 5.0}
    return pd.DataFrame([{**base, **gold}]), pd.DataFrame([{**base, **predicted}])


@pytest.mark.parametrize(
    ("gold", "predicted", "correct"),
    [
        # §4: the start of a multi-year period is correct within one year of the gold's.
        ({"year": 2024, "period_start": 2019}, {"year": 2024, "period_start": 2020}, True),
        ({"year": 2024, "period_start": 2019}, {"year": 2024, "period_start": 2018}, True),
        ({"year": 2024, "period_start": 2019}, {"year": 2024, "period_start": 2021}, False),
        # A single year gets no tolerance.
        ({"year": 2023, "period_start": 2023}, {"year": 2023, "period_start": 2022}, False),
    ],
)
def test_period_start_tolerance(gold: dict, predicted: dict, correct: bool) -> None:
    result = score(*_pair(gold, predicted))
    assert result.fields["period_start"] == [correct]


def test_span_is_scored_only_where_the_gold_has_it() -> None:
    assert score(*_pair({"span": "annual"}, {"span": "part-year"})).fields["span"] == [False]
    assert score(*_pair({}, {"span": "part-year"})).fields["span"] == []
