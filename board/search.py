"""Search terms to indicators: the catalogue's names and `include` keywords are its synonyms."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from extract.indicators import Indicator, catalogue


def indicator_words(ind: Indicator) -> tuple[str, ...]:
    """The names of an indicator and every keyword of its `include` entries."""
    return (ind.zh, ind.en.lower(), *(word for entry in ind.include for word in entry))


def matching_indicators(term: str, cat: Mapping[str, Indicator]) -> tuple[str, ...]:
    """Codes of the indicators a search term names: it is part of a name or keyword, or a
    keyword is part of it (刑事 finds 刑事案件立案数; 电信诈骗案件 finds the fraud indicator)."""
    term = term.strip().lower()
    if not term:
        return ()
    return tuple(
        code
        for code, ind in cat.items()
        if any(term in word or (len(word) > 1 and word in term) for word in indicator_words(ind))
    )


@lru_cache(maxsize=256)
def synonyms(term: str) -> tuple[str, ...]:
    """matching_indicators over the catalogue of extract/lexicon/indicators.yaml."""
    return matching_indicators(term, catalogue())
