"""Kind, direction and sign of a number from the words around it (CLAIMS.md §2)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from extract import lexicon
from extract.numbers import Mention
from extract.phrases import clause_bounds

_SEPARATORS = "、和及与 ，,"
VERB_REACH = 200


@dataclass(frozen=True)
class Reading:
    """What a number means: its kind, direction, signed value and unit."""

    kind: str
    direction: str
    value: float
    unit: str


@cache
def _change_verbs() -> tuple[tuple[str, str], ...]:
    data = lexicon.load("changes.yaml")
    pairs = [(w, "down") for w in data["down"]] + [(w, "up") for w in data["up"]]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@cache
def _verb_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word, _ in _change_verbs()))


def _find_verb(prefix: str) -> tuple[int, str, str] | None:
    """The last change verb of the prefix, read left to right: its end, word and direction."""
    last = None
    for last in _verb_pattern().finditer(prefix):  # noqa: B007 - the last match is wanted
        pass
    if last is None:
        return None
    return last.end(), last.group(), dict(_change_verbs())[last.group()]


def _gap_is_filler(gap: str, others: list[str]) -> tuple[bool, bool]:
    """Whether only fillers stand in the gap, and whether a level word (至, 为) does."""
    for raw in sorted(others, key=len, reverse=True):
        gap = gap.replace(raw, "")
    for word, is_level in _gap_words():
        if is_level and word in gap:
            return False, True
        gap = gap.replace(word, "")
    return not gap.strip(_SEPARATORS), False


@cache
def _gap_words() -> tuple[tuple[str, bool], ...]:
    """Fillers and level words, longest first, each with whether it is a level word."""
    data = lexicon.load("changes.yaml")
    words = sorted(data["fillers"] + data["levels"], key=len, reverse=True)
    return tuple((word, word in data["levels"]) for word in words)


def change_direction(
    sentence: str, offset: int, mention: Mention, others: list[Mention]
) -> str | None:
    """'up' or 'down' when a change verb governs the number, else None."""
    lo = mention.start - offset
    # A verb of change governs figures near it: reading back VERB_REACH characters at most
    # keeps a clause of thousands of figures linear.
    clause_start = max(clause_bounds(sentence, lo)[0], lo - VERB_REACH)
    prefix = sentence[clause_start:lo]
    found = _find_verb(prefix)
    if not found:
        return None
    end, word, direction = found
    first = bisect_left(others, clause_start + offset + end, key=lambda o: o.start)
    last = bisect_left(others, mention.start, key=lambda o: o.start)
    earlier = [o.raw for o in others[first:last]]
    gap = prefix[end:]
    nominal = tuple(lexicon.load("changes.yaml")["nominal"])
    if word.endswith(nominal) or gap.startswith(nominal):
        gap = re.sub(r"^(?:幅度)?(?:为|达到|达)", "", gap.removeprefix("幅度"))
    only_fillers, is_level = _gap_is_filler(gap, earlier)
    return direction if only_fillers and not is_level else None


@cache
def _data_volume() -> tuple[frozenset[str], tuple[str, ...]]:
    data = lexicon.load("units.yaml")["data_volume"]
    return frozenset(data["units"]), tuple(data["keywords"])


def interpret(
    mention: Mention, sentence: str, offset: int, others: list[Mention], metric: str
) -> Reading:
    """Kind, direction and signed value of a mention in its sentence."""
    if mention.kind == "rank":
        return Reading("rank", "", mention.value, mention.unit)
    if mention.unit in ("%", "个百分点", "倍"):
        direction = change_direction(sentence, offset, mention, others)
        if mention.unit == "倍" and not direction:
            return Reading("amount", "", mention.value, mention.unit)
        if direction or mention.unit == "个百分点":
            sign = -1.0 if direction == "down" else 1.0
            return Reading("change", direction or "", sign * mention.value, mention.unit)
        return Reading("percent", "", mention.value, mention.unit)
    units, keywords = _data_volume()
    if mention.unit in units and any(k in metric for k in keywords):
        return Reading("amount", "", mention.value, mention.unit)
    return Reading(mention.kind, "", mention.value, mention.unit)
