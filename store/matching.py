"""Which claim of a new extraction is which claim of the old one: matched by content.

Offsets alone fail as soon as a report's text moves (a line added above shifts every span),
and then a reviewed claim and its fresh copy would both count. Two claims are the same
figure when value and unit agree and the metric and the words around the number are alike;
the same span with the same number as written is the same claim whatever else changed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from store.review import coerce, is_blank

THRESHOLD = 0.6  # below it, two claims of equal value are different figures
WINDOW = 12  # characters either side of the number that count as its context
PLACE_FIELDS = ("year", "province", "city")  # context of a claim without its sentence


def _key(claim: Mapping[str, object]) -> tuple[object, str]:
    try:
        value = coerce("value", claim.get("value"))
    except (TypeError, ValueError):
        value = None
    rounded = round(float(value), 6) if isinstance(value, float) and math.isfinite(value) else None
    return rounded, str(claim.get("unit") or "")


def _text(claim: Mapping[str, object], name: str) -> str:
    value = claim.get(name)
    return "" if is_blank(value) else str(value)


def context(claim: Mapping[str, object]) -> str:
    """The words around the number in its sentence (the whole sentence when raw is not in it)."""
    sentence, raw = _text(claim, "sentence"), _text(claim, "raw")
    at = sentence.find(raw) if raw else -1
    if at < 0:
        return sentence
    return sentence[max(0, at - WINDOW) : at + len(raw) + WINDOW]


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(old: Mapping[str, object], new: Mapping[str, object]) -> float:
    """How alike two claims of equal value and unit are: 2 for the same span and number,
    else the mean of metric and context similarity (0..1)."""
    if _text(old, "claim_id") == _text(new, "claim_id") and _text(old, "raw") == _text(new, "raw"):
        return 2.0
    metric = _similar(_text(old, "metric"), _text(new, "metric"))
    if _text(old, "sentence") or _text(new, "sentence"):
        nearby = _similar(context(old), context(new))
    else:  # claims checked by hand without their sentence: place and year stand for it
        nearby = sum(_text(old, f) == _text(new, f) for f in PLACE_FIELDS) / len(PLACE_FIELDS)
    return (metric + nearby) / 2


def _distance(old: Mapping[str, object], new: Mapping[str, object]) -> float:
    try:
        return abs(float(old.get("start")) - float(new.get("start")))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.inf


def match_claims(
    old: Sequence[Mapping[str, object]], new: Sequence[Mapping[str, object]]
) -> dict[str, str]:
    """Old claim id -> new claim id, one to one, best pairs first (ties: nearest offsets)."""
    by_key: dict[tuple[object, str], list[int]] = defaultdict(list)
    for j, claim in enumerate(new):
        by_key[_key(claim)].append(j)
    candidates = []
    for i, claim in enumerate(old):
        for j in by_key.get(_key(claim), ()):
            similarity = score(claim, new[j])
            if similarity >= THRESHOLD:
                candidates.append((-similarity, _distance(claim, new[j]), i, j))
    pairs: dict[str, str] = {}
    used: set[int] = set()
    for _, _, i, j in sorted(candidates):
        old_id = _text(old[i], "claim_id")
        if old_id in pairs or j in used:
            continue
        pairs[old_id] = _text(new[j], "claim_id")
        used.add(j)
    return pairs


@dataclass(frozen=True)
class Replacement:
    """What a re-extraction does to a report's claims."""

    fresh: list[Mapping[str, object]]  # the new claims to insert
    keep: set[str]  # ids of old extracted claims that stay (reviewed, no longer found)
    aside: dict[str, str]  # a kept claim whose id a new claim takes -> its spare id
    moves: dict[str, str]  # old id -> id its review now belongs to (matched or aside)


def plan_replacement(
    doc_id: str,
    old: Sequence[Mapping[str, object]],
    reviewed: set[str],
    new: Sequence[Mapping[str, object]],
) -> Replacement:
    """Match old claims (with `origin`) to the new extraction: a matched claim's review
    follows it to its new id, a claim first added by hand is not added again, and a reviewed
    claim the extractor no longer finds stays, moved aside if a new claim takes its id."""
    origin = {_text(c, "claim_id"): _text(c, "origin") for c in old}
    pairs = match_claims(old, new)
    renames = {o: n for o, n in pairs.items() if origin[o] == "extracted" and o != n}
    by_hand = {n for o, n in pairs.items() if origin[o] == "manual"}
    by_hand |= {o for o, kind in origin.items() if kind == "manual"}  # the same span
    fresh = [c for c in new if _text(c, "claim_id") not in by_hand]
    keep = {o for o, kind in origin.items() if kind == "extracted" and o in reviewed} - set(pairs)
    taken = {_text(c, "claim_id") for c in fresh} | set(renames.values()) | set(origin)
    aside: dict[str, str] = {}
    for old_id in sorted(keep & ({_text(c, "claim_id") for c in fresh} | set(renames.values()))):
        number = 1
        while f"{doc_id}:kept-{number}" in taken:
            number += 1
        aside[old_id] = f"{doc_id}:kept-{number}"
        taken.add(aside[old_id])
    keep = (keep - set(aside)) | set(aside.values())
    return Replacement(fresh, keep, aside, {**aside, **renames})
