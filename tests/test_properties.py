"""Extraction never raises on any text, and its rows always fit the schema."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from extract import extract_text
from extract.claim import APPROX, CATEGORIES, COLUMNS, DIRECTIONS, KINDS

# Text made of what reports are made of: digits, Chinese, units, punctuation.
CHARS = "0123456789０１.,，。、%％万亿千余多近约第名起项个年月日下降上升分别由为至"
WORDS = ["公安", "全省", "同比", "百分之", "排名全省第一", "\n", " ", "“", "”"]
PIECES = st.sampled_from(list(CHARS) + WORDS)
REPORTS = st.lists(PIECES, max_size=80).map("".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(REPORTS)
def test_extract_never_raises_and_rows_fit(text: str) -> None:
    for claim in extract_text(text or "空", doc_id="prop"):
        row = claim.to_row()
        assert tuple(row) == COLUMNS
        assert claim.kind in KINDS and claim.approx in APPROX
        assert claim.direction in DIRECTIONS and claim.category in CATEGORIES
        assert math.isfinite(claim.value)
        assert (text or "空")[claim.start : claim.end] == claim.raw
        assert claim.raw in claim.sentence
