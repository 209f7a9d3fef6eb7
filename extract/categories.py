"""The reform category of a claim: what it counts first, the words around it second."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from extract import lexicon

# How much a keyword counts, by where it is found: the metric says what is counted.
WEIGHTS = {"metric": 4.0, "clause": 1.5, "heading": 1.5, "sentence": 0.5}
# Where a decisive phrase decides, in this order (CLAIMS.md §3: the claim's own object first).
DECIDING_PARTS = ("metric", "clause")


@cache
def _keywords() -> tuple[tuple[str, str], ...]:
    table = lexicon.load("categories.yaml")["categories"]
    return tuple((word, code) for code, entry in table.items() for word in entry["keywords"])


@cache
def _decisive() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every decisive phrase (longest first) and each phrase's category."""
    table = lexicon.load("categories.yaml")["categories"]
    owner = {word: code for code, entry in table.items() for word in entry.get("decisive", [])}
    words = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), owner


@lru_cache(maxsize=4096)
def _part_scores(text: str) -> tuple[tuple[str, int], ...]:
    """Summed keyword lengths per category found in one text (cached: sentences repeat)."""
    found: dict[str, int] = {}
    for word, code in _keywords():
        if word in text:
            found[code] = found.get(code, 0) + len(word)
    return tuple(found.items())


def scores(context: dict[str, str]) -> dict[str, float]:
    """Keyword score of each category over the weighted context parts."""
    result: dict[str, float] = {}
    for part, text in context.items():
        for code, length in _part_scores(text) if text else ():
            result[code] = result.get(code, 0.0) + WEIGHTS[part] * length
    return result


# 案件 and 嫌疑人 stand in nearly every clause: crime's phrases decide only when no other
# category's phrase is there (移送起诉犯罪嫌疑人 is enforcement, 反诈宣传活动 governance).
BACKGROUND = "crime"


@lru_cache(maxsize=4096)
def decisive(text: str) -> str | None:
    """The category of the longest decisive phrase in the text, crime's phrases last."""
    pattern, owner = _decisive()
    best = ""
    for match in pattern.finditer(text):
        word = match.group()
        rank = (owner[word] != BACKGROUND, len(word))
        if not best or rank >= (owner[best] != BACKGROUND, len(best)):
            best = word
    return owner[best] if best else None


def categorise(context: dict[str, str], fallback: str = "policing") -> str:
    """A decisive phrase of the metric, else of the clause; else the best-scoring category."""
    for part in DECIDING_PARTS:
        if context.get(part) and (code := decisive(context[part])):
            return code
    result = scores(context)
    return max(result, key=lambda k: result[k]) if result else fallback


def labels(language: str = "zh") -> dict[str, str]:
    """Category code to its Chinese (zh) or English (en) name."""
    table = lexicon.load("categories.yaml")["categories"]
    return {code: entry[language] for code, entry in table.items()}
