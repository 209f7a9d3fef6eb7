"""Search terms to indicators: the catalogue's names and `include` keywords are its synonyms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

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


class TextIndex:
    """Substring search over one text per row, in one pass of the joined text: a term's
    occurrences are found by the regex engine and mapped back to rows by their offsets
    (a million sentences are searched in well under a second, not row by row)."""

    SEP = "\n"

    def __init__(self, texts: Sequence[str]) -> None:
        parts = [str(t).replace(self.SEP, " ").lower() for t in texts]
        lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
        self.starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(parts) else lengths
        self.text = self.SEP.join(parts)
        self.size = len(parts)

    @classmethod
    def from_text(cls, text: str, size: int) -> TextIndex | None:
        """The index of `size` rows whose joined `text` this is (a saved index.text); None
        when the text does not hold that many rows."""
        # Row starts are the character offsets after each separator (UTF-32: one unit each).
        units = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        seps = np.flatnonzero(units == ord(cls.SEP))
        if len(seps) != max(size - 1, 0) or (size == 0 and text):
            return None
        index = cls([])
        index.starts = np.concatenate(([0], seps + 1)) if size else index.starts
        index.text, index.size = text, size
        return index

    def contains(self, term: str) -> np.ndarray:
        """A boolean mask of the rows whose text contains `term` (case-insensitive)."""
        mask = np.zeros(self.size, dtype=bool)
        term = term.lower()
        if not term or self.SEP in term:
            return mask if term else ~mask
        hits = np.fromiter(
            (m.start() for m in re.finditer(re.escape(term), self.text)), dtype=np.int64
        )
        if len(hits):
            mask[np.searchsorted(self.starts, hits, side="right") - 1] = True
        return mask
