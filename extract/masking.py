"""Find the digits that are no claim: dates, times, phones, slogans, names (CLAIMS.md §1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract import lexicon

_FOLD = str.maketrans("０１２３４５６７８９％．，＋", "0123456789%.,+")


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one, so offsets hold."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Masked:
    """A span of text whose digits are not a claim, and why."""

    start: int
    end: int
    reason: str


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    data = lexicon.load("nonclaims.yaml")
    return tuple((re.compile(p["regex"]), p["reason"]) for p in data["patterns"])


def find_masked(folded: str) -> list[Masked]:
    """Every span of the (folded) text that a non-claim pattern covers."""
    spans = [
        Masked(m.start(), m.end(), reason)
        for pattern, reason in _patterns()
        for m in pattern.finditer(folded)
        if any(c.isdigit() for c in m.group())
    ]
    return sorted(spans, key=lambda s: (s.start, -s.end))


def mask_array(length: int, spans: list[Masked]) -> bytearray:
    """A byte per character: 1 where the character is inside a masked span."""
    mask = bytearray(length)
    for span in spans:
        mask[span.start:span.end] = b"\x01" * (span.end - span.start)
    return mask


@cache
def name_suffixes() -> tuple[str, ...]:
    """Words that make a preceding number part of a name, longest first."""
    words = lexicon.load("nonclaims.yaml")["name_suffixes"]
    return tuple(sorted(words, key=len, reverse=True))


@cache
def hotlines() -> frozenset[str]:
    """Service numbers that are names when they stand alone (110, 12345)."""
    return frozenset(lexicon.load("nonclaims.yaml")["hotlines"])
