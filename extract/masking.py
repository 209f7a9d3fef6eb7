"""Find the digits that are no claim: dates, times, phones, slogans, names (CLAIMS.md §1)."""

from __future__ import annotations

import re
import re._constants as sre  # the parsed form of a pattern, to see where it can start
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Iterator
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
    runs = [m.start() for m in _DIGIT_RUN.finditer(folded)]
    spans = [
        Masked(m.start(), m.end(), reason)
        for pattern, reason in _patterns()
        for m in (
            _at_runs(pattern, folded, runs)
            if starts_at_digit_run(pattern)
            else pattern.finditer(folded)
        )
        if any(c.isdigit() for c in m.group())
    ]
    return sorted(spans, key=lambda s: (s.start, -s.end))


_DIGIT_RUN = re.compile(r"(?<!\d)\d")


def _at_runs(pattern: re.Pattern[str], folded: str, runs: list[int]) -> Iterator[re.Match[str]]:
    """What finditer finds, for a pattern that can only start where a digit run starts.

    Trying it at those few places instead of at every character is most of the speed of
    masking; skipping the places inside the previous match keeps finditer's answer.
    """
    free = 0
    for at in runs:
        if at >= free and (m := pattern.match(folded, at)):
            free = m.end()
            yield m


@cache
def starts_at_digit_run(pattern: re.Pattern[str]) -> bool:
    """Whether every match opens with (?<!\\d) or (?<![\\d.]) and then a digit."""
    return _opens_run(list(sre_parse.parse(pattern.pattern, pattern.flags).data))


def _opens_run(items: list) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is sre.BRANCH:
        return len(items) == 1 and all(_opens_run(list(branch)) for branch in av[1])
    if op is sre.SUBPATTERN and len(items) == 1:
        return _opens_run(list(av[-1]))
    no_digit_before = op is sre.ASSERT_NOT and av[0] == -1 and _is_digit_class(list(av[1]), any)
    return no_digit_before and _first_is_digit(items[1:])


def _first_is_digit(items: list) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is sre.BRANCH:
        return all(_first_is_digit(list(branch)) for branch in av[1])
    if op is sre.SUBPATTERN:
        return _first_is_digit(list(av[-1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # 0?[1-9]: optional, then the rest decides
        return _first_is_digit(list(av[2])) and (av[0] >= 1 or _first_is_digit(items[1:]))
    return _is_digit_class([items[0]], all)


def _is_digit_class(items: list, quantifier: Callable[[Iterable[bool]], bool]) -> bool:
    """Whether the single character class or literal matches digits (all of it, or some)."""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is sre.LITERAL:
        return chr(av).isdigit()
    if op is not sre.IN:
        return False
    return quantifier(
        (kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT)
        or (kind is sre.LITERAL and chr(value).isdigit())
        or (kind is sre.RANGE and chr(value[0]).isdigit() and chr(value[1]).isdigit())
        for kind, value in av
    )


def mask_array(length: int, spans: list[Masked]) -> bytearray:
    """A byte per character: 1 where the character is inside a masked span."""
    mask = bytearray(length)
    for span in spans:
        mask[span.start : span.end] = b"\x01" * (span.end - span.start)
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
