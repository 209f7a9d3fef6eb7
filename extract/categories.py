"""The reform category of a claim, from keywords of its metric, clause and heading."""

from __future__ import annotations

from functools import cache, lru_cache

from extract import lexicon

# How much a keyword counts, by where it is found: the metric says what is counted.
WEIGHTS = {"metric": 4.0, "clause": 1.5, "heading": 1.5, "sentence": 0.5}


@cache
def _keywords() -> tuple[tuple[str, str], ...]:
    table = lexicon.load("categories.yaml")["categories"]
    return tuple((word, code) for code, entry in table.items() for word in entry["keywords"])


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


def categorise(context: dict[str, str], fallback: str = "policing") -> str:
    """The best-scoring category; the fallback when no keyword matches."""
    result = scores(context)
    return max(result, key=lambda k: result[k]) if result else fallback


def labels(language: str = "zh") -> dict[str, str]:
    """Category code to its Chinese (zh) or English (en) name."""
    table = lexicon.load("categories.yaml")["categories"]
    return {code: entry[language] for code, entry in table.items()}
