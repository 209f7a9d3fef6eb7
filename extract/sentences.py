"""Sentences and section headings of a document, with their offsets."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from extract.limits import MAX_SENTENCE_CHARS

_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』]?|\n+")
_SOFT_END = re.compile(r"[，,；;、\s]")
_LIST_MARK = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.、])"
)


@dataclass(frozen=True)
class Sentence:
    """A sentence of the text: where it is and what it says."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Sentences ending at 。！？ or a line break, stripped of surrounding blanks."""
    found, begin = [], 0
    for match in _SENTENCE_END.finditer(text):
        found.extend(_sentence(text, begin, match.end()))
        begin = match.end()
    found.extend(_sentence(text, begin, len(text)))
    return found


def _sentence(text: str, start: int, end: int) -> list[Sentence]:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return []
    lead = start + len(chunk) - len(chunk.lstrip())
    if len(stripped) <= MAX_SENTENCE_CHARS:
        return [Sentence(lead, lead + len(stripped), stripped)]
    pieces = _pieces(stripped)
    return [part for at, to in pieces for part in _sentence(text, lead + at, lead + to)]


def _pieces(text: str) -> list[tuple[int, int]]:
    """Bounds of pieces of at most MAX_SENTENCE_CHARS, cut after a comma or blank if any."""
    bounds, at = [], 0
    while len(text) - at > MAX_SENTENCE_CHARS:
        limit = at + MAX_SENTENCE_CHARS
        soft = [m.end() for m in _SOFT_END.finditer(text, at + MAX_SENTENCE_CHARS // 2, limit)]
        to = soft[-1] if soft else limit
        bounds.append((at, to))
        at = to
    return [*bounds, (at, len(text))]


def headings(text: str) -> list[tuple[int, str]]:
    """Offsets and texts of lines or paragraph openings that read as section headings."""
    found, offset = [], 0
    for line in text.split("\n"):
        body = line.strip()
        first = re.split(r"[。！？]", body, maxsplit=1)[0]
        if body and (len(body) <= 30 and not body.endswith(("。", "；", "，"))):
            found.append((offset, body))
        elif _LIST_MARK.match(body) or (len(first) <= 20 and len(first) < len(body)):
            found.append((offset, first))
        offset += len(line) + 1
    return found


def heading_before(found: list[tuple[int, str]], at: int) -> str:
    """The nearest heading at or before offset `at` (headings sorted by offset)."""
    index = bisect_right(found, at, key=lambda item: item[0])
    return found[index - 1][1] if index else ""
